"""Process log lines carry an ISO UTC time stamp, whatever the server's time zone."""

from __future__ import annotations

import logging
import re

from kansrijk.web.logformat import UTCFormatter


def test_time_stamp_is_iso_utc() -> None:
    formatter = UTCFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    record = logging.LogRecord("kansrijk", logging.WARNING, __file__, 1, "refused", None, None)
    record.created = 0.25  # 1970-01-01 00:00:00.250 UTC
    record.msecs = 250.0
    line = formatter.format(record)
    assert line == "1970-01-01T00:00:00.250Z WARNING kansrijk refused"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", line)
