"""Benchmarks against the floor PostgreSQL sets on the same data (`make bench`, `python -m bench.run`)."""
