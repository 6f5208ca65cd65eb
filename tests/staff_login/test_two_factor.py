"""Two factors for every staff user (issue 12, finding 2): a stolen password alone opens
no staff page; the password and a code from the authenticator app, or a recovery code
once, open them all."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from leafspring.staff_login import recovery_code_digest
from tests import factories as f
from tests.conftest import verified_device
from tests.staff_login.helpers import (
    LOGIN_URL,
    PASSWORD,
    STEP,
    code_of,
    is_to_the_second_factor,
    password_step,
    recovery_step,
    staff_login,
    staff_side_urls,
    token_step,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.password_only
def test_a_password_alone_opens_no_page_of_the_staff_side(client, superuser):
    """Every URL under /staff/ and /admin/ (from the URL resolver), for a superuser whose
    session was verified by password alone (as a session from before two factors were
    required is): sent to the second factor, or refused the method."""
    verified_device(superuser)
    client.force_login(superuser)
    urls = staff_side_urls()
    assert len(urls) > 150
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert is_to_the_second_factor(response, client) or response.status_code == 405, (
                method,
                url,
                response.status_code,
            )


@pytest.mark.password_only
def test_without_an_authenticator_app_the_password_leads_to_its_setup(client, superuser):
    client.force_login(superuser)
    for url in staff_side_urls():
        response = client.post(url)
        for _hop in range(3):
            if not response["Location"].startswith(reverse("admin:index")):
                break
            response = client.get(response["Location"])
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor:setup")), url


def test_the_password_and_a_code_open_every_page(superuser):
    client = Client()
    device = verified_device(superuser)
    response = staff_login(client, superuser, device)
    assert response.status_code == 302 and response["Location"] == reverse("staff_dashboard")
    opened = 0
    for url in staff_side_urls():
        response = client.get(url)
        assert not is_to_the_second_factor(response, client), url
        # 403: what nobody may do by hand (add a sign-in record) or a widget's query
        # asked without one (the autocomplete).
        assert response.status_code in {200, 302, 403, 404, 405}, (url, response.status_code)
        opened += response.status_code == 200
    assert opened > 100


def test_a_wrong_code_does_not_sign_in(officer):
    client = Client()
    device = verified_device(officer)
    password_step(client, officer.username)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = token_step(client, wrong)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert is_to_the_second_factor(client.get(reverse("staff_dashboard")))


def test_a_code_works_once(officer):
    device = verified_device(officer)
    first = Client()
    staff_login(first, officer, device)
    assert first.get(reverse("staff_dashboard")).status_code == 200
    second = Client()
    password_step(second, officer.username)
    assert token_step(second, code_of(device)).status_code == 200  # the form again
    assert "_auth_user_id" not in second.session


def test_the_admin_login_is_the_two_factor_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_a_new_staff_member_sets_up_the_authenticator_app_at_the_first_login(staff):
    """Enrolment: password, then the setup wizard with its QR code (drawn here, an SVG
    from this host), a code from the new app, and the page asked for."""
    client = Client()
    response = client.post(
        LOGIN_URL + "?next=/staff/requests/",
        {STEP: "auth", "auth-username": "staff", "auth-password": PASSWORD},
    )
    assert response.status_code == 302
    to_setup = client.get(response["Location"])
    assert is_to_the_second_factor(to_setup)
    setup_url = to_setup["Location"]
    assert setup_url.startswith(reverse("two_factor:setup"))
    page = client.get(setup_url)
    assert page.status_code == 200
    prefix = "setup_view-current_step"
    page = client.post(setup_url, {prefix: "welcome"})
    body = page.content.decode()
    assert 'src="/account/two_factor/qrcode/"' in body
    assert "cdnjs" not in body and "//" not in re.sub(r"(https?|otpauth)://\S+", "", body)
    qr = client.get(reverse("two_factor:qr"))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    secret = re.search(r"secret=([A-Z2-7]+)", body).group(1)
    device = TOTPDevice(key=_hex(secret))
    done = client.post(setup_url, {prefix: "generator", "generator-token": code_of(device)})
    assert done.status_code == 302 and done["Location"] == "/staff/requests/"
    assert TOTPDevice.objects.filter(user=staff, confirmed=True, name="default").exists()
    assert client.get("/staff/requests/").status_code == 200


def _hex(b32: str) -> str:
    import base64

    return base64.b32decode(b32 + "=" * (-len(b32) % 8)).hex()


def test_recovery_codes_are_shown_once_stored_as_hashes_and_work_once(officer):
    device = verified_device(officer)
    client = Client()
    staff_login(client, officer, device)
    page = client.post(reverse("two_factor:backup_tokens"))
    codes = re.findall(r"<li>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</li>", page.content.decode())
    assert len(codes) == 10
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not stored & set(codes) and not stored & {c.replace("-", "") for c in codes}
    assert stored == {recovery_code_digest(c) for c in codes}
    assert codes[0] not in client.get(reverse("two_factor:backup_tokens")).content.decode()

    phone_lost = Client()
    password_step(phone_lost, officer.username)
    response = recovery_step(phone_lost, codes[0].upper().replace("-", " "))
    assert response.status_code == 302
    assert phone_lost.get(reverse("staff_dashboard")).status_code == 200

    again = Client()
    password_step(again, officer.username)
    assert recovery_step(again, codes[0]).status_code == 200
    assert "_auth_user_id" not in again.session
    assert StaticToken.objects.count() == 9


def test_the_second_step_must_follow_the_password_within_five_minutes(officer):
    device = verified_device(officer)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_step(client, officer.username)
    with time_machine.travel(start + datetime.timedelta(minutes=5, seconds=1), tick=False):
        response = token_step(client, code_of(device))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


STAFF_PAGES = [
    "/staff/",
    "/staff/requests/",
    "/staff/register/",
    "/staff/register.csv",
    "/staff/retention/",
    "/admin/",
    "/admin/subjects/datasubject/",
    "/admin/subjects/traineeprofile/",
]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", "login"),
        ("outsider", 403),
        ("staff", 200),
        ("officer", 200),
        ("officer, password only", "second factor"),
    ],
)
def test_the_permission_matrix(request, who, expected):
    """Who reaches the staff pages: the permission matrix with its row for a stolen
    password (the officer's, without the second factor)."""
    client = Client()
    if who != "anonymous":
        user = request.getfixturevalue(who.split(",")[0])
        client.force_login(user)
    if who.endswith("password only"):
        from django_otp import DEVICE_ID_SESSION_KEY

        session = client.session
        del session[DEVICE_ID_SESSION_KEY]
        session.save()
    for url in STAFF_PAGES:
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and "login" in response["Location"], url
        elif expected == "second factor":
            assert is_to_the_second_factor(response, client), url
        elif url.startswith("/admin/") and who == "outsider":
            # The admin sends whoever is not staff to its login, which is the two-factor one.
            assert response.status_code == 302, url
        else:
            assert response.status_code == expected, url


def test_the_admin_login_keeps_the_page_that_was_asked_for(client):
    """Review finding: /admin/login/?next=... went to the two-factor login with the staff
    dashboard as its target, so the admin page asked for was lost."""
    response = client.get("/admin/login/?next=/admin/subjects/datasubject/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))
    assert "next=/admin/subjects/datasubject/" in response["Location"]
    elsewhere = client.get("/admin/login/?next=https://evil.example/")
    assert "evil.example" not in elsewhere["Location"]


@pytest.mark.password_only
def test_each_role_lands_where_it_may_work_after_signing_in(officer, staff, groups):
    from django.contrib.auth.models import Group

    from subjects.permissions import FINANCE

    finance = f.UserFactory(username="finance", is_staff=True)
    finance.groups.add(Group.objects.get(name=FINANCE))
    for user, landing in (
        (officer, reverse("staff_dashboard")),
        (staff, reverse("staff_dashboard")),
        (finance, reverse("admin:index")),  # the bookkeeping, not a 403 on the dashboard
    ):
        client = Client()
        response = staff_login(client, user, verified_device(user))
        assert response.status_code == 302 and response["Location"] == landing, user
        assert client.get(landing).status_code == 200, user
    # A page asked for still wins.
    client = Client()
    password_step(client, finance.username)
    response = client.post(  # the next code: the current one was used above
        LOGIN_URL + "?next=/admin/subjects/invoice/",
        {STEP: "token", "token-otp_token": code_of(verified_device(finance), drift=1)},
    )
    assert response["Location"] == "/admin/subjects/invoice/"
