"""Admin for the offer catalogue.

Entities, programs and taxonomies are editable here, through ``AuditedModelAdmin`` so that every
create, change and delete writes an audit event. Offers are read-only: their changes must go
through ``offer_create``/``offer_update`` (the staff editor) so that each one is audited and lands
in the HSDS field-change log. The field-change log itself is read-only.
"""

from django.contrib import admin

from oferta.core.admin import AuditedModelAdmin, ReadOnlyModelAdmin

from .models import (
    EnrolmentWindow,
    FieldChange,
    Organization,
    Program,
    RequiredDocument,
    Service,
    ServiceArea,
    Slot,
    Taxonomy,
    TaxonomyTerm,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceAreaInline(_ReadOnlyInline):
    model = ServiceArea
    fields = ("scope", "divipola_code", "name")


class SlotInline(_ReadOnlyInline):
    model = Slot
    fields = ("territory_code", "period_start", "period_end", "places", "notes")


class EnrolmentWindowInline(_ReadOnlyInline):
    model = EnrolmentWindow
    fields = ("opens_on", "closes_on", "territory_code", "description")


class RequiredDocumentInline(_ReadOnlyInline):
    model = RequiredDocument
    fields = ("document",)


@admin.register(Service)
class ServiceAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "organization", "status", "is_demo", "last_modified")
    list_filter = ("status", "is_demo", "organization__level")
    search_fields = ("name", "alternate_name", "organization__name")
    list_select_related = ("organization",)
    inlines = (ServiceAreaInline, SlotInline, EnrolmentWindowInline, RequiredDocumentInline)


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    list_display = ("name", "alternate_name", "level", "sector", "territory_code", "is_demo")
    list_filter = ("level", "sector", "is_demo")
    search_fields = ("name", "alternate_name", "tax_id")


@admin.register(Program)
class ProgramAdmin(AuditedModelAdmin):
    list_display = ("name", "organization")
    search_fields = ("name", "organization__name")
    list_select_related = ("organization",)


@admin.register(Taxonomy)
class TaxonomyAdmin(AuditedModelAdmin):
    list_display = ("name", "version")


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "taxonomy")
    list_filter = ("taxonomy",)
    search_fields = ("name", "code")


@admin.register(FieldChange)
class FieldChangeAdmin(ReadOnlyModelAdmin):
    list_display = ("last_action_date", "resource_type", "resource_id", "field_name", "updated_by")
    list_filter = ("resource_type", "last_action_type")
    search_fields = ("resource_id", "field_name", "updated_by")
