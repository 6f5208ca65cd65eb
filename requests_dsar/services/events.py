from __future__ import annotations

from typing import Any

from requests_dsar.models import DsarRequest, RequestEvent
from subjects.models.people import SYSTEM_ACTOR
from subjects.services import Actor


def request_event_record(
    *,
    request: DsarRequest,
    actor: Actor,
    action: str,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> RequestEvent:
    """Append to the request's audit trail: what happened (an action code of
    ``subjects.trail`` with its parameters: codes, numbers, dates, references, never a
    sentence), who did it, when; ``note`` is what the staff member typed, as typed."""
    user = actor if actor is not None and actor.is_authenticated else None
    return RequestEvent.objects.create(
        request=request,
        actor=user,
        actor_label=user.get_username() if user else SYSTEM_ACTOR,
        action=action,
        params=params or {},
        note=note,
    )
