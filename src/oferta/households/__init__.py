"""Household registry: import, stored diagnostics, search-first lookup, household page."""
