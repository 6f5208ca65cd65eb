"""The register loaded by the migrations matches the privacy statement of 1 September 2020."""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from processing.models import (
    ConsentText,
    Controller,
    DataCategory,
    ProcessingActivity,
    Recipient,
    SubjectCategory,
)
from processing.register import register_load
from retention.models import LegalHold, RetentionRule

pytestmark = pytest.mark.django_db

# Legal bases per activity, from DESIGN.md §1.2 (Art. 6(1) letters), as read in §1.3a:
# answering the contact form rests on the request (b/f), the brochure on the request with
# a separate consent for the call, and the suppression list on Art. 21(3) and 17(3)(b).
EXPECTED_BASES = {
    "website-security": {"f"},
    "contact-form": {"b", "f"},
    "email-correspondence": {"a", "b", "c"},
    "brochure": {"a", "b"},
    "services": {"b"},
    "invoicing": {"b", "c"},
    "newsletter": {"a", "f"},
    "traineeship-organisations": {"b"},
    "traineeship-participants": {"a", "b"},
    "mentor": {"b"},
    "coaching-monitor": {"a", "b"},
    "clifton-strengths": {"b"},
    "e2grow": {"a", "b"},
    "videoconferencing": {"a", "b"},
    "study-trips": {"a"},
    "suppliers": {"a", "b", "c"},
    "certification-research": {"a", "f"},
    "suppression-list": {"c"},
}


def test_the_controller_is_leafspring_with_the_authority_for_complaints():
    controller = Controller.objects.get()
    assert controller.name == "Leafspring B.V."
    assert controller.street_address == "Lichtenvoordseweg 28A"
    assert (controller.postcode, controller.city) == ("7055BB", "Heelweg")
    assert controller.email == "info@leafspring.nl"
    assert controller.kvk_number == "72475730"
    assert controller.authority_name == "Autoriteit Persoonsgegevens"
    assert controller.authority_address == "Postbus 93374, 2509 AJ Den Haag"


def test_exactly_zoom_mailchimp_microsoft_and_gallup_are_outside_the_eu():
    outside = Recipient.objects.filter(outside_eea=True)
    assert {r.key for r in outside} == {"zoom", "mailchimp", "microsoft-365", "gallup"}
    for recipient in outside:
        assert recipient.transfer_mechanism in {"dpf", "scc", "adequacy", "art49"}


def test_every_recipient_the_statement_names_is_in_the_register():
    assert set(Recipient.objects.values_list("key", flat=True)) >= {
        "hosting", "web-administrator", "financial-administration", "zoom", "mailchimp",
        "microsoft-365", "meetin", "e2grow", "coaching-monitor", "gallup", "trainers-coaches",
    }  # fmt: skip


def test_every_category_of_data_subjects_exists():
    assert set(SubjectCategory.objects.values_list("key", flat=True)) == {
        "website-visitor", "contact-requester", "brochure-requester", "newsletter-subscriber",
        "client", "client-organisation-contact", "trainee", "mentor", "trainer-coach",
        "supplier-contact",
    }  # fmt: skip


def test_allergies_are_special_category_data_under_explicit_consent():
    assert DataCategory.objects.get(key="health").is_special_category
    participants = ProcessingActivity.objects.get(key="traineeship-participants")
    assert participants.data_categories.filter(key="health").exists()
    assert participants.special_category_condition == "9-2-a"
    assert ConsentText.objects.filter(activity=participants).exists()


@pytest.mark.parametrize("key,bases", sorted(EXPECTED_BASES.items()))
def test_each_activity_has_the_legal_bases_of_the_statement(key, bases):
    activity = ProcessingActivity.objects.get(key=key)
    assert set(activity.legal_bases.values_list("code", flat=True)) == bases
    if "f" in bases:
        assert activity.legitimate_interest_nl and activity.legitimate_interest_en


def test_every_activity_has_every_article_30_field_in_both_languages():
    activities = ProcessingActivity.objects.prefetch_related(
        "subject_categories", "data_categories", "legal_bases"
    )
    assert activities.count() == 19
    for activity in activities:
        for field in ("name", "purpose", "retention", "security_measures", "source", "consequence"):
            assert getattr(activity, f"{field}_nl"), (activity.key, field)
            assert getattr(activity, f"{field}_en"), (activity.key, field)
        assert activity.subject_categories.all(), activity.key
        assert activity.data_categories.all(), activity.key
        assert activity.legal_bases.all(), activity.key
        assert activity.requirement


@pytest.mark.parametrize(
    "key,value,unit,anchor",
    [
        ("ip-4w", 4, "weeks", "event"),
        ("unsubscribe-6w", 6, "weeks", "event"),
        ("fiscal-7y", 7, "years", "end-of-book-year"),
        ("nobco-5y", 5, "years", "event"),
        ("brochure-3m", 3, "months", "event"),
        ("coaching-end", 0, "days", "event"),
        ("meetin-3m", 3, "months", "event"),
        ("tools-after-end", 3, "months", "event"),
        ("trajectory-review", 12, "months", "event"),
        ("audit-5y", 5, "years", "event"),
        ("requests-5y", 5, "years", "event"),
        ("breach-5y", 5, "years", "event"),
    ],
)
def test_retention_limits_match_the_statement(key, value, unit, anchor):
    rule = RetentionRule.objects.get(key=key)
    assert (rule.limit_value, rule.limit_unit, rule.clock_anchor) == (value, unit, anchor)


def test_every_retention_rule_of_the_design_exists_with_its_action():
    actions = dict(RetentionRule.objects.values_list("key", "action"))
    assert actions == {
        "ip-4w": "delete", "contact-review": "review", "unsubscribe-6w": "delete",
        "fiscal-7y": "delete", "coaching-end": "delete", "monitor-end": "anonymise",
        "nobco-5y": "delete", "tools-on-demand": "delete", "video-none": "never-stored",
        "brochure-3m": "delete", "meetin-3m": "delete", "tools-after-end": "delete",
        "trajectory-review": "review", "audit-5y": "delete", "requests-5y": "delete",
        "breach-5y": "delete",
        "login-4w": "delete", "reads-1y": "delete",
    }  # fmt: skip


def test_the_fiscal_hold_lasts_seven_years_after_the_book_year():
    import datetime

    hold = LegalHold.objects.get(key="fiscal")
    assert "52 AWR" in hold.article
    assert hold.retention_rule.expiry(datetime.date(2024, 3, 15)) == datetime.date(2031, 12, 31)


def test_wording_follows_the_active_language():
    activity = ProcessingActivity.objects.get(key="newsletter")
    with translation.override("nl"):
        assert activity.tr("name") == "Nieuwsbrief"
    with translation.override("en"):
        assert activity.tr("name") == "Newsletter"


def test_loading_the_register_again_changes_nothing():
    counts_before = {
        model: model.objects.count()
        for model in (ProcessingActivity, Recipient, RetentionRule, LegalHold, ConsentText)
    }
    register_load(django_apps)
    assert counts_before == {model: model.objects.count() for model in counts_before}
