"""The audit trail's action codes and what each says (``subjects.trail``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from subjects.registry import Art18Ground
from subjects.services import READ_ACTIONS
from subjects.trail import TrailMessage, message, trail_messages_register

ART18_GROUNDS = dict(Art18Ground.choices)

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
    "retention.hold-delete": message(_("legal hold deleted")),
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
    "request.subject-unlink": message(
        _("unlinked from a rights request"),
        (("reference",), _("unlinked from rights request %(reference)s")),
    ),
    # The read log (who read whose data), in the words its admin shows.
    **{code: message(label) for code, label in READ_ACTIONS.items()},
    "subject.restriction-ground": message(
        _("ground of the restriction recorded"),
        (
            ("reference", "point"),
            _("ground of the restriction recorded for request %(reference)s: %(point)s"),
        ),
        point=ART18_GROUNDS,
    ),
    "retention.trajectory-end": message(
        _("end of the trajectory set after review"),
        (("ended_on",), _("end of the trajectory set after review: %(ended_on)s")),
    ),
    "retention.trajectory-keep": message(
        _("trajectory kept open after review"),
        (
            ("next_review_on",),
            _("trajectory kept open after review; next review on %(next_review_on)s"),
        ),
    ),
    "art14.notice-sent": message(
        _("Art. 14 information e-mailed"),
        (("activities",), _("Art. 14 information e-mailed about: %(activities)s")),
    ),
    "art14.notice-recorded": message(
        _("Art. 14 information given another way, recorded by staff"),
        (
            ("activities",),
            _("Art. 14 information given another way, recorded by staff: %(activities)s"),
        ),
    ),
    "breach.link": message(_("linked to a personal-data breach")),
    "breach.unlink": message(_("unlinked from a personal-data breach")),
    "breach.notice-sent": message(_("told of a personal-data breach by e-mail (Art. 34)")),
    "breach.notice-recorded": message(
        _("told of a personal-data breach another way, recorded by staff (Art. 34)")
    ),
    "statement.publish": message(_("privacy statement published")),
    "account.switch-off": message(
        _("staff account switched off"),
        (("username",), _("staff account %(username)s switched off")),
    ),
    "login.unlock": message(
        _("sign-in lock lifted"),
        (("username",), _("sign-in lock lifted for %(username)s")),
    ),
}

trail_messages_register(AUDIT_MESSAGES)
