"""Benchmarks (see bench/README.md); run one with `python -m bench.<name>`."""
