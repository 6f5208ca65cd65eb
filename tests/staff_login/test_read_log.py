"""The read log and the staff accounts (issue 12): opening a person's page, an access
package or special-category data is recorded (who, whom, when), kept 1 year, and seen
by privacy officers only; the dashboard lists the staff accounts with their last
sign-in so those of people who left can be switched off."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from subjects.models import AuditEvent, ReadEvent
from tests import factories as f
from tests.conftest import verified_device
from tests.requests_dsar.factories import verified_request
from tests.retention.conftest import apply_at, utc

pytestmark = pytest.mark.django_db


def test_opening_a_persons_page_is_in_the_read_log(staff, staff_client):
    person = f.DataSubjectFactory()
    url = reverse("admin:subjects_datasubject_change", args=[person.pk])
    assert staff_client.get(url).status_code == 200
    read = ReadEvent.objects.get()
    assert (read.actor, read.subject, read.action) == (staff, person, "read.subject")
    assert abs(read.at - timezone.now()) < datetime.timedelta(minutes=1)


def test_special_category_data_shown_is_in_the_read_log_not_when_hidden(
    officer, officer_client, staff_client
):
    profile = f.TraineeProfileFactory(allergies="Notenallergie")
    person = profile.participation.participant
    change = reverse("admin:subjects_traineeprofile_change", args=[profile.pk])
    assert staff_client.get(change).status_code == 200  # allergies hidden: no read
    assert staff_client.get(reverse("admin:subjects_traineeprofile_changelist")).status_code == 200
    assert not ReadEvent.objects.exists()
    officer_client.get(change)
    officer_client.get(reverse("admin:subjects_traineeprofile_changelist"))
    reads = list(ReadEvent.objects.values_list("actor", "subject", "action"))
    assert reads == [(officer.pk, person.pk, "read.special-category")] * 2


def test_a_list_with_special_category_data_records_each_person_in_fixed_queries(
    officer_client,
):
    def cost(n):
        for _ in range(n):
            f.TraineeProfileFactory(allergies="Lactose")
        ReadEvent.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            officer_client.get(reverse("admin:subjects_traineeprofile_changelist"))
        return len(queries), ReadEvent.objects.count()

    small, large = cost(2), cost(5)
    assert small[1] == 2 and large[1] == 7
    assert small[0] == large[0]


def test_building_an_access_package_is_in_the_read_log(staff, staff_client):
    dsar = verified_request()
    person = f.DataSubjectFactory(email=dsar.email)
    dsar.subjects.add(person)
    staff_client.post(f"/staff/requests/{dsar.pk}/start/")
    staff_client.post(f"/staff/requests/{dsar.pk}/access/")
    read = ReadEvent.objects.get(action="read.access-package")
    assert (read.actor, read.subject) == (staff, person)


def test_only_privacy_officers_see_the_read_log(officer_client, staff_client, outsider_client):
    f.DataSubjectFactory()
    url = reverse("admin:subjects_readevent_changelist")
    person = f.DataSubjectFactory()
    staff_client.get(reverse("admin:subjects_datasubject_change", args=[person.pk]))
    page = officer_client.get(url)
    assert page.status_code == 200
    assert (
        "opened the person&#x27;s page" in page.content.decode()
        or "pagina" in page.content.decode()
    )
    assert staff_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 302
    # Nor are reads in the audit trail staff members see.
    trail = staff_client.get(reverse("admin:subjects_auditevent_changelist"))
    assert "read.subject" not in trail.content.decode()


def test_reads_go_a_daily_run_before_one_year(staff):
    person = f.DataSubjectFactory()
    other_event = AuditEvent.objects.create(action="admin.change", at=utc(2025, 3, 1, 12, 0))
    read = AuditEvent.objects.create(
        action="read.subject", subject=person, actor=staff, at=utc(2025, 3, 1, 12, 0)
    )
    # 1 year after 1 March 2025 12:00 is 1 March 2026 12:00; the rule runs daily.
    boundary = utc(2026, 2, 28, 12, 0)
    apply_at(boundary - datetime.timedelta(seconds=1), "reads-1y")
    assert AuditEvent.objects.filter(pk=read.pk).exists()
    run = apply_at(boundary, "reads-1y")
    assert not AuditEvent.objects.filter(pk=read.pk).exists()
    assert AuditEvent.objects.filter(pk=other_event.pk).exists()  # the trail stays
    assert run.rows_affected == {"subjects.ReadEvent": 1}


def test_the_dashboard_lists_staff_accounts_for_privacy_officers_only(
    officer, officer_client, staff_client
):
    never = f.UserFactory(username="nieuw", is_staff=True)
    verified_device(officer)
    officer.last_login = utc(2026, 1, 5, 9, 0)
    officer.save()
    f.UserFactory(username="klant", is_staff=False)
    page = officer_client.get(reverse("staff_dashboard")).content.decode()
    section = page[page.index('id="staff-accounts"') :]
    assert "nieuw" in section and "officer" in section and "klant" not in section
    assert section.index("nieuw") < section.index(">officer<")  # never signed in: first
    assert never.pk
    assert (
        'id="staff-accounts"' not in staff_client.get(reverse("staff_dashboard")).content.decode()
    )


def test_the_dashboard_costs_the_same_with_more_staff_accounts(officer_client):
    def cost():
        cache.clear()  # both counted cold: the dashboard words the statement draft afresh
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(reverse("staff_dashboard")).status_code == 200
        return len(queries)

    before = cost()
    for i in range(4):
        f.UserFactory(username=f"medewerker{i}", is_staff=True)
    assert cost() == before


def test_a_privacy_officer_switches_off_a_leavers_account_audited(
    officer, officer_client, staff, staff_client
):
    leaver = f.UserFactory(username="vertrokken", is_staff=True)
    url = reverse("staff_account_switch_off", args=[leaver.pk])
    assert staff_client.post(url).status_code == 403
    leaver.refresh_from_db()
    assert leaver.is_active
    assert officer_client.post(url).status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active
    event = AuditEvent.objects.get(action="account.switch-off")
    assert (event.actor, event.params["username"]) == (officer, "vertrokken")
    # Not one's own account.
    officer_client.post(reverse("staff_account_switch_off", args=[officer.pk]))
    assert get_user_model().objects.get(pk=officer.pk).is_active
