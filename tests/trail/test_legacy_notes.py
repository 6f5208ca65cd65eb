"""The notes stored before the trails held codes with parameters: every pattern the
application ever wrote becomes parameters (what a staff member typed stays a note), the
result renders in both languages, and after the migration no machine-written note is
left. Anything the patterns do not know stays, as text a person wrote."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import translation

from requests_dsar.models import RequestEvent
from subjects.models import AuditEvent
from subjects.trail import TRAIL_MESSAGES, trail_text
from subjects.trail.legacy import audit_note_convert, notes_convert, request_note_convert
from tests import factories as f
from tests.requests_dsar.factories import verified_request

WHY = (
    "vastgelegd zonder aantoonbare toestemming; verwijderd bij de invoering van het "
    "toestemmingenregister"
)

# (action, old note) -> (params, what stays a note)
AUDIT_SAMPLES = [
    ("subject.update", "rectification V-ABCD2345", {"reference": "V-ABCD2345"}, ""),
    ("trainee-profile.update", "rectification V-ABCD2345", {"reference": "V-ABCD2345"}, ""),
    ("subject.role-end", "2025-06-30", {"ended_on": "2025-06-30"}, ""),
    (
        "subject.restrict",
        "Art. 18 AVG (V-ABCD2345) klopt niet",
        {"ground": "Art. 18 AVG (V-ABCD2345) klopt niet"},
        "",
    ),
    (
        "subject.restriction-lift",
        "told on 2025-01-02 by telefonisch, Piet",
        {"told_on": "2025-01-02"},
        "telefonisch, Piet",
    ),
    ("newsletter.stop", "V-ABCD2345", {"reference": "V-ABCD2345"}, ""),
    ("newsletter.stop", "consent withdrawn", {"reason": "consent-withdrawn"}, ""),
    ("newsletter.stop", "unsubscribe-page", {"via": "unsubscribe-page"}, ""),
    ("newsletter.stop", "mailchimp-unsubscribe", {"via": "mailchimp-unsubscribe"}, ""),
    (
        "newsletter.stop",
        "mailchimp-upemail: the new address may not be mailed",
        {"via": "mailchimp-upemail", "reason": "new-address-suppressed"},
        "",
    ),
    ("subject.marketing-objection", "V-ABCD2345", {"reference": "V-ABCD2345"}, ""),
    ("subject.marketing-objection", "mailchimp-complaint", {"via": "mailchimp-complaint"}, ""),
    ("subject.marketing-objection-lifted", "own double opt-in", {}, ""),
    (
        "subject.link-unlinked-rows",
        "2 row(s) with this e-mail address linked",
        {"count": 2},
        "",
    ),
    (
        "subject.erase",
        "request V-ABCD2345; kept restricted (legal hold)",
        {"reference": "V-ABCD2345", "kept": True},
        "",
    ),
    ("subject.erase", "request V-ABCD2345; erased", {"reference": "V-ABCD2345", "kept": False}, ""),
    (
        "subject.erase-accounts",
        "request V-ABCD2345: only clifton-strengths, e2grow",
        {"reference": "V-ABCD2345", "activities": ["clifton-strengths", "e2grow"]},
        "",
    ),
    (
        "subject.objection-upheld",
        "request V-ABCD2345: brochure, newsletter",
        {"reference": "V-ABCD2345", "activities": ["brochure", "newsletter"]},
        "",
    ),
    (
        "consent.withdraw",
        "request V-ABCD2345: newsletter",
        {"reference": "V-ABCD2345", "activities": ["newsletter"]},
        "",
    ),
    (
        "consent.withdraw",
        "allergies (preferences)",
        {"purpose": "allergies", "consent_method": "preferences"},
        "",
    ),
    (
        "consent.give",
        "newsletter v2 (en)",
        {"purpose": "newsletter", "version": 2, "language": "en"},
        "",
    ),
    (
        "consent-text.new-version",
        "newsletter v1 -> v2",
        {"purpose": "newsletter", "from_version": 1, "to_version": 2},
        "",
    ),
    ("consent.enforced", f"allergieën: {WHY}", {"removed": "allergies"}, ""),
    (
        "consent.enforced",
        f"Coaching Monitor: voorletters, geslacht, leeftijd, opleiding, burgerlijke staat: {WHY}",
        {"removed": "monitor-demographics"},
        "",
    ),
    (
        "consent.enforced",
        f"nieuwsbrief gestopt (geen klant): {WHY}",
        {"removed": "newsletter-not-client"},
        "",
    ),
    (
        "consent.withdrawal-task-done",
        "MeetIn: gebeld met Karin",
        {"recipient": "MeetIn"},
        "gebeld met Karin",
    ),
    ("consent.withdrawal-task-not-possible", "Zoom", {"recipient": "Zoom"}, ""),
    ("retention.review-keep", "next review 2025-09-01", {"next_review_on": "2025-09-01"}, ""),
    (
        "retention.suppression-reduce",
        "kept only for the objection to direct marketing (Art. 21(3))",
        {},
        "",
    ),
    ("newsletter.email-change", "mailchimp-upemail", {"via": "mailchimp-upemail"}, ""),
    ("newsletter.audience-export", "12 addresses", {"count": 12}, ""),
    (
        "newsletter.mailchimp-needs-reconfirmation",
        "refused by Mailchimp on push",
        {"during": "push"},
        "",
    ),
    (
        "newsletter.mailchimp-needs-reconfirmation",
        "refused by Mailchimp on reconcile",
        {"during": "reconcile"},
        "",
    ),
    (
        "mailchimp.reconcile",
        "fix=suppressed here=4 there=5 missing_there=1 status_differences=0 there_not_here=2 "
        "suppressed_there=1 explained=0 subscribed=0 unsubscribed=1 archived=0 "
        "needs_reconfirmation=0 failed=0",
        {
            "fix": "suppressed",
            "here": 4,
            "there": 5,
            "missing_there": 1,
            "status_differences": 0,
            "there_not_here": 2,
            "suppressed_there": 1,
            "explained": 0,
            "subscribed": 0,
            "unsubscribed": 1,
            "archived": 0,
            "needs_reconfirmation": 0,
            "failed": 0,
        },
        "",
    ),
    (
        "mailchimp.reconcile",
        "fix=all here=0 there=0 error=Mailchimp 500: Internal Server Error",
        {"fix": "all", "here": 0, "there": 0, "error": "Mailchimp 500: Internal Server Error"},
        "",
    ),
]

REQUEST_SAMPLES = [
    ("verified", "linked automatically to 1 data subject(s) by e-mail", {"count": 1}, ""),
    ("verified", "linked automatically to 0 data subject(s) by e-mail", {"count": 0}, ""),
    ("subject-linked", "data subject #12", {"subject": 12, "other_address": False}, ""),
    (
        "subject-linked",
        "data subject #12; e-mail address differs from the verified one: staff identity "
        "check required",
        {"subject": 12, "other_address": True},
        "",
    ),
    ("subject-unlinked", "data subject #12", {"subject": 12}, ""),
    ("staff-verified", "call-back", {"verification_method": "call-back"}, ""),
    (
        "staff-verification-cleared",
        "na de controle is nog een betrokkene onder een ander e-mailadres gekoppeld",
        {"reason": "other-address"},
        "",
    ),
    (
        "staff-verification-cleared",
        "special-category data was linked; the check was recorded by someone without access "
        "to special-category data",
        {"reason": "special-category"},
        "",
    ),
    ("duplicate", "V-ABCD2345", {"reference": "V-ABCD2345"}, ""),
    ("recipient-task-done", "Mailchimp", {"recipient": "Mailchimp"}, ""),
    (
        "recipient-task-not-possible",
        "Zoom: account al verwijderd",
        {"recipient": "Zoom"},
        "account al verwijderd",
    ),
    ("access-package-built", "7 kinds of data", {"count": 7}, ""),
    ("portability-sent", "piet@nieuwewerkgever.example", {}, ""),
    ("portability-send-failed", "piet@nieuwewerkgever.example", {}, ""),
    (
        "erasure-carried-out",
        "only clifton-strengths, e2grow",
        {"activities": ["clifton-strengths", "e2grow"]},
        "",
    ),
    ("restricted", "3 rows", {"count": 3}, ""),
    (
        "restriction-lifted",
        "person told on 2025-01-02 by brief",
        {"told_on": "2025-01-02"},
        "brief",
    ),
    ("marketing-objection", "1 stopped", {"count": 1}, ""),
    (
        "objection-decided",
        "subjects.BrochureRequest: delete 1, subjects.NewsletterSubscription: stop 1",
        {
            "lines": [
                {"model": "subjects.BrochureRequest", "action": "delete", "erased": 1},
                {"model": "subjects.NewsletterSubscription", "action": "stop", "erased": 1},
            ]
        },
        "",
    ),
    (
        "objection-decided",
        "brochure-aanvragen: 1 verwijderd; zakelijke e-mails: 1 bewaard en beperkt",
        {},
        "",
    ),
    (
        "consent-withdrawn",
        "consents: 2, subjects.TraineeProfile (allergies): 1, subjects.CoachingNote: 2, "
        "subjects.Invoice kept (legal hold): 1, newsletter: 1",
        {
            "consents": 2,
            "lines": [
                {
                    "model": "subjects.TraineeProfile",
                    "action": "fields",
                    "erased": 1,
                    "fields": ["allergies"],
                },
                {"model": "subjects.CoachingNote", "erased": 2},
                {"model": "subjects.Invoice", "kept": 1},
                {"model": "subjects.NewsletterSubscription", "action": "stop", "erased": 1},
            ],
        },
        "",
    ),
    ("consent-withdrawn", "consents: 1", {"consents": 1}, ""),
    (
        "rectified",
        "subjects.DataSubject #5: first_name, email",
        {"model": "subjects.DataSubject", "row": 5, "fields": ["first_name", "email"]},
        "",
    ),
    (
        "rectified",
        "phone, city",
        {"model": "subjects.DataSubject", "fields": ["phone", "city"]},
        "",
    ),
    ("rectified", "-", {}, ""),
]

# What staff typed stays as typed, as does anything the patterns do not know.
STAFF_TEXT = [
    ("extended", "Veel stukken uit het archief"),
    ("rejected", "Kennelijk ongegrond: het vijfde verzoek deze maand"),
    ("objection-upheld", "Geen zwaarder belang"),
    ("subject.update", "handmatig aangepast na telefoontje"),
    ("newsletter.stop", "test"),
    ("something-new", "linked automatically to 1 data subject(s) by e-mail"),
]


@pytest.mark.parametrize(("action", "note", "params", "kept"), AUDIT_SAMPLES)
def test_every_old_audit_note_becomes_parameters(action, note, params, kept):
    assert audit_note_convert(action, note) == (params, kept)


@pytest.mark.parametrize(("action", "note", "params", "kept"), REQUEST_SAMPLES)
def test_every_old_request_note_becomes_parameters(action, note, params, kept):
    assert request_note_convert(action, note) == (params, kept)


@pytest.mark.parametrize(("action", "note"), STAFF_TEXT)
def test_text_staff_typed_and_notes_it_does_not_know_stay_as_they_are(action, note):
    convert = request_note_convert if "." not in action else audit_note_convert
    assert convert(action, note) == ({}, note)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "note", "params", "kept"), AUDIT_SAMPLES + REQUEST_SAMPLES)
def test_what_the_old_notes_become_renders_in_both_languages(action, note, params, kept):
    assert action in TRAIL_MESSAGES
    label = TRAIL_MESSAGES[action].label
    for language in ("nl", "en"):
        with translation.override(language):
            text = trail_text(action, params)
            assert text and "%(" not in text and "subjects." not in text, text
            if params:
                assert text != str(label), (action, params)


@pytest.mark.django_db
def test_after_the_migration_no_machine_written_note_remains():
    subject = f.DataSubjectFactory()
    for action, note, _params, _kept in AUDIT_SAMPLES:
        AuditEvent.objects.create(action=action, subject=subject, note=note)
    dsar = verified_request()
    for action, note, _params, _kept in REQUEST_SAMPLES:
        RequestEvent.objects.create(request=dsar, action=action, note=note)
    typed = RequestEvent.objects.create(request=dsar, action="rejected", note="Geen grond")
    current = RequestEvent.objects.create(
        request=dsar, action="extended", params={"months": 1}, note="Veel stukken"
    )

    assert notes_convert(AuditEvent, audit_note_convert, batch=7) == len(AUDIT_SAMPLES)
    assert notes_convert(RequestEvent, request_note_convert, batch=7) == len(REQUEST_SAMPLES)

    # Only what staff typed is left as a note; nothing the machine wrote in English.
    staff_parts = {kept for *_rest, kept in AUDIT_SAMPLES + REQUEST_SAMPLES if kept}
    notes = set(AuditEvent.objects.exclude(note="").values_list("note", flat=True))
    notes |= set(RequestEvent.objects.exclude(note="").values_list("note", flat=True))
    assert notes == staff_parts | {"Geen grond", "Veel stukken"}
    typed.refresh_from_db()
    current.refresh_from_db()
    assert (typed.params, typed.note) == ({}, "Geen grond")
    assert (current.params, current.note) == ({"months": 1}, "Veel stukken")
    # Running it again changes nothing.
    assert notes_convert(AuditEvent, audit_note_convert) == 0
    assert notes_convert(RequestEvent, request_note_convert) == 0


@pytest.mark.django_db
def test_the_data_migrations_convert_the_stored_notes():
    subject = f.DataSubjectFactory()
    event = AuditEvent.objects.create(
        action="newsletter.audience-export", subject=subject, note="3 addresses"
    )
    dsar = verified_request()
    step = RequestEvent.objects.create(request=dsar, action="restricted", note="4 rows")
    import_module("subjects.migrations.0012_audit_notes_to_codes").convert(apps, None)
    import_module("requests_dsar.migrations.0009_request_notes_to_codes").convert(apps, None)
    event.refresh_from_db()
    step.refresh_from_db()
    assert (event.params, event.note) == ({"count": 3}, "")
    assert (step.params, step.note) == ({"count": 4}, "")
