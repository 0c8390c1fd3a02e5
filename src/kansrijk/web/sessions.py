"""The idle time-out of a session without a database write on every request.

A session expires ``SESSION_COOKIE_AGE`` after it was last saved. Django's
``SESSION_SAVE_EVERY_REQUEST`` slides that window by writing the session on every request, so
every page view is also an UPDATE of the session row. This middleware saves an unchanged
session only when its last save is more than ``KANSRIJK_SESSION_REFRESH_SECONDS`` (60) ago:
the time-out then runs from the last activity within a minute, at one write a minute per user.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: The session key holding the moment (seconds since the epoch) of the last refresh.
REFRESHED = "_kansrijk_refreshed"


class SlidingSessionMiddleware:
    """Marks a session modified when its last refresh is older than the refresh interval.

    Must come after ``SessionMiddleware`` in ``MIDDLEWARE`` (so it sees the response first and
    the session middleware then saves)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = float(getattr(settings, "KANSRIJK_SESSION_REFRESH_SECONDS", 60))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # no session, or one just flushed (logout): nothing to keep
        if session.modified or time.time() - float(session.get(REFRESHED, 0)) >= self.interval:
            session[REFRESHED] = time.time()  # marks it modified: the session middleware saves
        return response
