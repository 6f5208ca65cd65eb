"""Admin for data subjects and the personal data held about them.

Every change made here is written to the audit trail. Encrypted special-category fields
(allergies, coaching notes) are left out of forms, lists, filters and searches for staff
without the ``subjects.view_special_category_data`` permission
(``leafspring.admin_tools.PersonalDataAdminMixin``, on every admin of the site).

Data that rests on a consent is refused by the model's own validation, which the admin's
forms run (``full_clean``), so the message shows on the form and nothing is saved.
Writes with a rule of their own go through their service: a soft opt-in
(``newsletter_soft_opt_in_record``), a MeetIn referral passed on
(``study_trip_referrals_shared_record``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leafspring.admin_tools import (
    AddFormMixin,
    ReadOnlyAdminMixin,
    is_special_field,
    isolated_columns,
)
from leafspring.pagination import EstimatedCountPaginator
from subjects import models as m
from subjects.bidi import isolated
from subjects.consents import consent_active
from subjects.models.access_log import READ_PREFIX
from subjects.newsletter import newsletter_sign_up, newsletter_soft_opt_in_record
from subjects.permissions import can_view_special_category
from subjects.registry import RestrictableModel, registry
from subjects.services import audit_event_record, reads_record, unlinked_rows_adopt
from subjects.staff_services import study_trip_referrals_shared_record
from subjects.suppression import suppression_entries
from subjects.trail import trail_prepare, trail_text

RESTRICTION_FIELDS = ("restricted_at", "restriction_ground")


def _subject_of(obj: Model) -> m.DataSubject | None:
    if isinstance(obj, m.DataSubject):
        return obj
    for name in ("subject", "participant", "contact", "coach"):
        value = getattr(obj, name, None)
        if isinstance(value, m.DataSubject):
            return value
    participation = getattr(obj, "participation", None)
    return getattr(participation, "participant", None)


def _people_of(obj: Model) -> list[int]:
    """Everyone a row links to (through every subject path the registry knows for its
    model; a trajectory: its participants and mentors), the person themselves aside."""
    if isinstance(obj, m.DataSubject):
        return []
    model = type(obj)
    rows = model._default_manager.filter(pk=obj.pk)
    if model is m.Trajectory:
        pairs = m.TrajectoryParticipant.objects.filter(trajectory=obj).values_list(
            "participant_id", "mentor_id"
        )
        ids = {pk for pair in pairs for pk in pair}
    elif model in registry and registry.get(model).subject_paths:
        ids = {
            pk
            for path in registry.get(model).subject_paths
            for pk in rows.values_list(path, flat=True)
        }
    else:
        subject = _subject_of(obj)
        ids = {subject.pk} if subject is not None else set()
    return sorted(pk for pk in ids if pk is not None)


def _deletions_record(request: HttpRequest, rows: list[tuple[str, list[int]]]) -> None:
    """The audit trail of rows deleted in the admin: one event per person each row named
    (none for a row that named nobody), so the daily retention passes judge them again:
    the row may have been all that kept them."""
    people = m.DataSubject.objects.in_bulk({pk for _label, ids in rows for pk in ids})
    for label, ids in rows:
        for subject in [people[pk] for pk in ids if pk in people] or [None]:
            audit_event_record(
                actor=request.user, action="admin.delete", subject=subject, target=label
            )


def admin_object_replace(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved ``obj`` the row a service saved, so the admin logs,
    messages and redirects to it (``save_model`` cannot hand back another object)."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    obj._state.adding = False
    obj._state.db = saved._state.db


def registry_subject_paths(model: type[Model]) -> tuple[str, ...]:
    return registry.get(model).subject_paths if model in registry else ()


class AuditedModelForm(forms.ModelForm):
    """The model's own validation may name a field this form does not show (hidden
    special-category data, a read-only field); Django would fail on it. Such a message
    is shown above the form instead, after the field's name."""

    def add_error(self, field: str | None, error: Any) -> None:
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            shown: dict[str, list[Any]] = {}
            for name, errors in error.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    shown.setdefault(name, []).extend(errors)
                    continue
                label = _field_label(self._meta.model, name)
                shown.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(f"{label}: {message}") for e in errors for message in e.messages
                )
            error = ValidationError(shown)
        super().add_error(field, error)


def _field_label(model: type[Model], name: str) -> str:
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a name that is no field is shown as it is
        return name
    return label[:1].upper() + label[1:]


class AuditedAdmin(admin.ModelAdmin):
    """Records who changed or deleted which fields of personal data. (Special-category
    fields are hidden from staff without the permission, and the person a record belongs
    to is kept, by ``leafspring.admin_tools.PersonalDataAdminMixin`` on every admin.)"""

    form = AuditedModelForm

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # Restriction is set and lifted only by the rights-request services: lifting an
        # Art. 18 restriction needs the person told first, and a legal-hold restriction
        # ends with the hold.
        readonly = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, RestrictableModel):
            readonly += [f for f in RESTRICTION_FIELDS if f not in readonly]
        return readonly

    def _special_fields_shown(self, request: HttpRequest, names: Any) -> bool:
        return can_view_special_category(request.user) and any(
            isinstance(name, str) and is_special_field(self.model, name) for name in names
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        """Opening a person's page, or a record with special-category data shown, is in
        the read log (``subjects.services.reads_record``)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if request.method != "GET" or obj is None:
            return response
        subject = _subject_of(obj)
        subject_ids = [subject.pk if subject else None]
        if isinstance(obj, m.DataSubject):
            reads_record(actor=request.user, action="read.subject", subject_ids=subject_ids)
        fields = [f.name for f in self.model._meta.fields]
        if self._special_fields_shown(request, fields):
            reads_record(
                actor=request.user,
                action="read.special-category",
                subject_ids=subject_ids,
                target=f"{obj._meta.label} #{obj.pk}",
            )
        return response

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """A list with a special-category column records a read of each person listed."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is None or not registry_subject_paths(self.model):
            return response
        if not self._special_fields_shown(request, self.get_list_display(request)):
            return response
        path = registry_subject_paths(self.model)[0]
        pks = [row.pk for row in changelist.result_list]
        reads_record(
            actor=request.user,
            action="read.special-category",
            subject_ids=self.model._default_manager.filter(pk__in=pks).values_list(path, flat=True),
            target=str(self.model._meta.verbose_name_plural),
        )
        return response

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Rows under a statutory hold (invoices, business e-mail) must outlive any wish to
        # delete them, and a person is erased through a rights request, which keeps what
        # the law requires and records what was erased.
        entry = registry.get(self.model) if self.model in registry else None
        if self.model is m.DataSubject or (entry is not None and entry.legal_hold):
            return False
        return super().has_delete_permission(request, obj)

    def get_list_display(self, request: HttpRequest) -> Any:
        # Text columns isolated for direction (a name typed by the public); special-category
        # columns left out first for whoever may not see them (they would no longer be
        # recognised by name once they are columns).
        shown = list(super().get_list_display(request))
        if not can_view_special_category(request.user):
            shown = [
                f for f in shown if not (isinstance(f, str) and is_special_field(self.model, f))
            ]
        return isolated_columns(self, shown)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_event_record(
            actor=request.user,
            action="admin.change" if change else "admin.add",
            subject=_subject_of(obj),
            target=obj,
            changed_fields=list(form.changed_data),
        )
        # A message or request entered without its data subject is linked at once (to the
        # person with that e-mail address, or a new one), so rights requests find it. Not
        # a row that belongs to an organisation (an invoice to a client organisation).
        entry = registry.get(self.model) if self.model in registry else None
        if entry is not None and entry.email_field:
            email = getattr(obj, entry.email_field)
            if entry.unlinked_rows(email).filter(pk=obj.pk).exists():
                unlinked_rows_adopt(actor=request.user, email=email)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        rows = [(f"{obj._meta.label} #{obj.pk}", _people_of(obj))]
        super().delete_model(request, obj)
        _deletions_record(request, rows)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        rows = [(f"{obj._meta.label} #{obj.pk}", _people_of(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)
        _deletions_record(request, rows)


class RoleInline(admin.TabularInline):
    model = m.SubjectRole
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["category", "organisation", "job_title", "started_on", "ended_on"]


@admin.register(m.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "is_client", "is_supplier"]
    list_filter = ["is_client", "is_supplier"]
    search_fields = ["name", "city", "email"]


@admin.register(m.DataSubject)
class DataSubjectAdmin(AuditedAdmin):
    list_display = ["last_name", "first_name", "email", "city", "language", "restricted_at"]
    list_filter = ["roles__category", "language", ("restricted_at", admin.EmptyFieldListFilter)]
    search_fields = ["first_name", "last_name", "email", "phone"]
    # A search or filter says how many it found, not also how many there are in all: that
    # second count reads the whole table on every search. The unfiltered list says
    # "about N" from PostgreSQL's estimate once there are many people.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ["created_at", "updated_at", "marketing_objection_at"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "phone", "language"]}),
        (_("Address"), {"fields": ["street_address", "postcode", "city"]}),
        (
            _("Restriction and objection"),
            {"fields": ["restricted_at", "restriction_ground", "marketing_objection_at"]},
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[m.DataSubject], search_term: str
    ) -> tuple[QuerySet[m.DataSubject], bool]:
        """A search for one e-mail address finds it through the e-mail index (addresses
        are stored in lower case, ``DataSubject.save``) instead of scanning four fields.
        No search field spans a multi-valued relation, so a search never needs DISTINCT;
        the role filter, which does, is made unique by the admin itself (a subquery, not
        DISTINCT over every row)."""
        term = search_term.strip()
        if term and "@" in term and not any(c.isspace() for c in term):
            return queryset.filter(email=term.lower()), False
        found, _duplicates = super().get_search_results(request, queryset, search_term)
        return found, False


@admin.register(m.SubjectRole)
class SubjectRoleAdmin(AuditedAdmin):
    list_display = ["subject", "category", "organisation", "started_on", "ended_on"]
    list_filter = ["category"]
    list_select_related = ["subject", "category", "organisation"]
    search_fields = ["subject__last_name", "subject__email", "organisation__name"]
    autocomplete_fields = ["subject", "organisation"]


@admin.register(m.WebsiteVisit)
class WebsiteVisitAdmin(admin.ModelAdmin):
    list_display = ["visited_at", "ip_address", "operating_system", "browser", "path"]
    list_filter = ["operating_system", "browser"]
    search_fields = ["ip_address", "path"]
    date_hierarchy = "visited_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.ContactMessage)
class ContactMessageAdmin(AuditedAdmin):
    list_display = ["received_at", "first_name", "last_name", "channel", "next_review_on"]
    list_filter = ["channel", "next_review_on"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "received_at"


@admin.register(m.Correspondence)
class CorrespondenceAdmin(AuditedAdmin):
    list_display = ["sent_at", "subject_line", "counterpart_email", "direction", "restricted_at"]
    list_filter = ["direction"]
    search_fields = ["subject_line", "counterpart_email"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "sent_at"


@admin.register(m.BrochureRequest)
class BrochureRequestAdmin(AuditedAdmin):
    list_display = ["requested_at", "first_name", "last_name", "email", "followed_up_at"]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["subject"]
    date_hierarchy = "requested_at"


class NewsletterSubscriptionAddForm(AuditedModelForm):
    """Staff record a subscription of a person, on their own e-mail address: by soft
    opt-in (a client, on the sale it rests on; the opt-out is offered now) or by consent.
    By consent, the newsletter consent must be in the consent ledger first (with the
    document it was given on), and the address is still confirmed by the person through
    the double opt-in e-mail (DESIGN.md §1.5: everyone who is not a client): until then
    the subscription is pending and receives nothing else. The model's ``basis_errors``
    refuses anyone else."""

    class Meta:
        model = m.NewsletterSubscription
        fields = ["subject", "basis", "sale", "first_name", "language"]
        widgets = {"basis": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].required = True
        self.fields["basis"].choices = m.NewsletterSubscription.Basis.choices  # no blank
        self.fields["sale"].help_text = _("Soft opt-in: the sale (invoice) to this client.")
        self.fields["first_name"].help_text = _("Empty: the person's first name.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        subject = data.get("subject")
        if subject is None:
            return data
        if not subject.email:
            self.add_error("subject", _("This person has no e-mail address."))
            return data
        # As ``newsletter_soft_opt_in_record`` does: the person's own address.
        subscription = self.instance
        subscription.email = subject.email
        subscription.source = m.NewsletterSubscription.Source.STAFF
        if data.get("basis") == m.NewsletterSubscription.Basis.SOFT_OPT_IN:
            data["first_name"] = subject.first_name
            subscription.opt_out_offered_at = timezone.now()
            subscription.confirmed_at = None
        else:
            data["first_name"] = data.get("first_name") or subject.first_name
            data["sale"] = None
            subscription.confirmed_at = None
            if consent_active(subject_id=subject.pk, purpose="newsletter") is None:
                self.add_error(
                    "basis",
                    _("A newsletter for someone who is not a client needs their consent."),
                )
        return data


@admin.register(m.NewsletterSubscription)
class NewsletterSubscriptionAdmin(AddFormMixin, AuditedAdmin):
    """The link token (its hash) is never shown. Once recorded, only the name and language
    can be corrected here: unsubscribing goes through the unsubscribe link, the consent
    ledger (withdrawing the newsletter consent) or a rights request, which also put the
    address on the suppression list."""

    list_display = ["email", "basis", "subscribed_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["basis", ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    autocomplete_fields = ["subject", "sale"]
    exclude = ["token_hash"]
    add_form = NewsletterSubscriptionAddForm
    add_fieldsets = [(None, {"fields": ["subject", "basis", "sale", "first_name", "language"]})]
    fieldsets = [
        (None, {"fields": ["subject", "email", "first_name", "language"]}),
        (
            _("Basis"),
            {
                "fields": [
                    "basis",
                    "source",
                    "consent_text",
                    "sale",
                    "opt_out_offered_at",
                    "subscribed_at",
                    "confirmed_at",
                    "unsubscribed_at",
                ]
            },
        ),
        (_("Restriction"), {"fields": ["restricted_at", "restriction_ground"]}),
    ]
    EDITABLE = ("first_name", "language")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would skip what unsubscribing does (the consent withdrawn, the address
        # suppressed, the 6-week clock): rule unsubscribe-6w deletes the rows.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        fields = [f for _name, options in self.fieldsets for f in options["fields"]]
        return readonly + [f for f in fields if f not in self.EDITABLE and f not in readonly]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if not change and obj.basis == m.NewsletterSubscription.Basis.SOFT_OPT_IN:
            saved = newsletter_soft_opt_in_record(
                actor=request.user, subject=obj.subject, sale=obj.sale, language=obj.language
            )
            admin_object_replace(obj, saved)
            return
        if not change:
            # The person confirms the address through the double opt-in e-mail; the
            # consent staff recorded is the wording agreed to.
            consent = consent_active(subject_id=obj.subject.pk, purpose="newsletter")
            saved = newsletter_sign_up(
                email=obj.subject.email,
                first_name=obj.first_name,
                language=obj.language,
                source=m.NewsletterSubscription.Source.STAFF,
                text=consent.text if consent else None,
            )
            audit_event_record(
                actor=request.user,
                action="newsletter.confirmation-sent",
                subject=obj.subject,
                target=saved,
            )
            admin_object_replace(obj, saved)
            messages.info(
                request,
                _(
                    "A confirmation e-mail went to %(email)s. The newsletter starts once "
                    "the person confirms the address."
                )
                % {"email": isolated(saved.email)},
            )
            return
        super().save_model(request, obj, form, change)


class ParticipantInline(admin.TabularInline):
    model = m.TrajectoryParticipant
    fk_name = "trajectory"
    extra = 0
    autocomplete_fields = ["participant", "mentor"]
    fields = ["participant", "mentor"]


@admin.register(m.Trajectory)
class TrajectoryAdmin(AuditedAdmin):
    list_display = ["title", "kind", "organisation", "coach", "started_on", "ended_on"]
    list_filter = ["kind", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["organisation", "coach"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation", "coach"]
    inlines = [ParticipantInline]


@admin.register(m.TrajectoryParticipant)
class TrajectoryParticipantAdmin(AuditedAdmin):
    list_display = ["participant", "trajectory", "mentor"]
    list_select_related = ["participant", "trajectory", "mentor"]
    search_fields = ["participant__last_name", "participant__email", "trajectory__title"]
    autocomplete_fields = ["trajectory", "participant", "mentor"]


@admin.register(m.TraineeProfile)
class TraineeProfileAdmin(AuditedAdmin):
    list_display = ["participation", "job_title", "allergies"]
    list_select_related = ["participation__participant", "participation__trajectory"]
    search_fields = ["participation__participant__last_name", "job_title"]
    autocomplete_fields = ["participation"]


@admin.register(m.CoachingNote)
class CoachingNoteAdmin(AuditedAdmin):
    list_display = ["participant", "trajectory", "written_at", "content", "mentions_health"]
    list_select_related = ["participant", "trajectory"]
    search_fields = ["participant__last_name", "trajectory__title"]
    autocomplete_fields = ["participant", "trajectory"]
    date_hierarchy = "written_at"

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "mentions_health":
            # Whoever writes a note says whether it holds health information: an explicit
            # choice, not a box left unticked by default.
            return forms.TypedChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                choices=[(True, _("yes")), (False, _("no"))],
                coerce=lambda value: value in (True, "True"),
                widget=forms.RadioSelect,
                required=True,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(m.CoachingMonitorParticipation)
class CoachingMonitorParticipationAdmin(AuditedAdmin):
    list_display = ["subject", "trajectory", "invited_at", "research_consent", "anonymised_at"]
    list_filter = ["research_consent", ("anonymised_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subject", "trajectory"]
    search_fields = ["subject__last_name", "trajectory__title"]
    autocomplete_fields = ["subject", "trajectory"]


@admin.register(m.ClientEvaluation)
class ClientEvaluationAdmin(admin.ModelAdmin):
    list_display = ["evaluated_on", "trajectory_kind", "score"]
    list_filter = ["trajectory_kind"]
    date_hierarchy = "evaluated_on"


class ToolAccountAdmin(AuditedAdmin):
    list_display = ["subject", "external_id", "created_at", "deletion_requested_at"]
    list_filter = [("deletion_requested_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subject"]
    search_fields = ["subject__last_name", "subject__email", "external_id"]
    autocomplete_fields = ["subject"]


admin.site.register(m.CliftonStrengthsAccount, ToolAccountAdmin)
admin.site.register(m.E2GrowAccount, ToolAccountAdmin)


@admin.register(m.Invoice)
class InvoiceAdmin(AuditedAdmin):
    list_display = ["number", "issued_on", "billing_name", "amount", "paid_on", "restricted_at"]
    list_filter = [("paid_on", admin.EmptyFieldListFilter)]
    search_fields = ["number", "billing_name", "email"]
    autocomplete_fields = ["subject", "organisation"]
    date_hierarchy = "issued_on"


@admin.register(m.SupplierDetails)
class SupplierDetailsAdmin(AuditedAdmin):
    list_display = ["organisation", "contact", "kvk_number", "last_invoice_on"]
    list_select_related = ["organisation", "contact"]
    search_fields = ["organisation__name", "kvk_number"]
    autocomplete_fields = ["organisation", "contact"]


@admin.register(m.StudyTripReferral)
class StudyTripReferralAdmin(AuditedAdmin):
    """A referral needs the person's active consent for MeetIn; when it was passed on is
    recorded by the action, never typed."""

    list_display = ["subject", "company_name", "created_at", "shared_at"]
    list_filter = [("shared_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subject"]
    search_fields = ["subject__last_name", "company_name"]
    autocomplete_fields = ["subject", "consent"]
    readonly_fields = ["shared_at"]
    actions = ["record_shared"]

    @admin.action(description=_("Record as passed on to MeetIn"), permissions=["change"])
    def record_shared(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        selected = list(queryset)
        count = study_trip_referrals_shared_record(actor=request.user, referrals=selected)
        messages.success(
            request,
            ngettext(
                "%(count)d referral recorded as passed on to MeetIn.",
                "%(count)d referrals recorded as passed on to MeetIn.",
                count,
            )
            % {"count": count},
        )
        if count < len(selected):
            messages.warning(
                request,
                _(
                    "Left as they were: referrals already passed on, or whose consent is "
                    "no longer active."
                ),
            )


@admin.register(m.SuppressedAddress)
class SuppressedAddressAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The suppression list, view only: why and since when, never an address (only its
    keyed hash is held, and that is not shown either). Searching by an e-mail address
    finds its entry."""

    list_display = ["reason", "created_at"]
    list_filter = ["reason"]
    fields = ["reason", "created_at"]
    search_fields = ["digest"]  # searched by address, see get_search_results
    search_help_text = _("Search by e-mail address.")
    date_hierarchy = "created_at"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if not search_term.strip():
            return queryset, False
        return queryset & suppression_entries(search_term), False


class AuditActionFilter(admin.SimpleListFilter):
    """Filter the audit trail by what happened, named in the reader's language."""

    title = _("what")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        # The codes of what this admin lists (the audit trail leaves the read log out).
        rows = model_admin.get_queryset(request)
        codes = rows.order_by().values_list("action", flat=True).distinct()
        return sorted(
            ((code, trail_text(code, {})) for code in codes), key=lambda pair: pair[1].lower()
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(m.AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail as staff read it: what happened rendered from its code and
    parameters in their language (``subjects.trail``), what was typed with it as typed."""

    list_display = ["at", "actor_name", "what", "note", "subject_reference", "object"]
    list_filter = [AuditActionFilter]
    search_fields = ["actor_label", "action", "subject_reference", "target"]
    date_hierarchy = "at"
    fields = ["at", "actor_name", "what", "note", "subject_reference", "object", "fields_changed"]
    readonly_fields = fields

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        # Rendered at once: the names of processing activities are read once per page.
        trail_prepare(changelist.result_list)
        return changelist

    @admin.display(description=_("by"), ordering="actor_label")
    def actor_name(self, obj: m.AuditEvent) -> str:
        return obj.actor_display

    @admin.display(description=_("what happened"), ordering="action")
    def what(self, obj: m.AuditEvent) -> str:
        return obj.what

    @admin.display(description=_("object"), ordering="target")
    def object(self, obj: m.AuditEvent) -> str:
        return obj.target_display

    @admin.display(description=_("changed fields"))
    def fields_changed(self, obj: m.AuditEvent) -> str:
        return obj.changed_fields_display

    def get_queryset(self, request: HttpRequest) -> QuerySet[m.AuditEvent]:
        # Reads are in the read log, for privacy officers only (``ReadEventAdmin``).
        return super().get_queryset(request).exclude(action__startswith=READ_PREFIX)


# The read log, the sign-in locks and the sign-ins.
from subjects import admin_access  # noqa: E402, F401
