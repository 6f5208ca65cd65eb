from __future__ import annotations

from django.http import HttpRequest

from processing.selectors import controller_get


def controller(request: HttpRequest) -> dict[str, object]:
    """The controller's contact details, for every page footer and e-mail."""
    return {"controller": controller_get()}
