from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from leafspring import staff_login
from leafspring.staff_accounts import staff_account_switch_off_view
from leafspring.views import dashboard, healthz
from processing.views import register, register_csv, register_pdf
from subjects.views import mailchimp as mailchimp_views
from subjects.views import newsletter as newsletter_views

admin.site.site_header = _("Leafspring privacy administration")
admin.site.site_title = _("Leafspring privacy")
admin.site.index_title = _("Register, data subjects and retention")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Outside the language prefixes and without a trailing slash: an RFC 8058 one-click
    # unsubscribe POST must reach it without any redirect.
    path(
        "nieuwsbrief/afmelden/<str:token>",
        newsletter_views.unsubscribe,
        name="newsletter_unsubscribe",
    ),
    # Mailchimp's webhook: the secret in the path is its proof (masked in every log).
    path(
        "mailchimp/webhook/<str:secret>/",
        mailchimp_views.webhook,
        name="mailchimp_webhook",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path(
        "",
        TemplateView.as_view(template_name="home.html", http_method_names=["get", "head"]),
        name="home",
    ),
    # The staff login (password and second factor), under django-two-factor-auth's names.
    path("", include((staff_login.urlpatterns, "two_factor"))),
    path("admin/", admin.site.urls),
    path("staff/", dashboard, name="staff_dashboard"),
    path(
        "staff/accounts/<int:pk>/switch-off/",
        staff_account_switch_off_view,
        name="staff_account_switch_off",
    ),
    path("staff/register/", register, name="staff_register"),
    path("staff/register.csv", register_csv, name="staff_register_csv"),
    path("staff/register.pdf", register_pdf, name="staff_register_pdf"),
    path("", include("subjects.urls")),
    path("", include("subjects.urls_staff")),
    path("", include("processing.urls")),
    path("", include("processing.urls_recipients")),
    path("", include("processing.urls_statement")),
    path("", include("requests_dsar.urls")),
    path("", include("retention.urls")),
    prefix_default_language=False,
)
