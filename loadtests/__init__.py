"""Load tests and benchmarks for xmock."""
