"""The answer to each of the seven rights, carried out on demo people, in Dutch and in
English: sentences with names of kinds of data, fields, activities and decisions, never
a model label, code or raw value; and the e-mail around it too."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from requests_dsar.emails import request_email_render
from requests_dsar.fulfilment.access import access_package_build
from requests_dsar.fulfilment.answers import answer_draft
from requests_dsar.fulfilment.consent import consent_withdraw
from requests_dsar.fulfilment.erasure import erasure_carry_out
from requests_dsar.fulfilment.objection import (
    objection_decide,
    objection_direct_marketing_apply,
)
from requests_dsar.fulfilment.portability import portability_package_build
from requests_dsar.fulfilment.rectification import (
    profile_rectify,
    rectification_apply,
    rectification_no_change_record,
)
from requests_dsar.fulfilment.restriction import restriction_apply
from requests_dsar.models import DsarRequest
from subjects.models import DataSubject, TraineeProfile
from tests.answers_readable.readability import internal_codes, unreadable_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def _request(email: str, right: str, **fields) -> DsarRequest:
    subject = DataSubject.objects.get(email=email)
    request = DsarRequest.objects.create(
        reference=f"V-RIGHT{DsarRequest.objects.count():03d}",
        request_type=right,
        status="in-progress",
        name=subject.full_name,
        email=email,
        **fields,
    )
    request.subjects.add(subject)
    return request


def _carried_out(officer) -> list[DsarRequest]:
    sanne, lotte, bram = (
        f"{name}@example.nl" for name in ("sanne.devries", "lotte.smit", "bram.meijer")
    )
    done = []
    request = _request(sanne, "access")
    access_package_build(actor=officer, request=request)
    done.append(request)
    request = _request(sanne, "portability", portability_recipient_email="hr@nieuw.example")
    portability_package_build(actor=officer, request=request, send_to_organisation=True)
    done.append(request)
    request = _request(sanne, "rectification")
    rectification_apply(
        actor=officer,
        request=request,
        subject=DataSubject.objects.get(email=sanne),
        changes={"city": "Zutphen"},
    )
    done.append(request)
    request = _request(lotte, "rectification")
    profile = TraineeProfile.objects.get(participation__participant__email=lotte)
    profile_rectify(actor=officer, request=request, profile=profile, changes={"job_title": "X"})
    done.append(request)
    request = _request(bram, "rectification")
    rectification_no_change_record(actor=officer, request=request, reason="Het klopte al.")
    done.append(request)
    request = _request(bram, "restriction")
    restriction_apply(actor=officer, request=request, ground="a", reason="Klopt mijn adres?")
    done.append(request)
    request = _request(sanne, "objection", objection_kind="direct-marketing")
    objection_direct_marketing_apply(actor=officer, request=request)
    done.append(request)
    request = _request(
        lotte, "objection", objection_kind="legitimate-interest", activities=["coaching-monitor"]
    )
    objection_decide(actor=officer, request=request, decision="upheld", reasons="Terecht.")
    done.append(request)
    request = _request(
        bram, "objection", objection_kind="legitimate-interest", activities=["e2grow"]
    )
    objection_decide(actor=officer, request=request, decision="overruled", reasons="Contract.")
    done.append(request)
    request = _request(lotte, "consent-withdrawal", activities=["traineeship-participants"])
    consent_withdraw(actor=officer, request=request)
    done.append(request)
    request = _request(sanne, "erasure")
    erasure_carry_out(actor=officer, request=request)
    done.append(request)
    request = _request(lotte, "erasure", activities=["clifton-strengths", "e2grow"])
    erasure_carry_out(actor=officer, request=request)
    done.append(request)
    return done


def test_the_answer_to_every_right_is_written_for_the_person(demo, officer):
    codes = internal_codes()
    requests = _carried_out(officer)
    assert len({r.request_type for r in requests}) == 7
    for request in requests:
        request = DsarRequest.objects.get(pk=request.pk)
        for language in ("nl", "en"):
            request.language = language
            request.answer = answer_draft(request)
            subject, body = request_email_render(
                request=request, kind="answer", context={"download_link": ""}
            )
            text = subject + "\n" + body
            assert not unreadable_parts(text, codes), (request.request_type, language, text)
            assert request.name in body
    lotte, bram = (DsarRequest.objects.get(pk=r.pk) for r in requests[7:9])
    lotte.language = bram.language = "en"
    assert "We have upheld your objection to: Coaching Monitor. That processing stops." in (
        answer_draft(lotte)
    )
    assert "We have not upheld your objection to: E2Grow." in answer_draft(bram)
