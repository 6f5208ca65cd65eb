"""Every action code the application writes into a trail has a message: nothing a
reader sees is a bare code. Read from the source, so a new code without a message fails
here."""

from __future__ import annotations

import ast
from pathlib import Path

from subjects.trail import TRAIL_MESSAGES

ROOT = Path(__file__).resolve().parents[2]
APPS = ("subjects", "processing", "retention", "requests_dsar", "leafspring")
RECORDERS = {"audit_event_record", "request_event_record", "fulfilment_record"}


def _constants(tree: ast.Module) -> dict[str, str]:
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    names[target.id] = node.value.value
    return names


def _codes(node: ast.expr, constants: dict[str, str]) -> tuple[list[str], list[str]]:
    """(codes, prefixes of f-string codes) an ``action=`` argument can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value], []
    if isinstance(node, ast.IfExp):
        a, pa = _codes(node.body, constants)
        b, pb = _codes(node.orelse, constants)
        return a + b, pa + pb
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]], []
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        return [], [node.values[0].value]
    return [], []


def _written_codes() -> tuple[set[str], set[str]]:
    codes: set[str] = set()
    prefixes: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            constants = _constants(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                for keyword in node.keywords:
                    if (name in RECORDERS and keyword.arg == "action") or (
                        keyword.arg == "audit_action"
                    ):
                        found, starts = _codes(keyword.value, constants)
                        codes.update(found)
                        prefixes.update(starts)
    return codes, prefixes


def test_every_code_written_into_a_trail_has_a_message():
    codes, prefixes = _written_codes()
    assert len(codes) > 40  # the scan finds the application's codes
    assert sorted(codes - set(TRAIL_MESSAGES)) == []
    for prefix in prefixes:
        assert any(code.startswith(prefix) for code in TRAIL_MESSAGES), prefix
