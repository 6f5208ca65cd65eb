"""Admin building blocks shared by the apps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html


class ReadOnlyAdminMixin:
    """For records that are evidence (audit trail, run log, requests): shown, never
    added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AddFormMixin:
    """A record added through its own form and fields (``add_form``, ``add_fieldsets``:
    what a service needs to record it) and shown afterwards with ``fieldsets``."""

    add_form: Any
    add_fieldsets: Any
    fieldsets: Any

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]


def isolated_columns(model_admin: Any, names: list[Any]) -> list[Any]:
    """List columns of text fields (and of related records, named by their text) shown
    inert and isolated for direction in ``<bdi>``: a name typed by the public with a
    right-to-left override cannot turn the text beside it around. Sorting stays."""
    return [_isolated_column(model_admin, name) for name in names]


def _isolated_column(model_admin: Any, name: Any) -> Any:
    if not isinstance(name, str):
        return name
    try:
        field = model_admin.model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if field.choices or not isinstance(
        field, models.CharField | models.TextField | models.ForeignKey
    ):
        return name

    def column(obj: Any) -> Any:
        value = getattr(obj, name)
        if value is None or value == "":
            return model_admin.get_empty_value_display()
        return format_html("<bdi>{}</bdi>", value)

    column.short_description = field.verbose_name  # type: ignore[attr-defined]
    column.admin_order_field = name  # type: ignore[attr-defined]
    column.__name__ = name
    return column


class IsolatedColumnsMixin:
    """An admin whose list columns of text are isolated for direction
    (``isolated_columns``)."""

    def get_list_display(self, request: HttpRequest) -> Any:
        return isolated_columns(self, list(super().get_list_display(request)))  # type: ignore[misc]
