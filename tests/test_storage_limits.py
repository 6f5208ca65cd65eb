"""Storage limitation (Art. 5(1)(e)): every model of the project has an end.

Each model has a retention rule (its own, or a proxy's with its own clock), or says why
its rows are kept and what ends them (``Kept``), or says it holds no personal data. A
model added later without any of these fails here: a breach record, a statement
version, a login attempt must each get their end or their documented reason."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.utils.module_loading import import_string

from processing.register_data import RETENTION_RULES
from retention.schedule import retention_beat_schedule
from retention.tool_accounts import TOOLS_AFTER_END_RULE
from retention.trajectory_review import TRAJECTORY_REVIEW_RULE
from subjects.registry import Kept, PersonalDataRegistry, personal_data, registry

PROJECT_APPS = {"subjects", "processing", "retention", "requests_dsar"}
RULE_KEYS = {spec["key"] for spec in RETENTION_RULES}
# Rules that act without a registry entry of their own: a check that nothing is
# stored, a review queue of trajectories, and a rule whose clock is worked out per person.
RULES_WITHOUT_ENTRIES = {"video-none", TRAJECTORY_REVIEW_RULE}
RULES_WITH_A_PASS_OF_THEIR_OWN = {TOOLS_AFTER_END_RULE}


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def _declarations() -> list[tuple[str, Kept]]:
    return [
        (model._meta.label, kept)
        for model in _project_models()
        if (kept := registry.kept(model)) is not None
    ]


def test_every_model_of_the_project_has_an_end_or_a_documented_reason():
    assert registry.without_an_end(_project_models()) == []


def test_what_the_issue_names_has_its_end():
    labels = {
        "processing.Consent": "kept",
        "subjects.SuppressedAddress": "kept",
        "subjects.NewsletterLinkToken": "kept",
        "subjects.AuditEvent": "audit-5y",
        "requests_dsar.DsarRequest": "requests-5y",
        "requests_dsar.RequestEvent": "kept",
        "requests_dsar.AnswerPackage": "kept",
        "requests_dsar.ErasureRecord": "kept",
        "requests_dsar.RecipientTask": "requests-5y",
        "subjects.StudyTripReferral": "meetin-3m",
        "subjects.CliftonStrengthsAccount": "tools-on-demand",
        "subjects.E2GrowAccount": "tools-on-demand",
    }
    for label, end in labels.items():
        model = apps.get_model(label)
        if end == "kept":
            assert registry.kept(model) is not None, label
        else:
            assert end in registry.rules_of(model), label
    assert registry.is_not_personal(apps.get_model("retention", "RetentionRun"))


def test_every_documented_reason_says_why_and_until_when_and_names_what_ends_it():
    for label, kept in _declarations():
        assert len(kept.because) > 30 and len(kept.until) > 20, label
        if kept.enforced_by:
            assert callable(import_string(kept.enforced_by)), label


def test_every_rule_an_entry_names_is_in_the_register_and_on_the_schedule():
    scheduled = {key.removeprefix("retention:") for key in retention_beat_schedule()}
    assert scheduled >= RULE_KEYS
    named = {entry.retention_rule for entry in registry if entry.retention_rule}
    assert named <= RULE_KEYS
    # Every rule of the register acts on something: a registry entry's rows, or a review
    # queue, a check or a pass of its own.
    assert RULE_KEYS - named == RULES_WITHOUT_ENTRIES | RULES_WITH_A_PASS_OF_THEIR_OWN


def _model(name: str, **fields: models.Field) -> type[models.Model]:
    class Meta:
        app_label = "subjects"
        managed = False

    return type(name, (models.Model,), {"__module__": __name__, "Meta": Meta, **fields})


@pytest.fixture
def scratch_models():
    made: list[type[models.Model]] = []
    yield made
    for model in made:
        apps.all_models["subjects"].pop(model._meta.model_name, None)
        registry._entries.pop(model, None)
    apps.clear_cache()


def test_the_check_catches_a_model_without_an_end(scratch_models):
    breach = _model("BreachRecordScratch", description=models.TextField())
    scratch_models.append(breach)
    assert registry.without_an_end([breach]) == ["subjects.BreachRecordScratch"]


def test_the_check_catches_a_registered_model_without_a_rule_or_reason(scratch_models):
    attempt = personal_data(activity="services", categories=["technical-data"], fields=["ip"])(
        _model("LoginAttemptScratch", ip=models.GenericIPAddressField())
    )
    scratch_models.append(attempt)
    assert registry.without_an_end([attempt]) == ["subjects.LoginAttemptScratch"]


def test_a_documented_reason_or_a_rule_satisfies_the_check(scratch_models):
    version = personal_data(
        activity="services",
        categories=["contact-details"],
        fields=["published_by"],
        kept=Kept(because="Which version of the statement was public when.", until="For ever."),
    )(_model("StatementVersionScratch", published_by=models.CharField(max_length=10)))
    visit = personal_data(
        activity="website-security",
        categories=["technical-data"],
        subject_paths=[],
        fields=["ip"],
        retention_rule="ip-4w",
        clock="at",
    )(_model("VisitScratch", ip=models.GenericIPAddressField(), at=models.DateTimeField()))
    scratch_models.extend([version, visit])
    assert registry.without_an_end([version, visit]) == []


def test_an_exemption_from_the_registry_still_needs_its_end():
    scratch = PersonalDataRegistry()
    token = _model("TokenScratch", token_hash=models.CharField(max_length=64))
    try:
        scratch.exempt(token, reason="Only a hash.")
        assert scratch.without_an_end([token]) == ["subjects.TokenScratch"]
        scratch.exempt(
            token,
            reason="Only a hash.",
            kept=Kept(because="The link of an e-mail keeps working.", until="With its row."),
        )
        assert scratch.without_an_end([token]) == []
        scratch.not_personal(token, reason="A random number only.")
    finally:
        apps.all_models["subjects"].pop("tokenscratch", None)
        apps.clear_cache()


def test_a_reason_must_say_why_and_until_when():
    with pytest.raises(ValueError):
        Kept(because="", until="never")
    with pytest.raises(ValueError):
        Kept(because="Proof.", until=" ")


def test_a_model_cannot_have_a_rule_and_be_kept_as_well():
    with pytest.raises(ValueError):
        personal_data(
            activity="services",
            categories=["contact-details"],
            fields=["x"],
            retention_rule="ip-4w",
            clock="at",
            kept=Kept(because="Both.", until="Both."),
        )(_model("BothScratch", x=models.CharField(max_length=1), at=models.DateTimeField()))
    apps.all_models["subjects"].pop("bothscratch", None)
    apps.clear_cache()


@pytest.mark.django_db
def test_the_register_says_each_new_limit_in_dutch_and_english():
    from processing.models import ProcessingActivity
    from retention.models import RetentionRule

    texts = {
        "study-trips": ("3 maanden na het doorgeven", "3 months after they were passed on"),
        "clifton-strengths": ("3 maanden na afloop van je laatste traject", "Gallup"),
        "e2grow": ("opnieuw toestemming", "delete the account itself"),
        "privacy-administration": ("5 jaar na iedere handeling", "5 years after closing"),
        "traineeship-participants": ("12 maanden na de start", "reviewed again within a year"),
    }
    for key, (dutch, english) in texts.items():
        activity = ProcessingActivity.objects.get(key=key)
        assert dutch in activity.retention_nl, key
        assert english in activity.retention_en, key
    for key in ("meetin-3m", "tools-after-end", "trajectory-review", "audit-5y", "requests-5y"):
        rule = RetentionRule.objects.get(key=key)
        assert rule.description_nl and rule.description_en and rule.clock_description_nl
        assert rule.activities.exists(), key
    assert "art. 5:45 Awb" in RetentionRule.objects.get(key="audit-5y").legal_article


@pytest.mark.django_db
def test_the_migration_adds_the_new_rules_and_wordings_to_a_register_loaded_before():
    import importlib

    from processing.models import ConsentText, ProcessingActivity
    from retention.models import RetentionRule

    migration = importlib.import_module("retention.migrations.0007_storage_limits")
    RetentionRule.objects.filter(key__in=migration.NEW_RULES).delete()
    ConsentText.objects.filter(purpose__in=["clifton-keep", "e2grow-keep"]).delete()
    ProcessingActivity.objects.filter(key="study-trips").update(
        retention_nl="Tot je je toestemming intrekt.", retention_en="Until you withdraw."
    )
    migration.load_new_rules(apps, None)
    migration.load_new_rules(apps, None)  # safe to run again
    assert set(
        RetentionRule.objects.filter(key__in=migration.NEW_RULES).values_list("key", flat=True)
    ) == set(migration.NEW_RULES)
    meetin = RetentionRule.objects.get(key="meetin-3m")
    assert (meetin.limit_value, meetin.limit_unit, meetin.action) == (3, "months", "delete")
    assert list(meetin.activities.values_list("key", flat=True)) == ["study-trips"]
    assert ConsentText.objects.filter(purpose="clifton-keep").count() == 1
    assert "3 maanden" in ProcessingActivity.objects.get(key="study-trips").retention_nl
