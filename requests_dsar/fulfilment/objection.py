"""Art. 21. An objection to direct marketing is absolute (Art. 21(2-3)): the newsletter
stops at once and the person is never again used for marketing. An objection to
processing based on a legitimate interest gets a staff decision with reasons (Art. 21(1))."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_dsar.fulfilment.common import (
    TaskVerb,
    fulfilment_record,
    recipient_tasks_create,
    staff_verification_require,
    subject_ids,
)
from requests_dsar.models import DsarRequest, ObjectionDecision, ObjectionKind
from requests_dsar.services.events import request_event_record
from subjects.models import DataSubject
from subjects.registry import RestrictableModel, registry
from subjects.services import Actor, marketing_objection_record

MARKETING_ACTIVITY = "newsletter"


@transaction.atomic
def objection_direct_marketing_apply(*, actor: Actor, request: DsarRequest) -> int:
    """Stop the newsletter at once and suppress the person from marketing for good."""
    staff_verification_require(request)
    stopped = 0
    for subject in DataSubject.objects.filter(pk__in=subject_ids(request)):
        stopped += marketing_objection_record(actor=actor, subject=subject, note=request.reference)
    recipient_tasks_create(
        request=request, activity_keys=[MARKETING_ACTIVITY], verb=TaskVerb.SUPPRESS
    )
    fulfilment_record(
        actor=actor, request=request, action="marketing-objection", note=f"{stopped} stopped"
    )
    return stopped


@transaction.atomic
def objection_decide(*, actor: Actor, request: DsarRequest, decision: str, reasons: str) -> None:
    """Decide an objection to processing based on a legitimate interest, with reasons.
    Upheld: the rows of the named activities are restricted at once, pending erasure."""
    if request.objection_kind != ObjectionKind.LEGITIMATE_INTEREST:
        raise ValidationError(_("Only an objection to a legitimate interest needs a decision."))
    staff_verification_require(request)
    if decision not in {ObjectionDecision.UPHELD, ObjectionDecision.OVERRULED}:
        raise ValidationError(_("Choose a decision."))
    if not reasons.strip():
        raise ValidationError(_("A decision on an objection needs reasons."))
    request.objection_decision = decision
    request.objection_decision_reason = reasons.strip()
    request.save(update_fields=["objection_decision", "objection_decision_reason"])
    if decision == ObjectionDecision.UPHELD:
        ids = subject_ids(request)
        keys = set(request.activities)
        ground = f"Art. 21(1) AVG ({request.reference})"
        for entry in registry.subject_entries():
            if entry.activity in keys and issubclass(entry.model, RestrictableModel):
                pks = list(
                    entry.rows_for(ids)
                    .filter(restricted_at__isnull=True)
                    .values_list("pk", flat=True)
                )
                entry.model._default_manager.filter(pk__in=pks).update(
                    restricted_at=timezone.now(), restriction_ground=ground
                )
        recipient_tasks_create(request=request, activity_keys=keys, verb=TaskVerb.STOP)
    request_event_record(
        request=request, actor=actor, action=f"objection-{decision}", note=reasons.strip()
    )
    fulfilment_record(actor=actor, request=request, action="objection-decided")
