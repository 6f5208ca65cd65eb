"""Headers and methods every response obeys, in one place.

- Only GET, HEAD and POST reach a view: PUT, DELETE, TRACE and made-up methods get 405
  on every URL (nothing here is a REST API), and pages that only show something are
  ``require_safe`` on top of that.
- A staff page (``/staff/...``) is never served to a session signed in with a password
  alone: whatever decorator its view has, it goes to the second factor first (the admin
  site has its own guard).
- Staff pages, the admin and every response to a logged-in user (exports, CSV,
  answer packages) carry ``Cache-Control: no-store``: personal data must not stay in a
  browser's or a proxy's cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers, patch_cache_control

from leafspring.token_mask import tokens_masked

ALLOWED_METHODS = ("GET", "HEAD", "POST")
# /staff/..., /admin/..., also behind a language prefix (/en/staff/).
STAFF_PATH = re.compile(r"^/(?:[a-z]{2}/)?(?:staff|admin)(?:/|$)")
STAFF_PAGE = re.compile(r"^/(?:[a-z]{2}/)?staff(?:/|$)")


class MethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            # Django logs the refused request by its path: the view that would hide a
            # personal link's token never runs, so hide it here.
            request.path = tokens_masked(request.path)
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


def is_staff_response(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(STAFF_PATH.match(request.path)) or bool(user and user.is_authenticated)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_staff_response(request):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class SecondFactorMiddleware:
    """Every page under ``/staff/`` needs a session verified with the second factor, also
    a page whose view forgot ``staff_permission_required``. After django-otp's
    middleware, which says whether the session is verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from leafspring.access import is_verified, second_factor_redirect

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and STAFF_PAGE.match(request.path)
            and not is_verified(user)
        ):
            return second_factor_redirect(request, request.get_full_path())
        return self.get_response(request)
