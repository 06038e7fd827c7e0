"""Insight beyond counts: opinion groups and bridging, before/after shifts, the report."""
