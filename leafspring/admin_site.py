"""The admin site: behind the second factor, and with the personal-data guards on every
model admin.

A staff user whose session was verified by password alone reaches no admin page: the
site (``AdminSiteOTPRequiredMixin``) sends them to the two-factor login, or to its setup
before they set up an authenticator app. Every ``ModelAdmin`` registered here, now or
later, gets ``leafspring.admin_tools.PersonalDataAdminMixin`` (so do its inlines):
no filter, search, ordering or column on special-category data for staff without the
permission, and the person a record belongs to is not moved to someone else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from two_factor.admin import AdminSiteOTPRequiredMixin

from leafspring.access import is_verified, second_factor_redirect
from leafspring.admin_tools import personal_data_guarded


class StaffAdminSite(AdminSiteOTPRequiredMixin, admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = personal_data_guarded(admin_class or admin.ModelAdmin)
        admin_class.inlines = [personal_data_guarded(inline) for inline in admin_class.inlines]
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The admin's own password-only form is never shown: the two-factor login is."""
        user = request.user
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        if not user.is_authenticated:
            # Straight to the two-factor login, keeping the admin page that was asked for.
            return redirect_to_login(next_url)
        if not (user.is_active and user.is_staff):
            return super().login(request, extra_context)
        if is_verified(user):
            return HttpResponseRedirect(next_url)
        return second_factor_redirect(request, next_url)
