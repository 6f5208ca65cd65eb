"""The public privacy statement, generated from the register (DESIGN.md §1.6, issue 10).

The statement is plain text in a small markup (``# `` title, ``## `` section, ``### ``
activity, ``- `` list item, every other line a paragraph; ``{#id}`` at the end of a heading
names its anchor), rendered from ``processing/statement/statement.txt`` in Dutch and in
English from one read of the register. Nothing in it is typed by hand: change the
register and the draft changes.

A privacy officer publishes the draft (``statement_version_publish``): that freezes its
full text in both languages, with its date, as a ``StatementVersion``. The public page
shows the newest version, the history and the changes between two versions
(``processing.statement_display``); the dashboard says when the register would change
the text and the change is not yet published (``statement_status``).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leafspring.built_sql import built_sql
from processing.models import (
    RETIRED_PURPOSES,
    ConsentPurpose,
    ConsentText,
    Controller,
    ProcessingActivity,
    Recipient,
    StatementVersion,
    SubjectCategory,
)
from processing.selectors import controller_get
from subjects.emails import render_plain, site_url

LANGUAGES = ("nl", "en")
HEADING_MARKS = ("# ", "## ", "### ")
STATEMENT_TEMPLATE = "processing/statement/statement.txt"


# What the statement reads from the register: read once, worded per language.


@dataclasses.dataclass
class Register:
    """Everything the statement (and an Art. 14 notice) says, as read from the register
    in a fixed number of queries."""

    controller: Any
    activities: list[ProcessingActivity]
    subject_categories: list[SubjectCategory]
    consent_purposes: dict[int, list[str]]
    legal_holds: list[Any]

    def recipients(self) -> list[Recipient]:
        """Every recipient of any activity, by name, once."""
        seen: dict[int, Recipient] = {}
        for activity in self.activities:
            for recipient in activity.recipients.all():
                seen.setdefault(recipient.pk, recipient)
        language = (translation.get_language() or "nl")[:2]
        return sorted(seen.values(), key=lambda r: recipient_name(r, language).lower())


REGISTER_RELATIONS = (
    "legal_bases",
    "subject_categories",
    "data_categories",
    "recipients",
    "indirect_subject_categories",
    "retention_rules",
)


def register_read() -> Register:
    """The register as the statement needs it, in eleven queries whatever its size."""
    from retention.models import LegalHold, RetentionRule

    activities = ProcessingActivity.objects.prefetch_related(
        *(name for name in REGISTER_RELATIONS if name != "retention_rules"),
        Prefetch(
            "retention_rules",
            queryset=RetentionRule.objects.filter(is_active=True).order_by("key"),
        ),
    ).order_by("number")
    purposes: dict[int, list[str]] = {}
    current = (
        ConsentText.objects.filter(published_at__lte=timezone.now())
        .exclude(purpose__in=RETIRED_PURPOSES)
        .values_list("activity_id", "purpose")
        .distinct()
        .order_by("activity_id", "purpose")
    )
    for activity_id, purpose in current:
        purposes.setdefault(activity_id, []).append(purpose)
    return Register(
        controller=controller_get(),
        activities=list(activities),
        subject_categories=list(SubjectCategory.objects.order_by("pk")),
        consent_purposes=purposes,
        legal_holds=list(LegalHold.objects.filter(subject__isnull=True).order_by("key")),
    )


def duration_words(value: int, unit: str) -> str:
    """``4 weeks``, ``1 month``, in the active language."""
    forms = {
        "days": ngettext("%(n)d day", "%(n)d days", value),
        "weeks": ngettext("%(n)d week", "%(n)d weeks", value),
        "months": ngettext("%(n)d month", "%(n)d months", value),
        "years": ngettext("%(n)d year", "%(n)d years", value),
    }
    return forms[unit] % {"n": value}


def days_words(days: int) -> str:
    return duration_words(days // 7, "weeks") if days % 7 == 0 else duration_words(days, "days")


def retention_rule_words(rule: Any) -> str:
    """A retention rule as a sentence: what happens, at most how long after what."""
    action = rule.Action
    clock = rule.tr("clock_description")
    if rule.action == action.NEVER_STORED:
        return _("Never stored.")
    if rule.action == action.REVIEW and rule.review_every_days:
        limit = duration_words(rule.review_every_days, "days")
        return _(
            "Reviewed at most %(limit)s after %(clock)s and deleted once no longer needed."
        ) % {"limit": limit, "clock": clock}
    if rule.action == action.REVIEW:
        # A review at the rule's own limit (an open trajectory): it gets its end, or is
        # kept open with a reason until the next review; the review itself deletes nothing.
        limit = duration_words(rule.limit_value, rule.limit_unit)
        return _(
            "Reviewed at most %(limit)s after %(clock)s: its end is set, or it is kept open "
            "with a reason until the next review."
        ) % {"limit": limit, "clock": clock}
    anonymise = rule.action == action.ANONYMISE
    if rule.limit_value == 0:
        text = (
            _("Deleted or anonymised right after %(clock)s.")
            if anonymise
            else _("Deleted right after %(clock)s.")
        )
        return text % {"clock": clock}
    text = (
        _("Deleted or anonymised at most %(limit)s after %(clock)s.")
        if anonymise
        else _("Deleted at most %(limit)s after %(clock)s.")
    )
    return text % {"limit": duration_words(rule.limit_value, rule.limit_unit), "clock": clock}


def oneline(value: object) -> str:
    """Register text on one line: a line break in it must not start a heading or a list
    item of the statement's markup."""
    return " ".join(str(value).split())


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _article(article: str, language: str) -> str:
    # The register names the Dutch act ("AVG"); an English reader knows it as the GDPR.
    return article.replace("AVG", "GDPR") if language == "en" else article


def country(recipient: Recipient, language: str) -> str:
    return (recipient.country_en if language == "en" else "") or recipient.country


def recipient_name(recipient: Recipient, language: str) -> str:
    return (recipient.name_en if language == "en" else "") or recipient.name


def transfer_line(recipient: Recipient, language: str) -> str:
    """A transfer outside the EEA with its safeguard and where a copy can be obtained
    (Art. 13(1)(f), 14(1)(f))."""
    return _("%(name)s, %(country)s: %(safeguard)s. %(copy)s") % {
        "name": recipient_name(recipient, language),
        "country": country(recipient, language),
        "safeguard": recipient.get_transfer_mechanism_display(),
        "copy": oneline(recipient.tr("safeguard_copy", language)),
    }


def recipient_line(recipient: Recipient, language: str) -> str:
    where = country(recipient, language)
    if recipient.outside_eea:
        where = _("%(country)s, outside the EEA") % {"country": where}
    return _("%(name)s (%(role)s, %(where)s)") % {
        "name": recipient_name(recipient, language),
        "role": recipient.get_kind_display(),
        "where": where,
    }


def activity_words(activity: ProcessingActivity, register: Register) -> dict[str, Any]:
    """One processing activity as the statement and the Art. 14 notice word it, in the
    active language: plain strings and lists, nothing left to look up."""
    language = (translation.get_language() or "nl")[:2]
    bases = list(activity.legal_bases.all())
    recipients = list(activity.recipients.all())
    relies_on_interest = any(b.code == "f" for b in bases)
    return {
        "key": activity.key,
        "number": activity.number,
        "name": oneline(activity.tr("name")),
        "purpose": oneline(activity.tr("purpose")),
        "subjects": [oneline(c.tr("name")) for c in activity.subject_categories.all()],
        "data": [
            oneline(c.tr("name"))
            + (" (" + _("special category of personal data") + ")" if c.is_special_category else "")
            for c in activity.data_categories.all()
        ],
        "bases": [f"{_article(b.article, language)}: {oneline(b.tr('name'))}" for b in bases],
        "basis_note": oneline(activity.tr("legal_basis_note")),
        "legitimate_interest": (
            oneline(activity.tr("legitimate_interest")) if relies_on_interest else ""
        ),
        "special_condition": (
            str(activity.get_special_category_condition_display())
            if activity.special_category_condition
            else ""
        ),
        "source": oneline(activity.tr("source")),
        "indirect": [oneline(c.tr("name")) for c in activity.indirect_subject_categories.all()],
        "requirement": str(activity.get_requirement_display()),
        "consequence": oneline(activity.tr("consequence")),
        "recipients": [recipient_line(r, language) for r in recipients],
        "transfers": [transfer_line(r, language) for r in recipients if r.outside_eea],
        "retention": oneline(activity.tr("retention")),
        "rules": [
            f"{oneline(rule.tr('name'))}: {lower_first(retention_rule_words(rule))}"
            for rule in activity.retention_rules.all()
        ],
        "consents": [
            str(ConsentPurpose(p).label) for p in register.consent_purposes.get(activity.pk, [])
        ],
        "profiling": oneline(activity.tr("profiling")),
        "automated": activity.automated_decision_making,
    }


def rights_words(language: str) -> dict[str, str]:
    """Where and how a person exercises their rights, with full links in ``language``."""
    from requests_dsar.services.workflow import MAX_EXTENSION_MONTHS

    return {
        "request_url": site_url("requests_dsar:form", language=language),
        "consent_url": site_url("processing:consent_request", language=language),
        "statement_url": site_url("statement:public", language=language),
        "response": days_words(settings.DSAR_RESPONSE_DAYS),
        "extension": duration_words(MAX_EXTENSION_MONTHS, "months"),
    }


def normalised(text: str) -> str:
    """Every line stripped, no empty lines but one before each heading: the template's
    indentation and tags leave no trace, so the text changes only when what it says
    changes (every line is one paragraph; empty lines mean nothing)."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if lines and line.startswith(HEADING_MARKS):
            lines.append("")
        lines.append(line)
    return "\n".join(lines) + "\n"


def security_measures(activities: list[ProcessingActivity]) -> list[str]:
    """The security measures of every activity, each measure once."""
    measures: dict[str, None] = {}
    for activity in activities:
        text = oneline(activity.tr("security_measures"))
        for part in re.split(r"(?<=[;.])\s+", text):
            part = part.strip(" ;.")
            if part:
                measures.setdefault(part[0].upper() + part[1:], None)
    return list(measures)


def statement_text(language: str, register: Register | None = None) -> str:
    """The full statement in ``language`` as the register says it now."""
    register = register or register_read()
    with translation.override(language):
        activities = [activity_words(a, register) for a in register.activities]
        recipients = register.recipients()
        context = {
            "controller": register.controller,
            "subject_categories": [oneline(c.tr("name")) for c in register.subject_categories],
            "activities": activities,
            "recipient_lines": [
                {
                    "line": recipient_line(r, language),
                    "description": oneline(r.tr("description")),
                }
                for r in recipients
            ],
            "transfers": [transfer_line(r, language) for r in recipients if r.outside_eea],
            "indirect": [a for a in activities if a["indirect"]],
            "profiling": [a for a in activities if a["profiling"]],
            "automated": [a for a in activities if a["automated"]],
            "legal_holds": [
                f"{oneline(h.tr('name'))} ({oneline(h.article)})" for h in register.legal_holds
            ],
            "security": security_measures(register.activities),
            **rights_words(language),
        }
        return normalised(render_plain(STATEMENT_TEMPLATE, context))


def statement_draft() -> dict[str, str]:
    """The statement in Dutch and English as the register says it now (one read)."""
    register = register_read()
    return {language: statement_text(language, register) for language in LANGUAGES}


# Versions.


def statement_current() -> StatementVersion | None:
    return StatementVersion.objects.order_by("-number").first()


@dataclasses.dataclass(frozen=True)
class StatementStatus:
    current: StatementVersion | None
    draft: dict[str, str]

    @property
    def unpublished(self) -> bool:
        """The register would change the text, and that text is not published yet."""
        return self.current is None or any(
            self.current.text(language) != self.draft[language] for language in LANGUAGES
        )


def statement_status(*, cached: bool = False) -> StatementStatus:
    """The newest published version and the draft. ``cached``: the draft as last worded
    for a register exactly like this one (``statement_draft_cached``), for the
    dashboard; publishing always words it afresh."""
    draft = statement_draft_cached() if cached else statement_draft()
    return StatementStatus(current=statement_current(), draft=draft)


# The draft for the dashboard, kept in the cache under a fingerprint of every row the
# statement is worded from: any change to the register (however it was made: a form, the
# admin, a queryset update, a migration) gives another fingerprint and a fresh draft. The
# wording also depends on the code and its translations, which change only with a
# deploy, that is with a new process: the process's token is part of the key.
_PROCESS_TOKEN = uuid.uuid4().hex
DRAFT_CACHE_SECONDS = 24 * 60 * 60


def register_models() -> list[type[models.Model]]:
    """Every table the statement's words come from, whole (the register is small): the
    activities, their many-to-many tables and what those point to, the controller and
    the subject categories. Current consent texts and general legal holds are taken as
    ``register_read`` filters them (``register_fingerprint``)."""
    found: dict[str, type[models.Model]] = {}
    found[ProcessingActivity._meta.db_table] = ProcessingActivity
    for name in REGISTER_RELATIONS:
        field = ProcessingActivity._meta.get_field(name)
        # Declared here, or on the other model (the retention rules' activities).
        through = field.through if field.auto_created else field.remote_field.through
        found[through._meta.db_table] = through
        found[field.related_model._meta.db_table] = field.related_model
    for model in (Controller, SubjectCategory):
        found[model._meta.db_table] = model
    return list(found.values())


def _register_rows(now: datetime.datetime) -> list[models.QuerySet]:
    """Every row the statement is worded from at ``now``, as querysets of values."""
    from retention.models import LegalHold

    parts = [model._default_manager.order_by("pk").values_list() for model in register_models()]
    parts.append(
        ConsentText.objects.filter(published_at__lte=now)
        .exclude(purpose__in=RETIRED_PURPOSES)
        .values_list("activity_id", "purpose")
        .distinct()
        .order_by("activity_id", "purpose")
    )
    parts.append(LegalHold.objects.filter(subject__isnull=True).order_by("pk").values_list())
    return parts


def _fingerprint_query(now: datetime.datetime) -> tuple[str, list[Any]]:
    """The fingerprint's query on PostgreSQL: one digest of every part's rows."""
    selects, params = [], []
    for part in _register_rows(now):
        sql, part_params = part.query.sql_with_params()
        selects.append(
            f"(SELECT coalesce(string_agg(r::text, ',' ORDER BY r::text), '') FROM ({sql}) r)"
        )
        params.extend(part_params)
    return f"SELECT md5(concat_ws('|', {', '.join(selects)}))", params


def register_fingerprint() -> str:
    """A digest of every value the statement is worded from (none of the tables grows
    with the number of people): on PostgreSQL in one query, elsewhere one per table."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        # Built once per process (a dozen querysets cost more to compile than to run).
        sql, params = built_sql("register-fingerprint", _fingerprint_query, {"now": now})
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchone()[0]
    else:
        rows = repr([list(part) for part in _register_rows(now)])
    return hashlib.sha256(f"{_PROCESS_TOKEN}:{rows}".encode()).hexdigest()


def statement_draft_cached() -> dict[str, str]:
    """``statement_draft``, worded once for each state of the register."""
    key = f"processing:statement-draft:{register_fingerprint()}"
    draft = cache.get(key)
    if draft is None:
        draft = statement_draft()
        cache.set(key, draft, DRAFT_CACHE_SECONDS)
    return draft


@transaction.atomic
def statement_version_publish(*, actor: Any) -> StatementVersion:
    """Publish the statement as the register says it now: its full text in Dutch and
    English is frozen as the next version, dated now, and shown on the public page.
    Refused when the newest version already says exactly this (nothing new to
    publish). Only a privacy officer may (``processing.publish_statementversion``,
    checked by the view)."""
    from subjects.services import audit_event_record

    draft = statement_draft()
    current = StatementVersion.objects.select_for_update().order_by("-number").first()
    if current is not None and all(current.text(lang) == draft[lang] for lang in LANGUAGES):
        raise ValidationError(
            _("The published version already says what the register says: nothing to publish.")
        )
    try:
        with transaction.atomic():
            version = StatementVersion.objects.create(
                number=(current.number + 1) if current else 1,
                published_by=actor if actor is not None and actor.is_authenticated else None,
                text_nl=draft["nl"],
                text_en=draft["en"],
            )
    except IntegrityError:
        raise ValidationError(
            _("Someone else published a version at the same moment. Look at it first.")
        ) from None
    audit_event_record(actor=actor, action="statement.publish", target=version)
    return version
