from __future__ import annotations

from django.db.models import QuerySet

from subjects.models import DataSubject, NewsletterSubscription
from subjects.services import normalise_email


def data_subjects_by_email(email: str) -> QuerySet[DataSubject]:
    return DataSubject.objects.filter(email=normalise_email(email))


def newsletter_recipients() -> QuerySet[NewsletterSubscription]:
    """Who may receive the newsletter now: confirmed subscriptions (double opt-in, or a
    client's soft opt-in) not unsubscribed, of people who did not object to direct
    marketing (Art. 21(3)) and whose processing is not restricted (Art. 18). Every
    mailing and every export to Mailchimp uses this, without the addresses on the
    suppression list (``subjects.newsletter.audience_rows``)."""
    return (
        NewsletterSubscription.objects.filter(
            unsubscribed_at__isnull=True,
            restricted_at__isnull=True,
            subject__isnull=False,
            subject__restricted_at__isnull=True,
            subject__marketing_objection_at__isnull=True,
        )
        .exclude(basis=NewsletterSubscription.Basis.CONSENT, confirmed_at__isnull=True)
        .select_related("subject")
        .order_by("email", "pk")
    )


def data_subjects_for_export() -> QuerySet[DataSubject]:
    """Data subjects that may be included in an export to a recipient: restricted
    subjects (Art. 18) are left out."""
    return DataSubject.objects.filter(restricted_at__isnull=True)
