"""Every write of personal data about data subjects goes through these functions, so
there is one place to audit. Staff actions are recorded as ``AuditEvent``s."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.models import AuditEvent, DataSubject, SubjectRole, WebsiteVisit
from subjects.models.people import SYSTEM_ACTOR
from subjects.registry import RestrictableModel

Actor = AbstractBaseUser | AnonymousUser | None

_OS_PATTERNS = [
    (r"Windows NT", "Windows"),
    (r"Android", "Android"),
    (r"iPhone|iPad|iOS", "iOS"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
]
_BROWSER_PATTERNS = [
    (r"Edg/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/", "Firefox"),
    (r"Chrome/|Chromium/|CriOS/", "Chrome"),
    (r"Safari/", "Safari"),
]


def _first_match(patterns: list[tuple[str, str]], user_agent: str) -> str:
    for pattern, name in patterns:
        if re.search(pattern, user_agent):
            return name
    return "other" if user_agent else ""


def website_visit_record(*, ip_address: str | None, user_agent: str, path: str) -> WebsiteVisit:
    """Log a visit with only what the statement names: IP, operating system and browser
    (not the full user-agent string). Deleted by rule ``ip-4w``."""
    return WebsiteVisit.objects.create(
        ip_address=ip_address or None,
        operating_system=_first_match(_OS_PATTERNS, user_agent),
        browser=_first_match(_BROWSER_PATTERNS, user_agent),
        path=path[:300],
    )


def audit_event_record(
    *,
    actor: Actor,
    action: str,
    subject: DataSubject | None = None,
    target: models.Model | str | None = None,
    changed_fields: list[str] | None = None,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append to the audit trail: who did what (an action code of ``subjects.trail`` with
    its parameters: codes, numbers, dates, references, never a sentence) to whose data,
    when; ``note`` is what the staff member typed, as typed."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else SYSTEM_ACTOR,
        action=action,
        subject=subject,
        subject_reference=str(subject.pk) if subject else "",
        target=(
            f"{target._meta.label} #{target.pk}" if isinstance(target, models.Model) else target
        )
        or "",
        changed_fields=changed_fields or [],
        params=params or {},
        note=note,
    )


# The reads in the read log (``subjects.ReadEvent``, rule reads-1y), as staff read them.
READ_ACTIONS = {
    "read.subject": _("opened the person's page"),
    "read.special-category": _("was shown special-category data"),
    "read.access-package": _("built an access or portability package"),
}


def reads_record(
    *, actor: Actor, action: str, subject_ids: Iterable[int | None], target: str = ""
) -> int:
    """Record that ``actor`` read personal data of each of the data subjects (who, whom,
    when; one row per person, in one query). The read log is kept 1 year (rule
    reads-1y) and shown to privacy officers. Returns how many reads were recorded."""
    if action not in READ_ACTIONS:
        raise ValueError(f"Unknown read action: {action}")
    user = actor if actor is not None and actor.is_authenticated else None
    ids = sorted({pk for pk in subject_ids if pk is not None})
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            actor_label=user.get_username() if user else SYSTEM_ACTOR,
            action=action,
            subject_id=pk,
            subject_reference=str(pk),
            target=target,
        )
        for pk in ids
    )
    return len(ids)


@transaction.atomic
def login_locks_release(*, actor: Actor, attempts: Iterable[Any]) -> int:
    """Lift sign-in locks before they run out (a privacy officer's decision): the failed
    attempts of each user name and address are deleted, so signing in works again at
    once, and each lift is in the audit trail (the user name, never the address, which
    is deleted after 4 weeks while the trail stays). Returns how many were lifted."""
    released = 0
    for attempt in attempts:
        username = attempt.username or ""
        target = f"{attempt._meta.label} #{attempt.pk}"
        attempt.delete()
        audit_event_record(
            actor=actor, action="login.unlock", target=target, params={"username": username}
        )
        released += 1
    return released


def normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def data_subject_create(
    *,
    actor: Actor = None,
    first_name: str,
    last_name: str,
    email: str = "",
    names_as_given: bool = False,
    **details: Any,
) -> DataSubject:
    """Create a data subject. With ``names_as_given`` the names are taken as the source
    gave them (a newsletter sign-up asks no last name; rows stored without a person
    carry theirs), not judged again."""
    subject = DataSubject(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=normalise_email(email),
        **details,
    )
    subject.full_clean(exclude=["first_name", "last_name"] if names_as_given else None)
    subject.save()
    audit_event_record(actor=actor, action="subject.create", subject=subject, target=subject)
    return subject


@transaction.atomic
def data_subject_update(
    *, actor: Actor, subject: DataSubject, params: dict[str, Any] | None = None, **changes: Any
) -> list[str]:
    """Apply changes to a data subject (rectification, Art. 16) and audit which fields
    changed (``params``: the trail's parameters, such as the request's ``reference``).
    Returns the changed field names."""
    changed = [name for name, value in changes.items() if getattr(subject, name) != value]
    for name in changed:
        setattr(subject, name, changes[name])
    if "email" in changed:
        subject.email = normalise_email(subject.email)
    if changed:
        subject.full_clean()
        subject.save()
        audit_event_record(
            actor=actor,
            action="subject.update",
            subject=subject,
            target=subject,
            changed_fields=changed,
            params=params,
        )
    return changed


@transaction.atomic
def subject_role_add(
    *, actor: Actor, subject: DataSubject, category_key: str, **details: Any
) -> SubjectRole:
    from processing.models import SubjectCategory

    role = SubjectRole.objects.create(
        subject=subject, category=SubjectCategory.objects.get(key=category_key), **details
    )
    audit_event_record(actor=actor, action="subject.role-add", subject=subject, target=role)
    return role


@transaction.atomic
def subject_role_end(*, actor: Actor, role: SubjectRole, ended_on: datetime.date) -> None:
    """End a role on ``ended_on`` (its last day); a role that has ended no longer keeps
    the person (the retention subject clean-up judges them after that day)."""
    role.ended_on = ended_on
    role.full_clean()
    role.save(update_fields=["ended_on"])
    audit_event_record(
        actor=actor,
        action="subject.role-end",
        subject=role.subject,
        target=role,
        params={"ended_on": ended_on.isoformat()},
    )


@transaction.atomic
def data_subject_restrict(*, actor: Actor, subject: DataSubject, ground: str) -> None:
    """Mark a subject restricted (Art. 18): kept, but not used, exported or mailed."""
    subject.restricted_at = subject.restricted_at or timezone.now()
    subject.restriction_ground = ground
    subject.save(update_fields=["restricted_at", "restriction_ground", "updated_at"])
    audit_event_record(
        actor=actor, action="subject.restrict", subject=subject, params={"ground": ground}
    )


# A restriction staff record on the person's page, not through a rights request: its
# ground names this in place of a request's reference.
STAFF_RESTRICTION_REFERENCE = "medewerker"


@transaction.atomic
def data_subject_restriction_lift(*, actor: Actor, subject: DataSubject, told: str) -> int:
    """Lift the Art. 18 restriction staff recorded on the person's page, on the person and
    on every row of theirs restricted on the same ground; returns the rows lifted. Art.
    18(3): the person is told before the lift, so ``told`` (when and how) is required. A
    restriction made by a rights request is lifted on that request, and one that a legal
    hold imposes ends with the hold."""
    from subjects.registry import art18_ground_prefix, registry

    ground = subject.restriction_ground
    staff_prefixes = [art18_ground_prefix(g, STAFF_RESTRICTION_REFERENCE) for g in "abcd"]
    if subject.restricted_at is None or not ground.startswith(tuple(staff_prefixes)):
        raise ValidationError(
            _(
                "Only a restriction recorded on this page can be lifted here; lift one made "
                "by a rights request on that request."
            )
        )
    if not told.strip():
        raise ValidationError(_("Record when and how the person was told before lifting."))
    lifted = 0
    for entry in registry.subject_entries():
        if issubclass(entry.model, RestrictableModel):
            pks = list(
                entry.rows_for([subject.pk])
                .filter(restriction_ground=ground)
                .values_list("pk", flat=True)
            )
            lifted += entry.model._default_manager.filter(pk__in=pks).update(
                restricted_at=None, restriction_ground=""
            )
    audit_event_record(
        actor=actor, action="subject.restriction-lift", subject=subject, note=told.strip()
    )
    return lifted


@transaction.atomic
def newsletter_stop(
    *, actor: Actor, subject: DataSubject, params: dict[str, Any] | None = None
) -> int:
    """Stop every active newsletter subscription of a subject at once (the statement:
    "per direct geen nieuwsbrieven meer"); ``unsubscribed_at`` starts the 6-week deletion
    clock of rule ``unsubscribe-6w``, and the address goes on the suppression list, which
    outlives the deletion. ``params`` say why in the trail (``via``, ``reference`` or
    ``reason``, see ``subjects.trail``). Returns the number stopped."""
    from subjects.mailchimp_sync import UNSUBSCRIBE, mailchimp_sync
    from subjects.models import NewsletterSubscription, SuppressedAddress
    from subjects.suppression import address_suppress

    active = NewsletterSubscription.objects.filter(subject=subject, unsubscribed_at__isnull=True)
    for email in set(active.values_list("email", flat=True)):
        address_suppress(email=email, reason=SuppressedAddress.Reason.UNSUBSCRIBED)
        # Mailchimp stops mailing at once too.
        mailchimp_sync(action=UNSUBSCRIBE, email=email)
    stopped = active.update(unsubscribed_at=timezone.now())
    if stopped:
        audit_event_record(actor=actor, action="newsletter.stop", subject=subject, params=params)
    return stopped


@transaction.atomic
def marketing_objection_record(
    *, actor: Actor, subject: DataSubject, params: dict[str, Any] | None = None
) -> int:
    """Art. 21(3): after an objection to direct marketing the person is never again used
    for it. Sets ``marketing_objection_at`` for good and stops the newsletter at once.
    The address goes on the suppression list, which outlives the person (a keyed hash
    only). Returns the number of subscriptions stopped."""
    from subjects.models import SuppressedAddress
    from subjects.suppression import address_suppress

    address_suppress(email=subject.email, reason=SuppressedAddress.Reason.OBJECTED)
    if subject.marketing_objection_at is None:
        subject.marketing_objection_at = timezone.now()
        subject.save(update_fields=["marketing_objection_at", "updated_at"])
        audit_event_record(
            actor=actor, action="subject.marketing-objection", subject=subject, params=params
        )
    return newsletter_stop(actor=actor, subject=subject, params=params)


@transaction.atomic
def unlinked_rows_adopt(*, actor: Actor, email: str) -> DataSubject | None:
    """Link rows that carry ``email`` as the person's own address but belong to no data
    subject yet (a contact message, brochure request or business e-mail entered without
    one, an invoice to an individual entered without one: registry entries with an
    ``email_field``, see ``RegistryEntry.unlinked_rows``) to the data subject with that address,
    created from the rows' names when there is none. Access, portability, erasure and
    retention find rows through their data subject, so after this they find these too.
    Returns that data subject, or None when there was nothing to link."""
    from subjects.registry import registry

    email = normalise_email(email)
    if not email:
        return None
    unlinked = [(entry, entry.unlinked_rows(email)) for entry in registry.email_entries()]
    unlinked = [(entry, rows) for entry, rows in unlinked if rows.exists()]
    if not unlinked:
        return None
    subject = DataSubject.objects.filter(email=email).order_by("pk").first()
    if subject is None:
        subject = _subject_from_rows(actor, email, [rows for _, rows in unlinked])
    for entry, rows in unlinked:
        linked = rows.update(**{entry.subject_paths[0]: subject})
        audit_event_record(
            actor=actor,
            action="subject.link-unlinked-rows",
            subject=subject,
            target=entry.label,
            params={"count": linked},
        )
    return subject


def _subject_from_rows(actor: Actor, email: str, row_sets: list[Any]) -> DataSubject:
    """A new data subject for unlinked rows, named as a row names the person (the e-mail
    address's local part when no row has a name)."""
    names = {"first_name": email.split("@")[0][:100], "last_name": ""}
    for rows in row_sets:
        if _has_field(rows.model, "first_name"):
            named = rows.exclude(first_name="").values("first_name", "last_name").first()
            if named:
                names = named
                break
    return data_subject_create(actor=actor, email=email, names_as_given=True, **names)


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())
