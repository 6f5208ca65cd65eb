"""Consent wording versions (Art. 7(1): the controller must be able to prove what a person
agreed to). Wording that a consent points at is frozen; a change makes a new version."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max

from processing.models import ConsentText
from subjects.services import Actor, audit_event_record

# A new version is a draft: it is not shown to anyone (so no consent can be given on it,
# and no pending sign-up can point at it) until staff set when it is published.
DRAFT_PUBLISHED_AT = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)


def consent_text_is_draft(text: ConsentText) -> bool:
    return text.published_at >= DRAFT_PUBLISHED_AT


@transaction.atomic
def consent_text_new_version(*, actor: Actor, text: ConsentText) -> ConsentText:
    """Make the next version of a wording: same processing activity and purpose, the
    wording copied, not frozen and not yet published (a draft, see
    ``DRAFT_PUBLISHED_AT``), for staff to change and publish. The old version and every
    consent given on it stay exactly as they are."""
    versions = ConsentText.objects.select_for_update().filter(purpose=text.purpose)
    newest = versions.aggregate(newest=Max("version"))["newest"] or 0
    new = ConsentText(
        activity_id=text.activity_id,
        purpose=text.purpose,
        version=newest + 1,
        text_nl=text.text_nl,
        text_en=text.text_en,
        published_at=DRAFT_PUBLISHED_AT,
    )
    new.full_clean()
    new.save()
    audit_event_record(
        actor=actor,
        action="consent-text.new-version",
        target=new,
        params={
            "purpose": text.purpose,
            "from_version": text.version,
            "to_version": new.version,
        },
    )
    return new
