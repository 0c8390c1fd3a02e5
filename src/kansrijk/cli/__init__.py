"""Thin command-line layer: parses options, calls the core packages, prints results."""
