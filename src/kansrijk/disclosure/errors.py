"""The error raised when a table may not be published."""


class DisclosureError(Exception):
    """A results table breaks the disclosure rules (or the results schema) and is refused."""
