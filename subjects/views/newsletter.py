"""The personal unsubscribe link of a newsletter subscription.

GET shows a page with one button; POST unsubscribes. The same URL takes an RFC 8058
one-click POST (body ``List-Unsubscribe=One-Click``, urlencoded or multipart) from a mail
program: no CSRF token (the token in the URL is the proof), and no redirect of any kind
(the URL lies outside the language prefixes and has no trailing slash). The token is
hidden from the website-visit log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from requests_dsar.views.public import private, token_hidden
from subjects.newsletter import newsletter_unsubscribe, subscription_by_token

METHODS = ["GET", "HEAD", "POST"]
ONE_CLICK = "One-Click"


@token_hidden
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # The method is checked here: Django would log a refused path, token included,
    # before ``token_hidden`` replaced it.
    if request.method not in METHODS:
        return HttpResponseNotAllowed(METHODS)
    subscription = subscription_by_token(token)
    language = subscription.language if subscription else translation.get_language()
    with translation.override(language or "nl"):
        if request.method in {"GET", "HEAD"}:
            if subscription is None:
                return private(
                    render(
                        request,
                        "subjects/public/unsubscribe.html",
                        {"state": "invalid"},
                        status=404,
                    )
                )
            state = "already" if subscription.unsubscribed_at is not None else "ask"
            return private(
                render(
                    request,
                    "subjects/public/unsubscribe.html",
                    {"state": state, "subscription": subscription},
                )
            )
        one_click = request.POST.get("List-Unsubscribe", "") == ONE_CLICK
        outcome = newsletter_unsubscribe(
            token=token,
            via="one-click-unsubscribe" if one_click else "unsubscribe-page",
        )
        status = 404 if outcome.result == "invalid" else 200
        if one_click:
            # A mail program reads the status only.
            return private(HttpResponse(status=status))
        return private(
            render(
                request,
                "subjects/public/unsubscribe.html",
                {"state": outcome.result, "subscription": outcome.subscription},
                status=status,
            )
        )
