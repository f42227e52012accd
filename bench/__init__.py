"""Benchmark of the dashboard: python -m bench (see README)."""
