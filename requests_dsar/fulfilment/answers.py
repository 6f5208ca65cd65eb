"""The draft answer staff send, in the requester's language, built from what was done."""

from __future__ import annotations

import datetime

from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from processing.models import ProcessingActivity
from requests_dsar.fulfilment.erasure import ACCOUNT_TOOLS
from requests_dsar.fulfilment.readable import field_labels_for_people, kind_name
from requests_dsar.models import DsarRequest, ErasureRecord, RequestType
from requests_dsar.text import defused
from retention.models import LegalHold
from subjects.registry import Art18Ground, registry


def erasure_lines(record: ErasureRecord) -> list[dict[str, object]]:
    """The erasure record's lines with what a person and staff read: the kind of data in
    words, the fields by their labels, the legal grounds by their names and each end
    date as a date (``until_text``: every kept row until its own end)."""
    keys = {key for ln in record.lines for key in _ground_keys(ln["ground"])}
    holds = {h.key: h for h in LegalHold.objects.filter(key__in=keys)}
    readable = []
    for line in record.lines:
        grounds = [holds.get(key) for key in _ground_keys(line["ground"])]
        readable.append(
            {
                **line,
                "name": kind_name(line["model"]),
                "field_names": ", ".join(
                    field_labels_for_people(line["model"], line.get("fields", []))
                ),
                "blanked_names": ", ".join(
                    field_labels_for_people(line["model"], line.get("blanked", []))
                ),
                "ground_text": "; ".join(
                    f"{hold.tr('name')} ({hold.article})" for hold in grounds if hold
                )
                or (_("a legal obligation") if line["ground"] else ""),
                "until_text": until_text(line),
            }
        )
    return readable


def _ground_keys(ground: object) -> list[str]:
    """The legal hold keys of a record line's ground (a kept person's line joins those of
    the records that keep them)."""
    return [key.strip() for key in str(ground or "").split(",") if key.strip()]


def _readable_date(iso: str) -> str:
    """An ISO date from the erasure record as the requester reads dates (31 december 2033)."""
    try:
        return formats.date_format(datetime.date.fromisoformat(iso), "j F Y")
    except ValueError:
        return ""


def until_text(line: dict[str, object]) -> str:
    """Until when the kept rows of a record line stay: one date when they all end
    together, else each date with how many rows it keeps ("1 until 31 December 2032; 1
    until 31 December 2033"). A line recorded before the dates were kept per row has its
    latest date only."""
    if not line.get("kept"):
        return ""
    dates = line.get("until_dates") or {str(line.get("until") or ""): line["kept"]}
    shown = [(_readable_date(iso), count) for iso, count in dates.items()]  # type: ignore[union-attr]
    if len(shown) == 1:
        date = shown[0][0]
        return (
            _("until %(date)s") % {"date": date}
            if date
            else str(_("until the end of the retention period"))
        )
    return "; ".join(
        ngettext("%(count)s until %(date)s", "%(count)s until %(date)s", count)
        % {"count": count, "date": date or _("the end of the retention period")}
        for date, count in shown
    )


# What the answer says of the rows an erasure record line changed, per action; any other
# action (a deletion) says "erased".
ERASED_LINE_TEXTS = {
    "stop": gettext_lazy(
        "%(name)s: stopped at once; what we hold for it is deleted six weeks later, as our "
        "privacy statement says."
    ),
    "fields": gettext_lazy(
        "%(name)s (%(count)s): what rested on your consent is removed (%(fields)s)."
    ),
    "anonymise": gettext_lazy(
        "%(name)s (%(count)s): made anonymous; nothing in them points to you any more."
    ),
    "blanked": gettext_lazy(
        "%(name)s (%(count)s): kept as proof of how we handled them; what you wrote in "
        "them is removed."
    ),
}
ERASED_LINE_TEXT = gettext_lazy("%(name)s (%(count)s): erased.")


def erased_line_text(line: dict[str, object]) -> str:
    """One readable line (from ``erasure_lines``) of what was erased, stopped or made
    anonymous, in the active language."""
    text = ERASED_LINE_TEXTS.get(str(line["action"]), ERASED_LINE_TEXT)
    return capfirst(
        str(text) % {"name": line["name"], "count": line["erased"], "fields": line["field_names"]}
    )


def _erasure_sections(record: ErasureRecord | None) -> tuple[list[str], list[str]]:
    """The erasure record as two lists of lines: what was erased, made anonymous,
    unlinked or blanked, and what the law keeps, restricted, on which ground and until
    when, each row until its own end (with what was removed from the kept records)."""
    done: list[str] = []
    kept: list[str] = []
    for line in erasure_lines(record) if record else []:
        if line["erased"]:
            done.append("- " + erased_line_text(line))
        if line["unlinked"]:
            done.append(
                "- "
                + capfirst(
                    _("%(name)s (%(count)s): your name removed.")
                    % {"name": line["name"], "count": line["unlinked"]}
                )
            )
        if line["kept"]:
            kept.append(
                "- "
                + capfirst(
                    _(
                        "%(name)s (%(count)s): kept and restricted, because the law "
                        "requires it: %(ground)s, %(until)s."
                    )
                    % {
                        "name": line["name"],
                        "count": line["kept"],
                        "ground": line["ground_text"],
                        "until": line["until_text"],
                    }
                )
            )
            if line["blanked_names"]:
                kept.append(
                    "  "
                    + _("Of what we keep, we removed: %(fields)s.")
                    % {"fields": line["blanked_names"]}
                )
    return done, kept


def _erasure_parts(record: ErasureRecord | None) -> list[str]:
    """One line per model of the erasure record: what was erased, made anonymous or
    unlinked, and what the law keeps, restricted, on which ground and until when."""
    done, kept = _erasure_sections(record)
    return done + kept


DIRECT_MARKETING_STOPPED = gettext_lazy(
    "You will no longer receive our newsletter or any other direct marketing. We have "
    "recorded your objection permanently."
)
# What a restriction means for the person, by the point of Art. 18(1) it rests on.
RESTRICTION_GROUND_SENTENCES = {
    Art18Ground.ACCURACY: gettext_lazy(
        "The restriction lasts until we have checked whether your data are correct."
    ),
    Art18Ground.UNLAWFUL: gettext_lazy(
        "Because you chose restriction over erasure, we keep your data for you, also after "
        "our usual retention period, until you tell us you no longer need them."
    ),
    Art18Ground.LEGAL_CLAIM: gettext_lazy(
        "Because you need your data for a legal claim, we keep them for you, also after our "
        "usual retention period, until you tell us you no longer need them."
    ),
    Art18Ground.OBJECTION: gettext_lazy(
        "The restriction lasts until we have decided on your objection."
    ),
}
NO_DATA_HELD = gettext_lazy(
    "We have looked for personal data about you and hold none under this e-mail address."
)


def _account_erasure_body(request: DsarRequest) -> str:
    """An erasure of named tool accounts only: per account whether it was deleted, kept
    by law or not there, and that the rest of the person's data was not part of it."""
    record = getattr(request, "erasure_record", None)
    lines = record.lines if record else []
    parts = []
    for key in sorted(request.activities):
        tool = ACCOUNT_TOOLS.get(key, key)
        labels = {e.label for e in registry.subject_entries() if e.activity == key}
        mine = [ln for ln in lines if ln["model"] in labels]
        if record is None:  # a draft before staff carried it out: claim nothing yet
            parts.append(_("Your %(tool)s account has not been deleted yet.") % {"tool": tool})
        elif any(ln["erased"] or ln["unlinked"] for ln in mine):
            parts.append(_("Your %(tool)s account has been deleted.") % {"tool": tool})
        elif any(ln["kept"] for ln in mine):
            parts.append(
                _(
                    "We could not delete your %(tool)s account, because the law requires us "
                    "to keep it. We keep it restricted: we store it, but no longer use it."
                )
                % {"tool": tool}
            )
        else:
            parts.append(_("We held no %(tool)s account of yours.") % {"tool": tool})
    _done, kept = _erasure_sections(record)
    if kept:
        parts += ["", _("What the law requires us to keep, we keep restricted:"), *kept]
    parts += [
        "",
        _(
            "The rest of your personal data was not part of this request, so we have not "
            "erased it. If you want it erased as well, you can send a new request."
        ),
    ]
    return "\n".join(parts)


def _erasure_body(request: DsarRequest) -> str:
    """Never more than was done: no data held, nothing erased because the law keeps it
    all, or what was erased followed by what the law keeps. An erasure of named tool
    accounts says which accounts went and that nothing else was part of it."""
    if request.activities:
        return _account_erasure_body(request)
    record = getattr(request, "erasure_record", None)
    done, kept = _erasure_sections(record)
    suppressed = _suppression_kept(request)
    if not done and not kept:
        return "\n\n".join([str(NO_DATA_HELD), *suppressed])
    if not done:
        parts = [
            _(
                "We could not erase your personal data, because the law requires us to keep "
                "it. We keep it restricted: we store it, but no longer use it."
            )
        ]
        return "\n".join(parts + kept + ["", *suppressed] if suppressed else parts + kept)
    parts = [_("We have erased your personal data as follows:"), *done]
    if kept:
        parts += ["", _("What the law requires us to keep, we keep restricted:"), *kept]
    if suppressed:
        parts += ["", *suppressed]
    return "\n".join(parts)


SUPPRESSION_KEPT = gettext_lazy(
    "One thing stays: so that we never send you direct marketing again, we keep a "
    "fingerprint of your e-mail address (a keyed hash, not the address itself) on our "
    "list of addresses that may not be mailed (Art. 21(3) GDPR). It cannot be turned back "
    "into your address; we only use it to recognise the address if it reaches us again."
)


def _suppression_kept(request: DsarRequest) -> list[str]:
    """The one thing an erasure leaves of an objection to direct marketing or an
    unsubscribe: the keyed hash on the suppression list (DESIGN §1.3a), said in words."""
    from subjects.suppression import suppression_entries

    if request.email and suppression_entries(request.email).exists():
        return [str(SUPPRESSION_KEPT)]
    return []


def _consent_withdrawal_body(request: DsarRequest) -> str:
    """Which consents were withdrawn, and exactly what that erased and what a legal
    obligation keeps (the erasure record), never more than was done."""
    names = [a.tr_name for a in ProcessingActivity.objects.filter(key__in=request.activities)]
    parts = [
        _("We have withdrawn your consent for: %(activities)s.")
        % {"activities": ", ".join(sorted(names))}
        if names
        else _("We have withdrawn your consent.")
    ]
    erased = _erasure_parts(getattr(request, "erasure_record", None))
    if erased:
        parts.append(_("What we processed only on the basis of that consent:"))
        parts += erased
    else:
        parts.append(_("We held no data about you that rested only on that consent."))
    return "\n".join(parts)


def _rectification_body(request: DsarRequest) -> str:
    """Which fields were corrected (never the values), or why nothing was changed."""
    if request.corrections:
        parts = [_("We have corrected your personal data as you asked:")]
        for correction in request.corrections:
            name = capfirst(kind_name(correction["model"]))
            fields = ", ".join(field_labels_for_people(correction["model"], correction["fields"]))
            parts.append(f"- {name}: {fields}")
        return "\n".join(parts)
    if request.no_change_reason:
        return _(
            "We have checked your personal data and did not change it, because: %(reason)s"
        ) % {"reason": request.no_change_reason}
    return _("We have not corrected any of your personal data.")


def _activity_names(keys: list[str]) -> str:
    """Processing activities by their names in the active language, in register order."""
    return ", ".join(
        a.tr_name for a in ProcessingActivity.objects.filter(key__in=keys).order_by("number")
    )


def _objection_decision_text(request: DsarRequest) -> str:
    """The decision on an objection (Art. 21(1)) in a sentence: which processing it was
    about, whether it stops or goes on and why, with the reasons staff recorded."""
    activities = _activity_names(list(request.activities)) or _("the processing of your data")
    values = {"activities": activities, "reasons": request.objection_decision_reason}
    if request.objection_decision == "upheld":
        return (
            _(
                "We have upheld your objection to: %(activities)s. That processing stops. "
                "Our reasons: %(reasons)s"
            )
            % values
        )
    if request.objection_decision == "overruled":
        return (
            _(
                "We have not upheld your objection to: %(activities)s. We have compelling "
                "legitimate grounds for it that override your interests, so that processing "
                "continues. Our reasons: %(reasons)s"
            )
            % values
        )
    return _("We have not yet decided on your objection to: %(activities)s.") % values


def _objection_upheld_body(request: DsarRequest) -> str:
    """What an upheld objection stopped, erased and (by law) kept."""
    done, kept = _erasure_sections(getattr(request, "erasure_record", None))
    if not done and not kept:
        return _("We held no data about you for the processing you objected to.")
    parts = [_("We have stopped this processing:"), *done]
    if kept:
        parts += ["", _("What the law requires us to keep, we keep restricted:"), *kept]
    return "\n".join(parts)


def answer_draft(request: DsarRequest) -> str:
    with translation.override(request.language):
        return _draft(request)


def _draft(request: DsarRequest) -> str:
    # The name was typed by whoever filed the request: it must not become a link.
    greeting = _("Dear %(name)s,") % {"name": defused(request.name)}
    kind = request.request_type
    if kind == RequestType.ERASURE:
        # After an erasure no subject is linked any more: the record says what was done.
        body = _erasure_body(request)
    elif not request.subjects.exists():
        body = str(NO_DATA_HELD)
    elif kind == RequestType.ACCESS:
        body = _(
            "You can download a report of all personal data we hold about you, with the "
            "purposes, recipients, retention periods and your rights, through the link below."
        )
    elif kind == RequestType.PORTABILITY:
        body = _(
            "You can download the data you provided to us as JSON and CSV files in a ZIP "
            "through the link below."
        )
        if request.portability_recipient_email:
            body += " " + _("We have also sent it to %(email)s as you asked.") % {
                "email": request.portability_recipient_email
            }
    elif kind == RequestType.RECTIFICATION:
        body = _rectification_body(request)
    elif kind == RequestType.RESTRICTION:
        body = _(
            "We have restricted the processing of your personal data: we keep it, but do not "
            "use it. We will tell you before we lift the restriction."
        )
        if request.restriction_ground in RESTRICTION_GROUND_SENTENCES:
            body += " " + str(RESTRICTION_GROUND_SENTENCES[request.restriction_ground])
    elif kind == RequestType.OBJECTION and request.objection_kind == "direct-marketing":
        body = str(DIRECT_MARKETING_STOPPED)
    elif kind == RequestType.OBJECTION:
        body = _objection_decision_text(request)
        if request.objection_decision == "upheld":
            body += "\n\n" + _objection_upheld_body(request)
        elif request.objection_decision and "newsletter" in request.activities:
            # An objection to direct marketing is absolute, whatever the decision on the rest.
            body += "\n\n" + str(DIRECT_MARKETING_STOPPED)
    else:
        body = _consent_withdrawal_body(request)
    tasks = list(request.recipient_tasks.select_related("recipient"))
    done = [t.recipient.name for t in tasks if t.state == "done"]
    if done:
        body += "\n\n" + _("We have also informed these recipients of your data: %(names)s.") % {
            "names": ", ".join(done)
        }
    for task in tasks:
        if task.state == "not-possible":
            body += "\n" + _("%(name)s could not be informed: %(reason)s") % {
                "name": task.recipient.name,
                "reason": task.reason,
            }
    return f"{greeting}\n\n{body}"
