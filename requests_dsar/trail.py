"""What a request's trail says (``RequestEvent``): its action codes and their messages,
registered in the one registry of trail messages (``subjects.trail``). Loaded when the
app is ready (``RequestsDsarConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from requests_dsar.models import DsarRequest, ObjectionDecision, VerificationMethod
from requests_dsar.services.identity import CHECK_CLEARED_REASONS
from subjects.registry import Art18Ground
from subjects.trail import TrailMessage, message, trail_messages_register

REQUEST_MESSAGES: dict[str, TrailMessage] = {
    "submitted": message(_("submitted")),
    "verified": message(
        _("e-mail address verified"),
        (
            ("count",),
            ngettext_lazy(
                "e-mail address verified; linked automatically to %(count)s data subject "
                "with this address",
                "e-mail address verified; linked automatically to %(count)s data subjects "
                "with this address",
                "count",
            ),
        ),
    ),
    "subject-linked": message(
        _("data subject linked"),
        (
            ("subject", "other_address"),
            _(
                "data subject no. %(subject)s linked; the e-mail address differs from the "
                "verified one: a staff identity check is required"
            ),
        ),
        (("subject",), _("data subject no. %(subject)s linked")),
    ),
    "subject-unlinked": message(
        _("data subject unlinked"), (("subject",), _("data subject no. %(subject)s unlinked"))
    ),
    "started": message(_("handling started")),
    "staff-verified": message(
        _("identity checked by staff"),
        (
            ("verification_method",),
            _("identity checked by staff: %(verification_method)s"),
        ),
        verification_method=dict(VerificationMethod.choices),
    ),
    "staff-verification-cleared": message(
        _("identity check no longer valid: a new check is needed"),
        (
            ("reason",),
            _("identity check no longer valid (%(reason)s): a new check is needed"),
        ),
        reason=CHECK_CLEARED_REASONS,
    ),
    "extended": message(
        _("period extended"),
        (
            ("months",),
            ngettext_lazy(
                "period extended by %(months)s month",
                "period extended by %(months)s months",
                "months",
            ),
        ),
    ),
    "rejected": message(_("rejected")),
    "duplicate": message(
        _("marked as duplicate"),
        (("reference",), _("marked as a duplicate of request %(reference)s")),
    ),
    "open-request-linked": message(
        _("linked to an open request for the same right"),
        (
            ("reference",),
            _("linked to request %(reference)s, still open, for the same right"),
        ),
    ),
    "later-request-linked": message(
        _("a later request for the same right came in"),
        (
            ("reference",),
            _("a later request for the same right came in: %(reference)s"),
        ),
    ),
    "recipient-task-done": message(
        _("recipient task done"), (("recipient",), _("recipient task done: %(recipient)s"))
    ),
    "recipient-task-not-possible": message(
        _("recipient task not possible"),
        (("recipient",), _("recipient task not possible: %(recipient)s")),
    ),
    "completed": message(_("completed, answer sent")),
    "sent-otherwise": message(_("sent another way (no e-mail address known)")),
    "access-package-built": message(
        _("access package built"),
        (
            ("count",),
            ngettext_lazy(
                "access package built: %(count)s kind of data",
                "access package built: %(count)s kinds of data",
                "count",
            ),
        ),
    ),
    "portability-package-built": message(_("portability file built")),
    "portability-sent": message(_("file sent to the other organisation")),
    "portability-send-failed": message(_("sending the file to the other organisation failed")),
    "erasure-carried-out": message(
        _("erasure carried out"),
        (
            ("activities", "lines"),
            _("erasure carried out, only the accounts at %(activities)s: %(lines)s"),
        ),
        (("activities",), _("erasure carried out, only the accounts at %(activities)s")),
        (("lines",), _("erasure carried out: %(lines)s")),
    ),
    "recorded": message(
        _("request recorded by staff"),
        (
            ("channel", "received_on"),
            _("request recorded by staff: received by %(channel)s on %(received_on)s"),
        ),
        channel=dict(DsarRequest.Channel.choices),
    ),
    "identity-question-asked": message(_("identity question asked: the period is on hold")),
    "identity-question-answered": message(
        _("identity question answered: the period runs again"),
        (
            ("days", "due_on"),
            ngettext_lazy(
                "identity question answered after %(days)s day on hold; due on %(due_on)s",
                "identity question answered after %(days)s days on hold; due on %(due_on)s",
                "days",
            ),
        ),
    ),
    "due-date-recomputed": message(
        _("due date set by the rule: four weeks from receipt"),
        (
            ("old_on", "new_on"),
            _("due date set by the rule (four weeks from receipt): %(old_on)s became %(new_on)s"),
        ),
        (("new_on",), _("due date set by the rule (four weeks from receipt): %(new_on)s")),
    ),
    "restriction-ground-set": message(
        _("ground of the restriction recorded"),
        (("point",), _("ground of the restriction recorded: %(point)s")),
        point=dict(Art18Ground.choices),
    ),
    "restricted": message(
        _("processing restricted"),
        (
            ("count",),
            ngettext_lazy(
                "processing restricted: the data subject and %(count)s record",
                "processing restricted: the data subject and %(count)s records",
                "count",
            ),
        ),
    ),
    "restriction-lifted": message(
        _("restriction lifted"),
        (("told_on",), _("restriction lifted; the person was told on %(told_on)s")),
    ),
    "marketing-objection": message(
        _("newsletter stopped, suppressed from marketing"),
        (
            ("count",),
            ngettext_lazy(
                "suppressed from marketing for good; %(count)s newsletter subscription stopped",
                "suppressed from marketing for good; %(count)s newsletter subscriptions stopped",
                "count",
            ),
        ),
    ),
    "objection-upheld": message(_("objection upheld")),
    "objection-overruled": message(_("objection overruled")),
    "objection-decided": message(
        _("objection decided"),
        (("decision", "lines"), _("objection decided: %(decision)s; %(lines)s")),
        (("decision",), _("objection decided: %(decision)s")),
        (("lines",), _("objection decided: %(lines)s")),
        decision={
            ObjectionDecision.UPHELD: _("upheld"),
            ObjectionDecision.OVERRULED: _("overruled"),
        },
    ),
    "consent-withdrawn": message(
        _("consents withdrawn"),
        (
            ("consents", "lines"),
            ngettext_lazy(
                "%(consents)s consent withdrawn; %(lines)s",
                "%(consents)s consents withdrawn; %(lines)s",
                "consents",
            ),
        ),
        (
            ("consents",),
            ngettext_lazy(
                "%(consents)s consent withdrawn; nothing rested only on it",
                "%(consents)s consents withdrawn; nothing rested only on them",
                "consents",
            ),
        ),
    ),
    "rectified": message(
        _("data corrected"),
        (("model", "row", "fields"), _("data corrected: %(model)s no. %(row)s: %(fields)s")),
        (("model", "fields"), _("data corrected: %(model)s: %(fields)s")),
    ),
    "rectification-not-needed": message(_("no correction needed")),
    "no-data-held": message(_("no data held about the person")),
    "minimised": message(_("personal data removed from the closed request")),
}

trail_messages_register(REQUEST_MESSAGES)
