"""JSON API of accounts under /api/accounts/: who am I (checks a token or session)."""

from __future__ import annotations

from ninja import Router, Schema

from .api_auth import api_auth

router = Router(tags=["Cuentas"], auth=api_auth)


class MeOut(Schema):
    username: str
    role: str


@router.get("/me", response=MeOut, summary="La cuenta que hace la consulta")
def me(request):
    """The account behind the bearer token (or the session): its user name and role."""
    return MeOut(username=request.auth.get_username(), role=request.auth.role)
