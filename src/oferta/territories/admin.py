"""Admin for DIVIPOLA territories, read-only.

They are reference data loaded from DANE files (``oferta territories load-reference``): an edit
here would be silently undone by the next load, so there is nothing to audit.
"""

from django.contrib import admin

from oferta.core.admin import ReadOnlyModelAdmin

from .models import Department, Municipality


@admin.register(Department)
class DepartmentAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "name", "department", "is_pdet", "is_non_municipalized")
    list_filter = ("department", "is_pdet", "is_non_municipalized")
    search_fields = ("code", "name")
    list_select_related = ("department",)
