"""Demo catalogue: territorial entities and offers for trying oferta (all ``is_demo=True``)."""

from .loader import demo_catalogue_load, service_id

__all__ = ["demo_catalogue_load", "service_id"]
