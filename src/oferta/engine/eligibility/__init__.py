"""Eligibility rules in CEL: the documented variables, syntax and field checks (bulk evaluation
and single-household traces come with routing)."""
