"""Before an irreversible staff action runs (an erasure, an upheld objection, a consent
withdrawal on a request), staff see what will go: per kind of data (the registry's
names) how many records are erased, made anonymous, stopped or stripped of what rested
on a consent, and what a legal hold keeps. Built from the same plans the action carries
out (``activity_plans``, ``consent_plans``), changing nothing.

``irreversible_preview`` refuses (``ValidationError``) an action that would be refused
anyway, so staff are not asked to confirm what cannot run."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from processing.models import Consent, ProcessingActivity
from requests_dsar.fulfilment.common import staff_verification_require, subject_ids
from requests_dsar.fulfilment.consent import consent_only_activities, consent_plans
from requests_dsar.fulfilment.erasure import (
    ACCOUNT_TOOLS,
    MARKETING_ACTIVITY,
    activity_plans,
    erasure_check,
    erasure_not_yet_recorded,
    specific_hold,
)
from requests_dsar.models import DsarRequest, ObjectionKind
from subjects.models import NewsletterSubscription
from subjects.registry import Erasure
from subjects.trail import field_names, model_name

ERASE = "erase"
WITHDRAW_CONSENT = "withdraw-consent"
OBJECTION_DECISION = "objection-decision"

TITLES = {
    ERASE: gettext_lazy("Erase the person's data"),
    WITHDRAW_CONSENT: gettext_lazy("Withdraw the consents and erase what rested only on them"),
    OBJECTION_DECISION: gettext_lazy("Uphold the objection and stop the processing"),
}

GOES = {
    Erasure.DELETE: ngettext_lazy(
        "%(name)s: %(count)s record will be erased",
        "%(name)s: %(count)s records will be erased",
        "count",
    ),
    Erasure.ANONYMISE: ngettext_lazy(
        "%(name)s: %(count)s record will be made anonymous",
        "%(name)s: %(count)s records will be made anonymous",
        "count",
    ),
    "fields": ngettext_lazy(
        "%(name)s: %(fields)s will be removed from %(count)s record",
        "%(name)s: %(fields)s will be removed from %(count)s records",
        "count",
    ),
}
UNLINKED = ngettext_lazy(
    "%(name)s: the person will be removed from %(count)s record",
    "%(name)s: the person will be removed from %(count)s records",
    "count",
)
KEPT = ngettext_lazy(
    "%(name)s: %(count)s record stays, restricted, because the law requires it",
    "%(name)s: %(count)s records stay, restricted, because the law requires it",
    "count",
)


@dataclasses.dataclass
class Preview:
    """What an irreversible action will do: ``goes`` (sentences, per kind of data),
    ``stays`` (what a legal hold keeps) and ``other`` (what else changes for good)."""

    title: str
    goes: list[str] = dataclasses.field(default_factory=list)
    stays: list[str] = dataclasses.field(default_factory=list)
    other: list[str] = dataclasses.field(default_factory=list)

    def add_plan(self, plan: dict[str, Any], action: str = "") -> None:
        entry = plan["entry"]
        name = model_name(entry.label)
        erase, unlink, keep = len(plan["erase"]), len(plan["unlink"]), len(plan["keep"])
        if erase:
            text = GOES.get(action or entry.erasure.kind, GOES[Erasure.DELETE])
            fields = field_names(entry.label, plan.get("fields", []))
            self.goes.append(str(text % {"name": name, "count": erase, "fields": fields}))
        if unlink:
            self.goes.append(str(UNLINKED % {"name": name, "count": unlink}))
        if keep:
            self.stays.append(str(KEPT % {"name": name, "count": keep}))


def irreversible_preview(request: DsarRequest, *, action: str) -> Preview:
    """What ``action`` (``ERASE``, ``WITHDRAW_CONSENT`` or ``OBJECTION_DECISION``, upheld)
    will do to this request's data subjects, in the active language. Raises
    ``ValidationError`` (nothing changed) when the action may not run."""
    preview = Preview(title=str(TITLES[action]))
    if action == ERASE:
        _erasure(request, preview)
    elif action == WITHDRAW_CONSENT:
        _consent_withdrawal(request, preview)
    else:
        _objection(request, preview)
    if not preview.goes and not preview.other:
        preview.other.append(_("We hold nothing that this would remove."))
    return preview


def _erasure(request: DsarRequest, preview: Preview) -> None:
    ids = erasure_check(request)
    keys = set(request.activities) or None
    plans, specific_until, _key = activity_plans(ids, keys)
    for plan in plans:
        preview.add_plan(plan)
    if keys:
        tools = ", ".join(ACCOUNT_TOOLS[key] for key in sorted(keys))
        preview.other.append(
            _("Only the accounts at %(tools)s; the person and everything else stay.")
            % {"tools": tools}
        )
        return
    if specific_until or any(plan["keep"] for plan in plans):
        preview.stays.append(
            ngettext(
                "The data subject record stays, restricted, with only the name and e-mail "
                "address, while records the law keeps refer to it.",
                "The %(count)s data subject records stay, restricted, with only the name and "
                "e-mail address, while records the law keeps refer to them.",
                len(ids),
            )
            % {"count": len(ids)}
        )
    else:
        preview.goes.append(
            ngettext(
                "%(count)s data subject record will be erased",
                "%(count)s data subject records will be erased",
                len(ids),
            )
            % {"count": len(ids)}
        )
    earlier = DsarRequest.objects.filter(subjects__in=ids).exclude(pk=request.pk).distinct().count()
    if earlier:
        preview.goes.append(
            ngettext(
                "What the person wrote in %(count)s earlier request will be removed",
                "What the person wrote in %(count)s earlier requests will be removed",
                earlier,
            )
            % {"count": earlier}
        )


def _newsletter(ids: list[int], preview: Preview, *, suppress: bool) -> None:
    active = NewsletterSubscription.objects.filter(
        subject_id__in=ids, unsubscribed_at__isnull=True
    ).count()
    if active:
        preview.goes.append(
            ngettext(
                "%(count)s newsletter subscription will stop at once (its data go six weeks later)",
                "%(count)s newsletter subscriptions will stop at once (their data go six "
                "weeks later)",
                active,
            )
            % {"count": active}
        )
    if suppress:
        preview.other.append(
            _("The person will never again be used for direct marketing (Art. 21(3) GDPR).")
        )


def _activity_names(keys: set[str]) -> str:
    names = [a.tr_name for a in ProcessingActivity.objects.filter(key__in=keys).order_by("number")]
    return ", ".join(names)


def _consent_withdrawal(request: DsarRequest, preview: Preview) -> None:
    staff_verification_require(request)
    erasure_not_yet_recorded(request)
    ids = subject_ids(request)
    keys = set(request.activities)
    consents = Consent.objects.filter(
        subject_id__in=ids, activity__key__in=keys, withdrawn_at__isnull=True
    ).count()
    preview.other.append(
        ngettext(
            "%(count)s consent will be withdrawn (%(activities)s)",
            "%(count)s consents will be withdrawn (%(activities)s)",
            consents,
        )
        % {"count": consents, "activities": _activity_names(keys)}
    )
    specific_until, _key = specific_hold(ids, timezone.localdate())
    for _entry, plan, blanks in consent_plans(ids, keys, timezone.localdate(), specific_until):
        if blanks is None:
            preview.add_plan(plan, Erasure.DELETE)
        else:
            preview.add_plan({**plan, "fields": list(blanks)}, "fields")
    only = consent_only_activities(keys) - {MARKETING_ACTIVITY}
    for plan in activity_plans(ids, only)[0]:
        preview.add_plan(plan)
    if MARKETING_ACTIVITY in keys:
        _newsletter(ids, preview, suppress=False)


def _objection(request: DsarRequest, preview: Preview) -> None:
    if request.objection_kind != ObjectionKind.LEGITIMATE_INTEREST:
        raise ValidationError(_("Only an objection to a legitimate interest needs a decision."))
    staff_verification_require(request)
    erasure_not_yet_recorded(request)
    ids = subject_ids(request)
    keys = set(request.activities)
    for plan in activity_plans(ids, keys - {MARKETING_ACTIVITY})[0]:
        preview.add_plan(plan)
    if MARKETING_ACTIVITY in keys:
        _newsletter(ids, preview, suppress=True)
