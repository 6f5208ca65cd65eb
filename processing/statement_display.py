"""The privacy statement's text as people read it: as blocks for a web page, as a plain
e-mail, and the changes between two versions (``difflib``), word by word where a line
was changed rather than replaced.

The text's markup is the one ``processing.statement`` writes: ``# `` title, ``## ``
section, ``### `` activity, ``- `` list item, ``{#id}`` anchor at the end of a heading,
every other line one paragraph.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

ANCHOR = re.compile(r"\s*\{#([a-z0-9-]+)\}\s*$")
HEADINGS = {"# ": "h1", "## ": "h2", "### ": "h3"}
ITEM = "- "
# Below this similarity a changed line is shown as removed and added, not word by word.
SIMILAR = 0.5


@dataclasses.dataclass(frozen=True)
class Line:
    kind: str  # h1, h2, h3, li, p
    text: str
    anchor: str = ""

    @property
    def is_heading(self) -> bool:
        return self.kind in {"h1", "h2", "h3"}


def line_parse(raw: str) -> Line:
    for prefix, kind in sorted(HEADINGS.items(), key=lambda item: -len(item[0])):
        if raw.startswith(prefix):
            text = raw[len(prefix) :]
            match = ANCHOR.search(text)
            if match:
                return Line(kind, text[: match.start()].strip(), match.group(1))
            return Line(kind, text.strip())
    if raw.startswith(ITEM):
        return Line("li", raw[len(ITEM) :].strip())
    return Line("p", raw.strip())


def text_lines(text: str) -> list[Line]:
    """The lines of a statement that say something (empty lines only separate)."""
    return [line_parse(raw) for raw in text.splitlines() if raw.strip()]


@dataclasses.dataclass
class Block:
    kind: str  # h1, h2, h3, p, ul
    text: str = ""
    anchor: str = ""
    items: list[str] = dataclasses.field(default_factory=list)
    # A paragraph of an activity that starts with a label ("Purpose: ..."): the two parts.
    label: str = ""
    rest: str = ""


ACTIVITY_HEADING = re.compile(r"^\d+\. ")
LABEL = re.compile(r"^([^.:?]{1,80}[:?])\s+(.+)$")


def statement_blocks(text: str) -> list[Block]:
    """Headings, paragraphs and lists (consecutive items make one list). In an activity
    a paragraph's label (up to its first colon or question mark) is set apart."""
    blocks: list[Block] = []
    in_activity = False
    for line in text_lines(text):
        if line.kind == "li":
            if not blocks or blocks[-1].kind != "ul":
                blocks.append(Block("ul"))
            blocks[-1].items.append(line.text)
            continue
        if line.is_heading:
            in_activity = line.kind == "h3" and bool(ACTIVITY_HEADING.match(line.text))
        block = Block(line.kind, line.text, line.anchor)
        match = LABEL.match(line.text) if in_activity and line.kind == "p" else None
        if match:
            block.label, block.rest = match.group(1), match.group(2)
        blocks.append(block)
    return blocks


def statement_title(text: str) -> str:
    for line in text_lines(text):
        if line.kind == "h1":
            return line.text
    return ""


def statement_sections(text: str) -> list[Line]:
    """The sections (``## ``) with their anchors, for a table of contents."""
    return [line for line in text_lines(text) if line.kind == "h2" and line.anchor]


def statement_plain(text: str) -> str:
    """The text as a plain e-mail: headings underlined, items with a dash, no anchors."""
    out: list[str] = []
    for raw in text.splitlines():
        if not raw.strip():
            out.append("")
            continue
        line = line_parse(raw)
        if line.kind in {"h1", "h2"}:
            out.extend(["", line.text, ("=" if line.kind == "h1" else "-") * len(line.text)])
        elif line.kind == "h3":
            out.extend(["", line.text.upper()])
        elif line.kind == "li":
            out.append(f"- {line.text}")
        else:
            out.append(line.text)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


# The changes between two versions.


@dataclasses.dataclass(frozen=True)
class ChangedLine:
    kind: str  # same, removed, added, changed
    line: Line
    # For "changed": the words, each ("same" | "removed" | "added", text).
    parts: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass(frozen=True)
class Hunk:
    section: str  # the heading the change falls under
    lines: tuple[ChangedLine, ...]


def _words_changed(old: str, new: str) -> tuple[tuple[str, str], ...]:
    a, b = old.split(), new.split()
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", " ".join(a[i1:i2])))
            continue
        if tag in {"delete", "replace"}:
            parts.append(("removed", " ".join(a[i1:i2])))
        if tag in {"insert", "replace"}:
            parts.append(("added", " ".join(b[j1:j2])))
    return tuple(parts)


def _replaced(old: list[Line], new: list[Line]) -> list[ChangedLine]:
    """Lines replaced by others: pairs of similar lines (same kind) shown word by word,
    the rest as removed and added, each next to what it replaced."""
    out: list[ChangedLine] = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if (
            before is not None
            and after is not None
            and before.kind == after.kind
            and difflib.SequenceMatcher(None, before.text, after.text).ratio() >= SIMILAR
        ):
            out.append(ChangedLine("changed", after, _words_changed(before.text, after.text)))
            continue
        if before is not None:
            out.append(ChangedLine("removed", before))
        if after is not None:
            out.append(ChangedLine("added", after))
    return out


def _section_before(lines: list[Line], end: int) -> str:
    for line in reversed(lines[:end]):
        if line.kind in {"h2", "h3"}:
            return line.text
    return ""


def statement_changes(old_text: str, new_text: str, *, context: int = 1) -> list[Hunk]:
    """What changed from ``old_text`` to ``new_text``: runs of changed lines with
    ``context`` unchanged lines around them, each under the heading it falls in."""
    old, new = text_lines(old_text), text_lines(new_text)
    matcher = difflib.SequenceMatcher(
        None, [(x.kind, x.text) for x in old], [(x.kind, x.text) for x in new], autojunk=False
    )
    hunks: list[Hunk] = []
    for group in matcher.get_grouped_opcodes(context):
        lines: list[ChangedLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(ChangedLine("same", line) for line in new[j1:j2])
            elif tag == "delete":
                lines.extend(ChangedLine("removed", line) for line in old[i1:i2])
            elif tag == "insert":
                lines.extend(ChangedLine("added", line) for line in new[j1:j2])
            else:
                lines.extend(_replaced(old[i1:i2], new[j1:j2]))
        first_new = group[0][3]
        section = _section_before(new, first_new + 1) or _section_before(old, group[0][1] + 1)
        hunks.append(Hunk(section=section, lines=tuple(lines)))
    return hunks
