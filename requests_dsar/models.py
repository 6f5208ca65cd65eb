"""Rights requests (Art. 15-22 GDPR): the request, its verification, its audit trail,
the Art. 19 tasks for recipients, the erasure record and the answer package.

Writes go through ``requests_dsar.services`` and ``requests_dsar.fulfilment``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.models.people import actor_display
from subjects.registry import Art18Ground, ErasedRows, Kept, personal_data, registry


class RequestType(models.TextChoices):
    ACCESS = "access", _("access")
    RECTIFICATION = "rectification", _("rectification")
    RESTRICTION = "restriction", _("restriction")
    ERASURE = "erasure", _("erasure")
    OBJECTION = "objection", _("objection")
    CONSENT_WITHDRAWAL = "consent-withdrawal", _("consent withdrawal")
    PORTABILITY = "portability", _("portability")


class Status(models.TextChoices):
    UNVERIFIED = "unverified", _("unverified")
    NEW = "new", _("new")
    IN_PROGRESS = "in-progress", _("in progress")
    WAITING_FOR_TASKS = "waiting-for-tasks", _("waiting for tasks")
    EXTENDED = "extended", _("extended")
    COMPLETED = "completed", _("completed")
    REJECTED = "rejected", _("rejected")
    DUPLICATE = "duplicate", _("duplicate")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING_FOR_TASKS, Status.EXTENDED)
CLOSED_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.DUPLICATE)


class ObjectionKind(models.TextChoices):
    NONE = "", _("not an objection")
    DIRECT_MARKETING = "direct-marketing", _("direct marketing (newsletter, mailings)")
    LEGITIMATE_INTEREST = "legitimate-interest", _("processing based on a legitimate interest")


class ObjectionDecision(models.TextChoices):
    NONE = "", _("not decided")
    UPHELD = "upheld", _("objection upheld: processing stops")
    OVERRULED = "overruled", _("compelling legitimate grounds: processing continues")


class VerificationMethod(models.TextChoices):
    CALL_BACK = "call-back", _("call back on the phone number we already hold")
    IN_PERSON = "in-person", _("in person, by someone who knows the person")
    KNOWN_CHANNEL = "known-channel", _("confirmation through a channel we already use")
    OTHER = "other", _("other (explained in the note)")


class DsarRequest(models.Model):
    """A data subject's request to exercise one right."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    request_type = models.CharField(
        _("right"), max_length=20, choices=RequestType.choices, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), db_index=True, blank=True)
    language = models.CharField(_("language"), max_length=2, default="nl")
    details = models.TextField(_("details"), blank=True)
    activities = models.JSONField(_("processing activities concerned"), default=list, blank=True)
    objection_kind = models.CharField(
        _("objection to"), max_length=30, choices=ObjectionKind.choices, blank=True
    )
    portability_recipient_email = models.EmailField(
        _("send the data to this organisation"), blank=True
    )
    restriction_ground_stated = models.CharField(
        _("ground of the restriction, as the person gave it"),
        max_length=1,
        choices=Art18Ground.choices,
        blank=True,
    )
    restriction_ground = models.CharField(
        _("ground of the restriction (Art. 18(1))"),
        max_length=1,
        choices=Art18Ground.choices,
        blank=True,
        help_text=_(
            "Confirmed by staff when restricting. Under (b) and (c) the data are kept past "
            "their retention limit until the restriction is lifted; under (a) and (d) the "
            "limit still applies."
        ),
    )
    subjects = models.ManyToManyField(
        "subjects.DataSubject",
        verbose_name=_("data subjects"),
        related_name="dsar_requests",
        blank=True,
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    # --- Receipt, channel and the clock (issue 11) -------------------------------------
    # One rule for the due date (``requests_dsar.services.due.due_on_compute``): the day
    # the request was received + DSAR_RESPONSE_DAYS, + the days an identity question
    # staff asked (Art. 12(6)) waited for its answer, + the months of an extension.

    class Channel(models.TextChoices):
        FORM = "form", _("the request form on the website")
        EMAIL = "email", _("e-mail")
        LETTER = "letter", _("letter")
        PHONE = "phone", _("phone")
        IN_PERSON = "in-person", _("in person")

    channel = models.CharField(
        _("received by"), max_length=20, choices=Channel.choices, default=Channel.FORM
    )
    received_at = models.DateTimeField(
        _("received at"),
        default=timezone.now,
        db_index=True,
        help_text=_("When the request reached us; the four weeks run from this moment."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    extension_months = models.PositiveSmallIntegerField(_("extended by (months)"), default=0)
    identity_question_asked_at = models.DateTimeField(
        _("identity question asked at"), null=True, blank=True
    )
    identity_question = models.TextField(_("identity question asked"), blank=True)
    identity_question_answered_at = models.DateTimeField(
        _("identity question answered at"), null=True, blank=True
    )
    clock_held_days = models.PositiveIntegerField(
        _("days the clock was held"),
        default=0,
        help_text=_("Days an identity question asked by staff (Art. 12(6)) waited for its answer."),
    )
    verification_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    verification_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    status_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    original_due_on = models.DateField(_("originally due on"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    reminded_on = models.DateField(_("staff reminded on"), null=True, blank=True)
    needs_staff_verification = models.BooleanField(
        _("needs an identity check by staff"), default=False
    )
    staff_verified_at = models.DateTimeField(_("verified by staff at"), null=True, blank=True)
    staff_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff_verification_method = models.CharField(
        _("verification method"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    staff_verification_note = models.TextField(_("verification note"), blank=True)
    objection_decision = models.CharField(
        _("decision on the objection"), max_length=20, choices=ObjectionDecision.choices, blank=True
    )
    objection_decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    corrections = models.JSONField(
        _("corrected fields (rectification)"),
        default=list,
        blank=True,
        help_text=_("Which fields of which kind of record were corrected; never the values."),
    )
    no_change_reason = models.TextField(_("why no correction was needed"), blank=True)
    fulfilled_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    rejection_reason = models.TextField(_("justification of the rejection"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    minimised_at = models.DateTimeField(
        _("personal data removed at"),
        null=True,
        blank=True,
        help_text=_(
            "A closed request of someone we no longer hold keeps only its reference, right, "
            "dates, status and trail."
        ),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A request that came in while the same person (the same verified e-mail address or
    # a linked data subject) had one open for the same right: staff see both and decide
    # whether it is a duplicate.
    open_request = models.ForeignKey(
        "self",
        verbose_name=_("open request for the same right"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_requests",
    )

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            # The open requests (queue, dashboard), earliest due first: few of all
            # requests ever made, read in the queue's order.
            models.Index(
                fields=["due_on", "created_at"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="dsar_open_by_due",
            ),
        ]
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        permissions = [("handle_dsarrequest", _("Can handle rights requests"))]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_request_type_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def status_link_expired(self, now: object = None) -> bool:
        """A status link stops working ``DSAR_STATUS_LINK_DAYS_AFTER_CLOSING`` days after
        the request was closed (or at once, once its personal data were removed)."""

        if self.minimised_at is not None:
            return True
        if self.closed_at is None or self.status in OPEN_STATUSES:
            return False
        days = settings.DSAR_STATUS_LINK_DAYS_AFTER_CLOSING
        return (now or timezone.now()) >= self.closed_at + timedelta(days=days)

    def days_left(self, today: object = None) -> int | None:
        if not self.due_on:
            return None
        today = today or timezone.localdate()
        return (self.due_on - today).days  # type: ignore[operator]

    @property
    def is_overdue(self) -> bool:
        left = self.days_left()
        return self.is_open and left is not None and left < 0 and not self.clock_held

    @property
    def clock_held(self) -> bool:
        """An identity question staff asked is waiting for its answer: the clock stands."""
        return (
            self.identity_question_asked_at is not None
            and self.identity_question_answered_at is None
        )


class RequestsStamp(models.Model):
    """A token that a database trigger sets afresh in the same transaction as every
    insert, update or delete of rights requests (migration 0013; on PostgreSQL once per
    statement, on SQLite per row), whatever wrote them: a form, the admin, a queryset
    update, a job, raw SQL. The dashboard keeps its counts of requests under it
    (``requests_dsar.selectors.request_counts``) and counts afresh only after a change:
    its counts stay exact and cost the same at 100 requests as at 10,000. One row; the
    token decides nothing but whether counts kept in the cache still hold."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("requests change stamp")
        verbose_name_plural = _("requests change stamps")

    def __str__(self) -> str:
        return self.token


registry.not_personal(
    RequestsStamp,
    reason="A random token that changes with every change to a request; never a value of one.",
)


class RequestEvent(models.Model):
    """One entry of a request's audit trail: what happened, who did it, when."""

    request = models.ForeignKey(
        DsarRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60)
    # What happened, as parameters of the action (codes, numbers, dates, references):
    # rendered in the reader's language by ``subjects.trail``.
    params = models.JSONField(_("parameters"), default=dict, db_default={}, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the staff member wrote, as they wrote it.")
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.what}"

    @property
    def what(self) -> str:
        """What happened, as a sentence in the active language."""
        from subjects.trail import trail_text

        rendered = getattr(self, "rendered", None)
        return rendered if rendered is not None else trail_text(self.action, self.params)

    @property
    def actor_display(self) -> str:
        return actor_display(self.actor_label)


class RecipientTask(models.Model):
    """Art. 19: tell a recipient that holds the person's data to act on a rights request,
    or on a consent withdrawn outside one (the consent page, staff, an unsubscribe)."""

    class State(models.TextChoices):
        OPEN = "open", _("to do")
        DONE = "done", _("done")
        NOT_POSSIBLE = "not-possible", _("not possible")

    request = models.ForeignKey(
        DsarRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recipient_tasks",
    )
    consent = models.ForeignKey(
        "processing.Consent",
        verbose_name=_("withdrawn consent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recipient_tasks",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Outside a rights request: whose data it is about (like ``AuditEvent``), also when
    # the consent is gone.
    subject_reference = models.CharField(
        _("data subject number"),
        max_length=20,
        blank=True,
        help_text=_("The number of the data subject whose data the recipient holds."),
    )
    recipient = models.ForeignKey(
        "processing.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="dsar_tasks",
    )
    instruction = models.TextField(_("what to do"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    reason = models.TextField(_("reason / note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["recipient__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "recipient"], name="one_task_per_recipient")
        ]
        verbose_name = _("recipient task")
        verbose_name_plural = _("recipient tasks")

    def __str__(self) -> str:
        origin = self.request.reference if self.request_id else _("consent withdrawn")
        return f"{origin}: {self.recipient}"


class ErasureRecord(models.Model):
    """Proof of an erasure (Art. 5(2), 17): what was erased and kept per model, on which
    ground and until when, by whom and when, without any of the erased values."""

    request = models.OneToOneField(
        DsarRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="erasure_record",
    )
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_references = models.JSONField(_("data subject numbers"), default=list)
    lines = models.JSONField(_("per model"), default=list)
    subject_kept = models.BooleanField(_("data subject record kept (restricted)"), default=False)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"{self.request.reference} {self.performed_at:%Y-%m-%d}"


class AnswerPackage(models.Model):
    """Files of an answer (access report, JSON, portability ZIP) under
    ``PRIVATE_STORAGE_ROOT``, downloadable through a tokenised link for 7 days."""

    request = models.ForeignKey(
        DsarRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="packages"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    directory = models.CharField(max_length=100)
    files = models.JSONField(_("files"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    deleted_at = models.DateTimeField(_("files deleted at"), null=True, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("answer package")
        verbose_name_plural = _("answer packages")

    def __str__(self) -> str:
        return f"{self.request.reference} {self.created_at:%Y-%m-%d}"

    @property
    def is_available(self) -> bool:
        return self.deleted_at is None and self.expires_at > timezone.now()


# The request trail is kept 5 years after a request closed (rule requests-5y): the period
# in which the supervisory authority may fine (art. 5:45 Awb) and a person may claim
# damages (art. 3:310 BW), so the trail can prove how the request was handled.
REQUEST_TRAIL_END = (
    "Deleted 5 years after the request closed, with the request and its whole trail "
    "(rule requests-5y, through the proxy ClosedRequest)."
)

registry.exempt(
    DsarRequest,
    reason="The record of a rights request is the proof of how it was handled (Art. 5(2), "
    "12 GDPR). The rights services handle it themselves: an access answer lists the "
    "person's requests; an erasure blanks what the person wrote and keeps who asked what "
    "and when.",
    kept=Kept(
        because="The proof of how a rights request was handled (Art. 5(2), 12 GDPR). 12 "
        "months after closing, a request of someone no longer held keeps only its outline "
        "(requests_dsar.services.minimise). An unverified request goes after 72 hours.",
        until=REQUEST_TRAIL_END,
        enforced_by="retention.services.retention_rule_apply",
    ),
)
registry.exempt(
    RequestEvent,
    reason="The trail of a request: who did what and when (Art. 5(2)), as action codes with "
    "parameters that name actions, not the data acted on; what staff wrote is removed when "
    "the closed request is reduced.",
    kept=Kept(
        because="The trail of a request: who did what and when (Art. 5(2)).",
        until=REQUEST_TRAIL_END,
        enforced_by="retention.services.retention_rule_apply",
    ),
)
registry.exempt(
    ErasureRecord,
    reason="Proof of an erasure: what was erased per model, never the erased values.",
    kept=Kept(
        because="Proof of what an erasure erased and kept, and why (Art. 5(2), 17).",
        until=REQUEST_TRAIL_END,
        enforced_by="retention.services.retention_rule_apply",
    ),
)
registry.exempt(
    AnswerPackage,
    reason="The files of an answer; the row is the proof that an answer was delivered.",
    kept=Kept(
        because="The files of an answer, for the person to download; then the row proves "
        "that an answer was delivered.",
        until="The files are deleted 7 days after they were made (hourly clean-up); the "
        "row is deleted with its request, 5 years after the request closed (rule "
        "requests-5y).",
        enforced_by="requests_dsar.fulfilment.packages.answer_packages_delete_expired",
    ),
)
registry.exempt(
    RecipientTask,
    reason="Art. 19: what a recipient was asked to do, and whether it was done.",
    kept=Kept(
        because="Proof that each recipient holding a copy was told (Art. 19, 5(2)). An "
        "open task stays on the staff task list until it is resolved.",
        until="A task of a rights request is deleted with its request (rule requests-5y); "
        "a task outside one (a withdrawn consent, a tool account deleted) 5 years after "
        "it was resolved (the same rule, through the proxy RecipientTaskOutsideRequest).",
        enforced_by="retention.services.retention_rule_apply",
    ),
)


class ClosedRequestManager(models.Manager["ClosedRequest"]):
    def get_queryset(self) -> models.QuerySet[ClosedRequest]:
        """Closed requests, except those of a data subject under a specific legal hold
        (the request may be evidence in the claim the hold is for)."""
        return (
            super()
            .get_queryset()
            .filter(status__in=CLOSED_STATUSES, closed_at__isnull=False)
            .exclude(
                subjects__legal_holds__held_until__gte=timezone.localdate(),
            )
        )


@personal_data(
    activity="privacy-administration",
    categories=["consent-records", "audit-trail"],
    subject_paths=[],
    kept_through=["subjects"],
    fields=["name", "email", "details", "answer"],
    retention_rule="requests-5y",
    clock="closed_at",
)
class ClosedRequest(DsarRequest):
    """A closed rights request with its whole trail (events, Art. 19 tasks, erasure
    record, answer packages), deleted 5 years after it closed (rule requests-5y). A
    proxy, so the retention run finds the requests by their own clock without the
    rights services walking them as a person's data (they list requests themselves)."""

    objects = ClosedRequestManager()

    class Meta:
        proxy = True
        verbose_name = _("closed rights request")
        verbose_name_plural = _("closed rights requests")

    @classmethod
    def erase_rows(cls, rows: models.QuerySet[Any], blanks: dict[str, Any]) -> ErasedRows:
        """Delete closed requests with their trail. The erasure record protects its
        request, so it goes first; answer files still on disk (their hourly clean-up
        missed them) are deleted before the rows, so a rollback leaves nothing behind
        that the clean-up would not find again."""
        import shutil

        from requests_dsar.fulfilment.packages import private_root

        pks = list(rows.values_list("pk", flat=True))
        for directory in AnswerPackage.objects.filter(
            request_id__in=pks, deleted_at__isnull=True
        ).values_list("directory", flat=True):
            shutil.rmtree(private_root() / directory, ignore_errors=True)
        ErasureRecord.objects.filter(request_id__in=pks).delete()
        _, per_model = DsarRequest.objects.filter(pk__in=pks).delete()
        return ErasedRows(deleted=per_model.get(DsarRequest._meta.label, 0))


class RecipientTaskOutsideRequestManager(models.Manager["RecipientTaskOutsideRequest"]):
    def get_queryset(self) -> models.QuerySet[RecipientTaskOutsideRequest]:
        return super().get_queryset().filter(request__isnull=True)


@personal_data(
    activity="privacy-administration",
    categories=["audit-trail"],
    subject_paths=[],
    fields=["subject_reference", "instruction", "reason"],
    retention_rule="requests-5y",
    clock="resolved_at",
)
class RecipientTaskOutsideRequest(RecipientTask):
    """An Art. 19 task made outside a rights request (a consent withdrawn, a tool account
    deleted at the end of its use), deleted 5 years after it was resolved (rule
    requests-5y); an open one stays until it is resolved."""

    objects = RecipientTaskOutsideRequestManager()

    class Meta:
        proxy = True
        verbose_name = _("Art. 19 task outside a rights request")
        verbose_name_plural = _("Art. 19 tasks outside a rights request")
