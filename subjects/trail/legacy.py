"""The notes the trails held before they stored what happened as a code with parameters
(``subjects.trail``), turned into those parameters. Used by the data migrations that
convert stored entries (subjects 0009, requests_dsar 0007), and tested on a sample of
every note the application wrote.

Each function takes an entry's action and note and returns (params, note): the
parameters read from a note the machine wrote, and what stays a note, which is what a
staff member typed (a reason, how the person was told). A note that matches none of
its action's patterns is kept whole, as text a person wrote. These patterns describe
old data: they change only if an old version wrote something not listed here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Converted = tuple[dict[str, Any], str]

REFERENCE = r"V-[A-Z0-9]+"
DATE = r"\d{4}-\d{2}-\d{2}"
LABEL = r"[A-Za-z_]\w*\.[A-Za-z_]\w*"

# Where consents were given or withdrawn and newsletters stopped, as the code wrote them.
VIA_CODES = frozenset(
    {
        "brochure-form",
        "newsletter-form+double-opt-in",
        "brochure-form+double-opt-in",
        "staff+double-opt-in",
        "consent-page",
        "unsubscribe-page",
        "one-click-unsubscribe",
        "unsubscribe-link",
        "mailchimp-unsubscribe",
        "mailchimp-cleaned",
        "mailchimp-complaint",
        "mailchimp-upemail",
    }
)
CONSENT_METHODS = frozenset(
    {
        "web-form",
        "email",
        "paper",
        "verbal",
        "preferences",
        "rights-request",
        "unsubscribe-link",
        "staff",
    }
)
VERIFICATION_METHODS = frozenset({"call-back", "in-person", "known-channel", "other"})

# What the consent-ledger migration (subjects 0005) wrote, in Dutch, as "<what>: <why>".
ENFORCED_WHY = (
    "vastgelegd zonder aantoonbare toestemming; verwijderd bij de invoering van het "
    "toestemmingenregister"
)
ENFORCED_WHAT = {
    "allergieën": "allergies",
    "Coaching Monitor: voorletters, geslacht, leeftijd, opleiding, burgerlijke staat": (
        "monitor-demographics"
    ),
    "Coaching Monitor: gebruik voor onderzoek": "monitor-research",
    "telefoonnummer bij een brochureaanvraag": "brochure-phone",
    "E2Grow: profiel zichtbaar voor collega's": "e2grow-visibility",
    "doorverwijzing naar MeetIn (doorgegeven)": "meetin-shared",
    "doorverwijzing naar MeetIn": "meetin",
    "nieuwsbrief gestopt": "newsletter",
    "nieuwsbrief gestopt (geen klant)": "newsletter-not-client",
}

RECONCILE_NUMBERS = frozenset(
    {
        "here",
        "there",
        "missing_there",
        "status_differences",
        "there_not_here",
        "suppressed_there",
        "explained",
        "subscribed",
        "unsubscribed",
        "archived",
        "needs_reconfirmation",
        "failed",
    }
)

# The reasons a staff identity check was cleared, as the trail held them: in Dutch (the
# staff's language) or, before that, in English.
CHECK_CLEARED_TEXTS = {
    "other-address": (
        "na de controle is nog een betrokkene onder een ander e-mailadres gekoppeld",
        "another data subject under another e-mail address was linked after the check",
    ),
    "special-category": (
        "er zijn bijzondere persoonsgegevens gekoppeld; de controle is vastgelegd door "
        "iemand zonder toegang tot bijzondere persoonsgegevens",
        "special-category data was linked; the check was recorded by someone without "
        "access to special-category data",
    ),
}


def _keys(text: str) -> list[str]:
    return [key.strip() for key in text.split(",") if key.strip()]


def _match(pattern: str, note: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, note.strip(), flags=re.DOTALL)


def _reference(note: str) -> Converted | None:
    match = _match(rf"(?:rectification |request )?({REFERENCE})", note)
    return ({"reference": match.group(1)}, "") if match else None


def _newsletter(note: str) -> Converted | None:
    """A newsletter stop or an objection to direct marketing: a request's reference, a
    channel (``via``) or the withdrawn consent."""
    text = note.strip()
    if found := _reference(text):
        return found
    if text in VIA_CODES:
        return {"via": text}, ""
    if text == "consent withdrawn":
        return {"reason": "consent-withdrawn"}, ""
    if text == "mailchimp-upemail: the new address may not be mailed":
        return {"via": "mailchimp-upemail", "reason": "new-address-suppressed"}, ""
    return None


def _request_and_activities(note: str) -> Converted | None:
    match = _match(rf"request ({REFERENCE}): (?:only )?(.+)", note)
    if match is None:
        return None
    return {"reference": match.group(1), "activities": _keys(match.group(2))}, ""


def _recipient(note: str) -> Converted:
    """ "<recipient>: <reason>": the recipient is a parameter, the reason a staff note."""
    recipient, _sep, reason = note.partition(": ")
    return {"recipient": recipient.strip()}, reason.strip()


def _erase(note: str) -> Converted | None:
    match = _match(rf"request ({REFERENCE}); (kept restricted \(legal hold\)|erased)", note)
    if match is None:
        return None
    return {"reference": match.group(1), "kept": match.group(2) != "erased"}, ""


def _consent_give(note: str) -> Converted | None:
    match = _match(r"([\w-]+) v(\d+) \((nl|en)\)", note)
    if match is None:
        return None
    return {"purpose": match.group(1), "version": int(match.group(2)), "language": match[3]}, ""


def _consent_withdraw(note: str) -> Converted | None:
    if found := _request_and_activities(note):
        return found
    match = _match(r"([\w-]+) \(([\w-]+)\)", note)
    if match is None or match.group(2) not in CONSENT_METHODS:
        return None
    return {"purpose": match.group(1), "consent_method": match.group(2)}, ""


def _consent_text(note: str) -> Converted | None:
    match = _match(r"([\w-]+) v(\d+) -> v(\d+)", note)
    if match is None:
        return None
    return {
        "purpose": match.group(1),
        "from_version": int(match.group(2)),
        "to_version": int(match.group(3)),
    }, ""


def _enforced(note: str) -> Converted | None:
    what, _sep, why = note.strip().rpartition(": ")
    if why != ENFORCED_WHY or what not in ENFORCED_WHAT:
        return None
    return {"removed": ENFORCED_WHAT[what]}, ""


def _reconcile(note: str) -> Converted | None:
    head, _sep, error = note.strip().partition(" error=")
    params: dict[str, Any] = {}
    for pair in head.split():
        key, eq, value = pair.partition("=")
        if not eq:
            return None
        if key == "fix":
            params["fix"] = value
        elif key in RECONCILE_NUMBERS and value.isdigit():
            params[key] = int(value)
    if "fix" not in params:
        return None
    if error:
        params["error"] = error
    return params, ""


def _pattern(pattern: str, make: Callable[[re.Match[str]], dict[str, Any]]) -> Any:
    def convert(note: str) -> Converted | None:
        match = _match(pattern, note)
        return (make(match), "") if match else None

    return convert


def _told(prefix: str) -> Any:
    """ "<prefix>told on <date> by <how>": the day is a parameter, how a staff note."""

    def convert(note: str) -> Converted | None:
        match = _match(rf"{prefix}told on ({DATE}) by (.*)", note)
        if match is None:
            return None
        return {"told_on": match.group(1)}, match.group(2).strip()

    return convert


def _constant(text: str) -> Any:
    def convert(note: str) -> Converted | None:
        return ({}, "") if note.strip() == text else None

    return convert


def _count(pattern: str, name: str = "count") -> Any:
    return _pattern(pattern, lambda match: {name: int(match.group(1))})


AUDIT_PATTERNS: dict[str, Callable[[str], Converted | None]] = {
    "subject.update": _reference,
    "trainee-profile.update": _reference,
    "subject.role-end": _pattern(rf"({DATE})", lambda match: {"ended_on": match.group(1)}),
    "subject.restrict": lambda note: ({"ground": note.strip()}, ""),
    "subject.restriction-lift": _told(""),
    "newsletter.stop": _newsletter,
    "subject.marketing-objection": _newsletter,
    "subject.marketing-objection-lifted": _constant("own double opt-in"),
    "subject.link-unlinked-rows": _count(r"(\d+) row\(s\) with this e-mail address linked"),
    "subject.erase": _erase,
    "subject.erase-accounts": _request_and_activities,
    "subject.objection-upheld": _request_and_activities,
    "consent.give": _consent_give,
    "consent.withdraw": _consent_withdraw,
    "consent.enforced": _enforced,
    "consent.withdrawal-task-done": _recipient,
    "consent.withdrawal-task-not-possible": _recipient,
    "consent-text.new-version": _consent_text,
    "retention.review-keep": _pattern(
        rf"next review ({DATE})", lambda match: {"next_review_on": match.group(1)}
    ),
    "retention.suppression-reduce": _constant(
        "kept only for the objection to direct marketing (Art. 21(3))"
    ),
    "newsletter.email-change": lambda note: (
        ({"via": note.strip()}, "") if note.strip() in VIA_CODES else None
    ),
    "newsletter.audience-export": _count(r"(\d+) addresses"),
    "newsletter.mailchimp-needs-reconfirmation": _pattern(
        r"refused by Mailchimp on (push|reconcile)", lambda match: {"during": match.group(1)}
    ),
    "mailchimp.reconcile": _reconcile,
}


def _check_cleared(texts: dict[str, tuple[str, ...]]) -> Any:
    def convert(note: str) -> Converted | None:
        for key, known in texts.items():
            if note.strip() in known:
                return {"reason": key}, ""
        return None

    return convert


def _subject_linked(note: str) -> Converted | None:
    match = _match(
        r"data subject #(\d+)(; e-mail address differs from the verified one: staff "
        r"identity check required)?",
        note,
    )
    if match is None:
        return None
    return {"subject": int(match.group(1)), "other_address": bool(match.group(2))}, ""


def _lines_from_labels(note: str) -> Converted | None:
    """An upheld objection's note of older versions: "<label>: <action> <count>, ..."."""
    found = re.findall(rf"({LABEL}): (\w+) (\d+)", note)
    if not found:
        return None
    lines = [{"model": label, "action": action, "erased": int(n)} for label, action, n in found]
    return {"lines": lines}, ""


def _objection_decided(note: str) -> Converted:
    """The machine wrote every such note (what the erasure record says, in older label
    form or in words); the record itself keeps it exactly. Label form becomes lines."""
    return _lines_from_labels(note) or ({}, "")


def _consent_withdrawn(note: str) -> Converted | None:
    """ "consents: N, <label> (<fields>): n, <label> kept (legal hold): n, <label>: n,
    newsletter: n"."""
    text = note.strip()
    match = re.match(r"consents: (\d+)", text)
    if match is None:
        return None
    params: dict[str, Any] = {"consents": int(match.group(1))}
    lines: list[dict[str, Any]] = []
    rest = text[match.end() :]
    item = re.compile(
        rf", (?:(?P<label>{LABEL})(?: \((?P<fields>[^)]*)\))?(?P<kept> kept \(legal hold\))?"
        r"|(?P<newsletter>newsletter)): (?P<n>\d+)"
    )
    position = 0
    while position < len(rest):
        found = item.match(rest, position)
        if found is None:
            return None
        position = found.end()
        count = int(found.group("n"))
        if not count:
            continue
        if found.group("newsletter"):
            line = {"model": "subjects.NewsletterSubscription", "action": "stop", "erased": count}
        elif found.group("kept"):
            line = {"model": found.group("label"), "kept": count}
        elif found.group("fields") is not None:
            line = {
                "model": found.group("label"),
                "action": "fields",
                "erased": count,
                "fields": _keys(found.group("fields")),
            }
        else:
            line = {"model": found.group("label"), "erased": count}
        lines.append(line)
    if lines:
        params["lines"] = lines
    return params, ""


def _rectified(note: str) -> Converted | None:
    match = _match(rf"({LABEL}) #(\d+): (.+)", note)
    if match is not None:
        return {
            "model": match.group(1),
            "row": int(match.group(2)),
            "fields": _keys(match.group(3)),
        }, ""
    if note.strip() == "-":
        return {}, ""
    # The oldest form: the corrected fields of the data subject, by name.
    if re.fullmatch(r"[a-z_]+(?:, [a-z_]+)*", note.strip()):
        return {"model": "subjects.DataSubject", "fields": _keys(note)}, ""
    return None


def _verification_method(note: str) -> Converted | None:
    text = note.strip()
    return ({"verification_method": text}, "") if text in VERIFICATION_METHODS else None


def _address_only(note: str) -> Converted | None:
    """Where a portability file went: the address, which the request itself holds."""
    return ({}, "") if re.fullmatch(r"\S+@\S+", note.strip()) else None


REQUEST_PATTERNS: dict[str, Callable[[str], Converted | None]] = {
    "verified": _count(r"linked automatically to (\d+) data subject\(s\) by e-mail"),
    "subject-linked": _subject_linked,
    "subject-unlinked": _pattern(r"data subject #(\d+)", lambda m: {"subject": int(m.group(1))}),
    "staff-verified": _verification_method,
    "staff-verification-cleared": _check_cleared(CHECK_CLEARED_TEXTS),
    "duplicate": _pattern(rf"({REFERENCE})", lambda match: {"reference": match.group(1)}),
    "recipient-task-done": _recipient,
    "recipient-task-not-possible": _recipient,
    "access-package-built": _count(r"(\d+) kinds of data"),
    "portability-sent": _address_only,
    "portability-send-failed": _address_only,
    "erasure-carried-out": _pattern(r"only (.+)", lambda match: {"activities": _keys(match[1])}),
    "restricted": _count(r"(\d+) rows"),
    "restriction-lifted": _told("person "),
    "marketing-objection": _count(r"(\d+) stopped"),
    "objection-decided": _objection_decided,
    "consent-withdrawn": _consent_withdrawn,
    "rectified": _rectified,
}


def _convert(patterns: dict[str, Any], action: str, note: str) -> Converted:
    convert = patterns.get(action)
    if not note.strip() or convert is None:
        return {}, note
    return convert(note) or ({}, note)


def audit_note_convert(action: str, note: str) -> Converted:
    """An audit event's old note as (params, staff note)."""
    return _convert(AUDIT_PATTERNS, action, note)


def request_note_convert(action: str, note: str) -> Converted:
    """A request event's old note as (params, staff note)."""
    return _convert(REQUEST_PATTERNS, action, note)


def notes_convert(model: Any, convert: Callable[[str, str], Converted], batch: int = 500) -> int:
    """Convert the stored notes of ``model`` (the historical AuditEvent or RequestEvent)
    in batches of ``batch`` rows by primary key, each batch in its own transaction, so a
    large trail neither holds one long transaction nor loads at once (PostgreSQL and
    SQLite alike). Only entries without parameters and with a note are read, so running
    it again changes nothing. Returns how many entries changed."""
    from django.db import transaction

    changed = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                model.objects.filter(pk__gt=last)
                .exclude(note="")
                .order_by("pk")
                .only("pk", "action", "note", "params")[:batch]
            )
            if not rows:
                return changed
            last = rows[-1].pk
            updated = []
            for row in rows:
                if row.params:
                    continue
                params, note = convert(row.action, row.note)
                if params or note != row.note:
                    row.params, row.note = params, note
                    updated.append(row)
            model.objects.bulk_update(updated, ["params", "note"])
            changed += len(updated)
