/* Choropleth hover readout (progressive enhancement: without it, each unit's native SVG
   <title> still shows on hover). Shows the pointed or focused unit's "name: value" in the
   element [data-map-readout] next to the map. No eval, no inline styles: CSP-safe. */
(function () {
  "use strict";

  function titleOf(target) {
    var path = target && target.closest ? target.closest("path[data-code]") : null;
    if (!path) { return null; }
    var title = path.querySelector("title");
    return title ? { path: path, text: title.textContent } : null;
  }

  function bind(container) {
    if (container.dataset.mapBound) { return; }
    container.dataset.mapBound = "1";
    var readout = container.querySelector("[data-map-readout]");
    if (!readout) { return; }
    var current = null;
    function show(event) {
      var hit = titleOf(event.target);
      if (current) { current.classList.remove("is-hover"); }
      current = hit ? hit.path : null;
      if (current) { current.classList.add("is-hover"); }
      readout.textContent = hit ? hit.text : "";
    }
    container.addEventListener("mouseover", show);
    container.addEventListener("focusin", show);
    container.addEventListener("mouseleave", function () {
      if (current) { current.classList.remove("is-hover"); }
      current = null;
      readout.textContent = "";
    });
  }

  function bindAll(root) {
    var maps = (root || document).querySelectorAll(".choropleth-map");
    for (var i = 0; i < maps.length; i += 1) { bind(maps[i]); }
  }

  document.addEventListener("DOMContentLoaded", function () { bindAll(document); });
  // htmx replaces the map panel when the indicator changes.
  document.addEventListener("htmx:afterSwap", function () { bindAll(document); });
}());
