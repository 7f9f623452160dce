"""Atom feed of what is new or changed in the offer available in a territory."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .selectors import NewsItem
from .views import news_since, news_territory

FIELD_LABELS_LIMIT = 8


class TerritoryNewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: Any, code: str) -> dict[str, Any]:
        code, name = news_territory(code)
        return {"code": code, "name": name, "since": news_since(request)}

    def title(self, obj: dict[str, Any]) -> str:
        return _("Novedades de la oferta en %(name)s") % {"name": obj["name"]}

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _("Ofertas disponibles en %(name)s creadas o modificadas desde el %(since)s.") % {
            "name": obj["name"],
            "since": obj["since"].isoformat(),
        }

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("offers:territory_news", kwargs={"code": obj["code"]})

    def feed_guid(self, obj: dict[str, Any]) -> str:
        return f"tag:oferta,2025:novedades/{obj['code']}"

    def items(self, obj: dict[str, Any]) -> list[NewsItem]:
        return selectors.territory_news(code=obj["code"], since=obj["since"])

    def item_title(self, item: NewsItem) -> str:
        prefix = _("Nueva") if item.is_new else _("Actualizada")
        return f"{prefix}: {item.service.name}"

    def item_description(self, item: NewsItem) -> str:
        entity = item.service.organization.name if item.service.organization_id else ""
        if item.is_new:
            text = _("Nueva oferta de %(entity)s.") % {"entity": entity}
        else:
            fields = ", ".join(item.changed_fields[:FIELD_LABELS_LIMIT])
            text = _("Cambios en: %(fields)s.") % {"fields": fields}
        return text

    def item_link(self, item: NewsItem) -> str:
        return reverse("offers:detail", kwargs={"service_id": item.service.id})

    def item_guid(self, item: NewsItem) -> str:
        return f"tag:oferta,2025:oferta/{item.service.id}/{item.changed_at.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.service.created_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return item.changed_at

    def item_author_name(self, item: NewsItem) -> str:
        return item.changes[0].updated_by if item.changes else ""
