"""Routing runs and closed-loop referrals of households to offers, up to effective linkage."""
