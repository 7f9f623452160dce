"""HSDS 3.0 interoperability: API endpoints, JSON export and import."""
