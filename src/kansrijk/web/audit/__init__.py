"""The NEN 7513 audit log of the care apps: its tables, hash chain and signed checkpoints, the
pages that read it and the commands behind `kansrijk audit`; see docs/care.md."""
