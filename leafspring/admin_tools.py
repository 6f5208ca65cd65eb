"""Admin building blocks shared by the apps."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


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


def is_special_field(model: type[Model], name: str) -> bool:
    """Special-category data (encrypted at rest) or what reveals it (a model's
    ``SPECIAL_CATEGORY_FLAGS``, such as whether a coaching note mentions health)."""
    from subjects.fields import EncryptedTextField

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, EncryptedTextField) or name in getattr(
        model, "SPECIAL_CATEGORY_FLAGS", ()
    )


def reaches_special_category(model: type[Model], lookup: Any) -> bool:
    """Whether a field name or lookup path (``participations__profile__allergies``,
    ``allergies__isnull``, ``-content``, ``^mentions_health``) touches special-category
    data on its way. A callable, a list-filter class or anything else that is not a
    name is judged by whoever wrote it."""
    if isinstance(lookup, (list, tuple)):
        lookup = lookup[0] if lookup else None
    if not isinstance(lookup, str):
        return False
    current: type[Model] | None = model
    for part in lookup.lstrip("-^=@").split(LOOKUP_SEP):
        if current is None:
            return False
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup or transform (isnull, exact): the path has ended
        if is_special_field(current, part):
            return True
        current = field.related_model if field.is_relation else None
    return False


def owner_fields(model: type[Model]) -> frozenset[str]:
    """The fields of ``model`` that say whose personal data a row is, from the registry:
    the relation on each data subject path of an entry holding data of its own (a
    coaching note's participant, a trainee profile's participation), and every relation
    further along such a path (a participation's participant carries the profile with
    it). A row that only links people (a trajectory's coach, a participation's mentor)
    has no owner field: changing the link moves no data."""
    from subjects.registry import registry

    concrete = model._meta.concrete_model
    owners: set[str] = set()
    for entry in registry:
        links = {path.split(LOOKUP_SEP)[0] for path in entry.subject_paths}
        holds_own_data = any(name not in links for name in entry.fields)
        for path in entry.subject_paths:
            parts = path.split(LOOKUP_SEP)
            if path == "pk" or (len(parts) == 1 and not holds_own_data):
                continue
            current: Any = entry.model
            for part in parts:
                if current._meta.concrete_model is concrete:
                    owners.add(part)
                current = current._meta.get_field(part).related_model
    return frozenset(owners)


def _may_link(model: type[Model]) -> bool:
    """Rows of ``model`` may be stored before anyone linked them to a person (the
    registry entry names the person's own ``email_field``): linking one is allowed."""
    from subjects.registry import registry

    return model in registry and bool(registry.get(model).email_field)


OWNER_CHANGE_REFUSED = _(
    "The person this record belongs to cannot be changed here: that would move their "
    "personal data to someone else. A correction goes through a rectification request."
)


def _owner_guarded_form(form_class: Any, model: type[Model]) -> Any:
    """``form_class`` refusing to change the owner of an existing row (see
    ``owner_fields``); linking a row that has no owner yet stays possible where the
    model's rows may come in unlinked."""
    owners = owner_fields(model)
    if not owners or getattr(form_class, "_owner_guarded", False):
        return form_class

    class OwnerGuardedForm(form_class):  # type: ignore[misc, valid-type]
        _owner_guarded = True

        def clean(self) -> Any:
            cleaned = super().clean()
            if self.instance._state.adding:
                return cleaned
            for name in owners & set(self.fields):
                stored = getattr(self.instance, model._meta.get_field(name).attname)
                chosen = self.cleaned_data.get(name)
                chosen_pk = getattr(chosen, "pk", chosen)
                if chosen_pk != stored and (stored is not None or not _may_link(model)):
                    self.add_error(name, OWNER_CHANGE_REFUSED)
            return cleaned

    OwnerGuardedForm.__name__ = form_class.__name__
    return OwnerGuardedForm


class PersonalDataAdminMixin:
    """What every admin of this site does with personal data (``StaffAdminSite`` adds it
    to each model admin and inline; new admins obey without asking).

    Findings 4 and 5 of issue 12: for staff without the special-category permission no
    column, filter, search field, ordering or URL lookup touches special-category data
    (a filter on allergies would tell who has them, whatever the column shows); and the
    person an existing record belongs to is shown, not edited (``owner_fields``): moving
    it would put their data in someone else's access answer."""

    model: type[Model]

    def _hides_special(self, request: HttpRequest) -> bool:
        from subjects.permissions import can_view_special_category

        return not can_view_special_category(request.user)

    def _allowed(self, request: HttpRequest, names: Any) -> Any:
        if not self._hides_special(request):
            return names
        return type(names)(n for n in names if not reaches_special_category(self.model, n))

    def _special_fields(self) -> list[str]:
        return [f.name for f in self.model._meta.fields if is_special_field(self.model, f.name)]

    def get_list_display(self, request: HttpRequest) -> Any:
        return self._allowed(request, super().get_list_display(request))  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> Any:
        return self._allowed(request, super().get_list_filter(request))  # type: ignore[misc]

    def get_search_fields(self, request: HttpRequest) -> Any:
        return self._allowed(request, super().get_search_fields(request))  # type: ignore[misc]

    def get_sortable_by(self, request: HttpRequest) -> Any:
        return self._allowed(request, super().get_sortable_by(request))  # type: ignore[misc]

    def get_ordering(self, request: HttpRequest) -> Any:
        return self._allowed(request, super().get_ordering(request) or ())  # type: ignore[misc]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        if self._hides_special(request):
            exclude += [name for name in self._special_fields() if name not in exclude]
        return exclude

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if not self._hides_special(request):
            return fieldsets
        special = set(self._special_fields())

        def shown(fields: Any) -> list[Any]:
            # A fieldset line may be a tuple of fields shown side by side.
            kept = [
                [f for f in field if f not in special]
                if isinstance(field, (list, tuple))
                else field
                for field in fields
                if field not in special
            ]
            return [field for field in kept if field != []]

        return [
            (name, {**options, "fields": shown(options["fields"])}) for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(self._allowed(request, super().get_readonly_fields(request, obj)))  # type: ignore[misc]
        if obj is not None and not isinstance(self, InlineModelAdmin):
            for name in sorted(owner_fields(self.model)):
                stored = getattr(obj, self.model._meta.get_field(name).attname)
                if name not in readonly and (stored is not None or not _may_link(self.model)):
                    readonly.append(name)
        return readonly

    def lookup_allowed(self, lookup: str, value: Any, request: HttpRequest) -> bool:
        if self._hides_special(request) and reaches_special_category(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)  # type: ignore[misc]
        return _owner_guarded_form(form, self.model)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        formset.form = _owner_guarded_form(formset.form, self.model)
        return formset


def personal_data_guarded(admin_class: type) -> type:
    """``admin_class`` with ``PersonalDataAdminMixin`` in front (itself if it has it)."""
    if issubclass(admin_class, PersonalDataAdminMixin):
        return admin_class
    return type(admin_class.__name__, (PersonalDataAdminMixin, admin_class), {})


def isolated_columns(model_admin: Any, names: list[Any]) -> list[Any]:
    """List columns of text fields (and of related records, named by their text) shown
    inert and isolated for direction in ``<bdi>``: a name typed by the public with a
    right-to-left override cannot turn the text beside it around. Sorting stays."""
    return [_isolated_column(model_admin, name) for name in names]


def _isolated_column(model_admin: Any, name: Any) -> Any:
    # Special-category columns stay names: the guard and the read log recognise them so.
    if not isinstance(name, str) or is_special_field(model_admin.model, name):
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
