"""The public side: a request is submitted, its e-mail address proven, and unverified
requests expire.

Identity is proven by control of the e-mail address only (no ID copies, which the Dutch
regulator has fined for). The same e-mail goes out whether or not the address is known,
so nothing on the page or in the mailbox reveals who is a data subject here.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError
from django.utils import timezone

from requests_dsar.emails import absolute_url, request_email_send, staff_email_send
from requests_dsar.models import DsarRequest, RequestEvent, Status
from requests_dsar.services.due import due_dates_apply
from requests_dsar.services.events import request_event_record
from requests_dsar.services.identity import staff_verification_reasons
from requests_dsar.services.workflow import open_request_link
from requests_dsar.tokens import token_hash, token_new
from subjects.selectors import data_subjects_by_email
from subjects.services import normalise_email, unlinked_rows_adopt

logger = logging.getLogger(__name__)

VERIFICATION_HOURS = 72


def _reference() -> str:
    return "V-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


@transaction.atomic
def dsar_request_create(
    *,
    request_type: str,
    name: str,
    email: str,
    language: str,
    details: str = "",
    activities: list[str] | None = None,
    objection_kind: str = "",
    portability_recipient_email: str = "",
    restriction_ground_stated: str = "",
) -> tuple[DsarRequest, str]:
    """Record an unverified request and return it with the raw verification token.

    The token is valid for 72 hours and once; only its hash is stored."""
    token, hashed = token_new()
    now = timezone.now()
    request = DsarRequest.objects.create(
        # A form request is received when it is submitted (the due date runs from here).
        created_at=now,
        received_at=now,
        reference=_reference(),
        request_type=request_type,
        name=name.strip(),
        email=normalise_email(email),
        language=language if language in {"nl", "en"} else "nl",
        details=details.strip(),
        activities=sorted(set(activities or [])),
        objection_kind=objection_kind,
        portability_recipient_email=normalise_email(portability_recipient_email),
        restriction_ground_stated=restriction_ground_stated,
        verification_token_hash=hashed,
        verification_expires_at=now + timedelta(hours=VERIFICATION_HOURS),
    )
    request_event_record(request=request, actor=None, action="submitted")
    return request, token


def dsar_request_submit(**fields: object) -> DsarRequest:
    """Create the request and send the verification link (the same e-mail for every
    address, known or not)."""
    request, token = dsar_request_create(**fields)  # type: ignore[arg-type]
    link = absolute_url("requests_dsar:verify", language=request.language, kwargs={"token": token})
    request_email_send(
        request=request,
        kind="verification",
        context={"link": link, "hours": VERIFICATION_HOURS},
    )
    return request


@dataclasses.dataclass(frozen=True)
class VerificationResult:
    outcome: str  # "verified", "invalid", "expired", "used"
    request: DsarRequest | None = None
    status_token: str = ""


def dsar_request_verify(*, token: str) -> VerificationResult:
    """Accept a verification link once, within 72 hours. On success the request is
    handled like every other: its four weeks run from its submission, not from this
    confirmation (``requests_dsar.services.due``), the person is linked to data subjects
    with that verified e-mail address, and a receipt with the due date and a status
    link goes out."""
    hashed = token_hash(token)
    with transaction.atomic():
        request = (
            DsarRequest.objects.select_for_update().filter(verification_token_hash=hashed).first()
        )
        if request is None:
            return VerificationResult("invalid")
        if request.verified_at is not None:
            return VerificationResult("used", request)
        if request.verification_expires_at and request.verification_expires_at <= timezone.now():
            return VerificationResult("expired", request)
        status_token, status_hash = token_new()
        request.verified_at = timezone.now()
        request.status = Status.NEW
        request.status_token_hash = status_hash
        due_dates_apply(request)
        request.save()
        # Rows stored with this address but no data subject yet are linked first, so
        # the request finds them like every other row of the person.
        unlinked_rows_adopt(actor=None, email=request.email)
        subjects = list(data_subjects_by_email(request.email))
        if subjects:
            request.subjects.add(*subjects)
        request.needs_staff_verification = bool(staff_verification_reasons(request))
        request.save(update_fields=["needs_staff_verification"])
        request_event_record(
            request=request,
            actor=None,
            action="verified",
            params={"count": len(subjects)},
        )
        open_request_link(actor=None, request=request)
    status_link = absolute_url(
        "requests_dsar:status", language=request.language, kwargs={"token": status_token}
    )
    request_email_send(request=request, kind="receipt", context={"status_link": status_link})
    staff_email_send(
        kind="staff_new",
        context={
            "request": request,
            "detail_link": absolute_url(
                "requests_dsar:staff_detail", language="nl", kwargs={"pk": request.pk}
            ),
        },
    )
    return VerificationResult("verified", request, status_token)


def dsar_request_by_status_token(*, token: str) -> DsarRequest | None:
    if not token:
        return None
    return (
        DsarRequest.objects.filter(status_token_hash=token_hash(token))
        .exclude(status_token_hash="")
        .first()
    )


# Events on an unverified request that do not make it worth keeping: the public side's
# own, and staff linking a data subject while the person has not yet confirmed.
EXPIRY_IGNORED_EVENTS = ("submitted", "verified", "subject-linked", "subject-unlinked")


def dsar_requests_expire_unverified(*, now: object = None) -> int:
    """Delete requests whose verification link expired unused: an unproven request is
    not kept (data minimisation, Art. 5(1)(c)). Returns how many were deleted.

    A request on which something was carried out (an erasure record, a package, any
    other staff event) is proof of what was done (Art. 5(2)) and is left for staff; a
    request another record protects is skipped, never crashing the hourly job."""
    now = now or timezone.now()
    stale = (
        DsarRequest.objects.filter(
            status=Status.UNVERIFIED, verified_at__isnull=True, verification_expires_at__lte=now
        )
        .exclude(erasure_record__isnull=False)
        .exclude(packages__isnull=False)
        .exclude(
            Exists(
                RequestEvent.objects.filter(request=OuterRef("pk"), actor__isnull=False).exclude(
                    action__in=EXPIRY_IGNORED_EVENTS
                )
            )
        )
    )
    deleted = 0
    for pk in list(stale.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                DsarRequest.objects.filter(pk=pk).delete()
        except ProtectedError:
            logger.warning("Unverified rights request #%s is protected; not deleted.", pk)
            continue
        deleted += 1
    return deleted
