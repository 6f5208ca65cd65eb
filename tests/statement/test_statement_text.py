"""The privacy statement is generated from the register: it names every activity,
recipient, transfer safeguard and retention limit in both languages, says what the system
really does where it differs from the 2020 text, and a change to the register changes the
draft, never a published version."""

from __future__ import annotations

import pytest
from django.utils import translation

from processing.models import (
    Controller,
    DataCategory,
    LegalBasis,
    ProcessingActivity,
    Recipient,
    StatementVersion,
    SubjectCategory,
)
from processing.register_data import RETENTION_RULES
from processing.statement import (
    register_read,
    retention_rule_words,
    statement_draft,
    statement_status,
    statement_text,
    statement_version_publish,
)
from retention.models import LegalHold, RetentionRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return statement_draft()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_migration_filled_what_the_statement_needs_for_every_recipient_and_activity():
    for recipient in Recipient.objects.all():
        assert recipient.country_en, recipient.key
        copies = (recipient.safeguard_copy_nl, recipient.safeguard_copy_en)
        assert all(copies) if recipient.outside_eea else not any(copies), recipient.key
        recipient.full_clean()
    indirect = {
        activity.key: set(activity.indirect_subject_categories.values_list("key", flat=True))
        for activity in ProcessingActivity.objects.all()
    }
    assert {key: keys for key, keys in indirect.items() if keys} == {
        "services": {"client-organisation-contact"},
        "invoicing": {"client-organisation-contact"},
        "traineeship-organisations": {"client-organisation-contact"},
        "traineeship-participants": {"trainee"},
        "mentor": {"mentor"},
        "suppliers": {"supplier-contact"},
    }
    for activity in ProcessingActivity.objects.all():
        assert bool(activity.profiling_nl) == bool(activity.profiling_en), activity.key
    profiled = ProcessingActivity.objects.exclude(profiling_nl="")
    assert set(profiled.values_list("key", flat=True)) == {"clifton-strengths", "e2grow"}


def test_a_transfer_without_a_copy_location_is_refused():
    from django.core.exceptions import ValidationError

    gallup = Recipient.objects.get(key="gallup")
    gallup.safeguard_copy_nl = ""
    with pytest.raises(ValidationError):
        gallup.full_clean()


def test_automated_decisions_without_an_explanation_are_refused():
    from django.core.exceptions import ValidationError

    activity = ProcessingActivity.objects.get(key="mentor")
    activity.automated_decision_making = True
    with pytest.raises(ValidationError):
        activity.full_clean()


def test_the_statement_names_every_activity_in_both_languages(draft):
    for activity in ProcessingActivity.objects.all():
        assert f"### {activity.number}. {activity.name_nl} {{#{activity.key}}}" in draft["nl"]
        assert f"### {activity.number}. {activity.name_en} {{#{activity.key}}}" in draft["en"]
        for language in ("nl", "en"):
            text = _flat(draft[language])
            for field in ("purpose", "retention", "source", "consequence"):
                value = _flat(getattr(activity, f"{field}_{language}"))
                assert value in text, (activity.key, field)


def test_every_recipient_is_named_with_its_role_and_country(draft):
    for recipient in Recipient.objects.all():
        assert recipient.name in draft["nl"]
        assert (recipient.name_en or recipient.name) in draft["en"]
        assert recipient.country in draft["nl"]
        assert recipient.country_en in draft["en"]
    assert "Gallup (CliftonStrengths) (processor, United States, outside the EEA)" in draft["en"]
    assert "MeetIn (independent controller, Netherlands)" in draft["en"]


def test_every_transfer_names_its_safeguard_and_where_a_copy_is_in_both_languages(draft):
    outside = list(Recipient.objects.filter(outside_eea=True))
    assert {r.key for r in outside} == {"zoom", "mailchimp", "microsoft-365", "gallup"}
    for recipient in outside:
        for language in ("nl", "en"):
            with translation.override(language):
                safeguard = str(recipient.get_transfer_mechanism_display())
            copy = getattr(recipient, f"safeguard_copy_{language}")
            assert copy
            assert safeguard in draft[language]
            assert copy in draft[language], (recipient.key, language)
    gallup = _flat(draft["en"]).split("- Gallup (CliftonStrengths), United States:")[1]
    assert gallup.startswith(" standard contractual clauses (Art. 46(2)(c)). A copy")
    assert "https://www.dataprivacyframework.gov/list" in draft["nl"]


def test_every_retention_limit_of_the_register_is_in_words_in_both_languages(draft):
    rules = RetentionRule.objects.filter(is_active=True, activities__isnull=False).distinct()
    assert rules.count() == len([r for r in RETENTION_RULES if r["activities"]]) > 10
    for rule in rules:
        for language in ("nl", "en"):
            with translation.override(language):
                words = retention_rule_words(rule)
            assert f"{rule.tr('name', language)}: {words[0].lower()}{words[1:]}" in draft[language]
    assert "IP addresses after 4 weeks: deleted at most 4 weeks after the visit." in draft["en"]
    assert (
        "Fiscal retention 7 years: deleted at most 7 years after the end of the book year."
        in (draft["en"])
    )
    assert "deleted right after the end of the trajectory" in draft["en"]
    assert "Video images are not stored: never stored." in draft["en"]


def test_each_basis_is_named_with_the_legitimate_interest_and_the_art_9_condition(draft):
    text = draft["en"]
    assert "Legal basis: Art. 6(1)(f) GDPR: Legitimate interests." in text
    for activity in ProcessingActivity.objects.filter(legal_bases__code="f"):
        assert f"Our legitimate interest: {activity.legitimate_interest_en}" in text
    assert (
        "Special categories of personal data (Art. 9 GDPR), only on this condition: explicit "
        "consent (Art. 9(2)(a))" in text
    )
    assert "Health data (allergies) (special category of personal data)" in text
    assert "Art. 6(1)(b) AVG: Uitvoering van een overeenkomst" in draft["nl"]


def test_the_controller_the_rights_and_the_complaint_address_are_there(draft):
    text = draft["en"]
    controller = Controller.objects.get()
    for value in (controller.name, controller.street_address, controller.email, "72475730"):
        assert value in text
    assert "Request form: http://127.0.0.1:8000/en/verzoek/" in text
    assert "http://127.0.0.1:8000/en/toestemmingen/" in text
    assert "http://127.0.0.1:8000/verzoek/" in draft["nl"]
    assert "http://127.0.0.1:8000/en/verzoek/" not in draft["nl"]
    for right in ("Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 21", "Art. 7(3)", "Art. 20"):
        assert f"({right} GDPR)" in text
    assert "Autoriteit Persoonsgegevens, Postbus 93374, 2509 AJ Den Haag" in text
    hold = LegalHold.objects.get(key="fiscal")
    assert f"{hold.name_en} ({hold.article})" in text


def test_profiling_is_described_as_it_is_and_no_decision_rests_on_it(draft):
    text = draft["en"]
    assert "We take no decision about you based solely on automated processing" in text
    clifton = ProcessingActivity.objects.get(key="clifton-strengths")
    assert "a personality profile): that is profiling" in clifton.profiling_en
    assert f"- CliftonStrengths (Gallup): {clifton.profiling_en}" in text
    assert "No decision about you rests on this profile alone." in text
    assert "Geen enkel besluit over jou berust alleen op dit profiel." in draft["nl"]


def test_automated_decision_making_flagged_in_the_register_is_explained():
    activity = ProcessingActivity.objects.get(key="e2grow")
    activity.automated_decision_making = True
    activity.save()
    text = statement_text("en")
    assert "These activities take decisions about you by automated means:" in text
    assert f"- E2Grow: {activity.profiling_en}" in text
    assert "We take no decision about you based solely" not in text


def test_where_the_system_differs_from_the_2020_text_the_statement_says_what_it_does(draft):
    text = _flat(draft["en"])
    # E2Grow: hidden until the person opts in.
    assert "It is hidden by default: a pre-ticked choice is no consent." in text
    # Brochure: the call and the mailing list are separate, optional consents.
    assert "A call within 3 months only with your separate consent" in text
    assert "a call about the traineeship within 3 months" in text
    # Contact form: no consent tick.
    assert "No 'I consent' tick is needed" in text
    # Four weeks, and the extension by at most two months with reasons.
    assert "within 4 weeks of your confirmation" in text
    assert "extend this by at most 2 months: we then tell you so, with the reasons" in text
    # The suppression list keeps a keyed hash after an unsubscribe or objection.
    assert "Direct-marketing suppression list" in text
    assert "we keep only a keyed fingerprint of your e-mail address on our suppression list" in text


def test_people_named_by_someone_else_are_listed_with_their_source(draft):
    text = draft["en"]
    assert "- Mentor: Mentor. Source: From your employer" in text
    trainees = "- Traineeship participants: Trainee (participant). Source: From you or your"
    assert f"{trainees} employer" in text
    assert "Client organisation contact" in text.split("## Data we receive from someone else")[1]


def test_the_text_is_the_same_every_time_it_is_generated(draft):
    assert statement_draft() == draft
    assert "\n\n\n" not in draft["en"]
    assert all(line == line.strip() for line in draft["en"].splitlines())


def test_register_text_with_line_breaks_cannot_start_a_heading():
    ProcessingActivity.objects.filter(key="mentor").update(purpose_en="Mentoring.\n## Injected")
    text = statement_text("en")
    assert "## Injected" not in text.splitlines()
    assert "Purpose: Mentoring. ## Injected" in text


def test_reading_the_register_costs_the_same_with_more_activities_and_recipients():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register_read()
    with CaptureQueriesContext(connection) as few:
        register_read()
    for number in range(20, 26):
        activity = ProcessingActivity.objects.create(
            key=f"extra-{number}",
            number=number,
            name_nl=f"Extra {number}",
            name_en=f"Extra {number}",
            purpose_nl="Doel",
            purpose_en="Purpose",
            retention_nl="1 jaar",
            retention_en="1 year",
            security_measures_nl="TLS",
            security_measures_en="TLS",
            source_nl="Van jou",
            source_en="From you",
            requirement="voluntary",
            consequence_nl="Geen",
            consequence_en="None",
        )
        activity.recipients.set(Recipient.objects.all())
        activity.data_categories.set(DataCategory.objects.all())
        activity.subject_categories.set(SubjectCategory.objects.all())
        activity.legal_bases.set(LegalBasis.objects.all())
        activity.indirect_subject_categories.set(SubjectCategory.objects.all())
        activity.retention_rules.set(RetentionRule.objects.all())
    with CaptureQueriesContext(connection) as many:
        register = register_read()
    assert len(few) == len(many)
    assert len(register.activities) == 25
    assert "Extra 25" in statement_text("en", register)


# A change to the register changes the draft, not the published version.


def _change_activity(field: str, value: str):
    def change():
        ProcessingActivity.objects.filter(key="newsletter").update(**{field: value})

    return change


CHANGES = {
    "activity name": _change_activity("name_en", "Newsletter and mailings"),
    "purpose": _change_activity("purpose_nl", "Nieuwsbrieven en uitnodigingen versturen."),
    "retention": _change_activity("retention_en", "Deleted within 4 weeks of unsubscribing."),
    "source": _change_activity("source_en", "From you or a colleague"),
    "consequence": _change_activity("consequence_nl", "Je mist dan onze nieuwsbrief."),
    "legitimate interest": _change_activity("legitimate_interest_en", "Telling clients news."),
    "basis explained": _change_activity("legal_basis_note_nl", "Klanten: direct marketing."),
    "profiling": _change_activity("profiling_en", "No profile is made."),
    "requirement": lambda: ProcessingActivity.objects.filter(key="newsletter").update(
        requirement="contractual"
    ),
    "recipient name": lambda: Recipient.objects.filter(key="mailchimp").update(
        name="Mailchimp (Intuit)"
    ),
    "recipient country": lambda: Recipient.objects.filter(key="zoom").update(country_en="USA"),
    "transfer mechanism": lambda: Recipient.objects.filter(key="gallup").update(
        transfer_mechanism="dpf"
    ),
    "safeguard copy": lambda: Recipient.objects.filter(key="gallup").update(
        safeguard_copy_nl="Vraag een kopie aan via privacy@leafspring.nl."
    ),
    "recipient added": lambda: ProcessingActivity.objects.get(key="mentor").recipients.add(
        Recipient.objects.get(key="zoom")
    ),
    "data category": lambda: DataCategory.objects.filter(key="contact-details").update(
        name_en="Contact details (name, phone, e-mail)"
    ),
    "subject category": lambda: SubjectCategory.objects.filter(key="mentor").update(
        name_nl="Mentor (werkbegeleider)"
    ),
    "legal basis": lambda: LegalBasis.objects.filter(code="f").update(
        name_en="Legitimate interest"
    ),
    "indirect categories": lambda: ProcessingActivity.objects.get(
        key="videoconferencing"
    ).indirect_subject_categories.add(SubjectCategory.objects.get(key="mentor")),
    "retention limit": lambda: RetentionRule.objects.filter(key="ip-4w").update(limit_value=3),
    "retention rule ends": lambda: RetentionRule.objects.filter(key="brochure-3m").update(
        is_active=False
    ),
    "legal hold": lambda: LegalHold.objects.filter(key="fiscal").update(article="art. 52 AWR"),
    "controller e-mail": lambda: Controller.objects.update(email="privacy@leafspring.nl"),
    "complaint address": lambda: Controller.objects.update(
        authority_address="Postbus 93374, 2509 AJ  Den Haag (postadres)"
    ),
    "security measures": _change_activity("security_measures_en", "Access for staff only."),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_register_change_changes_the_draft_not_the_published_version(change, officer):
    version = statement_version_publish(actor=officer)
    assert not statement_status().unpublished
    CHANGES[change]()
    status = statement_status()
    assert status.unpublished
    assert status.draft != {"nl": version.text_nl, "en": version.text_en}
    stored = StatementVersion.objects.get(pk=version.pk)
    assert (stored.text_nl, stored.text_en) == (version.text_nl, version.text_en)
    assert statement_version_publish(actor=officer).number == 2
    assert not statement_status().unpublished


def test_a_register_change_the_statement_does_not_use_leaves_it_published(officer):
    statement_version_publish(actor=officer)
    Recipient.objects.update(processing_agreement_version="2024-1")
    ProcessingActivity.objects.filter(key="mentor").update(automated_decision_making=False)
    assert not statement_status().unpublished


def test_nothing_published_yet_counts_as_not_yet_published():
    assert StatementVersion.objects.count() == 0
    assert statement_status().unpublished


def test_the_open_trajectory_review_is_worded_in_months_and_deletes_nothing(draft):
    """Review finding: the statement said "at most 12 days ... deleted once no longer
    needed" for a review at 12 months that sets an end or keeps the trajectory open."""
    assert (
        "reviewed at most 12 months after the start of the trajectory: its end is set"
        in (draft["en"])
    )
    assert "12 days" not in draft["en"] and "12 dagen" not in draft["nl"]
    assert "12 maanden" in draft["nl"]


# The dashboard's kept draft (statement_status(cached=True)): worded once per state of
# the register, and a fresh wording after any change, however it was made.


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_kept_draft_follows_every_register_change(change, officer):
    statement_version_publish(actor=officer)
    assert not statement_status(cached=True).unpublished
    CHANGES[change]()  # queryset updates: no signal, no save()
    status = statement_status(cached=True)
    assert status.unpublished
    assert status.draft == statement_draft()


def test_the_kept_draft_is_not_worded_again_while_the_register_stays_the_same(officer):
    from unittest.mock import patch

    first = statement_status(cached=True).draft
    with patch("processing.statement.statement_text", side_effect=AssertionError("worded")):
        assert statement_status(cached=True).draft == first
        with pytest.raises(AssertionError, match="worded"):
            statement_status()  # publishing and the statement page always word afresh


def test_the_fingerprint_covers_every_table_the_draft_reads():
    """A table the statement starts to read must be added to the fingerprint, or the
    dashboard would keep an old draft."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from processing.statement import _register_rows

    with CaptureQueriesContext(connection) as reading:
        statement_draft()
    read = {
        table
        for query in reading.captured_queries
        for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])
    }
    covered = {part.model._meta.db_table for part in _register_rows(timezone.now())}
    assert read and read <= covered


def test_a_consent_wording_that_comes_into_force_gives_another_fingerprint():
    import datetime

    import time_machine
    from django.db.models import Max
    from django.utils import timezone

    from processing.models import RETIRED_PURPOSES, ConsentPurpose, ConsentText
    from processing.statement import register_fingerprint

    current = ConsentText.objects.first()
    purpose = next(
        p
        for p in ConsentPurpose.values
        if p not in RETIRED_PURPOSES
        and not ConsentText.objects.filter(activity=current.activity, purpose=p).exists()
    )
    later = timezone.now() + datetime.timedelta(days=2)
    newest = ConsentText.objects.filter(purpose=purpose).aggregate(v=Max("version"))["v"] or 0
    ConsentText.objects.create(
        activity=current.activity,
        purpose=purpose,
        version=newest + 1,
        text_nl="x",
        text_en="x",
        published_at=later,
    )
    before = register_fingerprint()
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        assert register_fingerprint() != before
