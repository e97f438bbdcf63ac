"""Benchmarks that measure the product: ``python -m benchmarks.screening``."""
