"""Spec tests: every registry indicator on tiny literal tables, computed by the engine and by
a deliberately simple reference implementation (``reference.py``), in the style of ehrQL's
spec tests."""
