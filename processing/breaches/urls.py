"""Staff pages of the breach register, included in the ``processing`` namespace."""

from __future__ import annotations

from django.urls import path

from processing.breaches import views

urlpatterns = [
    path("staff/breaches/", views.register, name="breach_list"),
    path("staff/breaches/report/", views.report, name="breach_report"),
    path("staff/breaches/register.csv", views.register_csv, name="breach_register_csv"),
    path("staff/breaches/<int:pk>/", views.detail, name="breach_detail"),
    path("staff/breaches/<int:pk>/edit/", views.edit, name="breach_edit"),
    path("staff/breaches/<int:pk>/export/", views.export, name="breach_export"),
    path("staff/breaches/<int:pk>/<slug:action>/", views.action, name="breach_action"),
]
