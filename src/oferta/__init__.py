"""oferta: management of the public social offer for poverty reduction in Colombia."""

__version__ = "0.1.0"
