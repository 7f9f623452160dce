"""A ModelAdmin base that writes one audit event per object created, changed or deleted.

The Django admin bypasses the services, so this base is what keeps admin edits in the audit
trail. Each event has action ``<model>.created|updated|deleted``, ``object_type`` the model name
and ``object_id`` the object's external identifier (its primary key: a UUID for HSDS objects, a
DIVIPOLA code for territories). ``before``/``after`` hold the changed fields only (every field on
create and delete); a save that changes nothing writes no event.

The "before" state is re-read from the database in ``save_model`` (the form has already written
the new values onto the instance by then) and the event is written in ``save_related``, after
the many-to-many fields are saved, so one edit of fields and M2M gives one event. The admin
always calls the two in a row inside one transaction (change form and list-editable changelist).
Rows changed through inlines get their own events. Rows removed by a cascade get a
``<model>.deleted`` event each, naming the object whose deletion removed them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models, router, transaction
from django.db.models.deletion import Collector

from oferta.accounts.audit import audit_event_record

Snapshot = dict[str, Any]

_BEFORE_ATTR = "_audit_before"


def audit_object_type(obj: models.Model) -> str:
    return obj._meta.model_name or type(obj).__name__.lower()


def audit_object_id(obj: models.Model) -> str:
    return str(obj.pk)


def audit_snapshot(obj: models.Model) -> Snapshot:
    """The editable fields of a saved or unsaved object as plain values.

    Foreign keys are their target's key as text, many-to-many fields the sorted keys of the
    related objects (read from the database, so only for saved objects). Non-editable fields
    (``auto_now`` stamps, UUID keys) are left out: they are not what a person changed.
    """
    snap: Snapshot = {}
    opts = obj._meta
    for field in opts.concrete_fields:
        if not field.editable:
            continue
        value = getattr(obj, field.attname)
        snap[field.name] = str(value) if field.is_relation and value is not None else value
    if obj.pk is not None:
        for field in opts.many_to_many:
            if not field.editable:
                continue
            snap[field.name] = sorted(
                str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True)
            )
    return snap


def _diff(before: Snapshot, after: Snapshot) -> tuple[Snapshot, Snapshot]:
    keys = [k for k in after if before.get(k) != after[k]]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _record(
    *,
    request: Any,
    obj: models.Model,
    verb: str,
    before: Snapshot | None,
    after: Snapshot | None,
    object_id: str | None = None,
    message: str = "",
) -> None:
    audit_event_record(
        actor=getattr(request, "user", None),
        action=f"{audit_object_type(obj)}.{verb}",
        object_type=audit_object_type(obj),
        object_id=object_id if object_id is not None else audit_object_id(obj),
        before=before,
        after=after,
        message=message or str(obj),
    )


def _record_change(*, request: Any, obj: models.Model, before: Snapshot | None) -> None:
    after = audit_snapshot(obj)
    if before is None:
        _record(request=request, obj=obj, verb="created", before=None, after=after)
        return
    old, new = _diff(before, after)
    if old or new:
        _record(request=request, obj=obj, verb="updated", before=old, after=new)


def _db_snapshot(obj: models.Model) -> Snapshot | None:
    """The stored state of ``obj``, or None when it is new."""
    if obj._state.adding or obj.pk is None:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return audit_snapshot(stored) if stored is not None else None


Collected = list[tuple[models.Model, Snapshot, str, str]]


def _collected(objs: Iterable[models.Model]) -> Collected:
    """Every row that deleting ``objs`` removes (cascades included), with its snapshot, id and
    label, taken before the delete (afterwards related rows may be gone)."""
    objs = list(objs)
    if not objs:
        return []
    collector = Collector(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    rows: list[models.Model] = []
    for instances in collector.data.values():
        rows.extend(instances)
    for qs in collector.fast_deletes:
        rows.extend(qs)
    # Rows of auto-created many-to-many tables are links, not objects a person edits.
    return [
        (row, audit_snapshot(row), audit_object_id(row), str(row))
        for row in rows
        if not row._meta.auto_created
    ]


def _record_deletions(
    *,
    request: Any,
    roots: Iterable[models.Model],
    collected: Collected,
) -> None:
    root_ids = {(type(r), audit_object_id(r)) for r in roots}
    for row, snap, object_id, label in collected:
        cascaded = (type(row), object_id) not in root_ids
        _record(
            request=request,
            obj=row,
            verb="deleted",
            before=snap,
            after=None,
            object_id=object_id,
            message=f"{label[:200]} (en cascada)" if cascaded else label,
        )


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin whose every save and delete writes audit events (see the module docstring)."""

    def save_model(self, request: Any, obj: models.Model, form: Any, change: bool) -> None:
        setattr(obj, _BEFORE_ATTR, _db_snapshot(obj) if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, _BEFORE_ATTR, None)
        _record_change(request=request, obj=obj, before=before)
        if hasattr(obj, _BEFORE_ATTR):
            delattr(obj, _BEFORE_ATTR)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        befores: dict[int, Snapshot | None] = {}
        doomed: list[models.Model] = []
        deleted = {id(f) for f in formset.deleted_forms} if formset.can_delete else set()
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is None:
                continue
            if id(inline_form) in deleted:
                doomed.append(instance)
            elif inline_form.has_changed():
                befores[id(instance)] = _db_snapshot(instance)
        collected = _collected(doomed)
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects:
            _record_change(request=request, obj=instance, before=None)
        for instance, _fields in formset.changed_objects:
            # {} rather than None: a row missing its snapshot is still an update, not a creation.
            before = befores.get(id(instance)) or {}
            _record_change(request=request, obj=instance, before=before)
        _record_deletions(request=request, roots=doomed, collected=collected)

    def delete_model(self, request: Any, obj: models.Model) -> None:
        with transaction.atomic(using=router.db_for_write(type(obj))):
            collected = _collected([obj])
            super().delete_model(request, obj)
            _record_deletions(request=request, roots=[obj], collected=collected)

    def delete_queryset(self, request: Any, queryset: models.QuerySet[Any]) -> None:
        # The "delete selected" action does not run in a transaction of its own.
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            roots = list(queryset)
            collected = _collected(roots)
            super().delete_queryset(request, queryset)
            _record_deletions(request=request, roots=roots, collected=collected)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Admin that only shows rows (reference data loaded by importers, logs)."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
