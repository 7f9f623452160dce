"""The audit trail: the per-object selector and the read-only admin."""

from __future__ import annotations

from django.contrib.admin.sites import site

from oferta.accounts.audit import audit_event_record
from oferta.accounts.models import AuditEvent, Role
from oferta.accounts.selectors import audit_events_for


def test_audit_events_for_returns_one_objects_events_newest_first(user_factory):
    # given events on two objects
    actor = user_factory(Role.NATIONAL_ADMIN)
    first = audit_event_record(actor=actor, action="a.one", object_type="user", object_id="x")
    audit_event_record(actor=actor, action="a.other", object_type="user", object_id="y")
    second = audit_event_record(actor=actor, action="a.two", object_type="user", object_id="x")
    audit_event_record(actor=actor, action="a.type", object_type="api_token", object_id="x")
    # when the trail of user "x" is read
    events = list(audit_events_for(object_type="user", object_id="x"))
    # then it holds that object's events only, newest first
    assert events == [second, first]


def test_audit_admin_is_read_only(rf, user_factory):
    # given the admin registration and a superuser
    model_admin = site._registry[AuditEvent]
    request = rf.get("/admin/")
    request.user = user_factory(is_superuser=True, is_staff=True)
    # then nobody may add, change or delete events there, but they may view them
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_view_permission(request) is True


def test_superuser_can_browse_the_audit_trail_in_the_admin(client, user_factory):
    superuser = user_factory(is_superuser=True, is_staff=True)
    audit_event_record(actor=superuser, action="demo.visible", object_type="t", object_id="1")
    client.force_login(superuser)
    response = client.get("/admin/accounts/auditevent/")
    assert response.status_code == 200
    assert "demo.visible" in response.content.decode()
