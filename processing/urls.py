"""Public consent page: ask for a link, see every consent given, withdraw in one click.
The staff pages of the breach register are in ``processing.breaches.urls``."""

from __future__ import annotations

from django.urls import include, path

from processing import consent_views

app_name = "processing"

urlpatterns = [
    path("toestemmingen/", consent_views.consent_request, name="consent_request"),
    path(
        "toestemmingen/verstuurd/",
        consent_views.consent_request_sent,
        name="consent_request_sent",
    ),
    path("toestemmingen/link/<str:token>/", consent_views.consent_link, name="consent_link"),
    path("toestemmingen/beheer/<str:token>/", consent_views.consent_manage, name="consent_manage"),
    path(
        "toestemmingen/beheer/<str:token>/intrekken/",
        consent_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "toestemmingen/beheer/<str:token>/afmelden/",
        consent_views.consent_unsubscribe,
        name="consent_unsubscribe",
    ),
    path("", include("processing.breaches.urls")),
]
