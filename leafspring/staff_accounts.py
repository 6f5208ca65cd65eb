"""The staff accounts, as privacy officers look after them on the dashboard: who has
access, when each last signed in, whether a second factor is set up, and switching off
the account of someone who left (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from leafspring.access import staff_permission_required
from subjects.permissions import OVERSIGHT_PERMISSION
from subjects.services import Actor, audit_event_record


def staff_accounts() -> QuerySet[Any]:
    """Every active staff account, the longest unused first (never signed in before
    all), with whether an authenticator app is set up; one query."""
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .annotate(has_second_factor=Exists(devices))
        .order_by(F("last_login").asc(nulls_first=True), "username")
    )


class StaffAccountRefused(Exception):
    pass


@transaction.atomic
def staff_account_switch_off(*, actor: Actor, user: Any) -> None:
    """Switch off a staff account (someone who left): it can no longer sign in and its
    sessions end (Django refuses an inactive user). Recorded in the audit trail. Not
    one's own account, and not a superuser's (that is the system administrator's)."""
    if actor is not None and user.pk == actor.pk:
        raise StaffAccountRefused(_("You cannot switch off your own account."))
    if user.is_superuser:
        raise StaffAccountRefused(
            _("A superuser's account is switched off by the system administrator.")
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_event_record(
        actor=actor,
        action="account.switch-off",
        target=user,
        params={"username": user.get_username()},
    )


@require_POST
@staff_permission_required(OVERSIGHT_PERMISSION)
def staff_account_switch_off_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk, is_staff=True, is_active=True)
    try:
        staff_account_switch_off(actor=request.user, user=user)
    except StaffAccountRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The account %(username)s is switched off: it can no longer sign in.")
            % {"username": user.get_username()},
        )
    return redirect("staff_dashboard")
