"""Public pages: the request form, the verification link, the status page and the
download. None of them answers differently for a known or unknown e-mail address, and
none of them answers 500 to anything a visitor can send."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from requests_dsar.forms import MAX_ID, PublicRequestForm
from requests_dsar.fulfilment.answers import erasure_lines
from requests_dsar.fulfilment.packages import answer_package_by_token, package_path
from requests_dsar.models import AnswerPackage, DsarRequest
from requests_dsar.services.intake import (
    dsar_request_by_status_token,
    dsar_request_submit,
    dsar_request_verify,
)
from requests_dsar.summary import request_summary
from requests_dsar.tokens import token_hash
from subjects.services import normalise_email


def _email_key(group: str, request: HttpRequest) -> str:
    email = normalise_email(str(request.POST.get("email", ""))[:254])
    return hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()


def form_rate_limited(request: HttpRequest, form: str) -> bool:
    """Whether a public form's submission goes over its limits, per IP address and per
    e-mail address (``DSAR_RATE_PER_IP``, ``DSAR_RATE_PER_EMAIL``), each form counting on
    its own. Both counters always count (no short-circuit)."""
    by_ip = is_ratelimited(
        request, group=f"{form}-ip", key="ip", rate=settings.DSAR_RATE_PER_IP, increment=True
    )
    by_email = is_ratelimited(
        request,
        group=f"{form}-email",
        key=_email_key,
        rate=settings.DSAR_RATE_PER_EMAIL,
        increment=True,
    )
    return by_ip or by_email


def token_hidden(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The website-visit log records the path after the view ran; replace the token in
    it, so the security log (kept 4 weeks) never holds a working link.

    The CSRF check of a POST runs in here too: refused by the middleware, before the
    view, the path with the working token would reach the log as it is. A view that
    takes no CSRF token (the RFC 8058 one-click unsubscribe) is marked ``csrf_exempt``
    under this decorator."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        response = protected(request, token, *args, **kwargs)
        request.path = request.path.replace(token, "-") if token else request.path
        return response

    return wrapped


def private(response: HttpResponse) -> HttpResponse:
    """Pages behind a personal link: never cached, never indexed."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def problem(request: HttpRequest, kind: str, status: int) -> HttpResponse:
    """One clear page for every refused link or request."""
    return private(
        render(
            request,
            "requests_dsar/public/problem.html",
            {"kind": kind, "days": settings.DSAR_STATUS_LINK_DAYS_AFTER_CLOSING},
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if form_rate_limited(request, "dsar-form"):
            return problem(request, "rate-limited", 429)
        form = PublicRequestForm(request.POST)
        if form.is_bot:
            # Look exactly like success, write nothing.
            return redirect("requests_dsar:submitted")
        if form.is_valid():
            dsar_request_submit(**form.service_fields(language=translation.get_language()[:2]))
            return redirect("requests_dsar:submitted")
    else:
        form = PublicRequestForm(initial={"request_type": request.GET.get("right", "")[:30]})
    return render(request, "requests_dsar/public/form.html", {"form": form})


@require_safe
def submitted(request: HttpRequest) -> HttpResponse:
    return render(request, "requests_dsar/public/submitted.html")


VERIFY_METHODS = ["GET", "POST"]


@token_hidden
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (so mail scanners that open links cannot use the link up);
    POST proves the address and receives the request.

    The method is checked here, not with ``require_http_methods``: that decorator logs
    the refused path, working token included, before ``token_hidden`` can hide it; a
    405 returned from here is logged by Django with the token already replaced."""
    if request.method not in VERIFY_METHODS:
        return HttpResponseNotAllowed(VERIFY_METHODS)
    if request.method == "GET":
        found = DsarRequest.objects.filter(verification_token_hash=token_hash(token)).first()
        if found is None:
            return problem(request, "invalid", 404)
        if found.verified_at is not None:
            return problem(request, "used", 410)
        if found.verification_expires_at and found.verification_expires_at <= timezone.now():
            return problem(request, "expired", 410)
        return private(
            render(
                request,
                "requests_dsar/public/verify.html",
                {"dsar": found, "summary": request_summary(found)},
            )
        )
    result = dsar_request_verify(token=token)
    if result.outcome != "verified":
        return problem(request, result.outcome, 404 if result.outcome == "invalid" else 410)
    return redirect("requests_dsar:status", token=result.status_token)


@token_hidden
@require_safe
def status(request: HttpRequest, token: str) -> HttpResponse:
    dsar = dsar_request_by_status_token(token=token)
    if dsar is None:
        return problem(request, "invalid", 404)
    if dsar.status_link_expired():
        return problem(request, "status-expired", 410)
    record = getattr(dsar, "erasure_record", None)
    packages = [p for p in dsar.packages.all() if p.is_available] if dsar.answer else []
    return private(
        render(
            request,
            "requests_dsar/public/status.html",
            {
                "dsar": dsar,
                "token": token,
                "packages": packages,
                "erasure_lines": erasure_lines(record) if record else [],
            },
        )
    )


def _serve(request: HttpRequest, package: AnswerPackage | None, filename: str) -> HttpResponse:
    if package is None:
        return problem(request, "invalid", 404)
    if not package.is_available:
        return problem(request, "expired", 410)
    path = package_path(package, filename)
    if path is None:
        return problem(request, "invalid", 404)
    AnswerPackage.objects.filter(pk=package.pk).update(download_count=package.download_count + 1)
    return private(FileResponse(path.open("rb"), as_attachment=True, filename=filename))


@token_hidden
@require_safe
def download_index(request: HttpRequest, token: str) -> HttpResponse:
    """The download link from the answer e-mail: lists the files of the package."""
    package = answer_package_by_token(token=token)
    if package is None:
        return problem(request, "invalid", 404)
    if not package.is_available:
        return problem(request, "expired", 410)
    return private(
        render(request, "requests_dsar/public/download.html", {"package": package, "token": token})
    )


@token_hidden
@require_safe
def download(request: HttpRequest, token: str, filename: str) -> HttpResponse:
    return _serve(request, answer_package_by_token(token=token), filename)


@token_hidden
@require_safe
def status_download(
    request: HttpRequest, token: str, package_id: int, filename: str
) -> HttpResponse:
    dsar = dsar_request_by_status_token(token=token)
    if dsar is not None and dsar.status_link_expired():
        return problem(request, "status-expired", 410)
    known = dsar is not None and dsar.answer and package_id <= MAX_ID
    package = dsar.packages.filter(pk=package_id).first() if known else None
    return _serve(request, package, filename)
