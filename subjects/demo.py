"""Realistic Dutch demo data: a person of every category of data subjects, with rows in
every registered model, some old enough for each retention rule to act on.

Idempotent: every record has a natural key (an e-mail address, an invoice number, a
page path ...) and is only created when missing, so loading twice gives the same data.
Dates are relative to the first load.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from processing.models import (
    Art14Notice,
    Consent,
    ConsentMethod,
    ConsentPageLink,
    ConsentText,
    ProcessingActivity,
    SubjectCategory,
)
from requests_dsar.tokens import token_new
from subjects import models as m
from subjects.consents import consent_withdraw
from subjects.registry import registry
from subjects.suppression import address_suppress

DEMO_DOMAIN = "example.nl"

# first name, last name, e-mail local part, city, roles (category keys), language
PEOPLE = [
    ("Sanne", "de Vries", "sanne.devries", "Doetinchem", ["client", "newsletter-subscriber"], "nl"),
    ("Daan", "Jansen", "daan.jansen", "Zutphen", ["contact-requester"], "nl"),
    ("Fleur", "Bakker", "fleur.bakker", "Winterswijk", ["brochure-requester"], "nl"),
    ("Thomas", "Visser", "thomas.visser", "Lochem", ["newsletter-subscriber"], "en"),
    ("Lotte", "Smit", "lotte.smit", "Groenlo", ["trainee"], "nl"),
    ("Bram", "Meijer", "bram.meijer", "Aalten", ["trainee"], "nl"),
    ("Eva", "de Boer", "eva.deboer", "Lichtenvoorde", ["mentor"], "nl"),
    ("Marieke", "Mulder", "marieke.mulder", "Heelweg", ["trainer-coach", "supplier-contact"], "nl"),
    ("Joost", "de Groot", "joost.degroot", "Doetinchem", ["client-organisation-contact"], "nl"),
    ("Anouk", "Bos", "anouk.bos", "Borculo", ["newsletter-subscriber"], "nl"),
    ("Ruben", "Vos", "ruben.vos", "Eibergen", ["supplier-contact"], "nl"),
    ("Iris", "Peters", "iris.peters", "Ulft", ["client"], "nl"),
]


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _ensure(model: type[Model], lookup: dict[str, Any], defaults: dict[str, Any]) -> Any:
    """The first row matching ``lookup``, created when there is none. Rows are never
    changed: what someone did with the demo since it was loaded (a consent withdrawn,
    a second sign-up) stays as it is."""
    existing = model._default_manager.filter(**lookup).order_by("pk").first()
    return existing or model._default_manager.create(**lookup, **defaults)


def _sign_in_record(
    model: type[Model], username: str, address: str, at: datetime.datetime, **fields: Any
) -> None:
    """A row of django-axes' sign-in tables at ``at`` (its time is set on creation, so
    it is moved afterwards), made once."""
    lookup = {"username": username, "ip_address": address}
    if model._default_manager.filter(**lookup).exists():
        return
    if model is AccessAttempt:
        fields = {"get_data": "", "post_data": "", **fields}
    row = model._default_manager.create(
        **lookup,
        user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/128.0",
        http_accept="text/html",
        path_info="/account/login/",
        **fields,
    )
    model._default_manager.filter(pk=row.pk).update(attempt_time=at)


def _consent(
    person: m.DataSubject, purpose: str, given_at: datetime.datetime, **extra: Any
) -> Consent:
    """A consent on the first wording of ``purpose``, recorded before the data that
    rests on it (the models refuse that data without it)."""
    text = ConsentText.objects.filter(purpose=purpose).order_by("version").first()
    latest = Consent.objects.filter(subject=person, purpose=purpose).order_by("-given_at").first()
    if latest is not None:
        return latest
    return _ensure(
        Consent,
        {"subject": person, "purpose": purpose},
        {
            "activity_id": text.activity_id,
            "text": text,
            "language": person.language,
            "given_at": given_at,
            "given_method": "paper",
            "given_via": "Demo: intakeformulier traineeship, ondertekend",
            **extra,
        },
    )


@transaction.atomic
def demo_data_load(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Create the demo data where missing; returns how many rows each model now has."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = datetime.timedelta

    categories = {c.key: c for c in SubjectCategory.objects.all()}
    people: dict[str, m.DataSubject] = {}
    for first, last, local, city, roles, language in PEOPLE:
        person = _ensure(
            m.DataSubject,
            {"email": _email(local)},
            {
                "first_name": first,
                "last_name": last,
                "phone": "06 " + str(10000000 + len(people) * 1234567)[:8],
                "street_address": f"Kerkstraat {len(people) + 1}",
                "postcode": f"70{len(people) + 10}AB",
                "city": city,
                "language": language,
            },
        )
        people[local] = person
        for key in roles:
            _ensure(
                m.SubjectRole,
                {"subject": person, "category": categories[key]},
                {"started_on": today - days(400)},
            )

    organisation = _ensure(
        m.Organisation,
        {"name": "Gemeente Oost Gelre"},
        {
            "street_address": "Raadhuisstraat 1",
            "postcode": "7141AB",
            "city": "Groenlo",
            "email": "info@oostgelre.example.nl",
            "is_client": True,
        },
    )
    coach_company = _ensure(
        m.Organisation,
        {"name": "Mulder Coaching"},
        {"city": "Heelweg", "is_supplier": True, "email": "marieke@mulder.example.nl"},
    )
    old_supplier = _ensure(
        m.Organisation,
        {"name": "Vos Drukwerk"},
        {"city": "Eibergen", "is_supplier": True},
    )
    m.SubjectRole.objects.filter(
        subject__in=[people["joost.degroot"], people["lotte.smit"], people["bram.meijer"]],
        organisation__isnull=True,
    ).update(organisation=organisation)

    # Website security log: recent visits and visits older than four weeks (rule ip-4w).
    for i, age in enumerate([0, 1, 3, 10, 27, 29, 35, 60]):
        _ensure(
            m.WebsiteVisit,
            {"path": f"/demo/bezoek-{i}"},
            {
                "ip_address": f"203.0.113.{i + 10}",
                "operating_system": ["Windows", "macOS", "Android", "iOS"][i % 4],
                "browser": ["Firefox", "Chrome", "Safari", "Edge"][i % 4],
                "visited_at": now - days(days=age),
            },
        )

    # Staff sign-ins (rule login-4w): a failed attempt and sign-ins, recent and older
    # than four weeks; and the read log (rule reads-1y): who opened whose page.
    for model, username, address, age, fields in [
        (AccessAttempt, "privacy", "203.0.113.50", 2, {"failures_since_start": 2}),
        (AccessAttempt, "admin", "203.0.113.51", 35, {"failures_since_start": 5}),
        (AccessFailureLog, "admin", "203.0.113.51", 35, {"locked_out": True}),
        (AccessLog, "privacy", "198.51.100.20", 1, {}),
        (AccessLog, "privacy", "198.51.100.21", 30, {}),
    ]:
        _sign_in_record(model, username, address, now - days(days=age), **fields)
    for person, age in [(people["daan.jansen"], 10), (people["fleur.bakker"], 400)]:
        _ensure(
            m.ReadEvent,
            {"action": "read.subject", "subject": person, "actor_label": "privacy"},
            {"subject_reference": str(person.pk), "at": now - days(days=age)},
        )

    daan = people["daan.jansen"]
    _ensure(
        m.ContactMessage,
        {"subject": daan, "channel": m.ContactMessage.Channel.FORM},
        {
            "first_name": daan.first_name,
            "last_name": daan.last_name,
            "phone": daan.phone,
            "email": daan.email,
            "message": "Ik wil graag teruggebeld worden over coaching voor mijn team.",
            "received_at": now - days(days=120),
        },
    )
    _ensure(
        m.ContactMessage,
        {"subject": daan, "channel": m.ContactMessage.Channel.EMAIL},
        {
            "first_name": daan.first_name,
            "last_name": daan.last_name,
            "email": daan.email,
            "message": "Bedankt voor het gesprek, ik kom erop terug.",
            "received_at": now - days(days=5),
        },
    )

    fleur = people["fleur.bakker"]
    call_consent = _consent(
        fleur,
        "brochure-call",
        now - days(days=12),
        given_method="web-form",
        given_via="brochure-form",
    )
    for i, age in enumerate((100, 12) if not fleur.brochure_requests.exists() else ()):
        # The phone number only with the consent to be called (the recent request).
        _ensure(
            m.BrochureRequest,
            {"subject": fleur, "phone": f"06 2000000{i}" if age < 90 else ""},
            {
                "first_name": fleur.first_name,
                "last_name": fleur.last_name,
                "email": fleur.email,
                "requested_at": now - days(days=age),
                "brochure_sent_at": now - days(days=age - 1),
                "call_consent": call_consent if age < 90 else None,
            },
        )
    # A brochure request that came in through the form without anyone linking it yet.
    _ensure(
        m.BrochureRequest,
        {"email": "kim.hendriks@example.nl"},
        {
            "first_name": "Kim",
            "last_name": "Hendriks",
            "requested_at": now - days(days=80),
            "brochure_sent_at": now - days(days=80),
        },
    )

    coach = people["marieke.mulder"]
    mentor = people["eva.deboer"]
    trajectories = [
        ("Traineeship Oost Gelre 2026", "lotte.smit", None),  # running
        ("Traineeship Oost Gelre 2025", "bram.meijer", 40),  # ended 40 days ago
    ]
    for title, local, ended_days_ago in trajectories:
        trainee = people[local]
        _consent(trainee, "allergies", now - days(days=300))
        _consent(trainee, "monitor-demographics", now - days(days=289))
        _consent(trainee, "monitor-research", now - days(days=289))
        if local == "lotte.smit":
            _consent(trainee, "coaching-health", now - days(days=250))
        _consent(
            trainee,
            "e2grow-visibility",
            now - days(days=200),
            given_method="web-form",
            given_via="Demo: E2Grow-instellingen",
        )
        trajectory = _ensure(
            m.Trajectory,
            {"title": title},
            {
                "kind": m.Trajectory.Kind.TRAINEESHIP,
                "organisation": organisation,
                "coach": coach,
                "started_on": today - days(days=300),
                "ended_on": today - days(days=ended_days_ago) if ended_days_ago else None,
            },
        )
        participation = _ensure(
            m.TrajectoryParticipant,
            {"trajectory": trajectory, "participant": trainee},
            {"mentor": mentor},
        )
        _ensure(
            m.TraineeProfile,
            {"participation": participation},
            {
                "job_title": "Trainee beleidsadviseur",
                "education": "HBO Bestuurskunde, Saxion",
                "work_experience": "Bijbaan klantenservice, stage gemeente",
                "allergies": "Notenallergie" if local == "lotte.smit" else "",
            },
        )
        _ensure(
            m.CoachingNote,
            {"trajectory": trajectory, "participant": trainee, "mentions_health": False},
            {
                "written_at": now - days(days=60),
                "content": "Gesprek over doelen voor het komende half jaar en ervaren werkdruk.",
            },
        )
        health_consent = Consent.objects.filter(
            subject=trainee, purpose="coaching-health", withdrawn_at=None
        ).exists()
        if health_consent:  # not again once Lotte withdrew it
            _ensure(
                m.CoachingNote,
                {"trajectory": trajectory, "participant": trainee, "mentions_health": True},
                {
                    "written_at": now - days(days=30),
                    "content": "Slaapt slecht door de werkdruk; huisarts ingeschakeld.",
                },
            )
        _ensure(
            m.CoachingMonitorParticipation,
            {"trajectory": trajectory, "subject": trainee},
            {
                "invited_at": now - days(days=290),
                "demographics_consent_at": now - days(days=289),
                "research_consent": True,
                "initials": trainee.first_name[0] + ".",
                "gender": "vrouw" if local == "lotte.smit" else "man",
                "age": 24,
                "highest_education": "HBO",
                "marital_status": "ongehuwd",
                "answers": {"doelen": 4, "samenwerking": 5, "voortgang": 4},
            },
        )
        _ensure(
            m.CliftonStrengthsAccount,
            {"subject": trainee},
            {
                "external_id": f"GALLUP-{trainee.pk:05d}",
                "results": {"top5": ["Learner", "Achiever", "Relator", "Focus", "Input"]},
                "deletion_requested_at": now - days(days=2) if ended_days_ago else None,
            },
        )
        _ensure(
            m.E2GrowAccount,
            {"subject": trainee},
            {
                "external_id": f"e2g-{trainee.pk}",
                "company_name": organisation.name,
                "job_title": "Trainee",
                "number_of_employees": 350,
                # Hidden unless the person opted in (a recorded consent).
                "profile_visible_to_colleagues": True,
            },
        )
        if local == "bram.meijer":
            # Bram withdrew his opt-in on the consent page: his profile is hidden again
            # at once, and staff have an Art. 19 task to hide it at E2Grow too.
            consent_withdraw(
                consents=list(
                    Consent.objects.filter(
                        subject=trainee, purpose="e2grow-visibility", withdrawn_at=None
                    )
                ),
                actor=None,
                method=ConsentMethod.PREFERENCES,
                via="consent-page",
            )

    for i, (years_ago, score) in enumerate([(6, 8), (2, 9), (0, 7)]):
        _ensure(
            m.ClientEvaluation,
            {"comments": f"Demo-evaluatie {i + 1}: traject als waardevol ervaren."},
            {
                "trajectory_kind": m.Trajectory.Kind.COACHING,
                "evaluated_on": today.replace(year=today.year - years_ago, day=1),
                "score": score,
            },
        )

    # Coaching Monitor answers anonymised for research at the end of earlier trajectories
    # (rule monitor-end, with consent for research); rule nobco-5y deletes them 5 years
    # after the anonymisation, so one of them has run out.
    for years_ago, answers in [(6, {"doelen": 3, "voortgang": 4}), (1, {"doelen": 5})]:
        anonymised_on = today.replace(year=today.year - years_ago, day=1)
        _ensure(
            m.CoachingMonitorParticipation,
            {
                "subject": None,
                "anonymised_at": timezone.make_aware(
                    datetime.datetime.combine(anonymised_on, datetime.time.min)
                ),
            },
            {"trajectory": None, "invited_at": None, "research_consent": True, "answers": answers},
        )

    invoices = [
        ("DEMO-2018-001", "iris.peters", datetime.date(today.year - 8, 3, 15), Decimal("950.00")),
        (
            "DEMO-2024-014",
            "sanne.devries",
            datetime.date(today.year - 2, 3, 15),
            Decimal("1450.00"),
        ),
        ("DEMO-NOW-003", "sanne.devries", datetime.date(today.year, 3, 15), Decimal("725.00")),
        # Sanne's latest coaching session, sold three weeks ago: her newsletter's soft
        # opt-in rests on it.
        ("DEMO-RECENT-005", "sanne.devries", today - days(days=21), Decimal("180.00")),
    ]
    for number, local, issued_on, amount in invoices:
        person = people[local]
        _ensure(
            m.Invoice,
            {"number": number},
            {
                "subject": person,
                "issued_on": issued_on,
                "billing_name": person.full_name,
                "street_address": person.street_address,
                "postcode": person.postcode,
                "city": person.city,
                "email": person.email,
                "amount": amount,
                "paid_on": issued_on + days(days=17),
                "bank_account": "NL91ABNA0417164300",
                "account_holder": person.full_name,
            },
        )
    _ensure(
        m.Invoice,
        {"number": "DEMO-ORG-007"},
        {
            "organisation": organisation,
            "subject": people["joost.degroot"],
            "issued_on": today - days(days=90),
            "billing_name": organisation.name,
            "street_address": organisation.street_address,
            "postcode": organisation.postcode,
            "city": organisation.city,
            "email": organisation.email,
            "amount": Decimal("18500.00"),
            "bank_account": "NL20INGB0001234567",
            "account_holder": organisation.name,
        },
    )
    # The newsletter: a client by soft opt-in (on her latest invoice), subscribers by
    # consent (confirmed through the double opt-in), one unsubscribed 7+ weeks ago (rule
    # unsubscribe-6w deletes it) and one 10 days ago, and a sign-up not yet confirmed.
    subscriptions = [
        ("sanne.devries", m.NewsletterSubscription.Basis.SOFT_OPT_IN, None),
        ("thomas.visser", m.NewsletterSubscription.Basis.CONSENT, None),
        ("anouk.bos", m.NewsletterSubscription.Basis.CONSENT, 50),
        ("fleur.bakker", m.NewsletterSubscription.Basis.CONSENT, 10),
    ]
    for local, basis, unsubscribed_days in subscriptions:
        person = people[local]
        unsubscribed_at = now - days(days=unsubscribed_days) if unsubscribed_days else None
        consent = basis == m.NewsletterSubscription.Basis.CONSENT
        if consent:
            _consent(
                person,
                "newsletter",
                now - days(days=300),
                given_method="web-form",
                given_via="newsletter-form+double-opt-in",
                withdrawn_at=unsubscribed_at,
                withdrawn_method="unsubscribe-link" if unsubscribed_at else "",
            )
        _ensure(
            m.NewsletterSubscription,
            {"subject": person},
            {
                "email": person.email,
                "first_name": person.first_name,
                "language": person.language,
                "basis": basis,
                "source": m.NewsletterSubscription.Source.NEWSLETTER_FORM
                if consent
                else m.NewsletterSubscription.Source.STAFF,
                "consent_text": ConsentText.objects.current("newsletter") if consent else None,
                # A soft opt-in is recorded with its sale, when the address is collected
                # (its opt-out moment cannot be back-dated): Sanne's is her recent one.
                "subscribed_at": now - days(days=300) if consent else now,
                "confirmed_at": now - days(days=300) if consent else None,
                "unsubscribed_at": unsubscribed_at,
                "sale": None if consent else m.Invoice.objects.get(number="DEMO-RECENT-005"),
                # Random link tokens: the demo's links are as unguessable as real ones.
                "token_hash": token_new()[1],
            },
        )
        if unsubscribed_at:
            address_suppress(email=person.email, reason=m.SuppressedAddress.Reason.UNSUBSCRIBED)
    _ensure(
        m.NewsletterSubscription,
        {"email": "nieuwe.lezer@example.nl"},
        {
            "first_name": "Noor",
            "basis": m.NewsletterSubscription.Basis.CONSENT,
            "source": m.NewsletterSubscription.Source.NEWSLETTER_FORM,
            "consent_text": ConsentText.objects.current("newsletter"),
            "subscribed_at": now - days(days=2),
            "token_hash": token_new()[1],
        },
    )

    # Thomas asked for a link to the consent page (valid 24 hours; only its hash is kept,
    # so the demo's link works for no one).
    _ensure(
        ConsentPageLink,
        {"email": people["thomas.visser"].email},
        {
            "language": people["thomas.visser"].language,
            "token_hash": token_new()[1],
            "expires_at": now + days(hours=24),
        },
    )
    for subject_line, local, sent in [
        ("Offerte coachingtraject", "iris.peters", datetime.datetime(today.year - 8, 2, 1)),
        ("Planning traineeship", "joost.degroot", datetime.datetime(today.year, 1, 10)),
    ]:
        person = people[local]
        _ensure(
            m.Correspondence,
            {"subject": person, "subject_line": subject_line},
            {
                "direction": m.Correspondence.Direction.OUTGOING,
                "counterpart_email": person.email,
                "body": "Zie de bijgevoegde stukken.",
                "sent_at": timezone.make_aware(sent),
            },
        )
    for org, contact, last_invoice in [
        (coach_company, coach, today - days(days=30)),
        (old_supplier, people["ruben.vos"], datetime.date(today.year - 8, 6, 30)),
    ]:
        _ensure(
            m.SupplierDetails,
            {"organisation": org},
            {
                "contact": contact,
                "kvk_number": f"{80000000 + org.pk}",
                "vat_number": f"NL{800000000 + org.pk}B01",
                "bank_account": "NL02RABO0123456789",
                "account_holder": org.name,
                "last_invoice_on": last_invoice,
            },
        )

    iris = people["iris.peters"]
    trip_consent = _consent(
        iris,
        "meetin",
        now - days(days=30),
        given_method="email",
        given_via="Demo: e-mail van Iris Peters over de studiereis",
    )
    if trip_consent.is_active:  # not again once Iris withdrew it
        _ensure(
            m.StudyTripReferral,
            {"subject": iris, "consent": trip_consent},
            {
                "company_name": "Peters Advies",
                "created_at": now - days(days=30),
                "shared_at": now - days(days=29),
            },
        )
    # Art. 14: the mentor and one trainee were e-mailed what is done with the data their
    # employer gave; the other people named by someone else wait for the daily job.
    activities = {a.key: a for a in ProcessingActivity.objects.all()}
    for local, key in [("eva.deboer", "mentor"), ("lotte.smit", "traineeship-participants")]:
        person = people[local]
        _ensure(
            Art14Notice,
            {"subject": person, "activity": activities[key]},
            {"language": person.language, "sent_at": now},
        )
    return {entry.label: entry.model._default_manager.count() for entry in registry}
