"""Art. 14 GDPR: telling people whose data came from someone else.

A trainee or mentor named by their employer, a contact named by their organisation or
supplier: they did not give Leafspring their data themselves, so they must be told what
is done with it within a reasonable period, at the latest one month after it was
recorded (Art. 14(3)(a)). Which categories of people that concerns, per processing
activity, is register data (``ProcessingActivity.indirect_subject_categories``); what
they are told is the activity as the privacy statement words it
(``processing.statement.activity_words``), in their language.

A daily job (``art14_notices_send``) e-mails everyone who has not been told yet, one
e-mail for all their pending activities, and records each activity as told
(``Art14Notice``, one per person and activity, so nobody is told twice). Who cannot be
e-mailed (no address, processing restricted) stays on the staff list
(``art14_notices_pending``) until staff record that they told them another way.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from processing.models import Art14Notice, Art14NoticeMethod, ProcessingActivity, SubjectCategory
from processing.statement import (
    Register,
    activity_words,
    normalised,
    register_read,
    rights_words,
)
from processing.statement_display import statement_plain
from subjects.emails import person_email_send, render_plain
from subjects.models import DataSubject, SubjectRole
from subjects.services import Actor, audit_event_record

# At the latest one month after the data was recorded (Art. 14(3)(a)).
NOTICE_MONTHS = 1
NOTICE_EMAIL = "processing/email/art14_notice"
ACTIVITIES_TEMPLATE = "processing/statement/art14_activities.txt"
NOTE_MAX = 1000

NO_EMAIL = gettext_lazy("no e-mail address: tell them another way")
RESTRICTED = gettext_lazy("processing restricted (Art. 18): tell them another way")


def art14_due_at(recorded_at: datetime.datetime) -> datetime.datetime:
    """One calendar month after ``recorded_at`` in Amsterdam (31 January: 28 or 29
    February), the moment the notice is late."""
    zone = timezone.get_default_timezone()
    wall = timezone.localtime(recorded_at, zone).replace(tzinfo=None)
    return timezone.make_aware(wall + relativedelta(months=NOTICE_MONTHS), zone)


@dataclasses.dataclass(frozen=True)
class PendingNotice:
    """A person who has not been told about one or more activities yet. The month counts
    from when the data came from someone else: the earliest recording of a role that
    brings a pending activity (``SubjectRole.recorded_at``), not from when the person
    first came to us themselves (a newsletter subscriber later named as a trainee by their
    employer is told within a month of that)."""

    subject: DataSubject
    activities: tuple[ProcessingActivity, ...]
    due_at: datetime.datetime
    overdue: bool

    @property
    def reason(self) -> str:
        """Why the job will not e-mail this person ("" when it will)."""
        if self.subject.restricted_at is not None:
            return str(RESTRICTED)
        if not self.subject.email:
            return str(NO_EMAIL)
        return ""


def art14_notices_pending(
    *, subject_ids: Iterable[int] | None = None, now: datetime.datetime | None = None
) -> list[PendingNotice]:
    """Everyone with a current role whose data, in some activity, comes from someone
    else and who has not been told about that activity, the longest waiting first. Four
    queries, however many people."""
    now = now or timezone.now()
    told = Art14Notice.objects.filter(
        subject_id=OuterRef("subject_id"), activity_id=OuterRef("activity_id")
    )
    # The categories whose data comes from someone else first (a handful): the roles are
    # then found through their category index, not by joining every role there is.
    indirect = list(
        SubjectCategory.objects.filter(indirect_activities__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    roles = (
        SubjectRole.objects.active_on(timezone.localdate(now))
        .filter(category_id__in=indirect)
        .annotate(activity_id=F("category__indirect_activities"))
        .filter(activity_id__isnull=False)
        .exclude(Exists(told))
    )
    if subject_ids is not None:
        roles = roles.filter(subject_id__in=list(subject_ids))
    pairs: dict[int, set[int]] = {}
    recorded: dict[int, datetime.datetime] = {}
    for subject_id, activity_id, recorded_at in roles.values_list(
        "subject_id", "activity_id", "recorded_at"
    ):
        pairs.setdefault(subject_id, set()).add(activity_id)
        recorded[subject_id] = min(recorded_at, recorded.get(subject_id, recorded_at))
    subjects = DataSubject.objects.in_bulk(list(pairs))
    activities = ProcessingActivity.objects.in_bulk(
        {activity_id for ids in pairs.values() for activity_id in ids}
    )
    pending = []
    for subject_id, activity_ids in pairs.items():
        subject = subjects[subject_id]
        due_at = art14_due_at(recorded[subject_id])
        pending.append(
            PendingNotice(
                subject=subject,
                activities=tuple(
                    sorted((activities[pk] for pk in activity_ids), key=lambda a: a.number)
                ),
                due_at=due_at,
                overdue=now >= due_at,
            )
        )
    return sorted(pending, key=lambda p: (p.due_at, p.subject.pk))


def art14_notice_text(
    *, activities: Iterable[ProcessingActivity], language: str, register: Register
) -> str:
    """The activities as the statement words them, as plain e-mail text in ``language``."""
    with translation.override(language):
        words = [activity_words(activity, register) for activity in activities]
        text = render_plain(
            ACTIVITIES_TEMPLATE,
            {"activities": words, "controller": register.controller, "art14": True},
        )
    return statement_plain(normalised(text)).strip()


def art14_notice_email(
    *, subject: DataSubject, activities: list[ProcessingActivity], register: Register
) -> bool:
    """E-mail one person the Art. 14 information of ``activities`` in their language.
    Returns whether it went out."""
    language = subject.language if subject.language in {"nl", "en"} else "nl"
    return person_email_send(
        to=subject.email,
        template=NOTICE_EMAIL,
        language=language,
        context={
            "first_name": subject.first_name,
            "activities_text": art14_notice_text(
                activities=activities, language=language, register=register
            ),
            "no_automated_decisions": not any(a.automated_decision_making for a in activities),
            **rights_words(language),
        },
    )


def art14_notices_send(*, now: datetime.datetime | None = None) -> int:
    """Art. 14(3)(a): e-mail everyone not yet told about an activity whose data came
    from someone else, one e-mail in their language for all their pending activities,
    and record each activity as told, so nobody is told twice. A person without an
    e-mail address or under a restriction (Art. 18) is left for staff. A failed e-mail
    records nothing and is tried again at the next run. Returns the e-mails sent."""
    register: Register | None = None
    sent = 0
    for pending in art14_notices_pending(now=now):
        if pending.reason:
            continue
        with transaction.atomic():
            # The row lock keeps two runs at once from telling the person twice.
            subject = DataSubject.objects.select_for_update().filter(pk=pending.subject.pk).first()
            if subject is None or subject.restricted_at is not None or not subject.email:
                continue
            told = set(
                Art14Notice.objects.filter(subject=subject).values_list("activity_id", flat=True)
            )
            activities = [a for a in pending.activities if a.pk not in told]
            if not activities:
                continue
            register = register or register_read()
            if not art14_notice_email(subject=subject, activities=activities, register=register):
                continue
            language = subject.language if subject.language in {"nl", "en"} else "nl"
            Art14Notice.objects.bulk_create(
                [
                    Art14Notice(subject=subject, activity=activity, language=language)
                    for activity in activities
                ]
            )
            audit_event_record(
                actor=None,
                action="art14.notice-sent",
                subject=subject,
                params={"activities": [a.key for a in activities]},
            )
            sent += 1
    return sent


@transaction.atomic
def art14_notice_record_other(*, actor: Actor, subject: DataSubject, note: str) -> int:
    """Staff record that they gave a person the Art. 14 information another way (on
    paper, in a conversation), or that the person already had it (Art. 14(5)(a)), for
    every activity the person was not told about yet; the note says how and when.
    Returns the activities recorded."""
    note = note.strip()
    if not note:
        raise ValidationError(_("Say how and when the person was told."))
    if len(note) > NOTE_MAX:
        raise ValidationError(_("The note is too long."))
    subject = DataSubject.objects.select_for_update().get(pk=subject.pk)
    pending = art14_notices_pending(subject_ids=[subject.pk])
    if not pending:
        raise ValidationError(_("This person has been told about every activity already."))
    activities = pending[0].activities
    Art14Notice.objects.bulk_create(
        [
            Art14Notice(
                subject=subject,
                activity=activity,
                method=Art14NoticeMethod.OTHER,
                language=subject.language if subject.language in {"nl", "en"} else "nl",
                note=note,
                recorded_by=actor if actor is not None and actor.is_authenticated else None,
            )
            for activity in activities
        ]
    )
    audit_event_record(
        actor=actor,
        action="art14.notice-recorded",
        subject=subject,
        params={"activities": [a.key for a in activities]},
    )
    return len(activities)


def art14_summary(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """For the dashboard: people not told yet, and how many of them are late."""
    pending = art14_notices_pending(now=now)
    return {
        "pending": len(pending),
        "overdue": sum(1 for p in pending if p.overdue),
        "manual": sum(1 for p in pending if p.reason),
    }
