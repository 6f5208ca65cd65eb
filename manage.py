#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leafspring.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load the settings to report problems clearly
    except ImproperlyConfigured as exc:
        sys.exit(
            f"Configuration error: {exc}\n"
            "For development run `make run` (or set DEBUG=true); for production see the "
            "configuration table in README.md."
        )

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
