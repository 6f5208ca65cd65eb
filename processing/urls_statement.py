"""The privacy statement: public pages (Dutch paths, English under /en/) and the staff
pages that publish it and follow the Art. 14 notices."""

from __future__ import annotations

from django.urls import path

from processing import statement_views as views

app_name = "statement"

urlpatterns = [
    path("privacyverklaring/", views.statement, name="public"),
    path("privacyverklaring/versie/<int:number>/", views.statement_version, name="version"),
    path("privacyverklaring/wijzigingen/", views.statement_changes_page, name="changes"),
    path("staff/statement/", views.staff_statement, name="staff"),
    path("staff/statement/publish/", views.staff_statement_publish, name="publish"),
    path("staff/art14-notices/", views.staff_art14, name="art14"),
    path(
        "staff/art14-notices/<int:subject_id>/record/",
        views.staff_art14_record,
        name="art14_record",
    ),
]
