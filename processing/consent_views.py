"""The public consent page: ask for a link, open it, see every consent given, withdraw
any of them (and end a newsletter subscription) in one click.

The pages behind a token are private (never cached or indexed) and hide the token from
the website-visit log (``token_hidden``). Methods are checked inside the views, and the
CSRF check of a form behind a token runs inside ``token_hidden`` too: a refusal by
Django's middleware or by ``require_http_methods`` would log the path, working token
included, before it could be hidden."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_safe

from processing.consent_page import (
    consent_entries,
    consent_page_consents,
    consent_page_link_send,
    consent_page_link_state,
    consent_page_link_use,
    consent_page_session,
    consent_page_subscriptions,
    consent_page_unsubscribe,
    consent_page_withdraw,
)
from processing.forms import (
    ConsentLinkRequestForm,
    ConsentWithdrawForm,
    SubscriptionUnsubscribeForm,
)
from processing.models import ConsentPageLink
from requests_dsar.views.public import form_rate_limited, private, token_hidden

LINK_METHODS = ["GET", "POST"]
STATUS = {"invalid": 404, "not-found": 404, "used": 410, "expired": 410, "session-expired": 410}


def problem(request: HttpRequest, kind: str, status: int | None = None) -> HttpResponse:
    """One clear page for every refused link, session or choice."""
    return private(
        render(
            request,
            "processing/public/consent_problem.html",
            {
                "kind": kind,
                "link_hours": ConsentPageLink.LINK_HOURS,
                "session_hours": ConsentPageLink.SESSION_HOURS,
            },
            status=status or STATUS.get(kind, 404),
        )
    )


@require_http_methods(["GET", "POST"])
def consent_request(request: HttpRequest) -> HttpResponse:
    """Ask for a link. Known or unknown address: the same page and the same e-mail."""
    if request.method == "POST":
        if form_rate_limited(request, "consent-page"):
            return problem(request, "rate-limited", 429)
        form = ConsentLinkRequestForm(request.POST)
        if form.is_bot:
            # Look exactly like success, write nothing.
            return redirect("processing:consent_request_sent")
        if form.is_valid():
            consent_page_link_send(
                email=form.cleaned_data["email"], language=translation.get_language()[:2]
            )
            return redirect("processing:consent_request_sent")
    else:
        form = ConsentLinkRequestForm()
    return render(request, "processing/public/consent_request.html", {"form": form})


@require_safe
def consent_request_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "processing/public/consent_request_sent.html",
        {"hours": ConsentPageLink.LINK_HOURS},
    )


@token_hidden
def consent_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and nothing personal (mail scanners open links); POST uses
    the link once and opens the page behind a new token for an hour."""
    if request.method not in LINK_METHODS:
        return HttpResponseNotAllowed(LINK_METHODS)
    if request.method == "GET":
        state = consent_page_link_state(token=token)
        if state != "ready":
            return problem(request, state)
        return private(
            render(
                request,
                "processing/public/consent_link.html",
                {"session_hours": ConsentPageLink.SESSION_HOURS},
            )
        )
    use = consent_page_link_use(token=token)
    if use.outcome != "ready":
        return problem(request, use.outcome)
    return private(redirect("processing:consent_manage", token=use.manage_token))


@token_hidden
def consent_manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every consent given by the data subjects with the link's address, and the
    newsletter subscriptions of the address."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    state, link = consent_page_session(token=token)
    if link is None:
        return problem(request, "session-expired" if state == "expired" else state)
    return private(
        render(
            request,
            "processing/public/consent_manage.html",
            {
                "token": token,
                "entries": consent_entries(consent_page_consents(link.email)),
                "subscriptions": list(consent_page_subscriptions(link.email)),
                "session_ends_at": link.manage_expires_at,
            },
        )
    )


@token_hidden
def consent_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Withdraw one of the person's own consents; any other id is "not found" and
    changes nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    state, link = consent_page_session(token=token)
    if link is None:
        return problem(request, "session-expired" if state == "expired" else state)
    form = ConsentWithdrawForm(request.POST, consents=consent_page_consents(link.email))
    if not form.is_valid():
        return problem(request, "not-found")
    report = consent_page_withdraw(consent=form.cleaned_data["consent"])
    return private(
        render(
            request,
            "processing/public/consent_withdrawn.html",
            {"token": token, "report": report},
        )
    )


@token_hidden
def consent_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """End one of the address's own newsletter subscriptions, as its unsubscribe link
    does; any other id is "not found" and changes nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    state, link = consent_page_session(token=token)
    if link is None:
        return problem(request, "session-expired" if state == "expired" else state)
    form = SubscriptionUnsubscribeForm(
        request.POST, subscriptions=consent_page_subscriptions(link.email)
    )
    if not form.is_valid():
        return problem(request, "not-found")
    outcome = consent_page_unsubscribe(subscription=form.cleaned_data["subscription"])
    return private(
        render(
            request,
            "processing/public/consent_unsubscribed.html",
            {"token": token, "state": outcome.result},
        )
    )
