"""The Mailchimp Marketing API v3, as far as the newsletter needs it.

HTTP basic auth with the API key; members are addressed by the MD5 of the lower-cased
e-mail address, as Mailchimp documents. Only the e-mail address and the first name are
ever sent (data minimisation). Every call raises ``MailchimpError`` on an answer that is
not a success, with what a retry needs to know (``retryable``, ``retry_after``).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from processing.connectors.slots import NoFreeSlot, connection_slot

# Mailchimp allows at most 10 simultaneous connections per API key: held across every
# worker process (``processing.connectors.slots``).
MAX_CONNECTIONS = 10
BATCH_SIZE = 500  # members per batch subscribe call (Mailchimp's limit)
PAGE_SIZE = 1000  # members per page when reading the audience
TIMEOUT = 30  # seconds

# Mailchimp refuses to re-subscribe such a member through the API: only the person can,
# through Mailchimp's own confirmation.
NEEDS_RECONFIRMATION = ("Member In Compliance State", "Forgotten Email Not Subscribed")


def connector_enabled() -> bool:
    return bool(
        settings.MAILCHIMP_API_KEY and settings.MAILCHIMP_AUDIENCE_ID and settings.MAILCHIMP_API_URL
    )


def subscriber_hash(email: str) -> str:
    return hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()


@dataclasses.dataclass
class MailchimpError(Exception):
    status: int  # 0 for a connection error
    title: str = ""
    detail: str = ""
    retry_after: float | None = None

    def __str__(self) -> str:
        return f"Mailchimp {self.status or 'connection'}: {self.title} {self.detail}".strip()

    @property
    def summary(self) -> str:
        """What went wrong without Mailchimp's detail, which often names the address."""
        return f"Mailchimp {self.status or 'connection'}: {self.title}".strip()

    @property
    def retryable(self) -> bool:
        """Too many requests, a server error or no connection: worth another try."""
        return self.status in (0, 429) or self.status >= 500

    @property
    def needs_reconfirmation(self) -> bool:
        return self.status == 400 and self.title in NEEDS_RECONFIRMATION


class MailchimpClient:
    def __init__(self, *, api_key: str = "", audience_id: str = "", api_url: str = "") -> None:
        self.api_key = api_key or settings.MAILCHIMP_API_KEY
        self.audience_id = audience_id or settings.MAILCHIMP_AUDIENCE_ID
        self.api_url = (api_url or settings.MAILCHIMP_API_URL).rstrip("/")

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.api_url + path, data=data, method=method, headers=self._headers()
        )
        try:
            with connection_slot("mailchimp", MAX_CONNECTIONS):
                try:
                    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                        raw = response.read()
                except urllib.error.HTTPError as error:
                    raise _error_from(error) from None
                except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                    raise MailchimpError(0, type(error).__name__) from None
        except NoFreeSlot:
            # Every connection is in use elsewhere: like a 429, worth a later try.
            raise MailchimpError(0, "all connections in use") from None
        return json.loads(raw) if raw else None

    def _headers(self) -> dict[str, str]:
        token = base64.b64encode(f"leafspring:{self.api_key}".encode()).decode()
        return {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

    def _member_path(self, email: str) -> str:
        return f"/lists/{self.audience_id}/members/{subscriber_hash(email)}"

    def member_upsert(self, *, email: str, first_name: str = "", pending: bool = False) -> Any:
        """Subscribe (or re-subscribe) one member: ``status_if_new`` and ``status`` both
        "subscribed" ("pending": Mailchimp sends its own confirmation)."""
        status = "pending" if pending else "subscribed"
        return self._request(
            "PUT",
            self._member_path(email),
            {
                "email_address": email,
                "status_if_new": status,
                "status": status,
                "merge_fields": {"FNAME": first_name},
            },
        )

    def members_subscribe(self, members: list[dict[str, str]]) -> Any:
        """Subscribe up to ``BATCH_SIZE`` members at once (``email``, ``first_name``)."""
        if len(members) > BATCH_SIZE:
            raise ValueError(f"At most {BATCH_SIZE} members per call.")
        return self._request(
            "POST",
            f"/lists/{self.audience_id}",
            {
                "members": [
                    {
                        "email_address": m["email"],
                        "status_if_new": "subscribed",
                        "status": "subscribed",
                        "merge_fields": {"FNAME": m.get("first_name", "")},
                    }
                    for m in members
                ],
                "update_existing": True,
            },
        )

    def member_unsubscribe(self, *, email: str) -> Any:
        return self._request("PATCH", self._member_path(email), {"status": "unsubscribed"})

    def member_archive(self, *, email: str) -> Any:
        """Archive: no more mailing, undone by a later ``member_upsert`` (Art. 18)."""
        return self._request("DELETE", self._member_path(email))

    def member_delete_permanently(self, *, email: str) -> bool:
        """Erase the member for good. Returns False when Mailchimp does not know it (404:
        already gone, which counts as done)."""
        try:
            self._request("POST", self._member_path(email) + "/actions/delete-permanent")
        except MailchimpError as error:
            if error.status == 404:
                return False
            raise
        return True

    def members(self) -> Iterator[dict[str, Any]]:
        """Every member of the audience (e-mail address and status), page by page."""
        offset = 0
        while True:
            page = self._request(
                "GET",
                f"/lists/{self.audience_id}/members?count={PAGE_SIZE}&offset={offset}"
                "&fields=members.email_address,members.status,total_items",
            )
            members = page.get("members", []) if page else []
            yield from members
            offset += len(members)
            if not members or offset >= int(page.get("total_items", 0)):
                return


def _error_from(error: urllib.error.HTTPError) -> MailchimpError:
    try:
        problem = json.loads(error.read() or b"{}")
    except ValueError:
        problem = {}
    retry_after = error.headers.get("Retry-After") if error.headers else None
    try:
        seconds = float(retry_after) if retry_after else None
    except ValueError:
        seconds = None
    return MailchimpError(
        error.code,
        str(problem.get("title", "")),
        str(problem.get("detail", "")),
        seconds,
    )
