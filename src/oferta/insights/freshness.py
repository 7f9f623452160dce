"""Keeps uptake figures current: a change to referrals schedules one background refresh of the
municipalities it touched, once the change is committed.

Within one transaction, every call adds its municipalities to a single pending refresh, so a
bulk approval or a partner's CSV of 500 rows enqueues one job, not 500. A rolled-back
transaction drops its callback (Django discards it), and the pending set goes with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

_PENDING_ATTRIBUTE = "_oferta_insights_pending"


def _enqueue(codes: set[str]) -> None:
    from .tasks import insights_refresh_task

    connection = transaction.get_connection()
    if getattr(connection, _PENDING_ATTRIBUTE, None) is codes:
        setattr(connection, _PENDING_ATTRIBUTE, None)
    insights_refresh_task.enqueue(sorted(codes))


def insights_refresh_after_commit(*, municipality_codes: Iterable[str]) -> None:
    """Schedule a refresh of ``municipality_codes`` after the current transaction commits (at
    once outside a transaction)."""
    codes = {str(code) for code in municipality_codes if code}
    if not codes:
        return
    connection = transaction.get_connection()
    pending: set[str] | None = getattr(connection, _PENDING_ATTRIBUTE, None)
    registered = pending is not None and any(
        getattr(callback, "pending", None) is pending
        for _sids, callback, _robust in connection.run_on_commit
    )
    if registered and pending is not None:
        pending.update(codes)
        return
    pending = set(codes)
    setattr(connection, _PENDING_ATTRIBUTE, pending)

    def callback() -> None:
        _enqueue(pending)

    callback.pending = pending  # type: ignore[attr-defined]
    transaction.on_commit(callback)
