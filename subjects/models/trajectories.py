"""Traineeship and coaching trajectories and what they produce: participations, trainee
profiles, coaching notes, Coaching Monitor participation and anonymised evaluations."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.consent_guard import ConsentGuardedModel, ConsentNeed, Withdrawal
from subjects.fields import EncryptedTextField
from subjects.models.people import DataSubject, Organisation
from subjects.registry import ErasedRows, Erasure, Kept, RestrictableModel, personal_data


@personal_data(
    activity="traineeship-organisations",
    categories=["contract-data"],
    subject_paths=["coach"],
    fields=["coach"],
    erasure=Erasure.anonymise("coach"),
    kept=Kept(
        because="A trajectory is the contract with the organisation or client; of a "
        "person it holds only the link to its trainer/coach.",
        until="The coach is unlinked when their record goes (at most 7 years after their "
        "last invoice, rule fiscal-7y). A trajectory without an end date is put before "
        "staff 12 months after its start (rule trajectory-review), who set its end or "
        "keep it open with a reason, so its participants' data reach their end.",
        enforced_by="retention.trajectory_review.open_trajectories_due_for_review",
    ),
)
class Trajectory(RestrictableModel):
    """A traineeship or coaching trajectory: organisation, participants, mentor, coach.

    Its end date starts the clocks of coaching notes, trainee profiles and Coaching
    Monitor data (rules coaching-end, monitor-end). One without an end date comes before
    staff for review (rule trajectory-review): they set its end, or keep it open with a
    reason (``keep_reason``) until the next review (``next_review_on``)."""

    class Kind(models.TextChoices):
        TRAINEESHIP = "traineeship", _("traineeship")
        COACHING = "coaching", _("coaching")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    coach = models.ForeignKey(
        DataSubject,
        verbose_name=_("trainer/coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_trajectories",
    )
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True, db_index=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    keep_reason = models.CharField(_("reason to keep it open"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")

    def __str__(self) -> str:
        return self.title


@personal_data(
    activity="traineeship-participants",
    categories=["contract-data"],
    subject_paths=["participant", "mentor"],
    fields=["participant", "mentor"],
    kept=Kept(
        because="Who takes part in a trajectory and who mentors them: the contract the "
        "trainee's and mentor's data rest on.",
        until="Deleted with the participant, whom the daily runs of coaching-end and "
        "monitor-end judge once the trajectory has ended (the mentor is unlinked); a "
        "trajectory without an end date is reviewed by staff (rule trajectory-review).",
        enforced_by="retention.services.data_subjects_without_purpose_delete",
    ),
)
class TrajectoryParticipant(RestrictableModel):
    """A participant (trainee or coachee) in a trajectory, with their mentor."""

    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    participant = models.ForeignKey(
        DataSubject,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    mentor = models.ForeignKey(
        DataSubject,
        verbose_name=_("mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorships",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "participant"], name="one_participation_per_trajectory"
            )
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.participant} – {self.trajectory}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if errors := self._profile_consent_errors():
            raise ValidationError(errors)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if errors := self._profile_consent_errors():
            raise ValidationError(errors)

    def _profile_consent_errors(self) -> dict[str, list[str]]:
        """Moving a participation to another person moves its trainee profile with it:
        data there that rests on a consent (allergies) needs that person's consent."""
        if self.pk is None:
            return {}
        stored = type(self).objects.filter(pk=self.pk).values_list("participant_id", flat=True)
        if not stored or stored[0] == self.participant_id:
            return {}
        profile = TraineeProfile.objects.filter(participation_id=self.pk).first()
        if profile is None:
            return {}
        profile.participation = self
        if not profile.consents_missing():
            return {}
        return {
            "participant": [
                str(
                    _(
                        "The trainee profile of this participation holds data that needs the "
                        "person's consent (allergies), and this person has not given it."
                    )
                )
            ]
        }


@personal_data(
    activity="traineeship-participants",
    categories=["profile", "health"],
    subject_paths=["participation__participant"],
    fields=["job_title", "education", "work_experience", "allergies"],
    retention_rule="coaching-end",
    clock="participation__trajectory__ended_on",
    provided_by_subject=True,
)
class TraineeProfile(ConsentGuardedModel, RestrictableModel):
    """What a trainee tells us for the programme; allergies are health data (Art. 9),
    processed only with explicit consent (Art. 9(2)(a)) and encrypted at rest."""

    consent_needs = (
        ConsentNeed(
            "allergies",
            ("allergies",),
            recipient="trainers-coaches",
            instruction=_("Ask to delete the person's allergies from their traineeship records"),
        ),
    )
    consent_subject_path = "participation__participant"

    participation = models.OneToOneField(
        TrajectoryParticipant,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    education = models.TextField(_("education"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    allergies = EncryptedTextField(_("allergies"), blank=True)

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")

    def __str__(self) -> str:
        return str(self.participation)


@personal_data(
    activity="traineeship-participants",
    categories=["coaching-content"],
    subject_paths=["participant"],
    fields=["content", "mentions_health"],
    retention_rule="coaching-end",
    clock="trajectory__ended_on",
)
class CoachingNote(ConsentGuardedModel, RestrictableModel):
    """Notes of a coaching conversation, encrypted at rest and deleted at the end of the
    trajectory. A note with health information needs the participant's explicit consent
    (Art. 9(2)(a): coaches are not health professionals, so 9(2)(h) does not fit); the
    coach says so with ``mentions_health``, and withdrawing that consent deletes such
    notes."""

    consent_needs = (ConsentNeed("coaching-health", ("mentions_health",), Withdrawal.DELETE),)
    consent_subject_path = "participant"
    # Reveals health data: shown only to those allowed to see special-category data.
    SPECIAL_CATEGORY_FLAGS = ("mentions_health",)

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("trajectory"), on_delete=models.CASCADE, related_name="notes"
    )
    participant = models.ForeignKey(
        DataSubject,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="coaching_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    content = EncryptedTextField(_("content"))
    mentions_health = models.BooleanField(
        _("contains health information"),
        default=False,
        help_text=_("Only with the participant's explicit consent for health information."),
    )

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")

    def __str__(self) -> str:
        return f"{self.participant} {self.written_at:%Y-%m-%d}"


@personal_data(
    activity="coaching-monitor",
    categories=["contact-details", "demographics", "questionnaire"],
    fields=["subject", "initials", "gender", "age", "highest_education", "marital_status"],
    # The trajectory link and the dates go too: a trajectory with one participant would
    # otherwise point straight back at the person.
    erasure=Erasure.anonymise(
        "subject",
        "trajectory",
        "invited_at",
        "demographics_consent_at",
        "initials",
        "gender",
        "age",
        "highest_education",
        "marital_status",
    ),
    retention_rule="monitor-end",
    clock="trajectory__ended_on",
    provided_by_subject=True,
)
class CoachingMonitorParticipation(ConsentGuardedModel, RestrictableModel):
    """Participation in the Coaching Monitor. Demographics only after explicit consent.

    At the end of the trajectory (rule monitor-end) a participation without consent for
    research is deleted. With that consent it is anonymised: the person, the trajectory,
    the dates and the demographics are blanked and only the research answers
    (``research_answers``) remain, kept at most 5 years from ``anonymised_at`` (rule
    nobco-5y, through ``retention.models.AnonymisedMonitorAnswers``).

    Demographics need the person's consent for them, and research use a consent for
    research; both are recorded in the consent ledger and go when it is withdrawn."""

    DEMOGRAPHICS = (
        "initials",
        "gender",
        "age",
        "highest_education",
        "marital_status",
        "demographics_consent_at",
    )
    consent_needs = (
        ConsentNeed(
            "monitor-demographics",
            DEMOGRAPHICS,
            recipient="coaching-monitor",
            instruction=_(
                "Ask to delete the person's initials, gender, age, education and marital status"
            ),
        ),
        ConsentNeed(
            "monitor-research",
            ("research_consent",),
            recipient="coaching-monitor",
            instruction=_("Ask not to use the person's answers for research, anonymised or not"),
        ),
    )

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitor_participations",
    )
    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="monitor_participations",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now, null=True, blank=True)
    demographics_consent_at = models.DateTimeField(
        _("consent for demographics given at"), null=True, blank=True
    )
    research_consent = models.BooleanField(_("consent for anonymised research"), default=False)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    gender = models.CharField(_("gender"), max_length=30, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    highest_education = models.CharField(_("highest education"), max_length=100, blank=True)
    marital_status = models.CharField(_("marital status"), max_length=50, blank=True)
    answers = models.JSONField(_("questionnaire answers"), default=dict, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Coaching Monitor participation")
        verbose_name_plural = _("Coaching Monitor participations")

    def __str__(self) -> str:
        return f"{self.subject or _('anonymised')} – {self.trajectory}"

    def consents_missing(self) -> dict[str, list[str]]:
        if self.subject_id is not None:
            return super().consents_missing()
        # Anonymised for research (with consent, at the end of the trajectory): no
        # person left to ask, and no demographics may stay without one.
        demographics = ConsentNeed("monitor-demographics", self.DEMOGRAPHICS)
        if demographics.row_holds(self):
            message = str(_("Demographics need a data subject who consented to them."))
            return {name: [message] for name in self.DEMOGRAPHICS}
        return {}

    @classmethod
    def erase_rows(cls, rows: QuerySet[Any], blanks: dict[str, Any]) -> ErasedRows:
        """Erase participations, at the end of the trajectory (rule monitor-end) or on an
        erasure request alike: without consent for research, or with nothing left for
        it, a participation is deleted; otherwise ``blanks`` (the registry entry's
        anonymised fields: person, trajectory, dates, demographics) are applied, the
        answers cut down to ``research_answers`` and ``anonymised_at`` set, which starts
        its 5 years under rule nobco-5y. Returns how many rows were deleted and how many
        anonymised."""
        research = {
            pk: cls.research_answers(answers)
            for pk, answers in rows.filter(research_consent=True).values_list("pk", "answers")
        }
        research = {pk: answers for pk, answers in research.items() if answers}
        _, per_model = rows.exclude(pk__in=list(research)).delete()
        deleted = per_model.get(cls._meta.label, 0)
        if research:
            cls._default_manager.filter(pk__in=list(research)).update(
                **blanks, anonymised_at=timezone.now()
            )
            cls._default_manager.bulk_update(
                [cls(pk=pk, answers=answers) for pk, answers in research.items()], ["answers"]
            )
        return ErasedRows(deleted=deleted, anonymised=len(research))

    @staticmethod
    def research_answers(answers: object) -> dict[str, int | float]:
        """What anonymised research keeps of the questionnaire answers: the answers on a
        scale (numbers, yes/no), by question key. Free text and anything else is
        dropped: in their own words a person may name themselves, others or their
        health, so such an answer is personal data, not anonymous, and the statement
        promises research only with anonymised questionnaires."""
        if not isinstance(answers, dict):
            return {}
        return {
            str(question): value
            for question, value in answers.items()
            if isinstance(value, int | float) and math.isfinite(value)
        }


@personal_data(
    activity="certification-research",
    categories=["evaluation"],
    subject_paths=[],
    fields=["comments"],
    retention_rule="nobco-5y",
    clock="evaluated_on",
)
class ClientEvaluation(models.Model):
    """An anonymised client evaluation, kept at most 5 years for NOBCO certification."""

    trajectory_kind = models.CharField(
        _("kind of trajectory"), max_length=20, choices=Trajectory.Kind.choices
    )
    evaluated_on = models.DateField(_("evaluated on"), db_index=True)
    score = models.PositiveSmallIntegerField(_("score (1-10)"))
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["-evaluated_on"]
        verbose_name = _("anonymised evaluation")
        verbose_name_plural = _("anonymised evaluations")

    def __str__(self) -> str:
        return f"{self.evaluated_on} ({self.score})"
