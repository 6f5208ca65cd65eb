"""``manage.py mailchimp push|reconcile [--fix]``: send the newsletter audience to
Mailchimp, or compare Mailchimp's audience with the one here (and repair it)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from processing.connectors.mailchimp import MailchimpError
from processing.mailchimp_reconcile import (
    FIX_ALL,
    FIX_NONE,
    NOT_SUBSCRIBED_HERE,
    RESTRICTED,
    SUPPRESSED,
    UNKNOWN,
    MailchimpNotConfigured,
    ReconcileResult,
    mailchimp_push,
    mailchimp_reconcile,
)

REASON_LABELS = {
    SUPPRESSED: "suppressed",
    RESTRICTED: "restricted",
    NOT_SUBSCRIBED_HERE: "not subscribed here",
    UNKNOWN: "unknown here",
}


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _shown(email: str) -> str:
    """An address for the terminal: without control or direction characters."""
    return "".join(c for c in email if unicodedata.category(c)[0] != "C")


class Command(BaseCommand):
    help = (
        "Keep Mailchimp's copy of the newsletter audience true. 'push' subscribes every "
        "confirmed, unsuppressed subscriber there (in batches of at most 500, only address "
        "and first name). 'reconcile' reads Mailchimp's audience and reports members here "
        "but not there, there but not here, and status differences; it changes nothing "
        "unless --fix. Members Mailchimp refuses to subscribe again need re-confirmation "
        "through Mailchimp and are never retried. Counts only; 'mailchimp -v 2 reconcile' "
        "lists the addresses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="push|reconcile")
        actions.add_parser("push", help="Subscribe the whole audience in Mailchimp.")
        reconcile = actions.add_parser(
            "reconcile", help="Compare Mailchimp's audience with the one here."
        )
        reconcile.add_argument(
            "--fix",
            action="store_true",
            help="Repair the differences: subscribe there what is missing, unsubscribe "
            "there what must not be mailed (archive what is restricted here).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbose = int(options.get("verbosity", 1)) >= 2
        try:
            if options["action"] == "push":
                self._push()
            else:
                self._reconcile(fix=FIX_ALL if options.get("fix") else FIX_NONE)
        except MailchimpNotConfigured as error:
            raise CommandError(str(error)) from None
        except MailchimpError as error:
            raise CommandError(
                f"Mailchimp {error.status or 'could not be reached'}: {error.title}. "
                "Nothing after this point was done; it is safe to run the command again."
            ) from None

    def _list(self, title: str, emails: Any) -> None:
        if self.verbose and emails:
            self.stdout.write(f"  {title}:")
            for email in sorted(emails):
                self.stdout.write(f"    {_shown(email)}")

    def _push(self) -> None:
        result = mailchimp_push(progress=self.stdout.write)
        self.stdout.write(
            f"Pushed {result.sent} of {_n(result.audience, 'subscriber', 'subscribers')} in "
            f"{_n(result.batches, 'batch', 'batches')}: {result.new} new, "
            f"{result.updated} updated."
        )
        if result.skipped:
            self.stdout.write(
                f"{len(result.skipped)} not sent: waiting for re-confirmation through "
                "Mailchimp (refused before)."
            )
        self._list("waiting for re-confirmation", result.skipped)
        if result.needs_reconfirmation:
            self.stdout.write(
                self.style.WARNING(
                    f"{_n(len(result.needs_reconfirmation), 'member needs', 'members need')} "
                    "re-confirmation through Mailchimp: Mailchimp holds the address as "
                    "unsubscribed, cleaned or deleted and lets only the person subscribe "
                    "again (its sign-up form). "
                    "Not retried."
                )
            )
        self._list("needs re-confirmation", result.needs_reconfirmation)
        if result.refused:
            self.stdout.write(
                self.style.WARNING(
                    f"{_n(len(result.refused), 'member', 'members')} refused by Mailchimp for "
                    "another reason."
                )
            )
        self._list("refused", result.refused)

    def _reconcile(self, *, fix: str) -> None:
        result = mailchimp_reconcile(fix=fix)
        self._report(result)

    def _report(self, result: ReconcileResult) -> None:
        write = self.stdout.write
        write(
            f"Reconcile at {timezone.localtime(result.at):%Y-%m-%d %H:%M %Z}: "
            f"{result.here} may be mailed here, {result.there} subscribed in Mailchimp."
        )
        write(f"Here but not there: {len(result.missing_there)}")
        self._list("here but not there", result.missing_there)
        by_reason = result.there_not_here_by_reason()
        detail = ", ".join(f"{n} {REASON_LABELS[r]}" for r, n in by_reason.items() if n)
        write(
            f"There but not here: {len(result.there_not_here)}" + (f" ({detail})" if detail else "")
        )
        self._list(
            "there but not here",
            [f"{e} ({REASON_LABELS[r]})" for e, r in result.there_not_here.items()],
        )
        statuses: dict[str, int] = {}
        for status in result.status_differences.values():
            statuses[status] = statuses.get(status, 0) + 1
        detail = ", ".join(f"{n} {s} there" for s, n in sorted(statuses.items()))
        write(
            f"Status differences: {len(result.status_differences)}"
            + (f" ({detail})" if detail else "")
        )
        self._list(
            "status differences",
            [f"{e} ({s} there)" for e, s in result.status_differences.items()],
        )
        write(f"Explained (needs re-confirmation through Mailchimp): {len(result.explained)}")
        self._list("explained", result.explained)
        if result.fix == FIX_NONE:
            if result.differences:
                write(
                    self.style.WARNING(
                        f"{result.differences} differences. Nothing was changed; run with "
                        "--fix to repair them."
                    )
                )
            else:
                write(self.style.SUCCESS("No differences."))
            return
        write(
            f"Repaired: {result.subscribed} subscribed there, {result.unsubscribed} "
            f"unsubscribed there, {result.archived} archived there."
        )
        if result.needs_reconfirmation:
            write(
                self.style.WARNING(
                    f"{_n(len(result.needs_reconfirmation), 'member needs', 'members need')} "
                    "re-confirmation through Mailchimp: refused by Mailchimp, not retried."
                )
            )
            self._list("needs re-confirmation", result.needs_reconfirmation)
        if result.failed:
            raise CommandError(
                f"{_n(result.failed, 'repair', 'repairs')} failed (Mailchimp did not accept "
                "the call); run the command again later."
            )
