"""Mailchimp's copy of the newsletter audience, checked and set right as a whole
(DESIGN.md §2.2a): ``mailchimp_push`` sends the whole audience, ``mailchimp_reconcile``
compares both sides and, when asked, repairs the differences.

"The audience here" is ``subjects.newsletter.audience_rows()``: confirmed, active,
unrestricted and unsuppressed subscriptions, one per address. Mailchimp refuses to
re-subscribe an address it holds as unsubscribed or cleaned, or one deleted for good;
such a subscription is marked "needs re-confirmation through Mailchimp" (in the audit
trail, and on the subscription when it has the field for it), is never sent again by
these services, and counts as explained, not as a difference.

The last reconcile is kept for the dashboard without a table of its own: under a fixed
cache key and as an audit event (action ``mailchimp.reconcile``) holding only counts.
Nothing here writes an e-mail address to a log line or to the audit trail.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from processing.connectors import mailchimp as connector
from processing.connectors.mailchimp import MailchimpClient, MailchimpError, connector_enabled

logger = logging.getLogger("processing.mailchimp")

T = TypeVar("T")

# How a reconcile may change Mailchimp: not at all, only by unsubscribing suppressed
# addresses found subscribed there (the nightly job), or every difference (--fix).
FIX_NONE = "none"
FIX_SUPPRESSED = "suppressed"
FIX_ALL = "all"

# Why an address subscribed in Mailchimp is not in the audience here, most serious first.
SUPPRESSED = "suppressed"
RESTRICTED = "restricted"
NOT_SUBSCRIBED_HERE = "not-subscribed-here"
UNKNOWN = "unknown"
THERE_NOT_HERE_REASONS = (SUPPRESSED, RESTRICTED, NOT_SUBSCRIBED_HERE, UNKNOWN)

CACHE_KEY = "mailchimp:last-reconcile"
AUDIT_RECONCILE = "mailchimp.reconcile"
AUDIT_NEEDS_RECONFIRMATION = "newsletter.mailchimp-needs-reconfirmation"
RECONFIRMATION_FIELD = "mailchimp_needs_reconfirmation"

# A batch call that meets a 429, a 5xx or no connection is tried this often in all.
ATTEMPTS = 3
BACKOFF_SECONDS = 5.0

# Words of Mailchimp's refusals (title or batch error message) that mean only the person
# can subscribe the address again.
_REFUSAL_WORDS = ("compliance state", "forgotten email", "permanently deleted")


class MailchimpNotConfigured(Exception):
    """The connector is off: no API key, audience or URL."""


def _is_refusal(text: str) -> bool:
    text = text.lower()
    return any(word in text for word in _REFUSAL_WORDS)


def _normalised(email: str) -> str:
    return email.strip().lower()


def _retrying(call: Callable[[], T], *, sleep: Callable[[float], Any] = time.sleep) -> T:
    """``call()``, tried again after a pause on a 429, a 5xx or a connection error."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call()
        except MailchimpError as error:
            if not error.retryable or attempt == ATTEMPTS:
                raise
            pause = error.retry_after
            sleep(pause if pause is not None else BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def _error_text(error: MailchimpError) -> str:
    """What may be shown and stored of an error: status and title, never the detail
    (Mailchimp's detail often names the address)."""
    return f"Mailchimp {error.status or 'connection'}: {error.title}".strip()


def _client() -> MailchimpClient:
    if not connector_enabled():
        raise MailchimpNotConfigured(
            "The Mailchimp connector is not configured (MAILCHIMP_API_KEY, "
            "MAILCHIMP_AUDIENCE_ID): nothing was sent."
        )
    return MailchimpClient()


# Needs re-confirmation ----------------------------------------------------------------


def _has_reconfirmation_field() -> bool:
    from subjects.models import NewsletterSubscription

    return any(f.name == RECONFIRMATION_FIELD for f in NewsletterSubscription._meta.get_fields())


def _target(subscription: Any) -> str:
    return f"{subscription._meta.label} #{subscription.pk}"


def reconfirmation_pending(subscriptions: Iterable[Any]) -> set[int]:
    """Of these subscriptions, the ones Mailchimp refused to re-subscribe (one query)."""
    from subjects.models import AuditEvent

    subscriptions = list(subscriptions)
    marked = {s.pk for s in subscriptions if getattr(s, RECONFIRMATION_FIELD, False)}
    targets = set(
        AuditEvent.objects.filter(action=AUDIT_NEEDS_RECONFIRMATION).values_list(
            "target", flat=True
        )
    )
    return marked | {s.pk for s in subscriptions if _target(s) in targets}


def _reconfirmation_mark(subscriptions: list[Any], *, during: str) -> None:
    """Mark subscriptions Mailchimp refused (``during`` "push" or "reconcile"): an audit
    event each (their number, never the address), and the subscription's own flag where
    the model has one."""
    from subjects.models import NewsletterSubscription
    from subjects.services import audit_event_record

    if not subscriptions:
        return
    with transaction.atomic():
        if _has_reconfirmation_field():
            NewsletterSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(
                **{RECONFIRMATION_FIELD: True}
            )
        for subscription in subscriptions:
            audit_event_record(
                actor=None,
                action=AUDIT_NEEDS_RECONFIRMATION,
                subject=subscription.subject,
                target=subscription,
                params={"during": during},
            )


# Push ---------------------------------------------------------------------------------


@dataclasses.dataclass
class PushResult:
    audience: int = 0  # subscriptions in the audience here
    sent: int = 0
    batches: int = 0
    new: int = 0
    updated: int = 0
    skipped: list[str] = dataclasses.field(default_factory=list)  # already refused before
    needs_reconfirmation: list[str] = dataclasses.field(default_factory=list)
    refused: list[str] = dataclasses.field(default_factory=list)  # for another reason


def mailchimp_push(
    *,
    progress: Callable[[str], Any] | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> PushResult:
    """Subscribe every address of the audience here in Mailchimp, at most ``BATCH_SIZE``
    a call, only the address and first name. Members Mailchimp refuses are marked as
    needing re-confirmation through Mailchimp and not sent again (neither now nor by a
    later push). Safe to run again: Mailchimp updates members it already holds.
    ``progress`` gets a line per batch. Raises ``MailchimpNotConfigured``, and
    ``MailchimpError`` when a batch still fails after ``ATTEMPTS`` tries (the batches
    before it were sent)."""
    from subjects.newsletter import audience_rows

    client = _client()
    rows = audience_rows()
    result = PushResult(audience=len(rows))
    refused_before = reconfirmation_pending(rows)
    to_send = []
    for row in rows:
        if row.pk in refused_before:
            result.skipped.append(row.email)
        else:
            to_send.append(row)
    size = connector.BATCH_SIZE
    total = (len(to_send) + size - 1) // size
    for start in range(0, len(to_send), size):
        batch = to_send[start : start + size]
        members = [{"email": s.email, "first_name": s.first_name} for s in batch]
        answer = _retrying(lambda members=members: client.members_subscribe(members), sleep=sleep)
        answer = answer or {}
        result.batches += 1
        result.sent += len(batch)
        new = len(answer.get("new_members") or [])
        updated = len(answer.get("updated_members") or [])
        result.new += new
        result.updated += updated
        by_email = {_normalised(s.email): s for s in batch}
        refused_now, other = [], 0
        for error in answer.get("errors") or []:
            subscription = by_email.get(_normalised(str(error.get("email_address", ""))))
            if subscription is None:
                continue
            text = f"{error.get('error', '')} {error.get('error_code', '')}"
            if _is_refusal(text):
                refused_now.append(subscription)
                result.needs_reconfirmation.append(subscription.email)
            else:
                other += 1
                result.refused.append(subscription.email)
        _reconfirmation_mark(refused_now, during="push")
        line = (
            f"Batch {result.batches} of {total}: {len(batch)} sent, {new} new, "
            f"{updated} updated, {len(refused_now)} need re-confirmation through Mailchimp"
            + (f", {other} refused for another reason" if other else "")
            + "."
        )
        logger.info("Mailchimp push: %s", line)
        if progress:
            progress(line)
    logger.info(
        "Mailchimp push done: %d sent in %d batch(es), %d need re-confirmation, %d refused "
        "for another reason, %d skipped (waiting for re-confirmation)",
        result.sent,
        result.batches,
        len(result.needs_reconfirmation),
        len(result.refused),
        len(result.skipped),
    )
    return result


# Reconcile ----------------------------------------------------------------------------


@dataclasses.dataclass
class ReconcileResult:
    """What a reconcile found (before any repair) and, with a fix, what it did. The
    address lists stay in memory (for the command's verbose output); ``counts()`` is what
    is stored and shown."""

    at: datetime.datetime
    fix: str = FIX_NONE
    here: int = 0  # in the audience here
    there: int = 0  # subscribed in Mailchimp
    missing_there: list[str] = dataclasses.field(default_factory=list)
    # In the audience here, held by Mailchimp with another status: address -> status.
    status_differences: dict[str, str] = dataclasses.field(default_factory=dict)
    ended_here: int = 0  # subscriptions ended here, as Mailchimp holds them unsubscribed
    # Subscribed in Mailchimp, not in the audience here: address -> reason.
    there_not_here: dict[str, str] = dataclasses.field(default_factory=dict)
    # In the audience here, not subscribed there, refused by Mailchimp before.
    explained: list[str] = dataclasses.field(default_factory=list)
    subscribed: int = 0
    unsubscribed: int = 0
    archived: int = 0
    needs_reconfirmation: list[str] = dataclasses.field(default_factory=list)
    failed: int = 0
    error: str = ""

    @property
    def differences(self) -> int:
        return len(self.missing_there) + len(self.status_differences) + len(self.there_not_here)

    def there_not_here_by_reason(self) -> dict[str, int]:
        counts = dict.fromkeys(THERE_NOT_HERE_REASONS, 0)
        for reason in self.there_not_here.values():
            counts[reason] += 1
        return counts

    def counts(self) -> dict[str, int]:
        by_reason = self.there_not_here_by_reason()
        return {
            "here": self.here,
            "there": self.there,
            "missing_there": len(self.missing_there),
            "status_differences": len(self.status_differences),
            "there_not_here": len(self.there_not_here),
            "suppressed_there": by_reason[SUPPRESSED],
            "explained": len(self.explained),
            "subscribed": self.subscribed,
            "unsubscribed": self.unsubscribed,
            "archived": self.archived,
            "needs_reconfirmation": len(self.needs_reconfirmation),
            "failed": self.failed,
        }

    def summary(self) -> ReconcileSummary:
        return ReconcileSummary(at=self.at, fix=self.fix, error=self.error, **self.counts())


@dataclasses.dataclass(frozen=True)
class ReconcileSummary:
    """The counts of one reconcile, as kept for the dashboard."""

    at: datetime.datetime
    fix: str = FIX_NONE
    error: str = ""
    here: int = 0
    there: int = 0
    missing_there: int = 0
    status_differences: int = 0
    there_not_here: int = 0
    suppressed_there: int = 0
    explained: int = 0
    subscribed: int = 0
    unsubscribed: int = 0
    archived: int = 0
    needs_reconfirmation: int = 0
    failed: int = 0

    @property
    def differences(self) -> int:
        return self.missing_there + self.status_differences + self.there_not_here

    @property
    def repaired(self) -> int:
        return self.subscribed + self.unsubscribed + self.archived

    def params(self) -> dict[str, Any]:
        """The audit event's parameters: the repair asked for, counts, and the error."""
        params: dict[str, Any] = {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "at"
        }
        if not self.error:
            del params["error"]
        return params

    @classmethod
    def from_params(cls, *, at: datetime.datetime, params: dict[str, Any]) -> ReconcileSummary:
        values: dict[str, Any] = {
            "at": at,
            "fix": str(params.get("fix", FIX_NONE)),
            "error": str(params.get("error", "")),
        }
        numbers = {f.name for f in dataclasses.fields(cls)} - {"at", "fix", "error"}
        for key in numbers:
            if isinstance(params.get(key), int):
                values[key] = params[key]
        return cls(**values)


def _there_not_here_reasons(emails: list[str]) -> dict[str, str]:
    """Why each of these addresses (subscribed in Mailchimp) is not in the audience here:
    suppressed, restricted, known here but not subscribed (unsubscribed, objected,
    unconfirmed, no longer a client), or unknown here. Queries per 500 addresses."""
    from subjects.models import NewsletterSubscription
    from subjects.suppression import LOOKUP_BATCH, suppressed_among

    suppressed = suppressed_among(emails)
    reasons = {email: SUPPRESSED for email in suppressed}
    rest = [e for e in emails if e not in suppressed]
    restricted: set[str] = set()
    known: set[str] = set()
    for start in range(0, len(rest), LOOKUP_BATCH):
        chunk = rest[start : start + LOOKUP_BATCH]
        rows = NewsletterSubscription.objects.filter(email__in=chunk).values_list(
            "email", "unsubscribed_at", "restricted_at", "subject__restricted_at"
        )
        for email, unsubscribed_at, restricted_at, subject_restricted_at in rows:
            known.add(email)
            if unsubscribed_at is None and (restricted_at or subject_restricted_at):
                restricted.add(email)
    for email in rest:
        if email in restricted:
            reasons[email] = RESTRICTED
        elif email in known:
            reasons[email] = NOT_SUBSCRIBED_HERE
        else:
            reasons[email] = UNKNOWN
    return reasons


def mailchimp_reconcile(
    *, fix: str = FIX_NONE, record: bool = True, sleep: Callable[[float], Any] = time.sleep
) -> ReconcileResult:
    """Compare Mailchimp's audience (read page by page) with the audience here.

    - here but not there: in the audience here, unknown to Mailchimp or archived there;
    - status differences: in the audience here, held there as unsubscribed, cleaned,
      pending or otherwise not subscribed;
    - there but not here: subscribed there, not in the audience here (suppressed,
      restricted, unsubscribed or otherwise not subscribed here, or unknown here);
    - explained: in the audience here and not subscribed there because Mailchimp refused
      to re-subscribe it before (needs re-confirmation through Mailchimp).

    ``fix``: ``FIX_NONE`` changes nothing; ``FIX_SUPPRESSED`` unsubscribes there every
    suppressed address found subscribed there; ``FIX_ALL`` also unsubscribes there every
    other address that must not be mailed (a restricted one is archived instead, which a
    lifted restriction undoes), and subscribes there (upsert) what is missing or held with
    another status; a refusal marks the subscription as needing re-confirmation. A call
    that fails is counted and the rest goes on; safe to run again.

    With ``record`` the counts are kept for the dashboard (``reconcile_last``).
    Raises ``MailchimpNotConfigured``; a failure to read the audience raises
    ``MailchimpError`` (recorded as a failed reconcile)."""
    from subjects.newsletter import audience_rows

    if fix not in (FIX_NONE, FIX_SUPPRESSED, FIX_ALL):
        raise ValueError(fix)
    client = _client()
    result = ReconcileResult(at=timezone.now(), fix=fix)
    try:
        there = {_normalised(m["email_address"]): str(m["status"]) for m in client.members()}
    except MailchimpError as error:
        result.error = _error_text(error)
        logger.warning("Mailchimp reconcile failed reading the audience: %s", result.error)
        if record:
            reconcile_record(result.summary())
        raise
    rows = {_normalised(s.email): s for s in audience_rows()}
    refused_before = reconfirmation_pending(rows.values())
    result.here = len(rows)
    result.there = sum(1 for status in there.values() if status == "subscribed")
    for email, subscription in rows.items():
        status = there.get(email)
        if status == "subscribed":
            continue
        if subscription.pk in refused_before:
            result.explained.append(email)
        elif status is None or status == "archived":
            result.missing_there.append(email)
        else:
            result.status_differences[email] = status
    only_there = [e for e, status in there.items() if status == "subscribed" and e not in rows]
    result.there_not_here = _there_not_here_reasons(only_there)

    if fix != FIX_NONE:
        _fix(client, result, rows, sleep=sleep)
    logger.info(
        "Mailchimp reconcile (fix: %s): %d here, %d subscribed there; %d here but not "
        "there, %d there but not here (%d suppressed), %d status differences, %d explained; "
        "repaired: %d subscribed, %d unsubscribed, %d archived, %d ended here; %d need "
        "re-confirmation, %d failed",
        fix,
        result.here,
        result.there,
        len(result.missing_there),
        len(result.there_not_here),
        result.there_not_here_by_reason()[SUPPRESSED],
        len(result.status_differences),
        len(result.explained),
        result.subscribed,
        result.unsubscribed,
        result.archived,
        result.ended_here,
        len(result.needs_reconfirmation),
        result.failed,
    )
    if record:
        reconcile_record(result.summary())
    return result


def _fix(
    client: MailchimpClient,
    result: ReconcileResult,
    rows: dict[str, Any],
    *,
    sleep: Callable[[float], Any],
) -> None:
    """Repair what ``result.fix`` allows: first stop mailing what must not be mailed,
    then subscribe what is missing."""
    for email, reason in result.there_not_here.items():
        if result.fix == FIX_SUPPRESSED and reason != SUPPRESSED:
            continue
        try:
            if reason == RESTRICTED:
                _retrying(lambda email=email: client.member_archive(email=email), sleep=sleep)
                result.archived += 1
            else:
                _retrying(lambda email=email: client.member_unsubscribe(email=email), sleep=sleep)
                result.unsubscribed += 1
        except MailchimpError as error:
            result.failed += 1
            logger.warning("Mailchimp reconcile: a repair failed: %s", _error_text(error))
    if result.fix != FIX_ALL:
        return
    # Unsubscribed or cleaned there but still subscribed here: a webhook was missed. The
    # person said no (or the address bounces): the subscription ends here too, which
    # starts its 6-week clock, and nothing is sent back.
    resubscribe = list(result.missing_there)
    for email, status in result.status_differences.items():
        if status in ("unsubscribed", "cleaned"):
            _end_here(rows[email], status)
            result.ended_here += 1
        else:
            resubscribe.append(email)
    refused = []
    for email in resubscribe:
        subscription = rows[email]
        try:
            _retrying(
                lambda s=subscription: client.member_upsert(email=s.email, first_name=s.first_name),
                sleep=sleep,
            )
            result.subscribed += 1
        except MailchimpError as error:
            if error.needs_reconfirmation or (error.status == 400 and _is_refusal(error.title)):
                refused.append(subscription)
                result.needs_reconfirmation.append(email)
            else:
                result.failed += 1
                logger.warning("Mailchimp reconcile: a repair failed: %s", _error_text(error))
    _reconfirmation_mark(refused, during="reconcile")


def _end_here(subscription: Any, status: str) -> None:
    from processing.models import ConsentMethod
    from subjects.mailchimp_sync import UNSUBSCRIBE, changes_from_mailchimp
    from subjects.newsletter import newsletter_subscription_end

    via = "mailchimp-cleaned" if status == "cleaned" else "mailchimp-unsubscribe"
    with changes_from_mailchimp({(UNSUBSCRIBE, subscription.email)}):
        newsletter_subscription_end(
            subscription_id=subscription.pk, method=ConsentMethod.UNSUBSCRIBE_LINK, via=via
        )


# The last reconcile, for the dashboard ------------------------------------------------


def reconcile_record(summary: ReconcileSummary) -> None:
    """Keep the counts of a reconcile: in the cache (fixed key) and as an audit event,
    which is what the dashboard reads when the cache does not hold it (another process,
    a restart)."""
    from subjects.services import audit_event_record

    event = audit_event_record(
        actor=None, action=AUDIT_RECONCILE, target="Mailchimp", params=summary.params()
    )
    cache.set(CACHE_KEY, {"at": event.at, "params": event.params}, timeout=None)


def reconcile_last() -> ReconcileSummary | None:
    """The last reconcile kept, or None (at most one query)."""
    from subjects.models import AuditEvent

    kept = cache.get(CACHE_KEY)
    if (
        isinstance(kept, dict)
        and isinstance(kept.get("at"), datetime.datetime)
        and isinstance(kept.get("params"), dict)
    ):
        return ReconcileSummary.from_params(at=kept["at"], params=kept["params"])
    event = AuditEvent.objects.filter(action=AUDIT_RECONCILE).order_by("-at", "-pk").first()
    if event is None:
        return None
    return ReconcileSummary.from_params(at=event.at, params=event.params)


def mailchimp_dashboard() -> dict[str, Any]:
    """What the dashboard shows of the connector: whether it is configured and the last
    reconcile (no query when it is off)."""
    if not connector_enabled():
        return {"configured": False, "last": None}
    return {"configured": True, "last": reconcile_last()}
