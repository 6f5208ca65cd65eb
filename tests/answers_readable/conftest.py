from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Answer files go to a temporary folder, never the project's."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT
