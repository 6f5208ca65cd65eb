"""The log of compliance checks and the evidence of a transfer outside the EEA, as the
privacy officer records them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from processing.models import Recipient, RecipientCheck

pytestmark = pytest.mark.django_db


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _check(client, **fields):
    data = {
        "checked_on": _day(-2),
        "checked_by_name": "M. Jansen",
        "outcome": "actions",
        "findings": "Subverwerkers gecontroleerd; lijst bijgewerkt.",
        "next_check_on": _day(363),
        **fields,
    }
    return client.post(reverse("recipients:check", args=["zoom"]), data)


def test_a_check_is_added_to_the_log_with_who_recorded_it(officer_client, officer):
    assert _check(officer_client).status_code == 302
    check = RecipientCheck.objects.get(recipient__key="zoom")
    assert check.checked_on == timezone.localdate() - datetime.timedelta(days=2)
    assert check.checked_by_name == "M. Jansen"
    assert check.outcome == "actions"
    assert check.recorded_by == officer
    page = officer_client.get(reverse("recipients:detail", args=["zoom"])).content.decode()
    assert "Subverwerkers gecontroleerd" in page


def test_a_later_check_is_a_new_entry_and_the_newest_comes_first(officer_client):
    _check(officer_client, checked_on=_day(-400), next_check_on=_day(-35), outcome="compliant")
    _check(officer_client)
    checks = list(RecipientCheck.objects.filter(recipient__key="zoom"))
    assert len(checks) == 2
    assert checks[0].checked_on > checks[1].checked_on


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"checked_on": _day(1)}, "checked_on"),
        ({"next_check_on": _day(-2)}, "next_check_on"),
        ({"findings": ""}, "findings"),
        ({"checked_by_name": ""}, "checked_by_name"),
        ({"outcome": "fine"}, "outcome"),
    ],
)
def test_a_bad_check_is_refused_with_nothing_recorded(officer_client, fields, field):
    response = _check(officer_client, **fields)
    assert response.status_code == 400
    assert field in response.context["check_form"].errors
    assert not RecipientCheck.objects.exists()


def test_the_form_suggests_today_the_officer_and_a_year_ahead(officer_client, officer):
    officer.first_name, officer.last_name = "Mira", "Jansen"
    officer.save()
    form = officer_client.get(reverse("recipients:detail", args=["zoom"])).context["check_form"]
    assert form.initial["checked_by_name"] == "Mira Jansen"
    assert form.initial["checked_on"] == timezone.localdate()
    assert form.initial["next_check_on"] == timezone.localdate() + datetime.timedelta(days=365)


def _evidence(client, key="zoom", **fields):
    return client.post(reverse("recipients:transfer", args=[key]), fields)


def test_dpf_evidence_is_the_listed_name_and_the_day_it_was_checked(officer_client):
    response = _evidence(
        officer_client,
        transfer_mechanism="dpf",
        dpf_checked_on=_day(-1),
        dpf_listed_as="Zoom Video Communications, Inc.",
    )
    assert response.status_code == 302
    zoom = Recipient.objects.get(key="zoom")
    assert zoom.dpf_checked_on == timezone.localdate() - datetime.timedelta(days=1)
    assert zoom.transfer_evidence_missing() == []


def test_scc_evidence_needs_module_version_and_transfer_assessment(officer_client):
    with translation.override("en"):
        response = _evidence(officer_client, key="gallup", transfer_mechanism="scc")
        assert response.status_code == 400
        errors = response.context["transfer_form"].errors
        assert set(errors) == {"scc_module", "scc_version", "transfer_assessment_on"}
        assert "Needed as evidence" in errors["scc_module"][0]
    assert Recipient.objects.get(key="gallup").transfer_evidence_missing()
    response = _evidence(
        officer_client,
        key="gallup",
        transfer_mechanism="scc",
        scc_module="2",
        scc_version="Uitvoeringsbesluit (EU) 2021/914",
        transfer_assessment_on=_day(-10),
    )
    assert response.status_code == 302
    assert Recipient.objects.get(key="gallup").transfer_evidence_missing() == []


def test_evidence_dates_cannot_be_in_the_future(officer_client):
    response = _evidence(
        officer_client, transfer_mechanism="dpf", dpf_checked_on=_day(1), dpf_listed_as="Zoom"
    )
    assert response.status_code == 400
    assert "dpf_checked_on" in response.context["transfer_form"].errors
    assert Recipient.objects.get(key="zoom").dpf_checked_on is None


def test_no_transfer_mechanism_is_not_a_choice_outside_the_eea(officer_client):
    response = _evidence(officer_client, transfer_mechanism="none")
    assert response.status_code == 400
    assert Recipient.objects.get(key="zoom").transfer_mechanism == "dpf"


def test_the_role_of_the_coaching_monitor_names_its_own_research():
    monitor = Recipient.objects.get(key="coaching-monitor")
    assert monitor.kind == "processor"
    assert "verwerkingsverantwoordelijke" in monitor.role_note_nl
    assert "controller" in monitor.role_note_en
    assert {r.country_en for r in Recipient.objects.filter(outside_eea=True)} == {"United States"}


def test_each_role_names_its_agreement():
    with translation.override("en"):
        labels = {
            kind: Recipient(kind=kind).agreement_label for kind, _label in Recipient.Kind.choices
        }
    assert labels == {
        "processor": "processing agreement (Art. 28(3))",
        "controller": "data-sharing agreement",
        "joint-controller": "arrangement between joint controllers (Art. 26)",
    }
