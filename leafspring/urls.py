from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from leafspring.views import dashboard, healthz
from processing.views import register, register_csv

admin.site.site_header = _("Leafspring privacy administration")
admin.site.site_title = _("Leafspring privacy")
admin.site.index_title = _("Register, data subjects and retention")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("admin/", admin.site.urls),
    path("staff/", dashboard, name="staff_dashboard"),
    path("staff/register/", register, name="staff_register"),
    path("staff/register.csv", register_csv, name="staff_register_csv"),
    path("", include("requests_dsar.urls")),
    path("", include("retention.urls")),
    prefix_default_language=False,
)
