"""Telling the people affected by a breach (Art. 34 GDPR): the notice of Art. 34(2) in
both languages, sent by e-mail to each linked person in their own language (each once),
the record of people told another way, or the exception of Art. 34(3) that applies with
its reasons. Each checks its input first and writes nothing when anything is wrong."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from processing.breaches.models import Breach, BreachSubject, NoticeException, Risk
from processing.breaches.services import local_moment, not_closed, not_in_future
from requests_dsar.text import defused
from subjects.emails import person_email_send
from subjects.models import DataSubject
from subjects.services import Actor, audit_event_record

NOTICE_FIELDS = ("notice_nature", "notice_consequences", "notice_measures")
LANGUAGES = ("nl", "en")


@transaction.atomic
def breach_notice_update(*, actor: Actor, breach: Breach, data: dict[str, str]) -> Breach:
    """The wording of the notice to the people affected (Art. 34(2)), in both languages."""
    not_closed(breach)
    names = [f"{field}_{language}" for field in NOTICE_FIELDS for language in LANGUAGES]
    for name in names:
        if name in data:
            setattr(breach, name, data[name].strip())
    breach.save(update_fields=[*names, "updated_at"])
    return breach


@dataclasses.dataclass(frozen=True)
class NoticeResult:
    sent: int
    failed: int
    without_email: int


def _notice_missing(breach: Breach, languages: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for language in sorted(languages):
        empty = [
            f"{field}_{language}"
            for field in NOTICE_FIELDS
            if not getattr(breach, f"{field}_{language}").strip()
        ]
        if empty:
            errors[empty[0]] = _(
                "Some of the people to tell read %(language)s: write %(fields)s first."
            ) % {
                "language": _("Dutch") if language == "nl" else _("English"),
                "fields": ", ".join(str(Breach._meta.get_field(n).verbose_name) for n in empty),
            }
    return errors


def breach_notice_send(*, actor: Actor, breach: Breach) -> NoticeResult:
    """E-mail the notice of Art. 34(2) to every linked person not told yet, in their
    language: what happened, the contact point, the likely consequences and the measures
    taken or proposed. Each person is recorded as told when their e-mail has gone, so
    sending again only reaches those it did not reach before; nobody gets it twice."""
    not_closed(breach)
    if breach.risk not in (Risk.RISK, Risk.HIGH):
        raise ValidationError(
            _("Assess the risk first: the notice tells people what the breach means for them.")
        )
    links = list(
        breach.subject_links.filter(notified_at__isnull=True, subject__isnull=False)
        .select_related("subject")
        .order_by("pk")
    )
    reachable = [link for link in links if link.subject.email]
    languages = {_language(link.subject) for link in reachable}
    errors = _notice_missing(breach, languages)
    if not breach.contact_point.strip():
        errors["contact_point"] = _("Give the contact point for more information first.")
    if errors:
        raise ValidationError(errors)
    if not reachable:
        raise ValidationError(
            _("Nobody linked is waiting for the notice by e-mail.")
            if not links
            else _("None of the people not told yet has an e-mail address: tell them another way.")
        )
    sent = failed = 0
    for link in reachable:
        language = _language(link.subject)
        context = {
            # A name may have been typed by anyone: it must not become a link.
            "first_name": defused(link.subject.first_name),
            "nature": breach.tr("notice_nature", language),
            "consequences": breach.tr("notice_consequences", language),
            "measures": breach.tr("notice_measures", language),
            "contact_point": breach.contact_point,
        }
        if not person_email_send(
            to=link.subject.email,
            template="processing/breaches/email/notice",
            language=language,
            context=context,
        ):
            failed += 1
            continue
        now = timezone.now()
        with transaction.atomic():
            BreachSubject.objects.filter(pk=link.pk).update(
                notified_at=now, notified_how=BreachSubject.How.EMAIL, notice_language=language
            )
            Breach.objects.filter(pk=breach.pk, subjects_notified_at__isnull=True).update(
                subjects_notified_at=now
            )
            audit_event_record(
                actor=actor, action="breach.notice-sent", subject=link.subject, target=breach
            )
        sent += 1
    breach.refresh_from_db(fields=["subjects_notified_at"])
    return NoticeResult(sent=sent, failed=failed, without_email=len(links) - len(reachable))


def _language(subject: DataSubject) -> str:
    return subject.language if subject.language in LANGUAGES else "nl"


@transaction.atomic
def breach_notice_other_record(
    *, actor: Actor, breach: Breach, notified_at: datetime.datetime | None, how: str
) -> int:
    """Record that the people affected not told by e-mail were told another way (a
    letter, a call, a public communication): when and how. Every linked person not
    told yet is marked as told so. Returns how many were marked."""
    not_closed(breach)
    errors: dict[str, str] = {}
    if notified_at is None:
        errors["notified_at"] = _("Give the moment the people were told.")
    else:
        not_in_future(errors, "notified_at", notified_at)
        if notified_at < breach.aware_at:
            errors.setdefault(
                "notified_at",
                _("People cannot have been told before Leafspring was aware of the breach."),
            )
    if not how.strip():
        errors["how"] = _("Say how the people were told.")
    if errors:
        raise ValidationError(errors)
    waiting = breach.subject_links.filter(notified_at__isnull=True, subject__isnull=False)
    marked = 0
    for link in waiting.select_related("subject"):
        link.notified_at = notified_at
        link.notified_how = BreachSubject.How.OTHER
        link.notice_language = _language(link.subject)
        link.save(update_fields=["notified_at", "notified_how", "notice_language"])
        audit_event_record(
            actor=actor, action="breach.notice-recorded", subject=link.subject, target=breach
        )
        marked += 1
    line = f"{local_moment(notified_at)}: {how.strip()}"
    breach.subjects_notice_how = "\n".join(filter(None, [breach.subjects_notice_how, line]))
    if breach.subjects_notified_at is None or notified_at < breach.subjects_notified_at:
        breach.subjects_notified_at = notified_at
    breach.save(update_fields=["subjects_notice_how", "subjects_notified_at", "updated_at"])
    return marked


@transaction.atomic
def breach_notice_exception_record(
    *, actor: Actor, breach: Breach, exception: str, reasons: str
) -> Breach:
    """Record that the people affected need not be told individually (Art. 34(3)), with
    the exception that applies and the reasons; for 34(3)(c) the reasons say how the
    public was told instead."""
    not_closed(breach)
    errors: dict[str, str] = {}
    if exception not in NoticeException.values or exception == NoticeException.NONE:
        errors["exception"] = _("Choose the exception of Art. 34(3) that applies.")
    if not reasons.strip():
        errors["reasons"] = _("Give the reasons the exception applies.")
    elif exception == NoticeException.DISPROPORTIONATE and len(reasons.strip()) < 20:
        errors["reasons"] = _(
            "Say why telling each person is disproportionate, and how the public was told instead."
        )
    if errors:
        raise ValidationError(errors)
    breach.notice_exception = exception
    breach.notice_exception_reasons = reasons.strip()
    breach.save(update_fields=["notice_exception", "notice_exception_reasons", "updated_at"])
    return breach
