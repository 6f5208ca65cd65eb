from __future__ import annotations

from requests_dsar.models import DsarRequest, RequestEvent
from subjects.models.people import SYSTEM_ACTOR
from subjects.services import Actor


def request_event_record(
    *, request: DsarRequest, actor: Actor, action: str, note: str = ""
) -> RequestEvent:
    """Append to the request's audit trail: what happened, who did it, when."""
    user = actor if actor is not None and actor.is_authenticated else None
    return RequestEvent.objects.create(
        request=request,
        actor=user,
        actor_label=user.get_username() if user else SYSTEM_ACTOR,
        action=action,
        note=note,
    )
