"""Requests in a given state, made through the services as the public side would."""

from __future__ import annotations

from requests_dsar.models import DsarRequest
from requests_dsar.services.intake import dsar_request_create, dsar_request_verify


def verified_request(
    *, email: str = "sanne@example.nl", right: str = "access", **fields
) -> DsarRequest:
    request, token = dsar_request_create(
        request_type=right, name="Sanne de Vries", email=email, language="nl", **fields
    )
    dsar_request_verify(token=token)
    request.refresh_from_db()
    return request
