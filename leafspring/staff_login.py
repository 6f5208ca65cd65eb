"""The staff login: a password, then a code from an authenticator app (TOTP) or a one-time
recovery code (django-two-factor-auth's views, under its ``two_factor`` URL names).

Only what staff need is routed: the login, the setup of an authenticator app (enrolment
at the first login), its QR code (drawn here, never fetched from another host) and the
recovery codes. No phone or SMS method, and no page that switches the second factor off.

Recovery codes are stored as a hash only (``recovery_code_digest``): the library would
keep them in plain form, and no working secret is stored so. A code has 80 random bits,
so an unkeyed hash cannot be reversed by trying every code, and rotating the
``SECRET_KEY`` leaves the codes working.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp.decorators import otp_required
from django_otp.plugins.otp_static.models import StaticDevice
from two_factor.forms import BackupTokenForm
from two_factor.views import LoginView, QRGeneratorView, SetupCompleteView, SetupView
from two_factor.views.core import BackupTokensView

RECOVERY_CODES = 10
# Characters of a recovery code (base32: 5 bits each, 80 bits in all), shown in groups.
_CODE_BYTES = 10
_GROUP = 4
# StaticToken.token holds at most 16 characters: the first 64 bits of the SHA-256 hex.
_DIGEST_LENGTH = 16


def recovery_code_new() -> str:
    """A new recovery code as the person reads it: ``abcd-efgh-ijkl-mnop``."""
    raw = base64.b32encode(secrets.token_bytes(_CODE_BYTES)).decode().lower()
    return "-".join(raw[i : i + _GROUP] for i in range(0, len(raw), _GROUP))


def recovery_code_digest(code: str) -> str:
    """What is stored of a recovery code, and what a typed code is compared as: the hash
    of the code without spaces or dashes, in lower case (typed as shown or not)."""
    normalised = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()[:_DIGEST_LENGTH]


def recovery_codes_create(*, user: Any) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODES`` new ones; returns them
    (shown once, stored as hashes). Each code works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "backup"})
    device.token_set.all().delete()
    codes = [recovery_code_new() for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create(
        [device.token_set.model(device=device, token=recovery_code_digest(c)) for c in codes]
    )
    return codes


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What a sign-in gets once its user name and address are locked (django-axes'
    ``AXES_LOCKOUT_CALLABLE``): the same page whether the user name exists or not, saying
    how long the lock lasts and that it holds only for this user name from this address."""
    return render(
        request,
        "staff/login_locked.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class RecoveryCodeForm(BackupTokenForm):
    """The login step for a recovery code: the typed code is checked by its hash."""

    def clean(self) -> dict[str, Any]:
        code = self.cleaned_data.get("otp_token")
        if code:
            self.cleaned_data["otp_token"] = recovery_code_digest(code)
        return super().clean()


class StaffLoginView(LoginView):
    form_list = (
        (LoginView.AUTH_STEP, LoginView.form_list[0][1]),
        (LoginView.TOKEN_STEP, LoginView.form_list[1][1]),
        (LoginView.BACKUP_STEP, RecoveryCodeForm),
    )

    def get_success_url(self) -> str:
        """Without a page asked for, staff land on the dashboard; whoever may not see it
        but keeps the books (the Finance role) lands on the admin, where their invoices
        and supplier details are."""
        url = self.get_redirect_url()
        if url:
            return url
        user = self.request.user
        if user.is_staff and not user.has_perm("subjects.view_datasubject"):
            return reverse("admin:index")
        return resolve_url(settings.LOGIN_REDIRECT_URL)


@method_decorator([never_cache, otp_required], name="dispatch")
class RecoveryCodesView(BackupTokensView):
    """How many recovery codes are left; new ones replace them all and are shown once."""

    template_name = "two_factor/core/backup_tokens.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["codes_left"] = context["device"].token_set.count()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        request: HttpRequest = self.request
        codes = recovery_codes_create(user=request.user)
        return render(
            request,
            self.template_name,
            {**self.get_context_data(form=form), "new_codes": codes},
        )


urlpatterns = [
    path("account/login/", StaffLoginView.as_view(), name="login"),
    path("account/two_factor/setup/", SetupView.as_view(), name="setup"),
    path("account/two_factor/qrcode/", QRGeneratorView.as_view(), name="qr"),
    path("account/two_factor/setup/complete/", SetupCompleteView.as_view(), name="setup_complete"),
    path("account/two_factor/recovery-codes/", RecoveryCodesView.as_view(), name="backup_tokens"),
]
