"""Who may open a staff page: logged in with both factors (else sent to the two-factor
login, or to its setup before an authenticator app is set up), staff, and holding the
page's permission (else 403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from two_factor.utils import default_device

View = Callable[..., HttpResponse]


def is_verified(user: Any) -> bool:
    """The session was verified with a second factor (django-otp's middleware says so)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_redirect(request: HttpRequest, next_url: str) -> HttpResponse:
    """Where a user signed in with a password alone goes: to set up an authenticator app
    when they have none yet (enrolment on first login), else to the two-factor login."""
    if default_device(request.user) is None:
        return redirect_to_login(next_url, reverse("two_factor:setup"), REDIRECT_FIELD_NAME)
    return redirect_to_login(next_url)


def staff_permission_required(permission: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if user.is_active and user.is_staff and not is_verified(user):
                return second_factor_redirect(request, request.get_full_path())
            if not (user.is_active and user.is_staff and user.has_perm(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
