"""Staff pages of this app (thin: they call selectors and services)."""
