"""What a request asks, in words the person can check before confirming it: the right,
what an erasure covers, where a portability file would go, the consents to withdraw, the
objection and its activities, why a restriction is asked, and the explanation given.
Everything here was typed by whoever filled in the form, so templates show it escaped and
e-mails show links in it defused."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from processing.models import RETIRED_PURPOSES, ProcessingActivity
from requests_dsar.fulfilment.erasure import ACCOUNT_TOOLS
from requests_dsar.models import DsarRequest, ObjectionKind, RequestType
from requests_dsar.text import defused
from subjects.registry import Art18Ground

EMAIL_DETAILS_LIMIT = 1000
# Why a person asks for restriction, in their own words: the points of Art. 18(1). What
# they choose tells staff how long the data must be kept.
RESTRICTION_GROUND_WORDS = {
    Art18Ground.ACCURACY: gettext_lazy(
        "My data are incorrect: do not use them while you check them."
    ),
    Art18Ground.UNLAWFUL: gettext_lazy(
        "You use my data unlawfully, but I do not want them erased: keep them, unused."
    ),
    Art18Ground.LEGAL_CLAIM: gettext_lazy(
        "You no longer need my data, but I need them for a legal claim: keep them for me, "
        "also after the usual retention period."
    ),
    Art18Ground.OBJECTION: gettext_lazy(
        "I have objected to your use of my data: do not use them while you weigh my objection."
    ),
}


def _quoted_lines(details: str) -> list[str]:
    """The explanation for an e-mail: links defused, at most ``EMAIL_DETAILS_LIMIT``
    characters, one item per line (the template quotes each)."""
    text = defused(details[:EMAIL_DETAILS_LIMIT])
    if len(details) > EMAIL_DETAILS_LIMIT:
        text += "…"
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def consent_label(activity: ProcessingActivity) -> str:
    """What withdrawing the consents of this activity withdraws: the published wording of
    each of its purposes (the newest version; drafts and wording no form uses any more
    left out), followed by the activity's name; the name alone when there is none."""
    now = timezone.now()
    newest: dict[str, Any] = {}
    for text in sorted(activity.consent_texts.all(), key=lambda t: t.version):
        if text.published_at <= now and text.purpose not in RETIRED_PURPOSES:
            newest[text.purpose] = text
    if not newest:
        return activity.tr("name")
    wordings = " / ".join(f"“{text.tr('text')}”" for _, text in sorted(newest.items()))
    return f"{wordings} ({activity.tr('name')})"


def account_label(key: str) -> str:
    """A tool account as the person calls it: "Je E2Grow-account"."""
    return _("Your %(tool)s account") % {"tool": ACCOUNT_TOOLS.get(key, key)}


def erasure_scope(request: DsarRequest) -> list[str]:
    """What an erasure request covers: the named tool accounts, or everything."""
    if request.activities:
        return [account_label(key) for key in sorted(request.activities)]
    return [_("Everything we hold about you, except what the law obliges us to keep")]


def request_summary(request: DsarRequest) -> dict[str, Any]:
    """The parts of the request a person confirms, ready for a page or an e-mail."""
    activities = list(
        ProcessingActivity.objects.filter(key__in=request.activities)
        .prefetch_related("consent_texts")
        .order_by("number")
    )
    summary: dict[str, Any] = {
        "right": request.get_request_type_display(),
        "erasure": [],
        "recipient": "",
        "consents": [],
        "objection": "",
        "objection_activities": [],
        "restriction": "",
        "details": request.details,
        "details_email_lines": _quoted_lines(request.details),
    }
    if request.request_type == RequestType.ERASURE:
        summary["erasure"] = erasure_scope(request)
    elif request.request_type == RequestType.PORTABILITY:
        summary["recipient"] = request.portability_recipient_email
    elif request.request_type == RequestType.CONSENT_WITHDRAWAL:
        summary["consents"] = [consent_label(a) for a in activities]
    elif request.request_type == RequestType.RESTRICTION and request.restriction_ground_stated:
        summary["restriction"] = str(RESTRICTION_GROUND_WORDS[request.restriction_ground_stated])
    elif request.request_type == RequestType.OBJECTION:
        summary["objection"] = request.get_objection_kind_display()
        if request.objection_kind == ObjectionKind.LEGITIMATE_INTEREST:
            summary["objection_activities"] = [a.tr("name") for a in activities]
    return summary
