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

Every removal is in the audit trail of the person, and a recipient that holds a copy
(E2Grow, the Coaching Monitor, MeetIn, trainers/coaches, Mailchimp) gets an Art. 19 task
naming the person by number (Art. 19).
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


# What each recipient holding a copy is asked (Art. 19), in the staff's language.
TOLD = {
    "trainers-coaches": "Vragen de allergieën van de persoon uit de traineeshipgegevens te "
    "verwijderen",
    "coaching-monitor": "Vragen de voorletters, het geslacht, de leeftijd, de opleiding en de "
    "burgerlijke staat van de persoon te verwijderen, en de antwoorden niet te gebruiken "
    "voor onderzoek",
    "e2grow": "Vragen het profiel van de persoon te verbergen voor collega's",
    "meetin": "Vragen de gegevens te verwijderen die Leafspring voor studiereizen heeft "
    "doorgegeven",
    "mailchimp": "Vragen het adres af te melden voor de nieuwsbrief",
}
WHY = "vastgelegd zonder aantoonbare toestemming; verwijderd bij de invoering van het "
WHY += "toestemmingenregister"


class _Trail:
    """The audit events and Art. 19 tasks of what the migration removes: per person what
    went, and per recipient holding a copy a task naming the person by number."""

    def __init__(self, apps):
        self.AuditEvent = apps.get_model("subjects", "AuditEvent")
        self.RecipientTask = apps.get_model("requests_dsar", "RecipientTask")
        self.recipients = {
            r.key: r for r in apps.get_model("processing", "Recipient").objects.all()
        }

    def record(self, subject_ids, what, recipient_key=""):
        for subject_id in sorted({pk for pk in subject_ids if pk}):
            self.AuditEvent.objects.create(
                actor_label="system",
                action="consent.enforced",
                subject_id=subject_id,
                subject_reference=str(subject_id),
                note=f"{what}: {WHY}",
            )
            recipient = self.recipients.get(recipient_key)
            if recipient is not None:
                self.RecipientTask.objects.create(
                    recipient=recipient,
                    subject_reference=str(subject_id),
                    instruction=f"{TOLD[recipient_key]} (betrokkene #{subject_id}; {WHY}): "
                    f"{recipient.name}.",
                )


def enforce(apps, schema_editor):
    Consent = apps.get_model("processing", "Consent")
    TraineeProfile = apps.get_model("subjects", "TraineeProfile")
    Monitor = apps.get_model("subjects", "CoachingMonitorParticipation")
    E2GrowAccount = apps.get_model("subjects", "E2GrowAccount")
    StudyTripReferral = apps.get_model("subjects", "StudyTripReferral")
    BrochureRequest = apps.get_model("subjects", "BrochureRequest")
    Subscription = apps.get_model("subjects", "NewsletterSubscription")
    SubjectRole = apps.get_model("subjects", "SubjectRole")
    DataSubject = apps.get_model("subjects", "DataSubject")
    SuppressedAddress = apps.get_model("subjects", "SuppressedAddress")
    trail = _Trail(apps)
    now = timezone.now()

    def removed(rows, path, what, recipient_key="", **changes):
        trail.record(list(rows.values_list(path, flat=True)), what, recipient_key)
        if changes:
            rows.update(**changes)
        else:
            rows.delete()

    removed(
        TraineeProfile.objects.exclude(allergies="").exclude(
            _active(Consent, "allergies", "participation__participant")
        ),
        "participation__participant",
        "allergieën",
        "trainers-coaches",
        allergies="",
    )
    removed(
        Monitor.objects.filter(subject__isnull=False)
        .exclude(_active(Consent, "monitor-demographics"))
        .exclude(initials="", gender="", age=None, highest_education="", marital_status=""),
        "subject",
        "Coaching Monitor: voorletters, geslacht, leeftijd, opleiding, burgerlijke staat",
        "coaching-monitor",
        initials="",
        gender="",
        age=None,
        highest_education="",
        marital_status="",
        demographics_consent_at=None,
    )
    removed(
        Monitor.objects.filter(subject__isnull=False, research_consent=True).exclude(
            _active(Consent, "monitor-research")
        ),
        "subject",
        "Coaching Monitor: gebruik voor onderzoek",
        "coaching-monitor",
        research_consent=False,
    )
    removed(
        BrochureRequest.objects.exclude(phone="").exclude(
            call_consent__isnull=False, call_consent__withdrawn_at__isnull=True
        ),
        "subject",
        "telefoonnummer bij een brochureaanvraag",
        phone="",
    )
    removed(
        E2GrowAccount.objects.filter(profile_visible_to_colleagues=True).exclude(
            _active(Consent, "e2grow-visibility")
        ),
        "subject",
        "E2Grow: profiel zichtbaar voor collega's",
        "e2grow",
        profile_visible_to_colleagues=False,
    )
    StudyTripReferral.objects.filter(shared_at__isnull=False).update(created_at=F("shared_at"))
    unfounded = StudyTripReferral.objects.exclude(
        consent__purpose="meetin", consent__withdrawn_at=None
    )
    removed(
        unfounded.filter(shared_at__isnull=False),
        "subject",
        "doorverwijzing naar MeetIn (doorgegeven)",
        "meetin",
    )
    removed(unfounded, "subject", "doorverwijzing naar MeetIn")

    for subscription in Subscription.objects.select_related("subject"):
        subscription.token_hash = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()
        subscription.confirmed_at = subscription.subscribed_at
        if subscription.subject_id:
            subscription.first_name = subscription.subject.first_name
            subscription.language = subscription.subject.language
        subscription.save(update_fields=["token_hash", "confirmed_at", "first_name", "language"])
    removed(
        Subscription.objects.filter(basis="consent", unsubscribed_at__isnull=True).exclude(
            _active(Consent, "newsletter")
        ),
        "subject",
        "nieuwsbrief gestopt",
        "mailchimp",
        unsubscribed_at=now,
    )
    buyer = Exists(
        SubjectRole.objects.filter(subject_id=OuterRef("subject"), category__key__in=BUYER_ROLES)
    )
    removed(
        Subscription.objects.filter(basis="soft-opt-in", unsubscribed_at__isnull=True).exclude(
            buyer
        ),
        "subject",
        "nieuwsbrief gestopt (geen klant)",
        "mailchimp",
        unsubscribed_at=now,
    )

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
        ("requests_dsar", "0005_recipient_task_for_consent"),
    ]

    operations = [migrations.RunPython(enforce, migrations.RunPython.noop)]
