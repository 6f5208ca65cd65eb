"""Every trail code says what happened in Dutch and in English: each form of its message,
with counts of one and of several, no placeholder left, and no English in the Dutch."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from subjects.trail import TRAIL_MESSAGES, lines_text, target_display, trail_text

pytestmark = pytest.mark.django_db

LINES = [
    {"model": "subjects.CoachingNote", "erased": 2},
    {"model": "subjects.TraineeProfile", "action": "fields", "erased": 1, "fields": ["allergies"]},
    {"model": "subjects.CoachingMonitorParticipation", "action": "anonymise", "erased": 1},
    {"model": "subjects.NewsletterSubscription", "action": "stop", "erased": 1},
    {"model": "subjects.TrajectoryParticipant", "unlinked": 1},
    {"model": "subjects.Invoice", "kept": 3},
]

# A value for every parameter a message may take.
SAMPLES = {
    "count": 3,
    "consents": 2,
    "months": 2,
    "subject": 12,
    "row": 7,
    "version": 2,
    "from_version": 1,
    "to_version": 2,
    "reference": "V-ABCD2345",
    "username": "a.jansen",
    "channel": "letter",
    "received_on": "2025-03-04",
    "days": 5,
    "due_on": "2025-04-01",
    "old_on": "2025-03-30",
    "new_on": "2025-04-01",
    "point": "c",
    "recipient": "Mailchimp",
    "activities": ["newsletter", "e2grow"],
    "lines": LINES,
    "model": "subjects.DataSubject",
    "fields": ["first_name", "email"],
    "purpose": "newsletter",
    "consent_method": "preferences",
    "via": "consent-page",
    "language": "nl",
    "ended_on": "2025-03-04",
    "told_on": "2025-03-04",
    "next_review_on": "2025-03-04",
    "other_address": True,
    "kept": True,
    "ground": "Art. 18 AVG (V-ABCD2345)",
    "error": "Mailchimp 500",
    "here": 4,
    "there": 5,
    "missing_there": 1,
    "status_differences": 1,
    "there_not_here": 2,
    "subscribed": 1,
    "unsubscribed": 1,
    "archived": 0,
    "needs_reconfirmation": 1,
    "failed": 1,
}

# Words that give away an English sentence; none of them is Dutch.
ENGLISH = re.compile(
    r"\b(the|and|with|by|for|from|erased|linked|withdrawn|stopped|kept|request|"
    r"records?|consent|changed|added|deleted|subscribed here|verified|restricted|told)\b"
)


def _params(code: str, needs: tuple[str, ...], count: int) -> dict:
    message = TRAIL_MESSAGES[code]
    params = {}
    for name in needs:
        if name in message.choices:
            params[name] = sorted(message.choices[name])[0]
        elif isinstance(SAMPLES[name], int) and not isinstance(SAMPLES[name], bool):
            params[name] = count
        else:
            params[name] = SAMPLES[name]
    if code == "mailchimp.reconcile" and "fix" in needs:
        params.update({k: count for k in SAMPLES if k in {"here", "there", "failed"}})
    return params


def _forms():
    for code, message in sorted(TRAIL_MESSAGES.items()):
        yield code, ()
        for needs, _text in message.forms:
            yield code, needs


@pytest.mark.parametrize(("code", "needs"), list(_forms()))
@pytest.mark.parametrize("count", [1, 3])
def test_each_form_of_each_code_renders_in_dutch_and_english(code, needs, count):
    params = _params(code, needs, count)
    with translation.override("en"):
        english = trail_text(code, params)
        label = str(TRAIL_MESSAGES[code].label)
    with translation.override("nl"):
        dutch = trail_text(code, params)
    for text in (english, dutch):
        assert text.strip(), code
        assert "%(" not in text and "{" not in text and "None" not in text, text
        assert "subjects." not in text and "requests_dsar." not in text, text
    if needs:
        # The form was used: the parameters show, not just the label.
        assert english != label, (code, needs)
    assert dutch != english, (code, needs, english)
    assert not ENGLISH.search(dutch), (code, needs, dutch)


def test_counts_are_counted_in_words():
    with translation.override("en"):
        assert trail_text("verified", {"count": 1}).endswith("1 data subject with this address")
        assert trail_text("verified", {"count": 2}).endswith("2 data subjects with this address")
    with translation.override("nl"):
        assert trail_text("extended", {"months": 1}) == "termijn verlengd met 1 maand"
        assert trail_text("extended", {"months": 2}) == "termijn verlengd met 2 maanden"


def test_dates_and_codes_become_the_readers_words():
    params = {"purpose": "newsletter", "consent_method": "preferences"}
    with translation.override("en"):
        assert trail_text("consent.withdraw", params) == (
            "consent for the newsletter withdrawn (consent page)"
        )
        assert trail_text("restriction-lifted", {"told_on": "2025-03-04"}) == (
            "restriction lifted; the person was told on 4 March 2025"
        )
    with translation.override("nl"):
        assert trail_text("restriction-lifted", {"told_on": "2025-03-04"}) == (
            "beperking opgeheven; de persoon is op 4 maart 2025 ingelicht"
        )
        assert trail_text("subject-linked", {"subject": 5, "other_address": False}) == (
            "betrokkene nr. 5 gekoppeld"
        )


def test_kinds_of_data_are_named_through_the_registry():
    with translation.override("en"):
        text = lines_text(LINES)
    assert "coaching notes: 2 records erased" in text
    assert "allergies removed from 1 record" in text
    assert "newsletter subscriptions: 1 stopped" in text
    assert "invoices: 3 records kept and restricted (legal hold)" in text
    with translation.override("nl"):
        assert "2 registraties verwijderd" in lines_text(LINES)


def test_a_parameter_that_fits_no_form_shows_the_label_not_a_code():
    with translation.override("en"):
        assert trail_text("staff-verification-cleared", {"reason": "gone"}) == (
            "identity check no longer valid: a new check is needed"
        )
        assert trail_text("subject-linked", {}) == "data subject linked"


def test_an_objects_label_names_the_kind_of_record():
    with translation.override("en"):
        assert target_display("subjects.ContactMessage #12") == "contact message no. 12"
        assert target_display("subjects.NewsletterSubscription") == "newsletter subscriptions"
        assert target_display("Mailchimp") == "Mailchimp"
        assert target_display("gone.Model #3") == "another record no. 3"
