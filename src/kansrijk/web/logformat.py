"""Process log lines with UTC time stamps (ASVS 16.2.2): one clock, whatever the server's zone."""

from __future__ import annotations

import logging
import time


class UTCFormatter(logging.Formatter):
    """``2026-12-05T23:40:01Z WARNING django.security.csrf Forbidden (...)``."""

    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def converter(self, secs: float | None) -> time.struct_time:
        return time.gmtime(secs)
