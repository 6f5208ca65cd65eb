"""The admin's app config: its default site is ``leafspring.admin_site.StaffAdminSite``
(imported only once the apps are loaded)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "leafspring.admin_site.StaffAdminSite"
