"""HSDS 3.0 API endpoints under /api/hsds/ (filled in by the HSDS work)."""

from ninja import Router

router = Router(tags=["HSDS 3.0"])
