"""The public consent page (Art. 7(3): withdrawing is as easy as giving).

A person asks for a link with their e-mail address and always gets the same answer and
the same e-mail, whether or not the address is known. The link works once and for
``ConsentPageLink.LINK_HOURS`` hours: using it starts a session of
``ConsentPageLink.SESSION_HOURS`` hour behind a new random manage token, on a page that
lists every consent given by the data subjects with that address and the newsletter
subscriptions of the address. Each consent is withdrawn, and each subscription ended, in
one click. Only hashes of the tokens are stored.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from processing.models import Consent, ConsentMethod, ConsentPageLink
from requests_dsar.tokens import token_hash, token_new
from subjects.consents import Withdrawn, consent_active, consent_needs_for, consent_withdraw
from subjects.emails import person_email_send, site_url
from subjects.models import NewsletterSubscription
from subjects.newsletter import Outcome, newsletter_subscription_end
from subjects.selectors import data_subjects_by_email
from subjects.services import normalise_email

# How the consent page records a withdrawal (``Consent.withdrawn_via``).
VIA = "consent-page"


def _hours(hours: int) -> datetime.timedelta:
    return datetime.timedelta(hours=hours)


def consent_page_link_send(*, email: str, language: str) -> ConsentPageLink:
    """Store a new link for ``email`` (only the hash of its token) and e-mail it. The
    same for every address, known or not: nothing about the person is looked up here."""
    language = language if language in {"nl", "en"} else "nl"
    token, hashed = token_new()
    now = timezone.now()
    link = ConsentPageLink.objects.create(
        email=normalise_email(email),
        language=language,
        token_hash=hashed,
        created_at=now,
        expires_at=now + _hours(ConsentPageLink.LINK_HOURS),
    )
    person_email_send(
        to=link.email,
        template="processing/email/consent_link",
        language=language,
        context={
            "link": site_url("processing:consent_link", language=language, kwargs={"token": token}),
            "hours": ConsentPageLink.LINK_HOURS,
        },
    )
    return link


def _link_state(link: ConsentPageLink | None) -> str:
    if link is None:
        return "invalid"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= timezone.now():
        return "expired"
    return "ready"


def consent_page_link_state(*, token: str) -> str:
    """What the e-mailed link would do now: "ready", "used", "expired" or "invalid"."""
    return _link_state(ConsentPageLink.objects.filter(token_hash=token_hash(token)).first())


@dataclasses.dataclass(frozen=True)
class LinkUse:
    """``outcome`` as ``consent_page_link_state``; ``manage_token`` when "ready"."""

    outcome: str
    manage_token: str = ""


def consent_page_link_use(*, token: str) -> LinkUse:
    """Use the e-mailed link, once, before it expires: the link dies and a session of
    ``SESSION_HOURS`` starts behind a new random manage token (only its hash is kept)."""
    with transaction.atomic():
        link = (
            ConsentPageLink.objects.select_for_update().filter(token_hash=token_hash(token)).first()
        )
        state = _link_state(link)
        if link is None or state != "ready":
            return LinkUse(state)
        manage_token, manage_hash = token_new()
        now = timezone.now()
        link.used_at = now
        link.manage_token_hash = manage_hash
        link.manage_expires_at = now + _hours(ConsentPageLink.SESSION_HOURS)
        link.save(update_fields=["used_at", "manage_token_hash", "manage_expires_at"])
    return LinkUse("ready", manage_token)


def consent_page_session(*, token: str) -> tuple[str, ConsentPageLink | None]:
    """The session a manage token opens: ("ready", link), ("expired", None) once its hour
    has passed, or ("invalid", None)."""
    link = ConsentPageLink.objects.filter(manage_token_hash=token_hash(token)).first()
    if link is None or link.manage_expires_at is None:
        return "invalid", None
    if link.manage_expires_at <= timezone.now():
        return "expired", None
    return "ready", link


def consent_page_consents(email: str) -> QuerySet[Consent]:
    """Every consent given by a data subject with this address, newest first."""
    if not email:
        return Consent.objects.none()
    return (
        Consent.objects.filter(subject__in=data_subjects_by_email(email))
        .select_related("activity", "text")
        .order_by("-given_at", "-pk")
    )


def consent_page_subscriptions(email: str) -> QuerySet[NewsletterSubscription]:
    """The newsletter subscriptions of this address, newest first."""
    if not email:
        return NewsletterSubscription.objects.none()
    return NewsletterSubscription.objects.filter(email=normalise_email(email)).order_by(
        "-subscribed_at", "-pk"
    )


@dataclasses.dataclass(frozen=True)
class ConsentEntry:
    """A consent as the page shows it: the wording in the language it was given in,
    and the other language's wording too."""

    consent: Consent
    wording: str
    language: str
    other_wording: str
    other_language: str


def consent_entries(consents: QuerySet[Consent]) -> list[ConsentEntry]:
    entries = []
    for consent in consents:
        given = consent.language if consent.language in {"nl", "en"} else "nl"
        other = "en" if given == "nl" else "nl"
        entries.append(
            ConsentEntry(
                consent=consent,
                wording=getattr(consent.text, f"text_{given}") or consent.text.text_nl,
                language=given,
                other_wording=getattr(consent.text, f"text_{other}"),
                other_language=other,
            )
        )
    return entries


@dataclasses.dataclass(frozen=True)
class WithdrawalReport:
    """What withdrawing one consent on the page did, in the reader's words."""

    consent: Consent
    already: bool = False
    lines: tuple[str, ...] = ()
    newsletter_stopped: bool = False
    recipients: tuple[str, ...] = ()
    still_covered: bool = False


def consent_page_withdraw(*, consent: Consent) -> WithdrawalReport:
    """Withdraw one consent from the consent page (Art. 7(3)): ``consent_withdraw`` marks
    it withdrawn "on the consent page", removes the data resting on it at once, stops the
    newsletter and makes an Art. 19 task per recipient holding a copy. A consent already
    withdrawn stays as it is."""
    if consent.withdrawn_at is not None:
        return WithdrawalReport(consent=consent, already=True)
    result = consent_withdraw(
        consents=[consent], actor=None, method=ConsentMethod.PREFERENCES, via=VIA
    )
    consent.refresh_from_db()
    if not result.consents:  # withdrawn a moment ago by another request
        return WithdrawalReport(consent=consent, already=True)
    return WithdrawalReport(
        consent=consent,
        lines=tuple(_removal_lines(consent.purpose, result)),
        newsletter_stopped=bool(result.newsletter_stopped),
        recipients=tuple(sorted({task.recipient.name for task in result.tasks})),
        still_covered=consent_active(subject_id=consent.subject_id, purpose=consent.purpose)
        is not None,
    )


def _changes(model: type[models.Model], names: tuple[str, ...]) -> str:
    """What blanking ``names`` did, e.g. "gender, age removed; consent for research
    switched off": a blanked yes/no field is switched off, any other field removed."""
    fields = [model._meta.get_field(name) for name in names]
    removed = [str(f.verbose_name) for f in fields if not isinstance(f, models.BooleanField)]
    off = [str(f.verbose_name) for f in fields if isinstance(f, models.BooleanField)]
    parts = []
    if removed:
        parts.append(_("%(fields)s removed") % {"fields": ", ".join(removed)})
    if off:
        parts.append(_("%(fields)s switched off") % {"fields": ", ".join(off)})
    return "; ".join(parts)


def _removal_lines(purpose: str, result: Withdrawn) -> list[str]:
    """One line per kind of row the withdrawal changed: which fields were removed or
    switched off, how many rows were deleted, what a legal hold keeps."""
    needs = {model._meta.label: (model, need) for model, need in consent_needs_for(purpose)}
    lines = []
    for key, count in sorted(result.rows.items()):
        label, _space, action = key.rpartition(" ")
        if count <= 0 or label not in needs:
            continue
        model, need = needs[label]
        meta = model._meta
        what = (
            capfirst(str(meta.verbose_name))
            if count == 1
            else f"{count} {meta.verbose_name_plural}"
        )
        if action == "blanked":
            lines.append(f"{what}: {_changes(model, need.fields)}.")
        elif action == "deleted":
            lines.append(_("%(what)s: deleted.") % {"what": what})
        else:
            lines.append(
                _(
                    "%(what)s: kept, but no longer used (restricted), because the law "
                    "obliges us to keep it for a dispute (Art. 17(3)(e) GDPR)."
                )
                % {"what": what}
            )
    return lines


def consent_page_unsubscribe(*, subscription: NewsletterSubscription) -> Outcome:
    """End a newsletter subscription from the consent page, as its unsubscribe link does
    (a pending sign-up is cancelled)."""
    return newsletter_subscription_end(
        subscription_id=subscription.pk, method=ConsentMethod.PREFERENCES, via=VIA
    )


def consent_page_links_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete consent page links whose link and session have both ended: the e-mail
    address they hold is needed for nothing else. Run every hour, so an address is
    gone at most an hour after its link's 24 hours (or its session's hour, when that
    ends later). Returns how many went."""
    now = now or timezone.now()
    deleted, _per_model = (
        ConsentPageLink.objects.filter(expires_at__lte=now)
        .filter(Q(manage_expires_at__isnull=True) | Q(manage_expires_at__lte=now))
        .delete()
    )
    return deleted
