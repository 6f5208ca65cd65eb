"""The newsletter: double opt-in, one-click unsubscribe, the soft opt-in for clients and
the audience that may be mailed.

- Sign-up (the newsletter page, or the mailing-list choice on the brochure page) stores a
  pending subscription and sends one e-mail: the confirmation link. Nothing else goes to
  an unconfirmed address, and a sign-up not confirmed within 7 days is deleted. The same
  happens whether or not the address is known.
- Confirming records the consent on the wording shown at sign-up, in the language shown,
  and sends a welcome e-mail. Confirming twice does nothing more.
- Every e-mail about the newsletter carries ``List-Unsubscribe`` (the personal link) and
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058). Unsubscribing stops the
  mailing at once, withdraws the consent, starts the 6-week clock of rule unsubscribe-6w
  and puts the address on the suppression list.

The link token (confirm and unsubscribe) is random and stored only as its SHA-256 hash.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from processing.models import ConsentMethod, ConsentText
from requests_dsar.tokens import token_hash, token_new
from subjects.emails import person_email_send, site_url
from subjects.mailchimp_sync import SUBSCRIBE, mailchimp_sync
from subjects.models import (
    DataSubject,
    NewsletterLinkToken,
    NewsletterSubscription,
    SuppressedAddress,
)
from subjects.selectors import newsletter_recipients
from subjects.services import (
    Actor,
    audit_event_record,
    data_subject_create,
    newsletter_stop,
    normalise_email,
)
from subjects.suppression import address_suppress, address_unsuppress_by_owner, suppressed_among

CONFIRM_DAYS = 7
# While a sign-up of an address waits for confirmation, a new one within this many hours
# sends no second e-mail.
CONFIRM_RESEND_HOURS = 24
NEWSLETTER = "newsletter"


def unsubscribe_url(token: str) -> str:
    # Outside the language prefixes, without a trailing slash: an RFC 8058 one-click POST
    # must reach it without any redirect.
    return site_url("newsletter_unsubscribe", language="nl", kwargs={"token": token})


def unsubscribe_headers(token: str) -> dict[str, str]:
    """The headers of every e-mail to a subscriber about the newsletter (RFC 2369, 8058).
    The mail server's DKIM signature must cover both."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def newsletter_sign_up(
    *,
    email: str,
    first_name: str = "",
    language: str = "nl",
    source: str = NewsletterSubscription.Source.NEWSLETTER_FORM,
    text: ConsentText | None = None,
) -> NewsletterSubscription:
    """Record a pending sign-up on the wording shown (``text``, by default the current
    one) and send the confirmation e-mail (the only e-mail an unconfirmed address gets).
    The same for every address, known, subscribed or suppressed: only the owner of the
    mailbox can confirm. At most one confirmation e-mail per address per
    ``CONFIRM_RESEND_HOURS``: within that time the waiting sign-up is returned."""
    email = normalise_email(email)
    recent = (
        NewsletterSubscription.objects.filter(
            email=email,
            basis=NewsletterSubscription.Basis.CONSENT,
            confirmed_at__isnull=True,
            subscribed_at__gt=timezone.now() - datetime.timedelta(hours=CONFIRM_RESEND_HOURS),
        )
        .order_by("-subscribed_at")
        .first()
    )
    if recent is not None:
        # One confirmation e-mail a day per address is enough: nobody can make us flood a
        # mailbox (of someone who unsubscribed, say) by signing it up again and again.
        return recent
    token, hashed = token_new()
    language = language if language in {"nl", "en"} else "nl"
    with transaction.atomic():
        subscription = NewsletterSubscription.objects.create(
            email=email,
            first_name=first_name.strip()[:100],
            language=language,
            basis=NewsletterSubscription.Basis.CONSENT,
            source=source,
            consent_text=text or ConsentText.objects.current(NEWSLETTER),
            token_hash=hashed,
        )
    person_email_send(
        to=subscription.email,
        template="subjects/email/newsletter_confirm",
        language=language,
        context={
            "link": site_url(
                "subjects:newsletter_confirm", language=language, kwargs={"token": token}
            ),
            "unsubscribe_link": unsubscribe_url(token),
            "days": CONFIRM_DAYS,
            "wording": subscription.consent_text.tr("text") if subscription.consent_text else "",
        },
        headers=unsubscribe_headers(token),
    )
    return subscription


def subscription_by_token(token: str) -> NewsletterSubscription | None:
    """The subscription a link token belongs to: its own token, or one of the links of an
    earlier e-mail (``NewsletterLinkToken``)."""
    if not token:
        return None
    hashed = token_hash(token)
    return (
        NewsletterSubscription.objects.filter(token_hash=hashed).first()
        or NewsletterSubscription.objects.filter(link_tokens__token_hash=hashed).first()
    )


def _locked(subscription: NewsletterSubscription | None) -> NewsletterSubscription | None:
    """The subscription again, locked for the rest of the transaction."""
    if subscription is None:
        return None
    return NewsletterSubscription.objects.select_for_update().filter(pk=subscription.pk).first()


def confirmation_expired(subscription: NewsletterSubscription) -> bool:
    return subscription.subscribed_at <= timezone.now() - datetime.timedelta(days=CONFIRM_DAYS)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a link did: "confirmed", "already" (nothing more to do), "unsubscribed",
    "cancelled" (a pending sign-up withdrawn), "expired" or "invalid"."""

    result: str
    subscription: NewsletterSubscription | None = None


def _subject_for(subscription: NewsletterSubscription) -> DataSubject:
    """The data subject of a confirmed address: the one with this address, else a new
    one named as the sign-up named them. The address is proven, so linking is safe."""
    subject = DataSubject.objects.filter(email=subscription.email).order_by("pk").first()
    if subject is None:
        subject = data_subject_create(
            first_name=subscription.first_name or subscription.email.split("@")[0][:100],
            last_name="",
            email=subscription.email,
            language=subscription.language,
            names_as_given=True,
        )
    if not subject.roles.filter(category__key="newsletter-subscriber").exists():
        from subjects.services import subject_role_add

        subject_role_add(actor=None, subject=subject, category_key="newsletter-subscriber")
    return subject


def newsletter_confirm(*, token: str) -> Outcome:
    """Accept a confirmation link (double opt-in) within 7 days of signing up. The owner
    of the address confirms here, so an address on the suppression list (or of a person
    who objected to direct marketing) is taken off it: their own, fresh opt-in."""
    from subjects.consents import consent_give

    with transaction.atomic():
        subscription = _locked(subscription_by_token(token))
        if subscription is None:
            return Outcome("invalid")
        if not subscription.is_pending:
            return Outcome("already", subscription)
        if confirmation_expired(subscription):
            return Outcome("expired", subscription)
        address_unsuppress_by_owner(email=subscription.email)
        subject = _subject_for(subscription)
        # The owner of the address asks for the newsletter again, confirmed from that very
        # address: their earlier objection to direct marketing no longer stands, for every
        # record of theirs with this address.
        for objector in DataSubject.objects.filter(
            email=subscription.email, marketing_objection_at__isnull=False
        ):
            objector.marketing_objection_at = None
            objector.save(update_fields=["marketing_objection_at", "updated_at"])
            audit_event_record(
                actor=None,
                action="subject.marketing-objection-lifted",
                subject=objector,
            )
        existing = (
            NewsletterSubscription.objects.filter(
                email=subscription.email, unsubscribed_at__isnull=True
            )
            .exclude(pk=subscription.pk)
            .exclude(basis=NewsletterSubscription.Basis.CONSENT, confirmed_at__isnull=True)
            .first()
        )
        if existing is not None:
            # Already subscribed: nothing more, but the links of this e-mail work too, as
            # do those of every earlier one.
            hashed = subscription.token_hash
            subscription.delete()
            NewsletterLinkToken.objects.create(subscription=existing, token_hash=hashed)
            return Outcome("already", existing)
        consent_give(
            subject=subject,
            purpose=NEWSLETTER,
            method="web-form",
            via=f"{subscription.source}+double-opt-in",
            language=subscription.language,
            text=subscription.consent_text,
        )
        subscription.subject = subject
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["subject", "confirmed_at"])
        audit_event_record(
            actor=None, action="newsletter.confirm", subject=subject, target=subscription
        )
        mailchimp_sync(
            action=SUBSCRIBE, email=subscription.email, first_name=subscription.first_name
        )
    person_email_send(
        to=subscription.email,
        template="subjects/email/newsletter_welcome",
        language=subscription.language,
        context={"unsubscribe_link": unsubscribe_url(token)},
        headers=unsubscribe_headers(token),
    )
    return Outcome("confirmed", subscription)


def newsletter_unsubscribe(*, token: str, via: str = "unsubscribe-link") -> Outcome:
    """Unsubscribe through a personal link (``newsletter_subscription_end``)."""
    subscription = subscription_by_token(token)
    if subscription is None:
        return Outcome("invalid")
    return newsletter_subscription_end(
        subscription_id=subscription.pk, method=ConsentMethod.UNSUBSCRIBE_LINK, via=via
    )


def newsletter_subscription_end(*, subscription_id: int, method: str, via: str) -> Outcome:
    """End a subscription at its owner's word (the personal link, the consent page):
    mailing stops at once, the newsletter consent is withdrawn (recorded with ``method``
    and ``via``), the 6-week clock starts and the address is suppressed. A pending sign-up
    is deleted (and suppressed: its owner said no), and so is a subscription the address
    already had: "unsubscribe" in any e-mail about the newsletter means no newsletter.
    Twice is the same as once."""
    from processing.models import Consent
    from subjects.consents import consent_withdraw

    with transaction.atomic():
        subscription = (
            NewsletterSubscription.objects.select_for_update().filter(pk=subscription_id).first()
        )
        if subscription is None:
            return Outcome("invalid")
        if subscription.is_pending:
            email = subscription.email
            address_suppress(email=email, reason=SuppressedAddress.Reason.UNSUBSCRIBED)
            subscription.delete()
            subscription = (
                NewsletterSubscription.objects.select_for_update()
                .filter(email=email, unsubscribed_at__isnull=True)
                .exclude(basis=NewsletterSubscription.Basis.CONSENT, confirmed_at__isnull=True)
                .first()
            )
            if subscription is None:
                return Outcome("cancelled")
        if subscription.unsubscribed_at is not None:
            return Outcome("already", subscription)
        subject = subscription.subject
        assert subject is not None  # a confirmed subscription has one (basis_errors)
        consents = list(
            Consent.objects.filter(subject=subject, purpose=NEWSLETTER, withdrawn_at__isnull=True)
        )
        if consents:
            consent_withdraw(consents=consents, actor=None, method=method, via=via)
        newsletter_stop(actor=None, subject=subject, params={"via": via})
        subscription.refresh_from_db()
    return Outcome("unsubscribed", subscription)


@transaction.atomic
def newsletter_soft_opt_in_record(
    *, actor: Actor, subject: DataSubject, sale: Any, language: str | None = None
) -> NewsletterSubscription:
    """Subscribe a client by soft opt-in (Tw art. 11.7(3)): only a person who bought a
    service themselves, for Leafspring's own similar services, recorded with the sale and
    the moment the opt-out was offered, which is now (never back-dated). The model
    refuses anyone else (``NewsletterSubscription.basis_errors``)."""
    token, hashed = token_new()
    subscription = NewsletterSubscription(
        subject=subject,
        email=subject.email,
        first_name=subject.first_name,
        language=language or subject.language,
        basis=NewsletterSubscription.Basis.SOFT_OPT_IN,
        source=NewsletterSubscription.Source.STAFF,
        sale=sale,
        opt_out_offered_at=timezone.now(),
        token_hash=hashed,
    )
    subscription.full_clean(exclude=["token_hash"])
    subscription.save()
    audit_event_record(
        actor=actor, action="newsletter.soft-opt-in", subject=subject, target=subscription
    )
    mailchimp_sync(action=SUBSCRIBE, email=subscription.email, first_name=subscription.first_name)
    # The opt-out is offered with the first message too (Tw art. 11.7(3)(b)), with the
    # personal link every newsletter e-mail carries.
    person_email_send(
        to=subscription.email,
        template="subjects/email/newsletter_welcome",
        language=subscription.language,
        context={"unsubscribe_link": unsubscribe_url(token), "soft_opt_in": True},
        headers=unsubscribe_headers(token),
    )
    return subscription


def newsletter_unconfirmed_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete sign-ups not confirmed within 7 days (an unproven address is not kept).
    Returns how many went."""
    now = now or timezone.now()
    deleted, _ = NewsletterSubscription.objects.filter(
        basis=NewsletterSubscription.Basis.CONSENT,
        confirmed_at__isnull=True,
        subscribed_at__lte=now - datetime.timedelta(days=CONFIRM_DAYS),
    ).delete()
    return deleted


def audience_rows() -> list[NewsletterSubscription]:
    """The audience without suppressed addresses, one row per address (two queries)."""
    candidates = list(newsletter_recipients())
    suppressed = suppressed_among([s.email for s in candidates])
    seen: set[str] = set()
    rows = []
    for subscription in candidates:
        if subscription.email in seen or subscription.email in suppressed:
            continue
        seen.add(subscription.email)
        rows.append(subscription)
    return rows
