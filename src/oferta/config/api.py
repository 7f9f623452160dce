"""The JSON API (Django Ninja, OpenAPI at /api/docs). Each app contributes its routers."""

from ninja import NinjaAPI

from oferta.accounts.api import router as accounts_router
from oferta.offers.hsds.api import router as hsds_router
from oferta.referrals.api import router as referrals_router

api = NinjaAPI(
    title="oferta API",
    version="1",
    description="API de oferta: catálogo de oferta social pública (HSDS 3.0) y más.",
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/hsds/", hsds_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/referrals/", referrals_router)
