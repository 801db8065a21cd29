"""A first mapping for a sheet: its headers matched to the framework's keys, every guess marked.

Each key of the framework's audits is known by a few names (``impact.child_seen.rating`` by the
standard's title "Child seen", its id and its number; ``case.law_type`` by the field's label).
Each header is matched to the closest name (``difflib``); every match is written with a
``# review:`` comment, and the keys an audit needs that no header matched are written commented
out, so the mapping fails (``QA609``) until a person has looked.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from qaimpact.authoring.importing.emit import printable
from qaimpact.authoring.importing.mapping import Path_, date_pattern, required_paths, resolve, word_key
from qaimpact.authoring.importing.sheets import Table, Workbook, cell_at, number_runs
from qaimpact.base.diagnose import format_path
from qaimpact.models.audit import audit_model
from qaimpact.models.standard import NOT_APPLICABLE, Framework

#: Below this similarity a header is not matched to a key.
CUTOFF = 0.6
_DATE_GUESSES = (
    "DD/MM/YYYY",
    "D/M/YYYY",
    "DD-MM-YYYY",
    "DD.MM.YYYY",
    "D MMM YYYY",
    "DD MMM YYYY",
    "MM/DD/YYYY",
)


@dataclass(frozen=True, slots=True)
class _Key:
    path: Path_
    names: tuple[str, ...]


def _keys(framework: Framework) -> Iterator[_Key]:
    spec = framework.spec
    yield _Key(("audit_id",), ("audit id", "audit reference", "audit number", "audit reference number", "id"))
    if spec.audit_types:
        yield _Key(("audit_type",), ("audit type", "type of audit"))
        yield _Key(("theme",), ("theme",))
    yield _Key(
        ("reaudit_of",),
        ("reaudit of", "re-audit of", "previous audit", "previous audit number", "reaudit of audit number"),
    )
    for name, field in spec.case_fields.items():
        # A case number is headed by the system's name ("LCS No") or the case's ("Case No"), which
        # read as "audit number" more closely than as a label such as "Case reference".
        numbered = (
            (f"{field.identifier.prefix} number", "case number", "case reference", "case id")
            if field.identifier is not None
            else ()
        )
        yield _Key(("case", name), tuple(n for n in (name, field.label, *numbered) if n))
    yield _Key(("practitioner",), ("practitioner", "worker", "social worker", "practitioner name"))
    for name, field in spec.extra_fields.items():
        if field.type == "date_range":
            for end in ("from", "to"):
                yield _Key((name, end), (f"{name} {end}", f"{field.label or name} {end}"))
        else:
            yield _Key((name,), tuple(n for n in (name, field.label) if n))
    yield _Key(("reviewer",), ("reviewer", "auditor", "audited by", "reviewed by"))
    yield _Key(("review_date",), ("review date", "date of audit", "audit date", "date audited", "date"))
    for group in spec.groups:
        for std in group.standards:
            title = std.title.rstrip(".")
            names = [title, std.id]
            if std.number:
                names.append(f"{std.number} {title}")
            yield _Key((group.id, std.id, "rating"), (*names, f"{title} rating"))
            for name, field in std.fields.items():
                yield _Key(
                    (group.id, std.id, name),
                    (f"{title} {name}", f"{std.id} {name}", field.label or name, name),
                )
            yield _Key(
                (group.id, std.id, "evidence"),
                (f"{title} evidence", f"{std.id} evidence", f"{title} comments"),
            )
    for dom in spec.domains or ():
        yield _Key(("domains", dom.id, "indicators"), (dom.title, f"{dom.id} indicators"))
        yield _Key(("domains", dom.id, "comment"), (f"{dom.title} comment", f"{dom.id} comment"))
    if spec.learning:
        for i in range(spec.learning.max_points or 3):
            n = i + 1
            for part in ("area", "points", "comment"):
                yield _Key(
                    ("learning_actions", i, part), (f"learning {n} {part}", f"learning action {n} {part}")
                )
    if spec.immediate_actions:
        ia = spec.immediate_actions
        yield _Key((ia.key, "required"), (ia.label, f"{ia.key} required"))
        yield _Key((ia.key, "comment"), (f"{ia.label} comment", f"{ia.key} comment"))
    if spec.added_value:
        yield _Key(("added_value",), ("added value",))
        yield _Key(("added_value_comment",), ("added value comment",))
    if spec.feedback:
        for key in spec.feedback:
            yield _Key(("feedback", key), (f"{key} feedback", f"feedback {key}"))
    yield _Key((spec.grades.key,), (spec.grades.key, "overall grade", "grade", "judgement", "recorded grade"))
    yield _Key(("rationale",), ("rationale", "reasons for grade", "grade rationale"))
    if spec.escalations:
        for part in ("raised_to", "raised_on", "acknowledged_on", "note"):
            yield _Key(("escalation", part), (f"escalation {part}",))
    for part in ("moderator", "moderated_grade", "moderated_on", "notes"):
        yield _Key(("moderation", part), (f"moderation {part}", part))


#: Spreadsheets abbreviate: "Audit No", "Audit #" and "Audit Ref" are an audit's id, not its
#: reviewer or the audit it re-audits, which they resemble more closely letter by letter.
_ABBREVIATIONS = {"no": "number", "nr": "number", "num": "number", "ref": "reference"}


def _norm(text: str) -> str:
    # A question's "No" is an answer ("Any immediate actions? No"), whatever follows the rule below.
    answer = re.search(r"\?\W*no\W*$", text, re.IGNORECASE) is not None
    words = re.sub(r"[^0-9a-z]+", " ", text.casefold().replace("_", " ").replace("#", " no ")).split()
    # "No" is a number only last and after another word ("Audit No"), not an answer ("Yes/No",
    # "Yes or No").
    return " ".join(
        _ABBREVIATIONS.get(word, word)
        if i and (word != "no" or (i == len(words) - 1 and "yes" not in words and not answer))
        else word
        for i, word in enumerate(words)
    )


#: Words that name a person's or another system's identifier: "Child's NHS No" reads, letter by
#: letter, much like "LCS No", but it is never the case number. A header with one of these
#: matches only a key whose names hold the word too.
_OTHER_IDENTIFIERS = frozenset(
    ("nhs", "ni", "insurance", "upn", "uln", "pupil", "passport", "phone", "telephone", "mobile", "postcode")
)


def _score(header: str, key: _Key) -> float:
    h = _norm(header)
    candidates = [_norm(n) for n in key.names] + [_norm(format_path(key.path))]
    foreign = _OTHER_IDENTIFIERS.intersection(h.split())
    if foreign and not any(foreign <= set(c.split()) for c in candidates):
        return 0.0
    return max(difflib.SequenceMatcher(None, h, c).ratio() for c in candidates)


def match_headers(table: Table, framework: Framework) -> dict[Path_, tuple[str, float]]:
    """The best header for each key, best matches first (a header is used once).

    A hidden column with a header and no value (one the QA team stopped using) is no match: a
    mapping reading it would read nothing.
    """
    model = audit_model(framework)
    keys = [k for k in _keys(framework) if not isinstance(resolve(model, k.path), str)]
    unused = set(table.hidden_headers)
    scored = [
        (_score(header, key), index, header, key)
        for index, header in enumerate(table.headers)
        if header and index + 1 not in unused
        for key in keys
    ]
    scored.sort(key=lambda s: (-s[0], s[1]))
    taken_headers: set[int] = set()
    chosen: dict[Path_, tuple[str, float]] = {}
    for score, index, header, key in scored:
        if score < CUTOFF or index in taken_headers or key.path in chosen:
            continue
        taken_headers.add(index)
        chosen[key.path] = (header, score)
    return chosen


def _date_formats(table: Table, columns: list[int]) -> list[str]:
    cells = [
        cell_at(row, table.far(number), c + 1)
        for row, number in zip(table.rows, table.row_numbers, strict=True)
        for c in columns
    ]
    texts = [cell.strip() for cell in cells if isinstance(cell, str) and cell.strip()]
    texts = [t for t in texts if not re.fullmatch(r"\d{4}-\d\d-\d\d|\d+(\.\d+)?", t)]
    found: list[str] = []
    for name in _DATE_GUESSES:
        pattern = date_pattern(name)
        assert pattern is not None
        readable = []
        for text in texts:
            try:
                dt.datetime.strptime(text, pattern)
                readable.append(text)
            except ValueError:
                continue
        if readable and name not in found:
            found.append(name)
            texts = [t for t in texts if t not in readable]
    return found


def _initials(label: str) -> str:
    return "".join(w[0] for w in label.split()).casefold()


def scaffold_mapping(workbook: Workbook, framework: Framework) -> str:
    """The text of a first mapping for the workbook's first sheet."""
    table = next(iter(workbook.tables.values()))
    model = audit_model(framework)
    chosen = match_headers(table, framework)
    ordered = sorted(chosen.items(), key=lambda item: table.headers.index(item[1][0]))
    lines = [
        f"# A first mapping for {workbook.path}, written by `qaimpact import --scaffold-mapping`.",
        "# Every line marked 'review:' is a guess: check it, correct it, then delete the mark.",
        f"standards: {framework.id}",
    ]
    if table.sheet is not None:
        lines.append(f"sheets: [{json.dumps(table.sheet)}]")
        others = [n for n in workbook.sheet_names if n != table.sheet]
        if others:
            named = ", ".join(json.dumps(n) for n in others)
            lines.append(
                f"# review: the workbook's other sheets are not read: {named}. Add those with the same "
                "columns to 'sheets:', or write 'sheets: all'."
            )
    lines += _hidden_lines(table)
    # A header far to the right of the others (QA613, which the import gives too) is easily missed
    # when the mapping is reviewed: it is said where it is, and what to do with it.
    lines += [printable(f"# review: {d.message} {d.hint}") for d in table.diagnostics if d.code == "QA613"]
    lines.append(f"header_row: {table.header_row}")
    date_cols = [
        table.headers.index(header)
        for path, (header, _) in chosen.items()
        if not isinstance(leaf := resolve(model, path), str) and leaf.kind == "date"
    ]
    formats = _date_formats(table, date_cols)
    if formats:
        lines.append(f"dates: [{', '.join(formats)}]  # review: the ways the sheet writes dates")
    rating_cols = [table.headers.index(h) for p, (h, _) in chosen.items() if p[-1] == "rating"]
    grade_cols = [table.headers.index(h) for p, (h, _) in chosen.items() if p == (framework.spec.grades.key,)]
    lines += _words(
        table, rating_cols, "ratings", {**framework.rating_labels}, [*framework.rating_rank, NOT_APPLICABLE]
    )
    lines += _words(table, grade_cols, "grades", dict(framework.grade_labels), list(framework.grade_rank))
    lines.append("columns:")
    for path, (header, score) in ordered:
        how = "same words" if score >= 0.999 else f"{round(score * 100)}% alike"
        lines.append(f"  {format_path(path)}: {json.dumps(header, ensure_ascii=False)}  # review: {how}")
    missing = [p for p in required_paths(model) if p not in chosen and p != ("standards",)]
    for path in missing:
        lines.append(f"  # {format_path(path)}: ???  # review: no header matched; every audit needs it")
    # A hidden column with a header and no value is left unsaid: no audit keeps anything of it.
    hidden = set(table.hidden_headers)
    mapped = {header for header, _ in chosen.values()}
    unused = [h for c, h in enumerate(table.headers, 1) if h and h not in mapped and c not in hidden]
    if unused:
        lines.append("# Columns not mapped (each audit keeps their cells in a comment):")
        lines += [printable(f"#   {h}") for h in unused]
    return "\n".join(lines) + "\n"


def _hidden_lines(table: Table) -> list[str]:
    """``# review:`` lines for what the sheet hides: the import reads it like the rest."""
    lines = []
    if table.hidden:
        lines.append("# review: this sheet is hidden in the workbook; the import reads it all the same.")
    for what, count, skip in (
        (
            f"{'row' if len(table.hidden_rows) == 1 else 'rows'} {number_runs(table.hidden_rows)}",
            len(table.hidden_rows),
            " or list {them} under 'skip_rows:'",
        ),
        (table.columns_named(table.hidden_columns), len(table.hidden_columns), ""),
    ):
        if not count:
            continue
        are, they, them = ("is", "it", "it") if count == 1 else ("are", "they", "them")
        lines.append(
            f"# review: {what} {are} hidden in the workbook; the import reads {them} like the others. "
            f"If {they} should not be imported, delete {them} from the sheet{skip.format(them=them)}."
        )
    return lines


def _words(table: Table, cols: list[int], key: str, labels: dict[str, str], ids: list[str]) -> list[str]:
    known = {word_key(i) for i in ids} | {word_key(v) for v in labels.values()}
    words: list[str] = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        for c in cols:
            value = cell_at(row, table.far(number), c + 1)
            if value is None or not str(value).strip():
                continue
            text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
            if word_key(text) not in known and text not in words:
                words.append(text)
    if not words:
        return []
    guesses: dict[str, list[str]] = {i: [] for i in ids}
    left: list[str] = []
    for word in words:
        match = [i for i in ids if _initials(labels.get(i, i)) == word.casefold()]
        if len(match) == 1:
            guesses[match[0]].append(word)
        else:
            left.append(word)
    out = [f"{key}:  # review: the sheet's own words for each id (its id and label are always understood)"]
    for ident, found in guesses.items():
        out.append(f"  {ident}: [{', '.join(json.dumps(w, ensure_ascii=False) for w in found)}]")
    if left:
        out.append(
            f"  # review: words not placed yet: {', '.join(json.dumps(w, ensure_ascii=False) for w in left)}"
        )
    return out
