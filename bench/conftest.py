"""Benchmarks write their figures to bench/results/ so closing notes can quote them."""
