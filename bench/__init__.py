"""Benchmarks and the synthetic scale-data generator (not shipped)."""
