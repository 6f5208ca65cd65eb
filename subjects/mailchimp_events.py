"""What Mailchimp's webhook reports, carried out here (DESIGN.md §2.2a).

The unsubscribe link at the bottom of a newsletter sent by Mailchimp is Mailchimp's own;
its webhook (``subjects.views.mailchimp``) tells this system, and these services act on
it exactly as on our own links:

- ``unsubscribe``: every active subscription of the address ends at once as through the
  personal unsubscribe link (``newsletter_subscription_end``: consent withdrawn, 6-week
  clock of rule unsubscribe-6w started, address suppressed), via
  "mailchimp-unsubscribe". The address is suppressed even when nobody here has it.
  ``data[action]=delete`` is not the person's word but a member archived or deleted in
  Mailchimp (by staff there, or by this system's own restriction or erasure call): it
  changes nothing here, and the nightly reconcile reports any difference.
- ``cleaned`` (a hard bounce): the same, via "mailchimp-cleaned".
- ``cleaned`` or ``unsubscribe`` with reason ``abuse`` (a spam complaint): an objection
  to direct marketing (Art. 21(3)) of every data subject with the address, noted
  "mailchimp-complaint", and the address suppressed even when no person is known.
- ``upemail``: the active subscriptions of the old address follow the change, audited;
  when the new address is on the suppression list they end instead (only its owner can
  lift that, through our own double opt-in).
- ``subscribe``, ``profile`` and ``campaign``: acknowledged, nothing changes here (a
  subscription starts only through our own double opt-in).

Every event is idempotent: the same event twice changes nothing more. The answer is the
same whether the address is known or not.
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from processing.models import ConsentMethod
from subjects.mailchimp_sync import UNSUBSCRIBE as UNSUBSCRIBE_CALL
from subjects.mailchimp_sync import changes_from_mailchimp, mailchimp_sync
from subjects.models import DataSubject, NewsletterSubscription, SuppressedAddress
from subjects.newsletter import newsletter_subscription_end
from subjects.services import audit_event_record, marketing_objection_record, normalise_email
from subjects.suppression import address_is_suppressed, address_suppress

SUBSCRIBE = "subscribe"
UNSUBSCRIBE = "unsubscribe"
PROFILE = "profile"
CLEANED = "cleaned"
UPEMAIL = "upemail"
CAMPAIGN = "campaign"
# Events about one address; a campaign event names none.
ADDRESS_EVENTS = (SUBSCRIBE, UNSUBSCRIBE, PROFILE, CLEANED)
EVENT_TYPES = (*ADDRESS_EVENTS, UPEMAIL, CAMPAIGN)

# ``data[reason]`` of a spam complaint; of a cleaned address otherwise "hard".
ABUSE = "abuse"
# ``data[action]`` of an unsubscribe event for a member archived or deleted in Mailchimp.
ACTION_DELETE = "delete"

VIA_UNSUBSCRIBE = "mailchimp-unsubscribe"
VIA_CLEANED = "mailchimp-cleaned"
VIA_COMPLAINT = "mailchimp-complaint"
VIA_UPEMAIL = "mailchimp-upemail"

# The longest value accepted per field: an e-mail address as RFC 5321 allows it, and
# Mailchimp's short codes (its audience ids are 10 characters).
EMAIL_MAX = 254
CODE_MAX = 100


class MalformedEvent(ValueError):
    """A body that is not one of Mailchimp's webhook events: refused, nothing changes."""


@dataclasses.dataclass(frozen=True)
class WebhookEvent:
    type: str
    list_id: str
    email: str = ""
    old_email: str = ""
    new_email: str = ""
    reason: str = ""
    action: str = ""

    @property
    def is_complaint(self) -> bool:
        return self.type in (CLEANED, UNSUBSCRIBE) and self.reason == ABUSE


def _field(form: QueryDict, name: str, *, limit: int, required: bool = False) -> str:
    values = form.getlist(name)
    if len(values) > 1:
        raise MalformedEvent(f"{name} given more than once")
    value = values[0].strip() if values else ""
    if len(value) > limit:
        raise MalformedEvent(f"{name} too long")
    if required and not value:
        raise MalformedEvent(f"{name} missing")
    return value


def _address(form: QueryDict, name: str) -> str:
    email = normalise_email(_field(form, name, limit=EMAIL_MAX, required=True))
    try:
        validate_email(email)
    except ValidationError:
        raise MalformedEvent(f"{name} is not an e-mail address") from None
    return email


def event_from_form(form: QueryDict) -> WebhookEvent:
    """The event a webhook POST carries; ``MalformedEvent`` for anything else. The
    messages name fields, never their values."""
    event_type = _field(form, "type", limit=CODE_MAX, required=True)
    if event_type not in EVENT_TYPES:
        raise MalformedEvent("unknown type")
    list_id = _field(form, "data[list_id]", limit=CODE_MAX, required=True)
    reason = _field(form, "data[reason]", limit=CODE_MAX)
    action = _field(form, "data[action]", limit=CODE_MAX)
    if event_type == UPEMAIL:
        return WebhookEvent(
            type=event_type,
            list_id=list_id,
            old_email=_address(form, "data[old_email]"),
            new_email=_address(form, "data[new_email]"),
        )
    if event_type == CAMPAIGN:
        return WebhookEvent(type=event_type, list_id=list_id)
    return WebhookEvent(
        type=event_type,
        list_id=list_id,
        email=_address(form, "data[email]"),
        reason=reason,
        action=action,
    )


def mailchimp_event_receive(event: WebhookEvent) -> int:
    """Carry out one event of our own audience, all or nothing. Returns how many
    subscriptions or people changed (0 for an event that changes nothing here). Mailchimp
    already knows: nothing is sent back to it."""
    # What Mailchimp reported of this address it knows already: that one call is not sent
    # back. Everything else the event changes here (another address of the same person,
    # a new address) goes to Mailchimp as usual.
    reported = {(UNSUBSCRIBE_CALL, event.email)} if event.email else set()
    with transaction.atomic(), changes_from_mailchimp(reported):
        if event.is_complaint:
            return mailchimp_complaint_receive(email=event.email)
        if event.type == UNSUBSCRIBE and event.action != ACTION_DELETE:
            return mailchimp_unsubscribe_receive(email=event.email, via=VIA_UNSUBSCRIBE)
        if event.type == CLEANED:
            return mailchimp_unsubscribe_receive(email=event.email, via=VIA_CLEANED)
        if event.type == UPEMAIL:
            return mailchimp_email_change_receive(
                old_email=event.old_email, new_email=event.new_email
            )
    return 0


def _active_subscriptions(email: str) -> QuerySet[NewsletterSubscription]:
    """The subscriptions of an address that are mailed (confirmed, not unsubscribed)."""
    return (
        NewsletterSubscription.objects.filter(email=email, unsubscribed_at__isnull=True)
        .exclude(basis=NewsletterSubscription.Basis.CONSENT, confirmed_at__isnull=True)
        .order_by("pk")
    )


@transaction.atomic
def mailchimp_unsubscribe_receive(*, email: str, via: str) -> int:
    """Unsubscribed (or cleaned) in Mailchimp: every active subscription of the address
    ends as through the personal unsubscribe link, and the address is suppressed, known
    here or not. Returns the number of subscriptions ended."""
    email = normalise_email(email)
    address_suppress(email=email, reason=SuppressedAddress.Reason.UNSUBSCRIBED)
    ended = 0
    for pk in list(_active_subscriptions(email).values_list("pk", flat=True)):
        outcome = newsletter_subscription_end(
            subscription_id=pk, method=ConsentMethod.UNSUBSCRIBE_LINK, via=via
        )
        ended += outcome.result == "unsubscribed"
    return ended


@transaction.atomic
def mailchimp_complaint_receive(*, email: str) -> int:
    """A spam complaint: an objection to direct marketing (Art. 21(3)) of every data
    subject with the address (and of the people its subscriptions belong to), and the
    address suppressed even when no person is known. Returns the number of
    subscriptions stopped."""
    email = normalise_email(email)
    address_suppress(email=email, reason=SuppressedAddress.Reason.OBJECTED)
    subject_ids = set(DataSubject.objects.filter(email=email).values_list("pk", flat=True))
    subject_ids |= set(
        NewsletterSubscription.objects.filter(email=email, subject__isnull=False).values_list(
            "subject_id", flat=True
        )
    )
    stopped = 0
    for subject in DataSubject.objects.filter(pk__in=subject_ids).order_by("pk"):
        stopped += marketing_objection_record(
            actor=None, subject=subject, params={"via": VIA_COMPLAINT}
        )
    return stopped


@transaction.atomic
def mailchimp_email_change_receive(*, old_email: str, new_email: str) -> int:
    """The address changed in Mailchimp: the active subscriptions of the old address
    follow it, each audited. When the new address is suppressed they end instead (the
    6-week clock starts; the new address is never written here). Returns the number of
    subscriptions changed."""
    old_email, new_email = normalise_email(old_email), normalise_email(new_email)
    if not old_email or old_email == new_email:
        return 0
    subscriptions = list(
        _active_subscriptions(old_email).select_for_update(of=("self",)).select_related("subject")
    )
    if not subscriptions:
        return 0
    suppressed = address_is_suppressed(new_email)
    for subscription in subscriptions:
        if not suppressed:
            subscription.email = new_email
            try:
                with transaction.atomic():
                    subscription.save(update_fields=["email"])
            except ValidationError:
                # A subscription that may not be held as it is cannot follow either.
                subscription.email = old_email
            else:
                audit_event_record(
                    actor=None,
                    action="newsletter.email-change",
                    subject=subscription.subject,
                    target=subscription,
                    changed_fields=["email"],
                    params={"via": VIA_UPEMAIL},
                )
                continue
        NewsletterSubscription.objects.filter(
            pk=subscription.pk, unsubscribed_at__isnull=True
        ).update(unsubscribed_at=timezone.now())
        # Mailchimp now mails the new address: it must not be mailed.
        mailchimp_sync(action=UNSUBSCRIBE_CALL, email=new_email)
        audit_event_record(
            actor=None,
            action="newsletter.stop",
            subject=subscription.subject,
            target=subscription,
            params={"via": VIA_UPEMAIL, "reason": "new-address-suppressed"},
        )
    return len(subscriptions)
