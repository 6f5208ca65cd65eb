"""Where personal data comes in through the public pages: the contact form and the
brochure request (the newsletter sign-up is ``subjects.newsletter.newsletter_sign_up``),
and the short Art. 13 information shown beside each form.

Each submission records the language of the page it was made on, and a consent the exact
wording version shown (DESIGN.md §1.5). Nothing here looks an address up: a submission
from a known address is stored exactly like one from an unknown address, and nothing is
merged into a person found by an address nobody has proven."""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils import timezone, translation

from processing.models import ConsentPurpose, ConsentText, ProcessingActivity, Recipient
from requests_dsar.text import defused
from subjects.consents import consent_give
from subjects.emails import person_email_send, site_url
from subjects.models import BrochureRequest, ContactMessage, NewsletterSubscription
from subjects.newsletter import newsletter_sign_up
from subjects.services import data_subject_create, normalise_email, subject_role_add

LANGUAGES = {"nl", "en"}


def _language(language: str) -> str:
    return language if language in LANGUAGES else "nl"


@transaction.atomic
def contact_message_submit(
    *,
    first_name: str,
    last_name: str,
    email: str,
    message: str,
    phone: str = "",
    language: str = "nl",
) -> ContactMessage:
    """Store a message from the contact form. Answering it rests on the request itself
    (Art. 6(1)(b)/(f)), so no consent is asked. It is linked to no data subject: a
    rights request links it later, by the address it verified. Reviewed and deleted by
    rule contact-review."""
    return ContactMessage.objects.create(
        channel=ContactMessage.Channel.FORM,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone.strip(),
        email=normalise_email(email),
        message=message,
        language=_language(language),
    )


def brochure_request_submit(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    language: str = "nl",
    call_text: ConsentText | None = None,
    newsletter_text: ConsentText | None = None,
) -> BrochureRequest:
    """Store a brochure request and e-mail the brochure (Art. 6(1)(b): the request
    itself).

    - ``call_text``: the wording of the call consent the person ticked. A call about the
      traineeship within 3 months is telemarketing and needs this separate consent: a
      new data subject (role brochure-requester; never merged into a person found by the
      address, which nobody has proven) gets the consent on exactly that wording, in the
      page's language. The phone number is kept only for this call.
    - ``newsletter_text``: the newsletter wording of the ticked mailing-list choice, which
      starts a newsletter sign-up with double opt-in on that wording (its confirmation
      e-mail is the only newsletter e-mail the address gets).

    Everything is written in one transaction; the brochure goes out after it, and
    ``brochure_sent_at`` says whether it did."""
    language = _language(language)
    email = normalise_email(email)
    first_name, last_name = first_name.strip(), last_name.strip()
    with transaction.atomic():
        subject = consent = None
        if call_text is not None:
            # The phone number stays on the request, where it rests on the call consent
            # (withdrawing it removes the number); the person record does not copy it.
            subject = data_subject_create(
                first_name=first_name, last_name=last_name, email=email, language=language
            )
            subject_role_add(actor=None, subject=subject, category_key="brochure-requester")
            consent = consent_give(
                subject=subject,
                purpose=ConsentPurpose.BROCHURE_CALL,
                method="web-form",
                via="brochure-form",
                language=language,
                text=call_text,
            )
        brochure_request = BrochureRequest.objects.create(
            subject=subject,
            first_name=first_name,
            last_name=last_name,
            phone=phone.strip() if consent is not None else "",
            email=email,
            language=language,
            call_consent=consent,
        )
        if newsletter_text is not None:
            newsletter_sign_up(
                email=email,
                first_name=first_name,
                language=language,
                source=NewsletterSubscription.Source.BROCHURE_FORM,
                text=newsletter_text,
            )
    sent = person_email_send(
        to=email,
        template="subjects/email/brochure",
        language=language,
        context={
            # Anyone can type any name for any address: never a working link in our mail.
            "first_name": defused(first_name),
            "link": site_url("subjects:brochure_traineeship", language=language),
            "call": consent is not None,
            "newsletter": newsletter_text is not None,
            "consents_link": site_url("processing:consent_request", language=language),
        },
    )
    if sent:
        brochure_request.brochure_sent_at = timezone.now()
        brochure_request.save(update_fields=["brochure_sent_at"])
    return brochure_request


# The short Art. 13 information beside a form, read from the register.


@dataclasses.dataclass(frozen=True)
class BasisLine:
    article: str
    name: str


@dataclasses.dataclass(frozen=True)
class RecipientLine:
    name: str
    outside_eea: bool
    transfer_mechanism: str


@dataclasses.dataclass(frozen=True)
class Art13Notice:
    """What Art. 13 GDPR says a person must be told where data is collected, for one
    processing activity, in the active language."""

    key: str
    name: str
    purpose: str
    bases: list[BasisLine]
    basis_note: str
    legitimate_interest: str
    retention: str
    recipients: list[RecipientLine]
    requirement: str
    consequence: str
    rests_on_consent: bool


def _article(article: str, language: str) -> str:
    # The register names the Dutch act ("AVG"); an English reader knows it as the GDPR.
    return article.replace("AVG", "GDPR") if language == "en" else article


def art13_notice(key: str) -> Art13Notice | None:
    """The Art. 13 information of activity ``key`` in the active language (two queries),
    or None when the register has no such activity."""
    activity = (
        ProcessingActivity.objects.filter(key=key)
        .prefetch_related("legal_bases", "recipients")
        .first()
    )
    if activity is None:
        return None
    language = (translation.get_language() or "nl")[:2]
    bases = list(activity.legal_bases.all())
    recipients: list[Recipient] = list(activity.recipients.all())
    return Art13Notice(
        key=activity.key,
        name=activity.tr("name"),
        purpose=activity.tr("purpose"),
        bases=[BasisLine(_article(b.article, language), b.tr("name")) for b in bases],
        basis_note=activity.tr("legal_basis_note"),
        legitimate_interest=(
            activity.tr("legitimate_interest") if any(b.code == "f" for b in bases) else ""
        ),
        retention=activity.tr("retention"),
        recipients=[
            RecipientLine(
                name=r.name,
                outside_eea=r.outside_eea,
                transfer_mechanism=str(r.get_transfer_mechanism_display()) if r.outside_eea else "",
            )
            for r in recipients
        ],
        requirement=str(activity.get_requirement_display()),
        consequence=activity.tr("consequence"),
        rests_on_consent=any(b.code == "a" for b in bases),
    )
