"""What the person will receive, shown to staff before it is sent: the answer e-mail as
it would go out now (with the drafted answer) and the files of the package, built in
memory. Nothing is built, stored, sent or recorded."""

from __future__ import annotations

import copy
import dataclasses

from django.utils import translation
from django.utils.translation import gettext as _

from requests_dsar.emails import request_email_render
from requests_dsar.fulfilment.access import access_files
from requests_dsar.fulfilment.answers import answer_draft
from requests_dsar.fulfilment.portability import portability_files
from requests_dsar.models import DsarRequest, RequestType
from requests_dsar.services.identity import holds_special_category_data
from subjects.permissions import can_view_special_category

PACKAGE_TYPES = {RequestType.ACCESS, RequestType.PORTABILITY}


@dataclasses.dataclass(frozen=True)
class AnswerPreview:
    """The answer e-mail (subject and body) and the package's files by name (text);
    ``report_html`` is the access report, shown as the person will see it.
    ``package_withheld``: the package holds special-category data the viewer may not
    see, so its files are left out."""

    subject: str
    body: str
    files: dict[str, str]
    report_html: str
    package_withheld: bool


def answer_preview(*, request: DsarRequest, user: object) -> AnswerPreview:
    """The answer and package of ``request`` as the person would receive them now. A
    package with special-category data is shown only to staff allowed to see such data
    (the same rule as for the package itself)."""
    draft = copy.copy(request)
    draft.answer = answer_draft(request)  # in memory only: never saved
    has_package = request.request_type in PACKAGE_TYPES
    with translation.override(request.language):
        link = _("[the download link, made when the answer is sent]") if has_package else ""
    subject, body = request_email_render(
        request=draft, kind="answer", context={"download_link": link}
    )
    withheld = (
        has_package and holds_special_category_data(request) and not can_view_special_category(user)
    )
    files: dict[str, str] = {}
    if has_package and not withheld:
        if request.request_type == RequestType.ACCESS:
            files = {name: content.decode() for name, content in access_files(request).items()}
        else:
            files = portability_files(request)
    return AnswerPreview(
        subject=subject,
        body=body,
        files=files,
        report_html=files.pop("report.html", ""),
        package_withheld=withheld,
    )
