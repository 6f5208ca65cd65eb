"""Public pages where personal data comes in: the contact form, the brochure request, the
newsletter sign-up and its confirmation link.

The same abuse protection as the rights request form (CSRF, a honeypot, rate limits per
IP address and per e-mail address, each form its own groups), and the same answer
whether or not an address is known, subscribed or suppressed: every page and e-mail
depends only on what was typed. No input answers 500: bad input gets a clear message on
the form and nothing is written. Each form shows the Art. 13 information beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_safe

from requests_dsar.views.public import form_rate_limited, private, problem, token_hidden
from subjects.forms import BrochureForm, ContactForm, NewsletterForm
from subjects.intake import art13_notice, brochure_request_submit, contact_message_submit
from subjects.newsletter import (
    CONFIRM_DAYS,
    confirmation_expired,
    newsletter_confirm,
    newsletter_sign_up,
    subscription_by_token,
)


def _language() -> str:
    language = (translation.get_language() or "nl")[:2]
    return language if language in {"nl", "en"} else "nl"


def _notices(*keys: str) -> list[object]:
    return [notice for key in keys if (notice := art13_notice(key)) is not None]


def _public_form(
    request: HttpRequest,
    *,
    form_class: type[Any],
    name: str,
    notices: tuple[str, ...],
    submit: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """One public intake form: limited per IP address and e-mail address, a bot's
    submission looks exactly like success and writes nothing, a valid one is handed to
    ``submit`` (a service) and answered with the same "sent" page for every address."""
    if request.method == "POST":
        if form_rate_limited(request, f"{name}-form"):
            return problem(request, "rate-limited", 429)
        form = form_class(request.POST)
        if form.is_bot:
            return redirect(f"subjects:{name}_sent")
        if form.is_valid():
            submit(form.cleaned_data)
            return redirect(f"subjects:{name}_sent")
    else:
        form = form_class()
    return render(
        request,
        f"subjects/public/{name}.html",
        {"form": form, "notices": _notices(*notices)},
    )


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    return _public_form(
        request,
        form_class=ContactForm,
        name="contact",
        notices=("contact-form",),
        submit=lambda data: contact_message_submit(
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            email=data["email"],
            message=data["message"],
            language=_language(),
        ),
    )


@require_safe
def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subjects/public/contact_sent.html")


@require_http_methods(["GET", "POST"])
def brochure(request: HttpRequest) -> HttpResponse:
    return _public_form(
        request,
        form_class=BrochureForm,
        name="brochure",
        notices=("brochure", "newsletter"),
        submit=lambda data: brochure_request_submit(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            language=_language(),
            call_text=data["call_text"],
            newsletter_text=data["newsletter_text"],
        ),
    )


@require_safe
def brochure_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subjects/public/brochure_sent.html")


@require_safe
def brochure_traineeship(request: HttpRequest) -> HttpResponse:
    """The brochure itself, linked from the brochure e-mail."""
    return render(request, "subjects/public/brochure_traineeship.html")


@require_http_methods(["GET", "POST"])
def newsletter(request: HttpRequest) -> HttpResponse:
    return _public_form(
        request,
        form_class=NewsletterForm,
        name="newsletter",
        notices=("newsletter",),
        submit=lambda data: newsletter_sign_up(
            email=data["email"],
            first_name=data["first_name"],
            language=_language(),
            text=data["text"],
        ),
    )


@require_safe
def newsletter_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subjects/public/newsletter_sent.html", {"days": CONFIRM_DAYS})


CONFIRM_METHODS = ["GET", "POST"]
CONFIRM_STATUS = {"invalid": 404, "expired": 410}


@token_hidden
def newsletter_confirmation(request: HttpRequest, token: str) -> HttpResponse:
    """The double opt-in link. GET shows a button (so mail scanners that open links do
    not confirm anything); POST confirms and records the consent. The outcome is shown in
    the language of the sign-up.

    The method is checked here, not with ``require_http_methods``: that decorator logs
    the refused path, working token included, before ``token_hidden`` can hide it."""
    if request.method not in CONFIRM_METHODS:
        return HttpResponseNotAllowed(CONFIRM_METHODS)
    if request.method == "GET":
        subscription = subscription_by_token(token)
        if subscription is None:
            state = "invalid"
        elif not subscription.is_pending:
            state = "already"
        elif confirmation_expired(subscription):
            state = "expired"
        else:
            state = "ask"
    else:
        outcome = newsletter_confirm(token=token)
        state, subscription = outcome.result, outcome.subscription
    language = subscription.language if subscription is not None else _language()
    with translation.override(language):
        return private(
            render(
                request,
                "subjects/public/newsletter_confirm.html",
                {
                    "state": state,
                    "subscription": subscription,
                    "wording": (
                        subscription.consent_text.tr("text")
                        if subscription is not None and subscription.consent_text
                        else ""
                    ),
                    "days": CONFIRM_DAYS,
                },
                status=CONFIRM_STATUS.get(state, 200),
            )
        )
