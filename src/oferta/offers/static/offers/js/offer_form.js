// Offer editor: "add row" buttons for the area, slot and enrolment-window row sets
// (Django formsets). Clones the row set's <template>, numbers it and bumps TOTAL_FORMS.
(function () {
  "use strict";
  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById("empty-" + prefix);
    var rows = document.querySelector('[data-rows="' + prefix + '"]');
    if (!total || !template || !rows) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    while (holder.firstChild) { rows.appendChild(holder.firstChild); }
    total.value = String(index + 1);
    var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button.getAttribute("data-add-row")); }
  });
})();
