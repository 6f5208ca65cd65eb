"""Staff pages of the recipients: agreements, transfer safeguards, compliance checks."""

from __future__ import annotations

from django.urls import path

from processing import recipient_views as views

app_name = "recipients"

urlpatterns = [
    path("staff/recipients/", views.recipients, name="list"),
    path("staff/recipients/<slug:key>/", views.recipient_detail, name="detail"),
    path("staff/recipients/<slug:key>/agreement/", views.recipient_agreement, name="agreement"),
    path(
        "staff/recipients/<slug:key>/agreement.pdf",
        views.recipient_agreement_document,
        name="agreement_document",
    ),
    path("staff/recipients/<slug:key>/transfer/", views.recipient_transfer, name="transfer"),
    path("staff/recipients/<slug:key>/check/", views.recipient_check, name="check"),
]
