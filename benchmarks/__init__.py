"""Benchmarks for `make bench`: they print figures, they never assert on time."""
