"""Benchmarks for newswatch: `python -m bench` runs them all and rewrites bench/RESULTS.md.

Speed and memory are measured here, never asserted as timings in tests.
"""
