"""The errors of the publication gate."""


class DisclosureError(Exception):
    """A table may not be published as it is (a small or derivable count would leave)."""


class StructureError(ValueError):
    """A table does not fit its declared structure (so its protection could not be trusted)."""
