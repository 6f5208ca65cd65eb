"""Data held today without the consent it needs is brought into line with the consent
ledger (a consent that cannot be proven does not count, Art. 7(1)):

- allergies, Coaching Monitor demographics and research use, E2Grow visibility, and the
  phone number of a brochure request (only for the call, which needs its consent)
  without an active consent for their purpose are removed (visibility: hidden);
- MeetIn referrals resting on a consent that is withdrawn, or is not the MeetIn consent,
  are deleted;
- newsletter subscriptions by consent without an active newsletter consent, and soft
  opt-ins of people who did not buy a service themselves, stop (the 6-week clock starts);
- the plain unsubscribe tokens are replaced by hashes of new random tokens (none of the
  old ones was ever sent), and the existing subscriptions count as confirmed;
- the addresses of people who objected to direct marketing, and of subscriptions that
  were unsubscribed, go on the suppression list (a keyed hash), so the objection outlives
  the person.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import migrations
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

BUYER_ROLES = ("client", "client-organisation-contact")


def _active(Consent, purpose, path="subject"):
    return Exists(
        Consent.objects.filter(
            subject_id=OuterRef(path), purpose=purpose, withdrawn_at__isnull=True
        )
    )


def _suppress(SuppressedAddress, email, reason):
    email = (email or "").strip().lower()
    if not email:
        return
    version, _, key = settings.SUPPRESSION_HASH_KEYS[0].partition(":")
    digest = hmac.new(key.encode(), email.encode(), hashlib.sha256).hexdigest()
    SuppressedAddress.objects.get_or_create(
        key_version=version.strip(), digest=digest, defaults={"reason": reason}
    )


def enforce(apps, schema_editor):
    Consent = apps.get_model("processing", "Consent")
    TraineeProfile = apps.get_model("subjects", "TraineeProfile")
    Monitor = apps.get_model("subjects", "CoachingMonitorParticipation")
    E2GrowAccount = apps.get_model("subjects", "E2GrowAccount")
    StudyTripReferral = apps.get_model("subjects", "StudyTripReferral")
    Subscription = apps.get_model("subjects", "NewsletterSubscription")
    SubjectRole = apps.get_model("subjects", "SubjectRole")
    DataSubject = apps.get_model("subjects", "DataSubject")
    SuppressedAddress = apps.get_model("subjects", "SuppressedAddress")
    now = timezone.now()

    TraineeProfile.objects.exclude(allergies="").exclude(
        _active(Consent, "allergies", "participation__participant")
    ).update(allergies="")
    Monitor.objects.filter(subject__isnull=False).exclude(
        _active(Consent, "monitor-demographics")
    ).update(
        initials="",
        gender="",
        age=None,
        highest_education="",
        marital_status="",
        demographics_consent_at=None,
    )
    Monitor.objects.filter(subject__isnull=False, research_consent=True).exclude(
        _active(Consent, "monitor-research")
    ).update(research_consent=False)
    BrochureRequest = apps.get_model("subjects", "BrochureRequest")
    BrochureRequest.objects.exclude(phone="").exclude(
        call_consent__isnull=False, call_consent__withdrawn_at__isnull=True
    ).update(phone="")
    E2GrowAccount.objects.filter(profile_visible_to_colleagues=True).exclude(
        _active(Consent, "e2grow-visibility")
    ).update(profile_visible_to_colleagues=False)
    StudyTripReferral.objects.update(created_at=F("shared_at"))
    StudyTripReferral.objects.exclude(consent__purpose="meetin", consent__withdrawn_at=None).delete()

    for subscription in Subscription.objects.select_related("subject"):
        subscription.token_hash = hashlib.sha256(
            secrets.token_urlsafe(32).encode()
        ).hexdigest()
        subscription.confirmed_at = subscription.subscribed_at
        if subscription.subject_id:
            subscription.first_name = subscription.subject.first_name
            subscription.language = subscription.subject.language
        subscription.save(update_fields=["token_hash", "confirmed_at", "first_name", "language"])
    Subscription.objects.filter(basis="consent", unsubscribed_at__isnull=True).exclude(
        _active(Consent, "newsletter")
    ).update(unsubscribed_at=now)
    buyer = Exists(
        SubjectRole.objects.filter(subject_id=OuterRef("subject"), category__key__in=BUYER_ROLES)
    )
    Subscription.objects.filter(basis="soft-opt-in", unsubscribed_at__isnull=True).exclude(
        buyer
    ).update(unsubscribed_at=now)

    for email in DataSubject.objects.filter(marketing_objection_at__isnull=False).values_list(
        "email", flat=True
    ):
        _suppress(SuppressedAddress, email, "objected")
    for email in Subscription.objects.filter(unsubscribed_at__lt=now).values_list(
        "email", flat=True
    ):
        _suppress(SuppressedAddress, email, "unsubscribed")


class Migration(migrations.Migration):
    dependencies = [
        ("subjects", "0004_consent_ledger"),
        ("processing", "0004_intake_register"),
    ]

    operations = [migrations.RunPython(enforce, migrations.RunPython.noop)]
