"""Loads the register of ``processing.register_data`` into the database, idempotently.

Run by a data migration (so ``migrate`` on a fresh database gives the full register) and
safe to run again: rows are matched on their key and updated, nothing is duplicated.
Takes an app registry so it works with the historical models of a migration.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps.registry import Apps

from processing import register_data as data


def _pair(prefix: str, value: tuple[str, str]) -> dict[str, str]:
    return {f"{prefix}_nl": value[0], f"{prefix}_en": value[1]}


def register_load(apps: Apps) -> None:
    Controller = apps.get_model("processing", "Controller")
    LegalBasis = apps.get_model("processing", "LegalBasis")
    SubjectCategory = apps.get_model("processing", "SubjectCategory")
    Recipient = apps.get_model("processing", "Recipient")
    RetentionRule = apps.get_model("retention", "RetentionRule")
    LegalHold = apps.get_model("retention", "LegalHold")

    controller = dict(data.CONTROLLER)
    controller["statement_date"] = datetime.date.fromisoformat(controller["statement_date"])
    Controller.objects.update_or_create(pk=1, defaults=controller)

    for code, article, name_nl, name_en in data.LEGAL_BASES:
        LegalBasis.objects.update_or_create(
            code=code, defaults={"article": article, "name_nl": name_nl, "name_en": name_en}
        )
    for key, name_nl, name_en in data.SUBJECT_CATEGORIES:
        SubjectCategory.objects.update_or_create(
            key=key, defaults={"name_nl": name_nl, "name_en": name_en}
        )
    data_categories_load(apps)
    for key, name, kind, country, outside, mechanism, desc_nl, desc_en in data.RECIPIENTS:
        Recipient.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "outside_eea": outside,
                "transfer_mechanism": mechanism,
                "description_nl": desc_nl,
                "description_en": desc_en,
            },
        )
    activities_load(apps)
    retention_rules_load(apps)

    for spec in data.LEGAL_HOLDS:
        LegalHold.objects.update_or_create(
            key=spec["key"],
            defaults={
                **_pair("name", spec["name"]),
                **_pair("ground", spec["ground"]),
                "article": spec["article"],
                "retention_rule": RetentionRule.objects.get(key=spec["rule"]),
            },
        )


def retention_rules_load(apps: Apps, keys: tuple[str, ...] | None = None) -> None:
    """Load the retention rules of ``register_data`` (those of ``keys``, or all), matched
    on their key, with the processing activities they serve."""
    ProcessingActivity = apps.get_model("processing", "ProcessingActivity")
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for spec in data.RETENTION_RULES:
        if keys is not None and spec["key"] not in keys:
            continue
        value, unit = spec["limit"]
        rule, _ = RetentionRule.objects.update_or_create(
            key=spec["key"],
            defaults={
                **_pair("name", spec["name"]),
                **_pair("description", spec["description"]),
                "limit_value": value,
                "limit_unit": unit,
                "clock_anchor": spec.get("anchor", "event"),
                **_pair("clock_description", spec["clock"]),
                "action": spec["action"],
                "run_every_hours": spec["every"],
                "review_every_days": spec.get("review_every_days"),
                "legal_article": spec.get("article", ""),
            },
        )
        rule.activities.set(ProcessingActivity.objects.filter(key__in=spec["activities"]))


def data_categories_load(apps: Apps) -> None:
    DataCategory = apps.get_model("processing", "DataCategory")
    for key, name_nl, name_en, special in data.DATA_CATEGORIES:
        DataCategory.objects.update_or_create(
            key=key,
            defaults={"name_nl": name_nl, "name_en": name_en, "is_special_category": special},
        )


def activities_load(apps: Apps, keys: tuple[str, ...] | None = None) -> None:
    """Load the processing activities of ``register_data`` (those of ``keys``, or all)
    with their categories, bases, recipients and consent wordings."""
    LegalBasis = apps.get_model("processing", "LegalBasis")
    SubjectCategory = apps.get_model("processing", "SubjectCategory")
    DataCategory = apps.get_model("processing", "DataCategory")
    Recipient = apps.get_model("processing", "Recipient")
    ProcessingActivity = apps.get_model("processing", "ProcessingActivity")
    for spec in data.ACTIVITIES:
        if keys is not None and spec["key"] not in keys:
            continue
        special = spec.get("special", "")
        security = (
            (data.SECURITY_SPECIAL_NL, data.SECURITY_SPECIAL_EN)
            if special or "coaching-content" in spec["data"]
            else (data.SECURITY_NL, data.SECURITY_EN)
        )
        defaults: dict[str, Any] = {
            "number": spec["number"],
            **_pair("name", spec["name"]),
            **_pair("purpose", spec["purpose"]),
            **_pair("legal_basis_note", spec.get("basis_note", ("", ""))),
            **_pair("legitimate_interest", spec.get("legitimate_interest", ("", ""))),
            "special_category_condition": special,
            **_pair("retention", spec["retention"]),
            **_pair("security_measures", security),
            **_pair("source", spec["source"]),
            "requirement": spec["requirement"],
            **_pair("consequence", spec["consequence"]),
        }
        activity, _ = ProcessingActivity.objects.update_or_create(
            key=spec["key"], defaults=defaults
        )
        activity.subject_categories.set(SubjectCategory.objects.filter(key__in=spec["subjects"]))
        activity.data_categories.set(DataCategory.objects.filter(key__in=spec["data"]))
        activity.legal_bases.set(LegalBasis.objects.filter(code__in=spec["bases"]))
        activity.recipients.set(Recipient.objects.filter(key__in=spec.get("recipients", [])))
    consent_wordings_load(apps)


def _has_purpose(model: Any) -> bool:
    return any(field.name == "purpose" for field in model._meta.get_fields())


def consent_wordings_load(apps: Apps) -> None:
    """The first consent wording of each activity (version 1) and the wordings of the
    purposes added since (``CONSENT_WORDINGS``). Wording people agreed to is never
    changed: a wording that already exists is left as it is."""
    ConsentText = apps.get_model("processing", "ConsentText")
    ProcessingActivity = apps.get_model("processing", "ProcessingActivity")
    activities = {a.key: a for a in ProcessingActivity.objects.all()}
    with_purpose = _has_purpose(ConsentText)
    for spec in data.ACTIVITIES:
        if "consent" not in spec or spec["key"] not in activities:
            continue
        activity = activities[spec["key"]]
        match: dict[str, Any] = {"activity": activity, "version": 1}
        if with_purpose:
            match = {"purpose": data.FIRST_WORDING_PURPOSE[spec["key"]], "version": 1}
        if not ConsentText.objects.filter(**match).exists():
            ConsentText.objects.create(
                **match,
                **({"activity": activity} if with_purpose else {}),
                **_pair("text", spec["consent"]),
            )
    if not with_purpose:
        return
    for purpose, key, version, text_nl, text_en in data.CONSENT_WORDINGS:
        if (
            key in activities
            and not ConsentText.objects.filter(purpose=purpose, version=version).exists()
        ):
            ConsentText.objects.create(
                purpose=purpose,
                version=version,
                activity=activities[key],
                text_nl=text_nl,
                text_en=text_en,
            )


def register_wording_refresh(
    apps: Apps, *, rules: tuple[str, ...] = (), activities: tuple[str, ...] = ()
) -> None:
    """Bring the wording of some register rows up to date with ``register_data`` on a
    database that loaded the register before the wording changed (the register is loaded
    once, by a migration, so each change of wording gets a migration that calls this):
    the names, descriptions and clock descriptions of ``rules``, and the retention text
    of ``activities``."""
    RetentionRule = apps.get_model("retention", "RetentionRule")
    ProcessingActivity = apps.get_model("processing", "ProcessingActivity")
    for spec in data.RETENTION_RULES:
        if spec["key"] in rules:
            RetentionRule.objects.filter(key=spec["key"]).update(
                **_pair("name", spec["name"]),
                **_pair("description", spec["description"]),
                **_pair("clock_description", spec["clock"]),
            )
    for spec in data.ACTIVITIES:
        if spec["key"] in activities:
            ProcessingActivity.objects.filter(key=spec["key"]).update(
                **_pair("retention", spec["retention"])
            )
