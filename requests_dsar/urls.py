from __future__ import annotations

from django.urls import path

from requests_dsar.views import public, staff

app_name = "requests_dsar"

urlpatterns = [
    path("verzoek/", public.request_form, name="form"),
    path("verzoek/verstuurd/", public.submitted, name="submitted"),
    path("verzoek/bevestigen/<str:token>/", public.verify, name="verify"),
    path("verzoek/status/<str:token>/", public.status, name="status"),
    path(
        "verzoek/status/<str:token>/bestand/<int:package_id>/<str:filename>",
        public.status_download,
        name="status_download",
    ),
    path("verzoek/download/<str:token>/", public.download_index, name="download"),
    path("verzoek/download/<str:token>/<str:filename>", public.download, name="download_file"),
    path("staff/requests/", staff.queue, name="staff_queue"),
    path("staff/requests/new/", staff.record, name="staff_record"),
    path(
        "staff/consent-withdrawal-tasks/",
        staff.withdrawal_tasks,
        name="staff_withdrawal_tasks",
    ),
    path(
        "staff/consent-withdrawal-tasks/<int:pk>/",
        staff.withdrawal_task_action,
        name="staff_withdrawal_task_action",
    ),
    path("staff/requests/<int:pk>/", staff.detail, name="staff_detail"),
    path("staff/requests/<int:pk>/preview/", staff.preview, name="staff_preview"),
    path("staff/requests/<int:pk>/<slug:action>/", staff.action, name="staff_action"),
]
