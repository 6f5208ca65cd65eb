from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from leafspring.pagination import ESTIMATE_FROM as PAGINATOR_ESTIMATE_FROM
from leafspring.pagination import count_up_to
from subjects.models import (
    BrochureRequest,
    ContactMessage,
    DataSubject,
    NewsletterSubscription,
    SubjectRole,
)
from subjects.services import normalise_email

if TYPE_CHECKING:
    from requests_dsar.models import RecipientTask


# From this many people on, the dashboard says "about N" from PostgreSQL's own estimate
# (kept by autovacuum's ANALYZE) instead of counting every row on each view.
ESTIMATE_FROM = PAGINATOR_ESTIMATE_FROM
NEW_CONTACT_EXACT_UP_TO = 1_000


def data_subject_counts() -> dict[str, Any]:
    """How many people there are and how many of them are restricted, in one query. The
    restricted are counted exactly (a partial index holds only them); the total is
    PostgreSQL's estimate, rounded to three figures, once there are ``ESTIMATE_FROM``
    people or more (``estimated`` says so), and an exact count below that and on other
    databases."""
    restricted = DataSubject.objects.filter(restricted_at__isnull=False)
    if connection.vendor != "postgresql":
        return {
            **DataSubject.objects.aggregate(
                total=Count("pk"), restricted=Count("pk", filter=Q(restricted_at__isnull=False))
            ),
            "estimated": False,
        }
    table = DataSubject._meta.db_table
    restricted_sql, params = restricted.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint"
            f" ELSE (SELECT count(*) FROM {connection.ops.quote_name(table)}) END,"
            " c.reltuples >= %s,"
            f" (SELECT count(*) FROM ({restricted_sql}) r)"
            " FROM pg_class c WHERE c.oid = %s::regclass",
            [ESTIMATE_FROM, ESTIMATE_FROM, *params, table],
        )
        total, estimated, restricted_count = cursor.fetchone()
    if estimated:
        total = int(float(f"{total:.3g}"))
    return {"total": total, "restricted": restricted_count, "estimated": estimated}


def data_subjects_by_email(email: str) -> QuerySet[DataSubject]:
    return DataSubject.objects.filter(email=normalise_email(email))


def newsletter_recipients() -> QuerySet[NewsletterSubscription]:
    """Who may receive the newsletter now: confirmed subscriptions (double opt-in, or a
    client's soft opt-in) not unsubscribed, of people who did not object to direct
    marketing (Art. 21(3)) and whose processing is not restricted (Art. 18). Every
    mailing and every export to Mailchimp uses this, without the addresses on the
    suppression list (``subjects.newsletter.audience_rows``). A soft opt-in counts only
    while the person is a client (Tw art. 11.7(3): the client's own relationship)."""
    from subjects.models.newsletter import SOFT_OPT_IN_ROLES

    today = timezone.localdate()
    client = Exists(
        SubjectRole.objects.filter(
            subject_id=OuterRef("subject_id"), category__key__in=SOFT_OPT_IN_ROLES
        ).active_on(today)
    )
    return (
        NewsletterSubscription.objects.filter(
            unsubscribed_at__isnull=True,
            restricted_at__isnull=True,
            subject__isnull=False,
            subject__restricted_at__isnull=True,
            subject__marketing_objection_at__isnull=True,
        )
        .exclude(basis=NewsletterSubscription.Basis.CONSENT, confirmed_at__isnull=True)
        .filter(Q(basis=NewsletterSubscription.Basis.CONSENT) | client)
        .select_related("subject")
        .order_by("email", "pk")
    )


def data_subjects_for_export() -> QuerySet[DataSubject]:
    """Data subjects that may be included in an export to a recipient: restricted
    subjects (Art. 18) are left out."""
    return DataSubject.objects.filter(restricted_at__isnull=True)


# Staff intake pages and the dashboard. Every selector is one query whatever the number
# of rows.

# A contact message counts as new on the dashboard for this many days after receipt.
NEW_CONTACT_DAYS = 7


def contact_messages_incoming() -> QuerySet[ContactMessage]:
    """Contact messages and e-mails received, newest first."""
    return ContactMessage.objects.order_by("-received_at", "-pk")


def contact_messages_new(*, now: datetime.datetime | None = None) -> QuerySet[ContactMessage]:
    """Contact messages received in the last ``NEW_CONTACT_DAYS`` days."""
    now = now or timezone.now()
    return ContactMessage.objects.filter(
        received_at__gt=now - datetime.timedelta(days=NEW_CONTACT_DAYS)
    )


def contact_messages_new_count(*, now: datetime.datetime | None = None) -> int:
    return contact_messages_new(now=now).count()


def brochure_requests_for_follow_up() -> QuerySet[BrochureRequest]:
    """Brochure requests with what their follow-up needs (the call consent, the person,
    who followed up): those still to follow up first, the nearest deadline first; then
    those followed up, the latest first."""
    return BrochureRequest.objects.select_related(
        "call_consent", "subject", "followed_up_by"
    ).order_by(F("followed_up_at").desc(nulls_first=True), "requested_at", "pk")


def brochure_follow_ups_due_count(*, now: datetime.datetime | None = None) -> int:
    """Brochure requests whose follow-up call is still to be made and still allowed: an
    active consent to be called, the 3 months not over (``BrochureRequest.may_be_called``,
    the model's own rule, applied to each candidate), not restricted, no objection to
    direct marketing. One query; the candidates are the requests of the last 3 months
    (rule brochure-3m deletes older ones anyway)."""
    now = now or timezone.now()
    # Three months are never more than 92 days (1 June to 1 September): the window is
    # generous, and the exact limit (28 February for 30 November) is the model's.
    earliest = now - datetime.timedelta(days=31 * BrochureRequest.FOLLOW_UP_MONTHS + 1)
    requested = BrochureRequest.objects.filter(
        requested_at__gt=earliest,
        followed_up_at__isnull=True,
        restricted_at__isnull=True,
        call_consent__isnull=False,
        call_consent__purpose="brochure-call",
        call_consent__withdrawn_at__isnull=True,
    ).exclude(
        Q(subject__restricted_at__isnull=False) | Q(subject__marketing_objection_at__isnull=False)
    )
    return sum(
        1
        for requested_at in requested.values_list("requested_at", flat=True)
        if now < BrochureRequest(requested_at=requested_at).follow_up_due_at
    )


def consent_withdrawal_tasks_open(*, user: Any = None) -> QuerySet[RecipientTask]:
    """Open Art. 19 tasks made by consents withdrawn outside a rights request, oldest
    first, with the recipient and the person. A task about health data (an allergy or
    health consent) tells that the person had such data: only those allowed to see
    special-category data get it (``user``; all without one)."""
    from processing.models import SPECIAL_CATEGORY_PURPOSES
    from requests_dsar.models import RecipientTask
    from subjects.permissions import can_view_special_category

    tasks = RecipientTask.objects.filter(request__isnull=True, state=RecipientTask.State.OPEN)
    if user is not None and not can_view_special_category(user):
        tasks = tasks.exclude(consent__purpose__in=SPECIAL_CATEGORY_PURPOSES)
    return tasks.select_related("recipient", "consent__subject").order_by("created_at", "pk")


def intake_summary(*, now: datetime.datetime | None = None, user: Any = None) -> dict[str, Any]:
    """What the dashboard shows of the intake, in three queries (four on PostgreSQL, which
    also estimates the new messages): brochure follow-ups due,
    new contact messages, open Art. 19 tasks of consent withdrawals (those ``user`` may
    see)."""
    now = now or timezone.now()
    # Counted exactly up to a thousand (a busy week); beyond, "about" PostgreSQL's estimate.
    new_contact_messages, new_contact_estimated = count_up_to(
        contact_messages_new(now=now), NEW_CONTACT_EXACT_UP_TO
    )
    return {
        "follow_ups_due": brochure_follow_ups_due_count(now=now),
        "new_contact_messages": new_contact_messages,
        "new_contact_estimated": new_contact_estimated,
        "withdrawal_tasks_open": consent_withdrawal_tasks_open(user=user).count(),
        "new_contact_days": NEW_CONTACT_DAYS,
    }
