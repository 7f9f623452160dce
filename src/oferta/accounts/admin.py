"""Admin: the audit trail, read-only (events are written by services, never edited).

Sign-in records of django-axes stay editable (deleting an attempt unlocks an account), so they are
re-registered audited. Django's groups are not shown: oferta's permissions come from the user's
role, and a group editor would be an unaudited way to grant permissions.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group

from oferta.core.admin import AuditedModelAdmin, ReadOnlyModelAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "action")
    date_hierarchy = "occurred_at"
    readonly_fields = (
        "uuid",
        "occurred_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
        "message",
    )


for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(f"Audited{_admin.__name__}", (AuditedModelAdmin, _admin), {}))

if admin.site.is_registered(Group):
    admin.site.unregister(Group)
