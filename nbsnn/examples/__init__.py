"""Example networks used by the demo, the tutorials and the benchmarks."""
