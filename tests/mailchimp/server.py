"""A server on 127.0.0.1 that speaks the part of Mailchimp's Marketing API v3 the
connector uses (real HTTP; every request recorded), with an audience kept in memory:

- ``PUT /3.0/lists/{id}/members/{hash}``: add or update; a member Mailchimp holds as
  unsubscribed or cleaned, or one permanently deleted, cannot be re-subscribed through the
  API (400 "Member In Compliance State" / "Forgotten Email Not Subscribed");
- ``PATCH`` and ``DELETE`` (archive) of a member, 404 when unknown;
- ``POST .../members/{hash}/actions/delete-permanent``: gone for good, 404 when unknown;
- ``POST /3.0/lists/{id}``: batch subscribe (``members``, ``update_existing``);
- ``GET /3.0/lists/{id}/members``: paged with ``count`` and ``offset``.

``fail(...)`` makes the next matching requests answer with an error (and ``Retry-After``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

AUDIENCE = "aud1"
API_KEY = "0123456789abcdef0123456789abcdef-us1"


def member_hash(email: str) -> str:
    return hashlib.md5(email.strip().lower().encode()).hexdigest()


@dataclasses.dataclass
class Recorded:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclasses.dataclass
class _Failure:
    method: str
    path_contains: str
    status: int
    title: str
    retry_after: str | None
    times: int


class FakeMailchimp:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.members: dict[str, dict[str, Any]] = {}
        self.forgotten: set[str] = set()
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/3.0"

    def start(self) -> FakeMailchimp:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, email: str, status: str = "subscribed", first_name: str = "") -> None:
        self.members[member_hash(email)] = {
            "email_address": email,
            "status": status,
            "merge_fields": {"FNAME": first_name},
        }

    def status_of(self, email: str) -> str | None:
        member = self.members.get(member_hash(email))
        return member["status"] if member else None

    def fail(
        self,
        method: str,
        path_contains: str,
        status: int,
        title: str = "Error",
        *,
        retry_after: str | None = None,
        times: int = 1,
    ) -> None:
        self._failures.append(_Failure(method, path_contains, status, title, retry_after, times))

    def calls(self, method: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if method is None or r.method == method]

    # The HTTP side -------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                with fake._lock:
                    fake.requests.append(
                        Recorded(self.command, self.path, body, dict(self.headers.items()))
                    )
                    status, answer, headers = fake._answer(self.command, self.path, body)
                payload = json.dumps(answer).encode() if answer is not None else b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_PATCH = do_DELETE = do_POST = _handle  # noqa: N815

        return Handler

    def _answer(self, method: str, path: str, body: Any) -> tuple[int, Any, dict[str, str]]:
        for failure in self._failures:
            if failure.times and failure.method == method and failure.path_contains in path:
                failure.times -= 1
                headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
                problem = {"title": failure.title, "status": failure.status, "detail": ""}
                return failure.status, problem, headers
        url = urlsplit(path)
        member = re.fullmatch(rf"/3\.0/lists/{AUDIENCE}/members/([0-9a-f]{{32}})", url.path)
        delete = re.fullmatch(
            rf"/3\.0/lists/{AUDIENCE}/members/([0-9a-f]{{32}})/actions/delete-permanent", url.path
        )
        if method == "PUT" and member:
            return self._put(member.group(1), body)
        if method in ("PATCH", "DELETE") and member:
            known = self.members.get(member.group(1))
            if known is None:
                return 404, {"title": "Resource Not Found", "status": 404}, {}
            known["status"] = body["status"] if method == "PATCH" else "archived"
            return (200, known, {}) if method == "PATCH" else (204, None, {})
        if method == "POST" and delete:
            if self.members.pop(delete.group(1), None) is None:
                return 404, {"title": "Resource Not Found", "status": 404}, {}
            self.forgotten.add(delete.group(1))
            return 204, None, {}
        if method == "POST" and url.path == f"/3.0/lists/{AUDIENCE}":
            return self._batch(body)
        if method == "GET" and url.path == f"/3.0/lists/{AUDIENCE}/members":
            query = parse_qs(url.query)
            count, offset = int(query["count"][0]), int(query["offset"][0])
            everyone = [m for m in self.members.values() if m["status"] != "archived"]
            page = [
                {"email_address": m["email_address"], "status": m["status"]}
                for m in everyone[offset : offset + count]
            ]
            return 200, {"members": page, "total_items": len(everyone)}, {}
        return 404, {"title": "Resource Not Found", "status": 404}, {}

    def _put(self, hashed: str, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if hashed in self.forgotten:
            return 400, {"title": "Forgotten Email Not Subscribed", "status": 400}, {}
        known = self.members.get(hashed)
        if (
            known
            and known["status"] in ("unsubscribed", "cleaned")
            and body["status"] == ("subscribed")
        ):
            return 400, {"title": "Member In Compliance State", "status": 400}, {}
        member = {
            "email_address": body["email_address"],
            "status": body["status"] if known else body["status_if_new"],
            "merge_fields": body.get("merge_fields", {}),
        }
        self.members[hashed] = member
        return 200, member, {}

    def _batch(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        new, updated, errors = [], [], []
        for member in body["members"]:
            hashed = member_hash(member["email_address"])
            existed = hashed in self.members
            status, answer, _headers = self._put(hashed, member)
            if status != 200:
                errors.append({"email_address": member["email_address"], "error": answer["title"]})
            else:
                (updated if existed else new).append(answer)
        return 200, {"new_members": new, "updated_members": updated, "errors": errors}, {}
