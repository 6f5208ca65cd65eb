"""PDF from HTML with WeasyPrint, fetching nothing but local files.

Imported only where a PDF is made (WeasyPrint loads Pango through its C libraries), so a
machine without them still serves every other page."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """Refuses every URL but ``data:`` and files under ``root``: no request leaves the
    server while a PDF is rendered (no tracking pixel, no remote font or stylesheet)."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.root = Path(root).resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not (path.is_relative_to(self.root) and path.is_file()):
                raise ValueError(f"Only files under {self.root} are fetched, not {url}")
        elif scheme != "data":
            raise ValueError(f"Only local files are fetched while rendering, not {url}")
        return super().fetch(url, headers)


def static_root() -> Path:
    return Path(settings.BASE_DIR) / "static"


def pdf_from_html(html: str) -> bytes:
    """Render ``html`` (a complete document with its CSS inline) to PDF bytes; relative
    URLs resolve against the project's static folder and nothing else is fetched."""
    root = static_root()
    return HTML(
        string=html, base_url=root.as_uri() + "/", url_fetcher=LocalOnlyFetcher(root)
    ).write_pdf()
