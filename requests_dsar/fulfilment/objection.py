"""Art. 21. An objection to direct marketing is absolute (Art. 21(2-3)): the newsletter
stops at once and the person is never again used for marketing. An objection to
processing based on a legitimate interest gets a staff decision with reasons (Art. 21(1))."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from requests_dsar.fulfilment.common import (
    TaskVerb,
    fulfilment_record,
    recipient_tasks_create,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.fulfilment.erasure import MARKETING_ACTIVITY, activities_stop_and_erase
from requests_dsar.models import DsarRequest, ObjectionDecision, ObjectionKind
from requests_dsar.services.events import request_event_record
from subjects.models import DataSubject
from subjects.registry import RestrictableModel, registry
from subjects.services import (
    Actor,
    marketing_objection_record,
)
from subjects.trail import trail_lines

# The ground earlier versions restricted an upheld objection's rows on.
OBJECTION_GROUND = "Art. 21(1) AVG"


def _marketing_objection_record(*, actor: Actor, request: DsarRequest) -> int:
    """Art. 21(3) for each subject: never again used for marketing, newsletter stopped."""
    stopped = 0
    for subject in DataSubject.objects.filter(pk__in=subject_ids(request)):
        stopped += marketing_objection_record(
            actor=actor, subject=subject, params={"reference": request.reference}
        )
    recipient_tasks_create(
        request=request, activity_keys=[MARKETING_ACTIVITY], verb=TaskVerb.SUPPRESS
    )
    return stopped


@transaction.atomic
def objection_direct_marketing_apply(*, actor: Actor, request: DsarRequest) -> int:
    """Stop the newsletter at once and suppress the person from marketing for good."""
    staff_verification_require(request)
    stopped = _marketing_objection_record(actor=actor, request=request)
    fulfilment_record(
        actor=actor, request=request, action="marketing-objection", params={"count": stopped}
    )
    return stopped


def names_direct_marketing(request: DsarRequest) -> bool:
    """Whether an objection names the newsletter: direct marketing, to which an objection
    is absolute (Art. 21(2)-(3)), whatever form it came in through."""
    return MARKETING_ACTIVITY in request.activities


@transaction.atomic
def objection_decide(*, actor: Actor, request: DsarRequest, decision: str, reasons: str) -> None:
    """Decide an objection to processing based on a legitimate interest, with reasons.

    Upheld, the processing stops for good (Art. 21(1), 17(1)(c)): the rows of the named
    activities are erased through the erasure plan, so a legal hold keeps rows restricted
    on an "Art. 17(3)(b)" ground, exactly as in an erasure. No restriction on an Art. 21
    ground is left behind (the subject clean-up would read it as an Art. 18 restriction
    and keep the person for ever). An erasure record proves what was stopped, erased and
    kept, so the answer can say exactly that. Overruled, nothing changes.

    The newsletter is direct marketing: an objection to it needs no balancing and cannot
    be overruled (Art. 21(2)-(3)). It is applied as an objection to direct marketing
    (``marketing_objection_at`` set for good, newsletter stopped) whatever the decision on
    the other activities; an objection to the newsletter alone cannot be overruled."""
    if request.objection_kind != ObjectionKind.LEGITIMATE_INTEREST:
        raise ValidationError(_("Only an objection to a legitimate interest needs a decision."))
    staff_verification_require(request)
    if decision not in {ObjectionDecision.UPHELD, ObjectionDecision.OVERRULED}:
        raise ValidationError(_("Choose a decision."))
    if not reasons.strip():
        raise ValidationError(_("A decision on an objection needs reasons."))
    if request.objection_decision:
        raise ValidationError(_("This objection has already been decided."))
    marketing = names_direct_marketing(request)
    if (
        decision == ObjectionDecision.OVERRULED
        and marketing
        and set(request.activities) <= {MARKETING_ACTIVITY}
    ):
        raise ValidationError(
            _(
                "An objection to the newsletter is an objection to direct marketing: it "
                "cannot be overruled (Art. 21(3) GDPR). Uphold it."
            )
        )
    request.objection_decision = decision
    request.objection_decision_reason = reasons.strip()
    request.save(update_fields=["objection_decision", "objection_decision_reason"])
    ids = subject_ids(request)
    _pending_restriction_lift(request, ids)
    params: dict[str, Any] = {"decision": decision}
    if decision == ObjectionDecision.UPHELD:
        params["lines"] = _objection_carry_out(actor=actor, request=request, ids=ids)
    elif marketing:
        stopped = _marketing_objection_record(actor=actor, request=request)
        request_event_record(
            request=request, actor=actor, action="marketing-objection", params={"count": stopped}
        )
    request_event_record(
        request=request, actor=actor, action=f"objection-{decision}", note=reasons.strip()
    )
    fulfilment_record(actor=actor, request=request, action="objection-decided", params=params)


def _pending_restriction_lift(request: DsarRequest, ids: list[int]) -> None:
    """Rows restricted on this objection's own ground while it was pending (earlier
    versions restricted them on the decision) are no longer restricted on it."""
    ground = f"{OBJECTION_GROUND} ({request.reference})"
    for entry in registry.subject_entries():
        if issubclass(entry.model, RestrictableModel):
            pks = list(
                entry.rows_for(ids)
                .filter(restriction_ground__startswith=ground)
                .values_list("pk", flat=True)
            )
            entry.model._default_manager.filter(pk__in=pks).update(
                restricted_at=None, restriction_ground=""
            )


def _objection_carry_out(
    *, actor: Actor, request: DsarRequest, ids: list[int]
) -> list[dict[str, Any]]:
    """Stop and erase what the objection names; returns the erasure record's lines for
    the trail (kinds of data and counts)."""
    keys = set(request.activities)
    done = activities_stop_and_erase(
        actor=actor,
        request=request,
        ids=ids,
        keys=keys,
        erase_keys=keys,
        audit_action="subject.objection-upheld",
        suppress_marketing=True,
    )
    return trail_lines(done.record.lines)
