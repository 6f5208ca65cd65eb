"""The personal-data registry: the one place that knows which models hold personal data.

Every model with personal data declares, next to its class, with ``@personal_data(...)``:
how to find a data subject's rows, its data categories, the processing activity it
serves, which fields are personal, how it is erased, which retention rule governs it and
the date its clock starts from, and which legal hold (if any) keeps it despite erasure.
A model without a retention rule of its own says instead why it is kept and until when
(``Kept``), and a model of the project that holds no personal data says so
(``registry.not_personal``): nothing is kept without an end (Art. 5(1)(e)).

Access, portability and erasure requests and the retention jobs all walk this registry;
nothing else keeps a list of models. ``tests/test_registry.py`` fails when a model with
personal fields is neither registered nor exempt, and ``tests/test_storage_limits.py``
when a model of the project has neither a retention rule nor a documented end.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from subjects.models import DataSubject

M = TypeVar("M", bound=type[models.Model])


@dataclasses.dataclass(frozen=True)
class ErasedRows:
    """What erasing rows did: how many were deleted and how many made anonymous (an
    erasure answer and record must say which)."""

    deleted: int = 0
    anonymised: int = 0

    @property
    def total(self) -> int:
        return self.deleted + self.anonymised


# A restriction ground starts with the article that imposes it. A legal hold's restriction
# (erasure blocked by a legal obligation) ends with the held rows; an Art. 18 restriction
# keeps the data subject until the person has been told it is lifted.
LEGAL_HOLD_GROUND = "Art. 17(3)(b)"
# An Art. 18 restriction's ground reads "Art. 18(1)(c) AVG (<request>) <reason>": the
# point of Art. 18(1) it rests on, then the request that asked for it. Restrictions made
# before the point was recorded read "Art. 18 AVG (<request>) ...": their point is not
# known, so they are treated as the ones that keep data (``art18_keeps_data``).
ART18_ARTICLE = "Art. 18"
ART18_GROUND = "Art. 18 AVG"


class Art18Ground(models.TextChoices):
    """The point of Art. 18(1) a restriction rests on."""

    ACCURACY = "a", _("Art. 18(1)(a): the person contests the accuracy, while we verify it")
    UNLAWFUL = (
        "b",
        _(
            "Art. 18(1)(b): the processing is unlawful and the person asked for restriction "
            "instead of erasure"
        ),
    )
    LEGAL_CLAIM = (
        "c",
        _("Art. 18(1)(c): we no longer need the data, but the person needs them for a legal claim"),
    )
    OBJECTION = (
        "d",
        _(
            "Art. 18(1)(d): the person objected, while we verify whether our grounds "
            "override theirs"
        ),
    )


# (b) and (c) keep the data for the person: no retention limit removes them while the
# restriction lasts. (a) and (d) only pause use while something is checked: a retention
# limit still applies (DESIGN.md §1.3a).
ART18_KEEPING_GROUNDS = frozenset({Art18Ground.UNLAWFUL, Art18Ground.LEGAL_CLAIM})
ART18_TEMPORARY_GROUNDS = frozenset({Art18Ground.ACCURACY, Art18Ground.OBJECTION})


def art18_article(ground: str) -> str:
    """ "Art. 18(1)(c)" for ground "c"; "Art. 18" when the point is not known."""
    return f"{ART18_ARTICLE}(1)({ground})" if ground in Art18Ground.values else ART18_ARTICLE


def art18_ground_prefix(ground: str, reference: str) -> str:
    """How the restriction ground of a row restricted by request ``reference`` starts."""
    return f"{art18_article(ground)} AVG ({reference})"


def art18_request_prefixes(reference: str) -> list[str]:
    """Every way a row restricted by request ``reference`` may start its ground: on any
    point of Art. 18(1), or on none recorded (an older restriction)."""
    return [art18_ground_prefix(g, reference) for g in ("", *Art18Ground.values)]


def art18_ground_of(restriction_ground: str) -> str:
    """The point of Art. 18(1) a row's restriction ground names ("a" to "d"); "" when it
    names none (an older Art. 18 restriction, or another kind of restriction)."""
    for ground in Art18Ground.values:
        if restriction_ground.startswith(art18_article(ground)):
            return ground
    return ""


def art18_ground_label(ground: str) -> str:
    """The point of Art. 18(1) as staff read it, in their language; "ground not
    recorded" for an older restriction."""
    return str(Art18Ground(ground).label) if ground else str(_("ground not recorded"))


def art18_keeps_data(restriction_ground: str) -> bool:
    """A restricted row with this ground is kept past its retention limit: an Art. 18
    restriction under (b) or (c), or one whose point is not recorded (kept to be safe,
    until staff record it). A legal hold, a temporary restriction ((a), (d)) or any other
    kind of restriction does not keep a row past its limit."""
    if restriction_ground and not restriction_ground.startswith(ART18_ARTICLE):
        return False
    return art18_ground_of(restriction_ground) not in ART18_TEMPORARY_GROUNDS


class RestrictableModel(models.Model):
    """Row-level restriction of processing (Art. 18, and rows kept under a legal hold)."""

    restricted_at = models.DateTimeField(_("restricted since"), null=True, blank=True)
    restriction_ground = models.CharField(_("restriction ground"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_restricted(self) -> bool:
        return self.restricted_at is not None


@dataclasses.dataclass(frozen=True)
class Erasure:
    """How a row is erased: deleted, or the named fields blanked (anonymised)."""

    kind: str  # "delete" or "anonymise"
    fields: tuple[str, ...] = ()

    DELETE = "delete"
    ANONYMISE = "anonymise"

    @classmethod
    def delete(cls) -> Erasure:
        return cls(cls.DELETE)

    @classmethod
    def anonymise(cls, *fields: str) -> Erasure:
        if not fields:
            raise ValueError("Anonymising needs the fields to blank.")
        return cls(cls.ANONYMISE, tuple(fields))


@dataclasses.dataclass(frozen=True)
class Kept:
    """Why rows of a model with personal data are kept without a retention rule of their
    own, and what ends them: the documented exemption from storage limitation that
    ``tests/test_storage_limits.py`` asks of every such model. ``enforced_by`` names the
    function (dotted path) that ends them, where one does."""

    because: str
    until: str
    enforced_by: str = ""

    def __post_init__(self) -> None:
        if not self.because.strip() or not self.until.strip():
            raise ValueError("Say why the rows are kept and until when.")


@dataclasses.dataclass(frozen=True)
class RegistryEntry:
    model: type[models.Model]
    activity: str
    categories: tuple[str, ...]
    subject_paths: tuple[str, ...]
    fields: tuple[str, ...]
    erasure: Erasure
    retention_rule: str | None
    clock: str | None
    legal_hold: str | None
    provided_by_subject: bool
    email_field: str | None = None
    # Without a retention rule: why the rows are kept and what ends them.
    kept: Kept | None = None
    # Extra conditions a row without a data subject must meet to be the person's own
    # (an invoice to no organisation), as (lookup, value) pairs.
    unlinked_filter: tuple[tuple[str, Any], ...] = ()
    # Paths to the data subjects a row is about that rights requests do not walk (the
    # trails, breach records), but whose legal holds and Art. 18 restrictions keep the
    # row from its retention rule all the same.
    kept_through: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def encrypted_fields(self) -> tuple[str, ...]:
        from subjects.fields import EncryptedTextField

        return tuple(f.name for f in self.model._meta.fields if isinstance(f, EncryptedTextField))

    @property
    def has_own_erasure(self) -> bool:
        """The model itself (not a proxy of it) defines ``erase_rows``."""
        return "erase_rows" in vars(self.model)

    @property
    def links_to_subjects(self) -> bool:
        return bool(self.subject_paths)

    def subject_filter(self, subject_ids: Iterable[int]) -> Q:
        ids = list(subject_ids)
        return reduce(or_, (Q(**{f"{path}__in": ids}) for path in self.subject_paths))

    def rows_for(self, subject_ids: Iterable[int]) -> QuerySet[Any]:
        """This model's rows of the given subjects (one query when evaluated)."""
        if not self.subject_paths:
            return self.model._default_manager.none()
        qs = self.model._default_manager.filter(self.subject_filter(subject_ids))
        if len(self.subject_paths) > 1 or any("__" in p for p in self.subject_paths):
            qs = qs.distinct()
        return qs.order_by("pk")

    def unlinked_rows(self, email: str) -> QuerySet[Any]:
        """Rows without a data subject that carry ``email`` as the person's own address
        (in ``email_field``, and meeting ``unlinked_filter``); none without an
        ``email_field``."""
        if not self.email_field:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(
            **{f"{self.subject_paths[0]}__isnull": True, f"{self.email_field}__iexact": email},
            **dict(self.unlinked_filter),
        )

    def anonymised_values(self) -> dict[str, Any]:
        """The blank value of every field the erasure strategy anonymises."""
        return self._blank_values(self.erasure.fields)

    def blank_values_except(self, keep: Iterable[str]) -> dict[str, Any]:
        """The blank value of every personal field of the entry except ``keep`` (what a
        record kept for one reason still needs)."""
        keep = set(keep)
        return self._blank_values(name for name in self.fields if name not in keep)

    def _blank_values(self, names: Iterable[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in names:
            field = self.model._meta.get_field(name)
            if field.null:
                values[field.attname] = None
            elif isinstance(field, models.JSONField):
                values[field.attname] = {}
            else:
                values[field.attname] = ""
        return values

    def erase(self, queryset: QuerySet[Any]) -> int:
        """Erase the rows of ``queryset`` by this entry's strategy; returns rows affected
        (``erase_counted`` says how many were deleted and how many made anonymous)."""
        return self.erase_counted(queryset).total

    def erase_counted(self, queryset: QuerySet[Any]) -> ErasedRows:
        """Erase the rows of ``queryset`` by this entry's strategy; returns how many rows
        were deleted and how many made anonymous. A model whose erasure depends on the
        row (a Coaching Monitor participation kept for research only with consent) says
        how in its ``erase_rows(rows, blanks)``, which returns an ``ErasedRows``."""
        if self.has_own_erasure:
            return self.model.erase_rows(queryset, self.anonymised_values())
        if self.erasure.kind == Erasure.DELETE:
            # Delete by primary key so a DISTINCT queryset across relations deletes cleanly.
            pks = list(queryset.values_list("pk", flat=True))
            deleted, per_model = self.model._default_manager.filter(pk__in=pks).delete()
            return ErasedRows(deleted=per_model.get(self.label, 0))
        return ErasedRows(anonymised=queryset.update(**self.anonymised_values()))


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._entries: dict[type[models.Model], RegistryEntry] = {}
        self._exempt: dict[type[models.Model], str] = {}
        self._exempt_kept: dict[type[models.Model], Kept] = {}
        self._not_personal: dict[type[models.Model], str] = {}

    def register(self, entry: RegistryEntry) -> None:
        if entry.model in self._entries:
            raise ValueError(f"{entry.label} is registered twice.")
        self._entries[entry.model] = entry

    def exempt(self, model: type[models.Model], *, reason: str, kept: Kept | None = None) -> None:
        """A model with personal data that the registry does not walk (``reason``), with
        why its rows are kept and what ends them (``kept``)."""
        self._exempt[model] = reason
        if kept is not None:
            self._exempt_kept[model] = kept

    def not_personal(self, model: type[models.Model], *, reason: str) -> None:
        """A model of the project that holds no personal data, and why not."""
        if not reason.strip():
            raise ValueError(f"{model.__name__}: say why it holds no personal data.")
        self._not_personal[model] = reason

    def __iter__(self) -> Iterator[RegistryEntry]:
        return iter(sorted(self._entries.values(), key=lambda e: e.label))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, model: object) -> bool:
        return model in self._entries

    def get(self, model: type[models.Model]) -> RegistryEntry:
        return self._entries[model]

    def get_by_label(self, label: str) -> RegistryEntry:
        for entry in self._entries.values():
            if entry.label.lower() == label.lower():
                return entry
        raise KeyError(label)

    def is_exempt(self, model: type[models.Model]) -> bool:
        return model in self._exempt

    def exemptions(self) -> dict[type[models.Model], str]:
        return dict(self._exempt)

    def is_not_personal(self, model: type[models.Model]) -> bool:
        return model in self._not_personal

    def kept(self, model: type[models.Model]) -> Kept | None:
        """Why rows of ``model`` are kept without a rule of their own, and until when."""
        if model in self._entries and self._entries[model].kept is not None:
            return self._entries[model].kept
        return self._exempt_kept.get(model)

    def rules_of(self, model: type[models.Model]) -> list[str]:
        """The retention rules that end rows of ``model``'s table: its own entry's, and
        those of the entries of its proxies (a second rule with its own clock)."""
        concrete = model._meta.concrete_model
        return sorted(
            {
                e.retention_rule
                for e in self._entries.values()
                if e.retention_rule and e.model._meta.concrete_model is concrete
            }
        )

    def without_an_end(self, models_: Iterable[type[models.Model]]) -> list[str]:
        """Those of ``models_`` (concrete ones) that hold personal data with neither a
        retention rule nor a documented end (``Kept``), nor a statement that they hold no
        personal data: what storage limitation (Art. 5(1)(e)) forbids."""
        return sorted(
            model._meta.label
            for model in models_
            if not model._meta.proxy
            and not model._meta.abstract
            and not self.is_not_personal(model)
            and not self.rules_of(model)
            and self.kept(model) is None
        )

    def for_rule(self, rule_key: str) -> list[RegistryEntry]:
        return [e for e in self if e.retention_rule == rule_key]

    def subject_entries(self) -> list[RegistryEntry]:
        return [e for e in self if e.links_to_subjects]

    def email_entries(self) -> list[RegistryEntry]:
        """Entries whose rows carry the person's own e-mail address and may be stored
        before they are linked to a data subject (``email_field``)."""
        return [e for e in self if e.email_field]


registry = PersonalDataRegistry()


def personal_data(
    *,
    activity: str,
    categories: Iterable[str],
    fields: Iterable[str],
    subject_paths: Iterable[str] = ("subject",),
    erasure: Erasure | None = None,
    retention_rule: str | None = None,
    clock: str | None = None,
    legal_hold: str | None = None,
    provided_by_subject: bool = False,
    email_field: str | None = None,
    unlinked_filter: dict[str, Any] | None = None,
    kept: Kept | None = None,
    kept_through: Iterable[str] = (),
) -> Callable[[M], M]:
    """Declare, next to a model, that it holds personal data and how it is governed.

    ``email_field`` names the field with the person's own e-mail address on a model whose
    rows may exist without a data subject (entered before anyone linked them): a rights
    request from that address links them first (``unlinked_rows_adopt``), so they are
    found like every other row. ``unlinked_filter`` (lookups) narrows those rows to the
    ones that are the person's own, where a row may also belong to someone else (an
    invoice to an organisation, sent to its billing address, is not a person's).

    A model without a ``retention_rule`` says why its rows are kept and what ends them
    (``kept``); ``tests/test_storage_limits.py`` fails when it says neither."""

    def decorator(model: M) -> M:
        if retention_rule and not clock:
            raise ValueError(f"{model.__name__}: a retention rule needs the date its clock starts.")
        if unlinked_filter and not email_field:
            raise ValueError(f"{model.__name__}: an unlinked filter needs an email_field.")
        if retention_rule and kept:
            raise ValueError(f"{model.__name__}: a retention rule ends it, or it is kept.")
        registry.register(
            RegistryEntry(
                model=model,
                activity=activity,
                categories=tuple(categories),
                subject_paths=tuple(subject_paths),
                fields=tuple(fields),
                erasure=erasure or Erasure.delete(),
                retention_rule=retention_rule,
                clock=clock,
                legal_hold=legal_hold,
                provided_by_subject=provided_by_subject,
                kept_through=tuple(kept_through),
                email_field=email_field,
                kept=kept,
                unlinked_filter=tuple(sorted((unlinked_filter or {}).items())),
            )
        )
        return model

    return decorator


def subject_rows(subject: DataSubject) -> list[tuple[RegistryEntry, list[models.Model]]]:
    """Every row held about one data subject, across the whole registry.

    One query per registered model that links to subjects, however many rows there are.
    """
    return [(entry, list(entry.rows_for([subject.pk]))) for entry in registry.subject_entries()]
