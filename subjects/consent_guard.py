"""Data that rests on a consent cannot be held without one (Art. 6(1)(a), 7, 9(2)(a)).

A model whose fields (or whose rows) rest on a consent declares it next to its class with
``consent_needs``: which purpose (``processing.models.ConsentPurpose``) each field needs,
what withdrawal does to it, and which recipient holds a copy. ``ConsentGuardedModel``
checks the declaration on every write path: ``clean()`` (so the admin's forms show a
clear message) and ``save()`` (so ``objects.create()``, the services, the demo and every
form obey too). Withdrawal (``subjects.consents.consent_withdraw``) reads the same
declaration to remove the data.
"""

from __future__ import annotations

import dataclasses
from functools import reduce
from operator import or_
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Withdrawal:
    """What withdrawing the consent does to the data resting on it."""

    BLANK = "blank"  # the fields are blanked, the row stays (it rests on a contract)
    DELETE = "delete"  # the rows go (they exist only because of the consent)


@dataclasses.dataclass(frozen=True)
class ConsentNeed:
    """``fields`` of the model rest on a consent for ``purpose``: a row holding any of
    them (not blank) needs an active consent of its data subject for that purpose. With no
    ``fields`` the whole row rests on the consent. ``recipient`` (a recipient key) holds a
    copy of the data and is told of a withdrawal (Art. 19), for the rows that match
    ``recipient_holds`` (all affected rows when empty), asked to do ``instruction``."""

    purpose: str
    fields: tuple[str, ...] = ()
    withdrawal: str = Withdrawal.BLANK
    recipient: str = ""
    recipient_holds: tuple[tuple[str, Any], ...] = ()
    # What the recipient is asked to do, in staff's words (default: stop and erase).
    instruction: Any = None

    def blank_values(self, model: type[models.Model]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in self.fields:
            field = model._meta.get_field(name)
            if field.null:
                values[name] = None
            elif isinstance(field, models.BooleanField):
                values[name] = False
            elif isinstance(field, models.JSONField):
                values[name] = {}
            else:
                values[name] = ""
        return values

    def holding(self, model: type[models.Model]) -> Q:
        """The rows that hold data resting on this consent."""
        if not self.fields:
            return Q()
        return reduce(
            or_, (~Q(**{name: value}) for name, value in self.blank_values(model).items())
        )

    def row_holds(self, row: models.Model) -> bool:
        if not self.fields:
            return True
        return any(
            getattr(row, name) != blank for name, blank in self.blank_values(type(row)).items()
        )


def _follow(row: models.Model, path: str) -> Any:
    """The value at a ``__`` path of a row (``participation__participant`` gives the
    participant's id), without loading the last object."""
    *hops, last = path.split("__")
    target: Any = row
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


class ConsentGuardedModel(models.Model):
    """A model with data that rests on a consent (see ``ConsentNeed``)."""

    consent_needs: ClassVar[tuple[ConsentNeed, ...]] = ()
    # The path from a row to its data subject.
    consent_subject_path: ClassVar[str] = "subject"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if missing := self.consents_missing():
            raise ValidationError(missing)
        super().save(*args, **kwargs)

    def consent_subject_id(self) -> int | None:
        return _follow(self, self.consent_subject_path)

    def consents_missing(self) -> dict[str, list[str]]:
        """Field (or ``__all__``) -> messages, for each need whose data this row holds
        without an active consent of its data subject."""
        from processing.models import Consent, ConsentPurpose

        needed = [need for need in self.consent_needs if need.row_holds(self)]
        if not needed:
            return {}
        subject_id = self.consent_subject_id()
        active = (
            set(
                Consent.objects.filter(
                    subject_id=subject_id,
                    purpose__in=[need.purpose for need in needed],
                    withdrawn_at__isnull=True,
                ).values_list("purpose", flat=True)
            )
            if subject_id
            else set()
        )
        missing: dict[str, list[str]] = {}
        for need in needed:
            if need.purpose in active:
                continue
            message = str(
                _(
                    "This needs the person's consent for %(purpose)s, and there is no "
                    "active consent for it. Record the consent first."
                )
                % {"purpose": ConsentPurpose(need.purpose).label}
            )
            for name in need.fields or ("__all__",):
                missing.setdefault(name, []).append(message)
        return missing

    def clean(self) -> None:
        super().clean()
        if missing := self.consents_missing():
            raise ValidationError(missing)
