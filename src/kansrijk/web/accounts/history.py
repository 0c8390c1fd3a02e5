"""The admin base class for models with change history (django-simple-history).

``SimpleHistoryAdmin.history_form_view`` saves a POSTed old version after checking only that
the user may *view* the history; this base refuses that POST without the change permission,
so a view-only user cannot revert an object.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """``SimpleHistoryAdmin`` whose revert (a POST to a history version) needs change rights."""

    #: Links typed without a scheme are https (Django 6's default, without its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD") and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[no-any-return]
