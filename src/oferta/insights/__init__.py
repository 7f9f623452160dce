"""Territorial reading: precomputed need/supply/uptake aggregates, profiles, maps, prioritisation
and coverage gaps (issue 5)."""
