"""What the trails say happened, in the reader's language.

Both trails (the audit trail, ``AuditEvent``, and a request's trail, ``RequestEvent``)
store what happened as an action code with its parameters (``params``: numbers, dates,
references and codes, never sentences), and what a staff member typed with it (a
reason, a justification, how the person was told) as they typed it, in ``note``. This
module is the one registry of what each code says: ``TRAIL_MESSAGES`` maps a code to a
``TrailMessage``, rendered when a page, the admin or an answer shows the entry, in the
language active then. Counts go through ngettext, dates through Django's formats, and
codes in the parameters (purposes, methods, request types, processing activities,
kinds of data) become their labels.

The audit trail's codes are registered here; the request trail's codes in
``requests_dsar.trail`` (loaded when the app is ready).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

Params = Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class TrailMessage:
    """What one action code says: a short ``label`` (without parameters, for filters and
    when the parameters do not fit any form), and ``forms``: (the parameters a form needs,
    its text), tried in order; the first whose parameters are all present is used. A text
    is a lazy string with ``%(name)s`` placeholders (an ngettext_lazy for a count), or a
    function of the renderer and the formatted parameters. ``choices`` give the labels of
    parameters that hold a code only this message uses."""

    label: Any
    forms: tuple[tuple[tuple[str, ...], Any], ...] = ()
    choices: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)


TRAIL_MESSAGES: dict[str, TrailMessage] = {}


def trail_messages_register(messages: Mapping[str, TrailMessage]) -> None:
    for code, message in messages.items():
        if code in TRAIL_MESSAGES:
            raise ValueError(f"Trail code {code} is registered twice.")
        TRAIL_MESSAGES[code] = message


def message(label: Any, *forms: tuple[tuple[str, ...], Any], **choices: Any) -> TrailMessage:
    return TrailMessage(label=label, forms=tuple(forms), choices=choices)


def _present(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != [] and value != {}


# Parameter names with a meaning of their own, the same in every message ----------------


def _date(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formats.date_format(day, "j F Y")


def _purpose(value: Any) -> str:
    from processing.models import ConsentPurpose

    return str(dict(ConsentPurpose.choices)[value])


def _consent_method(value: Any) -> str:
    from processing.models import ConsentMethod

    return str(dict(ConsentMethod.choices)[value])


def _via(value: Any) -> str:
    from processing.models import via_display

    return via_display(str(value))


def _language(value: Any) -> str:
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(value, value))


def model_name(label: str, *, plural: bool = True) -> str:
    """A model label (``subjects.CoachingNote``) as people call such records, in the
    active language; "other records" for a model that no longer exists."""
    from django.apps import apps

    try:
        meta = apps.get_model(label)._meta
    except (LookupError, ValueError):
        return str(_("other records") if plural else _("another record"))
    return str(meta.verbose_name_plural if plural else meta.verbose_name)


def field_names(label: str, names: Iterable[str]) -> str:
    """Field names of a model as their labels, in the active language."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    shown = []
    for name in names:
        try:
            shown.append(str(apps.get_model(label)._meta.get_field(name).verbose_name))
        except (LookupError, ValueError, FieldDoesNotExist):
            shown.append(str(_("another field")))
    return ", ".join(shown)


FORMATTERS: dict[str, Callable[[Any], str]] = {
    "purpose": _purpose,
    "consent_method": _consent_method,
    "via": _via,
    "language": _language,
}


# Lines of what an erasure, a withdrawal or an upheld objection did ----------------------

LINE_TEXTS = {
    "stop": ngettext_lazy("%(name)s: %(count)s stopped", "%(name)s: %(count)s stopped", "count"),
    "fields": ngettext_lazy(
        "%(name)s: %(fields)s removed from %(count)s record",
        "%(name)s: %(fields)s removed from %(count)s records",
        "count",
    ),
    "anonymise": ngettext_lazy(
        "%(name)s: %(count)s record made anonymous",
        "%(name)s: %(count)s records made anonymous",
        "count",
    ),
}
LINE_ERASED = ngettext_lazy(
    "%(name)s: %(count)s record erased", "%(name)s: %(count)s records erased", "count"
)
LINE_UNLINKED = ngettext_lazy(
    "%(name)s: the person removed from %(count)s record",
    "%(name)s: the person removed from %(count)s records",
    "count",
)
LINE_KEPT = ngettext_lazy(
    "%(name)s: %(count)s record kept and restricted (legal hold)",
    "%(name)s: %(count)s records kept and restricted (legal hold)",
    "count",
)


def lines_text(lines: Iterable[Mapping[str, Any]]) -> str:
    """Lines in the erasure record's shape (model, action, erased, unlinked, kept,
    fields) as one sentence: per kind of data what was erased, stopped or kept."""
    parts = []
    for line in lines:
        label = str(line.get("model", ""))
        name = model_name(label)
        erased, unlinked, kept = (int(line.get(k) or 0) for k in ("erased", "unlinked", "kept"))
        if erased:
            text = LINE_TEXTS.get(str(line.get("action", "")), LINE_ERASED)
            fields = field_names(label, line.get("fields") or [])
            parts.append(str(text % {"name": name, "count": erased, "fields": fields}))
        if unlinked:
            parts.append(str(LINE_UNLINKED % {"name": name, "count": unlinked}))
        if kept:
            parts.append(str(LINE_KEPT % {"name": name, "count": kept}))
    return "; ".join(parts) or str(_("nothing held"))


def trail_lines(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The erasure record's lines as a trail parameter: kinds of data and counts only."""
    keys = ("model", "action", "erased", "unlinked", "kept", "fields")
    return [{k: line[k] for k in keys if line.get(k)} for line in lines]


# Rendering -----------------------------------------------------------------------------


class TrailRenderer:
    """Renders trail entries in the active language. Keep one for a list of entries:
    the names of processing activities are read once (one query), not per entry."""

    def __init__(self) -> None:
        self._activities: dict[str, Any] | None = None

    def activity_names(self, keys: Iterable[str]) -> str:
        if self._activities is None:
            from processing.models import ProcessingActivity

            self._activities = {a.key: a for a in ProcessingActivity.objects.all()}
        names = []
        for key in keys:
            activity = self._activities.get(key)
            names.append(activity.tr_name if activity else str(_("a processing activity")))
        return ", ".join(names)

    def value(self, name: str, value: Any, message: TrailMessage, params: Params) -> Any:
        if name in message.choices:
            # An unknown code fails the form (KeyError): the label is shown instead.
            return str(message.choices[name][value])
        if isinstance(value, bool | int | float):
            return value
        if name.endswith("_on"):
            return _date(value)
        if name == "activities":
            return self.activity_names(value if isinstance(value, list) else [value])
        if name == "lines":
            return lines_text(value)
        if name == "model":
            return model_name(str(value), plural=False)
        if name == "fields":
            return field_names(str(params.get("model", "")), value)
        if name in FORMATTERS:
            return FORMATTERS[name](value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def text(self, action: str, params: Params | None) -> str:
        """The entry as a sentence: the first form whose parameters are present, else
        the label. A code no message knows is shown as it is (a test keeps every code
        the application writes registered)."""
        found = TRAIL_MESSAGES.get(action)
        if found is None:
            return action
        params = params or {}
        for needs, text in found.forms:
            if not all(_present(params.get(name)) for name in needs):
                continue
            try:
                shown = {k: self.value(k, v, found, params) for k, v in params.items()}
                return text(shown) if callable(text) else str(text % shown)
            except (KeyError, TypeError, ValueError):
                break
        return str(found.label)


def trail_text(action: str, params: Params | None) -> str:
    """One entry as a sentence in the active language (for a list, use one
    ``TrailRenderer`` or ``trail_prepare``)."""
    return TrailRenderer().text(action, params)


def trail_prepare(events: Iterable[Any]) -> list[Any]:
    """Render a list of trail entries (``AuditEvent`` or ``RequestEvent``) in the active
    language at once, so showing them costs no query per entry; returns the list."""
    renderer = TrailRenderer()
    events = list(events)
    for event in events:
        event.rendered = renderer.text(event.action, event.params)
    return events


TARGET = re.compile(r"^(?P<label>\w+\.\w+)(?: #(?P<pk>\d+))?$")


def target_display(target: str) -> str:
    """An audit event's object (``subjects.ContactMessage #12``) as staff read it
    ("contact message no. 12"); anything else (a name such as "Mailchimp") as it is."""
    match = TARGET.match(target or "")
    if match is None:
        return target
    pk = match.group("pk")
    if pk is None:
        return model_name(match.group("label"))
    return str(_("%(model)s no. %(number)s")) % {
        "model": model_name(match.group("label"), plural=False),
        "number": pk,
    }


def changed_fields_display(target: str, names: Iterable[str]) -> str:
    """The changed fields of an audit event by their labels (the target's model)."""
    match = TARGET.match(target or "")
    if match is None:
        return ", ".join(names)
    return field_names(match.group("label"), names)


# The audit trail's codes ---------------------------------------------------------------

FIX_LABELS = {
    "none": _("nothing"),
    "suppressed": _("suppressed addresses only"),
    "all": _("everything"),
}


def _reconcile(shown: Mapping[str, Any]) -> str:
    """A Mailchimp reconcile: its counts, each counted in words."""
    n = {k: int(shown.get(k) or 0) for k in RECONCILE_COUNTS}
    differences = n["missing_there"] + n["status_differences"] + n["there_not_here"]
    repaired = n["subscribed"] + n["unsubscribed"] + n["archived"]
    parts = [
        ngettext(
            "%(count)s subscriber may be mailed here",
            "%(count)s subscribers may be mailed here",
            n["here"],
        )
        % {"count": n["here"]},
        ngettext(
            "%(count)s subscribed in Mailchimp", "%(count)s subscribed in Mailchimp", n["there"]
        )
        % {"count": n["there"]},
        ngettext("%(count)s difference", "%(count)s differences", differences)
        % {"count": differences},
        ngettext("%(count)s repaired", "%(count)s repaired", repaired) % {"count": repaired},
    ]
    if n["needs_reconfirmation"]:
        parts.append(
            ngettext(
                "%(count)s needs re-confirmation by the person",
                "%(count)s need re-confirmation by the person",
                n["needs_reconfirmation"],
            )
            % {"count": n["needs_reconfirmation"]}
        )
    if n["failed"]:
        parts.append(
            ngettext("%(count)s repair failed", "%(count)s repairs failed", n["failed"])
            % {"count": n["failed"]}
        )
    return str(_("Mailchimp reconciled (repair: %(fix)s): %(counts)s")) % {
        "fix": shown.get("fix", FIX_LABELS["none"]),
        "counts": "; ".join(parts),
    }


RECONCILE_COUNTS = (
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
)

# What the consent-ledger migration (subjects 0005) removed for want of a provable
# consent; its trail entries name one of these.
ENFORCED_REMOVED = {
    "allergies": _("allergies"),
    "monitor-demographics": _("Coaching Monitor: initials, gender, age, education, marital status"),
    "monitor-research": _("Coaching Monitor: use for research"),
    "brochure-phone": _("phone number of a brochure request"),
    "e2grow-visibility": _("E2Grow: profile visible to colleagues"),
    "meetin-shared": _("referral to MeetIn (passed on)"),
    "meetin": _("referral to MeetIn"),
    "newsletter": _("newsletter stopped"),
    "newsletter-not-client": _("newsletter stopped (not a client)"),
}

NEWSLETTER_STOP_REASONS = {
    "consent-withdrawn": _("the consent was withdrawn"),
    "new-address-suppressed": _("the new address may not be mailed"),
}

AUDIT_MESSAGES: dict[str, TrailMessage] = {
    "subject.create": message(_("data subject created")),
    "subject.update": message(
        _("data subject changed"),
        (("reference",), _("data subject corrected for rights request %(reference)s")),
    ),
    "subject.role-add": message(_("role added")),
    "subject.role-end": message(
        _("role ended"), (("ended_on",), _("role ended; its last day is %(ended_on)s"))
    ),
    "subject.restrict": message(
        _("processing restricted"), (("ground",), _("processing restricted (%(ground)s)"))
    ),
    "subject.restriction-lift": message(
        _("restriction lifted"),
        (
            ("reference", "told_on"),
            _(
                "restriction of rights request %(reference)s lifted; the person was told "
                "on %(told_on)s"
            ),
        ),
        (("told_on",), _("restriction lifted; the person was told on %(told_on)s")),
    ),
    "subject.marketing-objection": message(
        _("objection to direct marketing recorded"),
        (
            ("reference",),
            _("objection to direct marketing recorded for rights request %(reference)s"),
        ),
        (("via",), _("objection to direct marketing recorded (%(via)s)")),
    ),
    "subject.marketing-objection-lifted": message(
        _(
            "objection to direct marketing lifted: the person signed up for the newsletter "
            "again and confirmed the address"
        )
    ),
    "subject.link-unlinked-rows": message(
        _("records with the person's e-mail address linked"),
        (
            ("count",),
            ngettext_lazy(
                "%(count)s record with the person's e-mail address linked",
                "%(count)s records with the person's e-mail address linked",
                "count",
            ),
        ),
    ),
    "subject.erase": message(
        _("data subject erased"),
        (
            ("reference", "kept"),
            _(
                "data subject kept and restricted (legal hold) for the erasure of rights "
                "request %(reference)s"
            ),
        ),
        (("reference",), _("data subject erased for rights request %(reference)s")),
    ),
    "subject.erase-accounts": message(
        _("tool accounts erased"),
        (
            ("reference", "activities"),
            _("only the accounts at %(activities)s erased for rights request %(reference)s"),
        ),
    ),
    "subject.objection-upheld": message(
        _("objection upheld: processing stopped"),
        (
            ("reference", "activities"),
            _("objection upheld for rights request %(reference)s: %(activities)s stopped"),
        ),
    ),
    "consent.give": message(
        _("consent given"),
        (
            ("purpose", "version", "language"),
            _("consent given for %(purpose)s (wording version %(version)s, in %(language)s)"),
        ),
        (("purpose",), _("consent given for %(purpose)s")),
    ),
    "consent.withdraw": message(
        _("consent withdrawn"),
        (
            ("reference", "activities"),
            _("consent withdrawn for rights request %(reference)s: %(activities)s"),
        ),
        (
            ("purpose", "consent_method"),
            _("consent for %(purpose)s withdrawn (%(consent_method)s)"),
        ),
        (("purpose",), _("consent for %(purpose)s withdrawn")),
    ),
    "consent.enforced": message(
        _(
            "removed when the consent ledger was introduced: recorded without a consent "
            "that can be proven"
        ),
        (
            ("removed",),
            _(
                "%(removed)s: removed when the consent ledger was introduced, recorded "
                "without a consent that can be proven"
            ),
        ),
        removed=ENFORCED_REMOVED,
    ),
    "consent.withdrawal-task-done": message(
        _("recipient told of the withdrawn consent"),
        (("recipient",), _("%(recipient)s told of the withdrawn consent")),
    ),
    "consent.withdrawal-task-not-possible": message(
        _("telling the recipient of the withdrawn consent was not possible"),
        (
            ("recipient",),
            _("telling %(recipient)s of the withdrawn consent was not possible"),
        ),
    ),
    "consent-text.new-version": message(
        _("new version of a consent wording"),
        (
            ("purpose", "from_version", "to_version"),
            _(
                "new version of the wording for %(purpose)s: version %(from_version)s "
                "followed by version %(to_version)s"
            ),
        ),
    ),
    "newsletter.stop": message(
        _("newsletter stopped"),
        (("via", "reason"), _("newsletter stopped (%(via)s): %(reason)s")),
        (("reference",), _("newsletter stopped for rights request %(reference)s")),
        (("via",), _("newsletter stopped (%(via)s)")),
        (("reason",), _("newsletter stopped: %(reason)s")),
        reason=NEWSLETTER_STOP_REASONS,
    ),
    "newsletter.confirm": message(_("newsletter subscription confirmed by the person")),
    "newsletter.confirmation-sent": message(_("newsletter confirmation e-mail sent")),
    "newsletter.soft-opt-in": message(
        _("newsletter subscription as a client (soft opt-in) recorded")
    ),
    "newsletter.email-change": message(
        _("newsletter address changed"), (("via",), _("newsletter address changed (%(via)s)"))
    ),
    "newsletter.audience-export": message(
        _("newsletter audience exported"),
        (
            ("count",),
            ngettext_lazy(
                "newsletter audience exported: %(count)s address",
                "newsletter audience exported: %(count)s addresses",
                "count",
            ),
        ),
    ),
    "newsletter.mailchimp-needs-reconfirmation": message(
        _("Mailchimp refused to subscribe the address again: only the person can confirm it"),
        (
            ("during",),
            _(
                "Mailchimp refused to subscribe the address again (%(during)s): only the "
                "person can confirm it"
            ),
        ),
        during={
            "push": _("while pushing the audience to Mailchimp"),
            "reconcile": _("while reconciling with Mailchimp"),
        },
    ),
    "mailchimp.reconcile": message(
        _("Mailchimp reconciled"),
        (("error",), _("Mailchimp reconcile failed: %(error)s")),
        (("fix",), _reconcile),
        fix=FIX_LABELS,
    ),
    "retention.review-keep": message(
        _("contact message kept after review"),
        (
            ("next_review_on",),
            _("contact message kept after review; next review on %(next_review_on)s"),
        ),
    ),
    "retention.review-delete": message(_("contact message deleted after review")),
    "retention.hold-add": message(_("legal hold added")),
    "retention.hold-change": message(_("legal hold changed")),
    "retention.suppression-reduce": message(
        _("data subject reduced to what the objection to direct marketing needs (Art. 21(3) GDPR)")
    ),
    "trainee-profile.update": message(
        _("trainee profile changed"),
        (("reference",), _("trainee profile corrected for rights request %(reference)s")),
    ),
    "brochure.follow-up": message(_("brochure request followed up")),
    "study-trip-referral.shared": message(_("study-trip referral passed on to MeetIn")),
    "admin.add": message(_("added in the admin")),
    "admin.change": message(_("changed in the admin")),
    "admin.delete": message(_("deleted in the admin")),
}

trail_messages_register(AUDIT_MESSAGES)
