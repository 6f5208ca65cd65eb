"""Writes of the breach register (Art. 33 GDPR). Each checks its input first and writes
nothing when anything is wrong (``ValidationError`` with the field it concerns).

- ``breach_report``: any staff member reports a suspected breach; the 72-hour clock
  starts at the moment Leafspring became aware, and the privacy officers are alerted.
- ``breach_update``: the privacy officers document the incident and assess the risk.
- ``breach_notification_record``: the notification to the Autoriteit Persoonsgegevens,
  in phases (Art. 33(4)); one after the 72 hours needs the reasons for the delay.
- ``breach_subjects_link`` / ``breach_subject_unlink``: the people affected.
- ``breach_close`` / ``breach_reopen``.

Telling the people affected (Art. 34) is in ``processing.breaches.notice``, the
reminders of the deadline in ``processing.breaches.reminders``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from processing.breaches.emails import breach_url, officers_email_send
from processing.breaches.models import (
    Breach,
    BreachNotification,
    BreachSubject,
    Risk,
)
from processing.models import Recipient
from processing.selectors import controller_get
from subjects.models import DataSubject
from subjects.services import Actor, audit_event_record

# A moment typed a little ahead of the server's clock is not "in the future".
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Fields of the incident the privacy officers document (``breach_update``).
INCIDENT_FIELDS = (
    "occurred_at",
    "aware_at",
    "processor",
    "processor_told_at",
    "description",
    "confidentiality",
    "integrity",
    "availability",
    "subjects_approx",
    "records_approx",
    "contact_point",
    "likely_consequences",
    "measures_taken",
    "measures_proposed",
    "risk",
    "risk_reasoning",
    "not_notified_reason",
)
INCIDENT_RELATIONS = ("subject_categories", "data_categories", "activities", "recipients")


def local_moment(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def not_closed(breach: Breach) -> None:
    if breach.closed_at is not None:
        raise ValidationError(
            _("This incident is closed. Reopen it first to change or add anything.")
        )


def not_in_future(errors: dict[str, str], name: str, moment: datetime.datetime | None) -> None:
    if moment is not None and moment > timezone.now() + CLOCK_SKEW:
        errors.setdefault(name, _("This moment lies in the future."))


def _moments_errors(
    *,
    aware_at: datetime.datetime | None,
    occurred_at: datetime.datetime | None,
    processor: Recipient | None,
    processor_told_at: datetime.datetime | None,
) -> dict[str, str]:
    """The order of the moments of an incident: it happened, then (possibly through the
    processor, Art. 33(2)) Leafspring became aware of it."""
    errors: dict[str, str] = {}
    if aware_at is None:
        errors["aware_at"] = _("Give the moment Leafspring became aware of the breach.")
    for name, moment in (
        ("aware_at", aware_at),
        ("occurred_at", occurred_at),
        ("processor_told_at", processor_told_at),
    ):
        not_in_future(errors, name, moment)
    if occurred_at and aware_at and occurred_at > aware_at:
        errors.setdefault(
            "occurred_at",
            _("It cannot have happened after Leafspring became aware of it."),
        )
    if processor is not None and processor.kind != Recipient.Kind.PROCESSOR:
        errors["processor"] = _(
            "%(name)s is not a processor of Leafspring; a breach there is theirs to report."
        ) % {"name": processor.name}
    if processor is not None and processor_told_at is None:
        errors.setdefault(
            "processor_told_at",
            _("Give the moment the processor told Leafspring (Art. 33(2))."),
        )
    if processor is None and processor_told_at is not None:
        errors["processor"] = _("Name the processor that told Leafspring.")
    if processor_told_at and aware_at and aware_at > processor_told_at:
        errors.setdefault(
            "aware_at",
            _(
                "Leafspring was aware at the latest when the processor told it (%(told)s): "
                "the clock cannot start later."
            )
            % {"told": local_moment(processor_told_at)},
        )
    if processor_told_at and occurred_at and processor_told_at < occurred_at:
        errors.setdefault(
            "processor_told_at",
            _("The processor cannot have told Leafspring before it happened."),
        )
    return errors


def contact_point_default() -> str:
    """Art. 33(3)(b): who can tell more. The controller's own contact details until the
    privacy officers name someone."""
    controller = controller_get()
    if controller is None:
        return ""
    return f"{controller.name}, {controller.email}, {controller.phone}"


def _alert_officers(breach_id: int) -> None:
    breach = Breach.objects.select_related("reported_by").filter(pk=breach_id).first()
    if breach is None:
        return
    officers_email_send(
        kind="reported",
        context={
            "breach": breach,
            "reporter": breach.reported_by.get_username() if breach.reported_by else "",
            "deadline": timezone.localtime(breach.deadline),
            "aware_at": timezone.localtime(breach.aware_at),
            "link": breach_url(breach.pk),
        },
    )


@transaction.atomic
def breach_report(
    *,
    actor: Actor,
    description: str,
    aware_at: datetime.datetime | None,
    occurred_at: datetime.datetime | None = None,
    processor: Recipient | None = None,
    processor_told_at: datetime.datetime | None = None,
) -> Breach:
    """Any staff member reports a suspected breach. The clock of Art. 33(1) starts at
    ``aware_at``: the moment someone at Leafspring knew, which may be before the report.
    The privacy officers are alerted by e-mail once the report is saved."""
    errors = _moments_errors(
        aware_at=aware_at,
        occurred_at=occurred_at,
        processor=processor,
        processor_told_at=processor_told_at,
    )
    if not description.strip():
        errors["description"] = _("Describe what happened.")
    if errors:
        raise ValidationError(errors)
    user = actor if actor is not None and actor.is_authenticated else None
    breach = Breach.objects.create(
        reported_by=user,
        description=description.strip(),
        aware_at=aware_at,
        occurred_at=occurred_at,
        processor=processor,
        processor_told_at=processor_told_at,
        contact_point=contact_point_default(),
    )
    breach_id = breach.pk
    transaction.on_commit(lambda: _alert_officers(breach_id))
    return breach


@transaction.atomic
def breach_update(*, actor: Actor, breach: Breach, data: dict[str, Any]) -> Breach:
    """The privacy officers document the incident (Art. 33(3), (5)) and assess the
    risk: a risk assessment needs its reasoning."""
    not_closed(breach)
    values = {name: _strip(data[name]) for name in INCIDENT_FIELDS if name in data}
    merged = {name: values.get(name, getattr(breach, name)) for name in INCIDENT_FIELDS}
    errors = _moments_errors(
        aware_at=merged["aware_at"],
        occurred_at=merged["occurred_at"],
        processor=merged["processor"],
        processor_told_at=merged["processor_told_at"],
    )
    if not merged["description"]:
        errors["description"] = _("Describe what happened.")
    if not merged["contact_point"]:
        errors["contact_point"] = _("Give the contact point for more information (Art. 33(3)(b)).")
    if merged["risk"] and not merged["risk_reasoning"]:
        errors["risk_reasoning"] = _("Give the reasoning of the risk assessment.")
    if merged["risk"] not in Risk.values:
        errors["risk"] = _("Choose one of the risk levels.")
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(breach, name, value)
    breach.save()
    for name in INCIDENT_RELATIONS:
        if name in data:
            getattr(breach, name).set(data[name])
    return breach


@transaction.atomic
def breach_notification_record(
    *,
    actor: Actor,
    breach: Breach,
    phase: str,
    sent_at: datetime.datetime | None,
    reference: str,
    summary: str = "",
    late_reason: str = "",
) -> BreachNotification:
    """Record a notification to the Autoriteit Persoonsgegevens: the initial one (once),
    or an addition (Art. 33(4)). The initial notification after the 72 hours needs the
    reasons for the delay (Art. 33(1))."""
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    not_closed(breach)
    reference, summary, late_reason = reference.strip(), summary.strip(), late_reason.strip()
    errors: dict[str, str] = {}
    initial = breach.notifications.filter(phase=BreachNotification.Phase.INITIAL).first()
    if phase not in BreachNotification.Phase.values:
        errors["phase"] = _("Choose the initial notification or an addition.")
    elif phase == BreachNotification.Phase.INITIAL and initial is not None:
        errors["phase"] = _(
            "The initial notification is already recorded; add what follows as additional "
            "information (Art. 33(4))."
        )
    elif phase == BreachNotification.Phase.FOLLOW_UP and initial is None:
        errors["phase"] = _("Record the initial notification first.")
    if sent_at is None:
        errors["sent_at"] = _("Give the moment of the notification.")
    else:
        not_in_future(errors, "sent_at", sent_at)
        if sent_at < breach.aware_at:
            errors.setdefault(
                "sent_at",
                _("A notification cannot come before Leafspring was aware of the breach."),
            )
        elif initial is not None and sent_at < initial.sent_at:
            errors.setdefault(
                "sent_at", _("An addition cannot come before the initial notification.")
            )
    if not reference:
        errors["reference"] = _(
            "Give the reference the Autoriteit Persoonsgegevens gave the notification."
        )
    if phase == BreachNotification.Phase.FOLLOW_UP and not summary:
        errors["summary"] = _("Say what this addition reports.")
    if (
        phase == BreachNotification.Phase.INITIAL
        and sent_at is not None
        and breach.is_late(sent_at)
        and not late_reason
    ):
        errors["late_reason"] = _(
            "This notification came after the 72 hours (the deadline was %(deadline)s): "
            "give the reasons for the delay (Art. 33(1))."
        ) % {"deadline": local_moment(breach.deadline)}
    if errors:
        raise ValidationError(errors)
    user = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            return BreachNotification.objects.create(
                breach=breach,
                phase=phase,
                sent_at=sent_at,
                reference=reference,
                summary=summary,
                late_reason=late_reason,
                recorded_by=user,
            )
    except IntegrityError:  # recorded at the same moment by someone else
        raise ValidationError(
            {"phase": _("The initial notification is already recorded.")}
        ) from None


@transaction.atomic
def breach_subjects_link(
    *, actor: Actor, breach: Breach, subject_ids: Iterable[int]
) -> list[BreachSubject]:
    """Link the people affected, by their data subject number. Every number must exist,
    or nobody is linked; someone linked already stays linked once."""
    not_closed(breach)
    ids = sorted(set(subject_ids))
    if not ids:
        raise ValidationError({"subjects": _("Give at least one data subject number.")})
    found = DataSubject.objects.in_bulk(ids)
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                "subjects": _("No data subject with number %(numbers)s. Nobody was linked.")
                % {"numbers": ", ".join(missing)}
            }
        )
    already = set(breach.subject_links.filter(subject__in=ids).values_list("subject", flat=True))
    links = BreachSubject.objects.bulk_create(
        [BreachSubject(breach=breach, subject_id=pk) for pk in ids if pk not in already]
    )
    for link in links:
        audit_event_record(
            actor=actor,
            action="breach.link",
            subject=found[link.subject_id],
            target=breach,
        )
    return links


@transaction.atomic
def breach_subject_unlink(*, actor: Actor, breach: Breach, link: BreachSubject) -> None:
    """Unlink someone linked by mistake. Someone who was told about the breach stays
    linked: the link is the record of that notice."""
    not_closed(breach)
    if link.breach_id != breach.pk:
        raise ValidationError(_("This person is not linked to this incident."))
    if link.notified_at is not None:
        raise ValidationError(
            _("This person was told about the breach; the link is the record of that and stays.")
        )
    subject = link.subject
    link.delete()
    audit_event_record(actor=actor, action="breach.unlink", subject=subject, target=breach)


def close_blockers(breach: Breach) -> list[str]:
    """What must be documented before an incident is closed (Art. 33(5), 33(1), 34)."""
    blockers = []
    if breach.closed_at is not None:
        return [_("This incident is closed already.")]
    if not breach.risk:
        blockers.append(_("Assess the risk, with its reasoning."))
    if not breach.likely_consequences.strip():
        blockers.append(_("Record the likely consequences."))
    if not breach.measures_taken.strip():
        blockers.append(_("Record the measures taken."))
    has_initial = breach.notifications.filter(phase=BreachNotification.Phase.INITIAL).exists()
    if breach.risk == Risk.NONE and not has_initial and not breach.not_notified_reason.strip():
        blockers.append(_("Give the reason the authority was not notified (Art. 33(5))."))
    if breach.risk in (Risk.RISK, Risk.HIGH) and not has_initial:
        blockers.append(_("Record the notification to the Autoriteit Persoonsgegevens."))
    if breach.risk == Risk.HIGH and not breach.notice_exception:
        if breach.subjects_notified_at is None:
            blockers.append(
                _(
                    "Tell the people affected (Art. 34), or record the exception of Art. "
                    "34(3) that applies."
                )
            )
        waiting = breach.subject_links.filter(
            notified_at__isnull=True, subject__isnull=False
        ).count()
        if waiting:
            blockers.append(
                ngettext(
                    "%(count)d linked person has not been told yet.",
                    "%(count)d linked people have not been told yet.",
                    waiting,
                )
                % {"count": waiting}
            )
    return blockers


@transaction.atomic
def breach_close(*, actor: Actor, breach: Breach) -> Breach:
    """Close a fully documented incident; its retention (rule breach-5y) counts from now."""
    blockers = close_blockers(breach)
    if blockers:
        raise ValidationError(blockers)
    breach.closed_at = timezone.now()
    breach.closed_by = actor if actor is not None and actor.is_authenticated else None
    breach.save(update_fields=["closed_at", "closed_by", "updated_at"])
    return breach


@transaction.atomic
def breach_reopen(*, actor: Actor, breach: Breach) -> Breach:
    """Reopen a closed incident when more becomes known; it is closed again later."""
    if breach.closed_at is None:
        raise ValidationError(_("This incident is open already."))
    breach.closed_at = None
    breach.closed_by = None
    breach.save(update_fields=["closed_at", "closed_by", "updated_at"])
    return breach
