"""The mapping file: how a spreadsheet's columns and words become an audit's keys and values.

A mapping is YAML, read by the same safe loader as audits and checked as strictly: a typing
mistake gets a located finding with the closest key, never a silent default. It names the
framework, the sheets to read, the row of headers, which rows to skip, how dates are written,
the sheet's words for ratings, grades and other choices, and, under ``columns:``, the column that
holds each key of an audit (``impact.child_seen.rating: Child seen``).

:func:`compile_mapping` turns a checked mapping into :class:`Target` entries: one per mapped key,
with the kind of value it takes and the words that mean each allowed value.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qaimpact.base.codes import diagnostic
from qaimpact.base.diagnose import format_path, pydantic_diagnostics, suggest
from qaimpact.base.loader import Document, LoadError, load_file
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import audit_model
from qaimpact.models.findings import Diagnostic
from qaimpact.models.location import column_number
from qaimpact.models.standard import NOT_APPLICABLE, Framework

Word = str | int | float | bool
Path_ = tuple[str | int, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnLetter(_Strict):
    """A column named by its letter rather than its header: ``{column: F}``."""

    column: str = Field(description="The column's letter, as the spreadsheet shows it (A, B, ..., AA).")


class Booleans(_Strict):
    """The sheet's words for yes and no, besides yes/no, true/false, y/n and 1/0."""

    yes: list[Word] = Field(default_factory=list, description="Words that mean yes (true).")
    no: list[Word] = Field(default_factory=list, description="Words that mean no (false).")


class ImportMapping(_Strict):
    """How one spreadsheet becomes audit files (``qaimpact import SHEET --mapping FILE``)."""

    standards: str = Field(description="The framework id every row is recorded against.")
    sheets: list[str] | Literal["all"] | None = Field(
        None,
        description="The sheets of a workbook to read, in order, or `all` (default: the first sheet). "
        "CSV files have one.",
    )
    skip_sheets: list[str] = Field(
        default_factory=list, description="Sheets not to read when `sheets: all` (a summary, lists)."
    )
    header_row: int = Field(1, ge=1, description="The row that holds the column headers.")
    skip_rows: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list, description="Rows not to import, by number (a row of guidance, totals)."
    )
    skip_when: dict[str, list[Word]] = Field(
        default_factory=dict,
        description="Rows not to import, by a column's value: `{Status: [Draft, Cancelled]}`.",
    )
    dates: list[str] = Field(
        default_factory=list,
        description="How the sheet writes dates in text, tried in order, e.g. `DD/MM/YYYY`, `D MMM YYYY` "
        "(date cells, Excel day numbers and YYYY-MM-DD are always read).",
    )
    ratings: dict[str, list[Word]] = Field(
        default_factory=dict,
        description="The sheet's words for each rating id, besides the id and label: `good: [G, 2]`.",
    )
    grades: dict[str, list[Word]] = Field(
        default_factory=dict, description="The sheet's words for each grade id, besides the id and label."
    )
    words: dict[str, list[Word]] = Field(
        default_factory=dict,
        description="The sheet's words for other choices (law types, indicators, ...), by their id.",
    )
    booleans: Booleans = Field(default_factory=Booleans, description="The sheet's words for yes and no.")
    columns: dict[str, str | ColumnLetter] = Field(
        description="The column that holds each key of an audit, by header (or `{column: F}`); keys "
        "are written as validate names them: `case.law_type`, `learning_actions[0].area`."
    )


# -- What a mapped key takes ------------------------------------------------------------------------

Kind = Literal["text", "integer", "boolean", "date", "choice", "choices"]


@dataclass(frozen=True, slots=True)
class Target:
    """One mapped key: where it goes in an audit, what it takes, and the column it comes from."""

    path: Path_
    text: str
    kind: Kind
    column: str | ColumnLetter
    #: For choices: each word (as :func:`word_key` spells it) and the id it means.
    words: dict[str, str] = field(default_factory=dict)
    #: The allowed ids, for messages.
    ids: tuple[str, ...] = ()
    #: What the words are ("rating", "grade", "choice"), for messages.
    noun: str = "value"
    #: Whether an audit needs a value here whenever the block holding it is there.
    required: bool = False
    #: The paths of the blocks holding it that an audit may leave out (empty: none).
    optional_blocks: tuple[Path_, ...] = ()


@dataclass(slots=True)
class CompiledMapping:
    """A checked mapping, ready to read rows."""

    source: str
    spec: ImportMapping
    framework: Framework
    targets: list[Target]
    date_formats: list[str]
    yes: frozenset[str]
    no: frozenset[str]
    skip_when: dict[str, frozenset[str]]
    document: Document

    def locate(self, path: Sequence[Any], *, key: bool = False) -> Any:
        """Where a key of the mapping file is, for findings about it."""
        return self.document.locate(list(path), key=key)

    @property
    def last_letter_column(self) -> int:
        """The last column the mapping names by its letter (0 if none): the reader spreads merged
        cells that far even where no cell of the sheet has a value."""
        return max(
            (column_number(t.column.column) or 0 for t in self.targets if isinstance(t.column, ColumnLetter)),
            default=0,
        )


def word_key(value: Any) -> str:
    """How words compare: ignoring case, spaces and underscores; ``2``, ``2.0`` and ``"2"`` alike."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("_", " ").split()).casefold()


_PATH_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*)((?:\[\d+\])*)")


def parse_path(text: str) -> Path_ | None:
    """``learning_actions[0].area`` -> ``("learning_actions", 0, "area")``; ``None`` if malformed."""
    parts: list[str | int] = []
    for piece in text.strip().split("."):
        found = _PATH_PART.fullmatch(piece)
        if found is None:
            return None
        parts.append(found.group(1))
        parts += [int(i) for i in re.findall(r"\[(\d+)\]", found.group(2))]
    return tuple(parts)


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The type inside ``Annotated`` and ``| None``, and whether ``None`` was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        else:
            return annotation, optional


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@dataclass(frozen=True, slots=True)
class _Leaf:
    kind: Kind
    ids: tuple[str, ...]
    required: bool
    optional_blocks: tuple[Path_, ...]


def resolve(model: type[BaseModel], path: Path_) -> _Leaf | str:
    """What the key at ``path`` takes in audits of ``model``; a plain-English reason if nothing."""
    annotation: Any = model
    required = True
    blocks: list[Path_] = []
    for index, part in enumerate(path):
        current, optional = _strip(annotation)
        here = path[:index]
        if index and (optional or not required):
            blocks.append(here)
        if _is_model(current):
            if not isinstance(part, str):
                return f"'{format_path(here)}' is not a list"
            fields = {info.alias or name: info for name, info in current.model_fields.items()}
            if part not in fields:
                guess = suggest(part, list(fields))
                return f"'{format_path(path[: index + 1])}' is not a key of the audits" + (
                    f"; did you mean '{format_path((*here, guess))}'?" if guess else ""
                )
            required = fields[part].is_required()
            annotation = fields[part].annotation
        elif typing.get_origin(current) is list and _is_model(_strip(typing.get_args(current)[0])[0]):
            if not isinstance(part, int):
                return (
                    f"'{format_path(here)}' is a list: name an entry by its number, such as "
                    f"'{format_path((*here, 0, part))}'"
                )
            blocks.append((*here, part))
            annotation = typing.get_args(current)[0]
            required = True
        else:
            return f"'{format_path(here)}' holds a single value, not '{format_path(path)}'"
    current, optional = _strip(annotation)
    if optional:
        required = False
    if _is_model(current):
        keys = [info.alias or name for name, info in current.model_fields.items()]
        return f"'{format_path(path)}' holds several values: map each of {', '.join(keys)} instead"
    origin = typing.get_origin(current)
    if origin is list:
        item, _ = _strip(typing.get_args(current)[0])
        if typing.get_origin(item) is Literal:
            return _Leaf("choices", tuple(map(str, typing.get_args(item))), False, tuple(blocks))
        if _is_model(item):
            entry = format_path((*path, 0))
            return f"'{format_path(path)}' is a list: map its entries' keys, such as '{entry}...'"
        return _Leaf("text", (), required, tuple(blocks))
    if origin is Literal:
        return _Leaf("choice", tuple(map(str, typing.get_args(current))), required, tuple(blocks))
    if current is bool:
        return _Leaf("boolean", (), required, tuple(blocks))
    if current is int:
        return _Leaf("integer", (), required, tuple(blocks))
    if current is dt.date:
        return _Leaf("date", (), required, tuple(blocks))
    return _Leaf("text", (), required, tuple(blocks))


def required_paths(model: type[BaseModel], prefix: Path_ = ()) -> list[Path_]:
    """Every key an audit must hold whatever else it says (the blocks it may leave out skipped)."""
    found: list[Path_] = []
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        key = info.alias or name
        current, optional = _strip(info.annotation)
        if optional:
            continue
        if _is_model(current):
            found += required_paths(current, (*prefix, key))
        else:
            found.append((*prefix, key))
    return found


# -- Words -----------------------------------------------------------------------------------------


def _label_words(framework: Framework, path: Path_) -> dict[str, str]:
    """The framework's own labels for the choices at ``path`` (indicators, categories, ...)."""
    spec = framework.spec
    plain = [p for p in path if isinstance(p, str)]
    labels: dict[str, str] = {}
    if plain[:1] == ["domains"] and spec.domains:
        for dom in spec.domains:
            if len(plain) > 1 and dom.id == plain[1]:
                labels.update({i.id: i.label for i in dom.indicators})
    elif plain[:1] == ["learning_actions"] and spec.learning:
        if plain[-1] == "area":
            labels.update({a.id: a.title for a in spec.learning.areas})
        elif plain[-1] == "points":
            labels.update({p.id: p.label for a in spec.learning.areas for p in a.points})
    elif plain == ["added_value"] and spec.added_value:
        labels.update({c.id: c.label for c in spec.added_value.categories})
    elif plain == ["audit_type"] and spec.audit_types:
        labels.update({t.id: t.label for t in spec.audit_types})
    return labels


def _noun(framework: Framework, path: Path_) -> str:
    groups = {g.id for g in framework.spec.groups}
    if len(path) == 3 and path[0] in groups and path[2] == "rating":
        return "rating"
    if path in ((framework.spec.grades.key,), ("moderation", "moderated_grade")):
        return "grade"
    return "choice"


# -- Loading and checking --------------------------------------------------------------------------


def load_mapping(
    path: Path, display: str, registry: Registry
) -> tuple[CompiledMapping | None, list[Diagnostic]]:
    """Read and check a mapping file; the compiled mapping, or ``None`` and why not (located)."""
    try:
        doc = load_file(path, display, kind="mapping")
    except LoadError as exc:
        return None, [exc.diagnostic]
    if not isinstance(doc.data, dict):
        return None, [
            diagnostic(
                "QA104",
                doc.locate([]),
                "A mapping must be a block of 'key: value' lines.",
                "Start from examples/import/tracker.mapping.yaml, or write one with `qaimpact import SHEET "
                "--scaffold-mapping --standards ID`.",
            )
        ]
    try:
        spec = ImportMapping.model_validate(doc.data)
    except ValidationError as exc:
        return None, pydantic_diagnostics(exc, doc, ImportMapping, subject="The mapping")
    return compile_mapping(spec, doc, registry)


def compile_mapping(
    spec: ImportMapping, doc: Document, registry: Registry
) -> tuple[CompiledMapping | None, list[Diagnostic]]:
    """Check a mapping against its framework, and turn it into targets."""
    found: list[Diagnostic] = []
    framework = registry.get(spec.standards)  # a broken standards file raises StandardsError
    if framework is None:
        guess = registry.closest(spec.standards)
        found.append(
            diagnostic(
                "QA201",
                doc.locate(["standards"]),
                f"Unknown framework '{spec.standards}' in 'standards:'; the known frameworks are: "
                f"{', '.join(registry.ids())}.",
                (f"Did you mean '{guess}'? " if guess else "")
                + "Use one of the known ids, or add your own framework with --standards-dir DIR.",
            )
        )
        return None, found
    model = audit_model(framework)
    ratings = [*framework.rating_rank, NOT_APPLICABLE]
    grades = list(framework.grade_rank)
    tables = {
        "ratings": (ratings, dict(framework.rating_labels)),
        "grades": (grades, dict(framework.grade_labels)),
    }
    for table, (ids, _) in tables.items():
        for ident in getattr(spec, table):
            if ident not in ids:
                guess = suggest(ident, ids)
                found.append(
                    diagnostic(
                        "QA205",
                        doc.locate([table, ident], key=True),
                        f"'{ident}' under '{table}:' is not one of {framework.id}'s "
                        f"{table[:-1]}s: {', '.join(ids)}.",
                        (f"Did you mean '{guess}'? " if guess else "")
                        + f"List the sheet's words under the {table[:-1]} id they mean.",
                    )
                )
    targets: list[Target] = []
    mapped: set[Path_] = set()
    all_choice_ids: set[str] = set()
    for text, column in spec.columns.items():
        path = parse_path(text)
        where = doc.locate(["columns", text], key=True)
        if path is None:
            found.append(
                diagnostic(
                    "QA203",
                    where,
                    f"'{text}' is not a key of an audit: keys are written like 'case.law_type' or "
                    "'learning_actions[0].area'.",
                    "Write the key as `qaimpact validate` names it.",
                )
            )
            continue
        leaf = resolve(model, path)
        if isinstance(leaf, str):
            sentence = leaf[0].upper() + leaf[1:]
            found.append(
                diagnostic("QA203", where, sentence if sentence.endswith("?") else sentence + ".", _KEY_HINT)
            )
            continue
        if path == ("standards",):
            found.append(
                diagnostic(
                    "QA203",
                    where,
                    "'standards' comes from the mapping's own 'standards:', not from a column.",
                    "Remove it from 'columns:'.",
                )
            )
            continue
        if isinstance(column, ColumnLetter) and column_number(column.column) is None:
            found.append(
                diagnostic(
                    "QA209",
                    doc.locate(["columns", text, "column"]),
                    f"'{column.column}' is not a column letter.",
                    "Name the column by its letter as the spreadsheet shows it, such as F or AB.",
                )
            )
            continue
        words: dict[str, str] = {}
        noun = "value"
        if leaf.kind in ("choice", "choices"):
            noun = _noun(framework, path)
            all_choice_ids.update(leaf.ids)
            labels = (
                tables["ratings"][1]
                if noun == "rating"
                else tables["grades"][1]
                if noun == "grade"
                else _label_words(framework, path)
            )
            extra = spec.ratings if noun == "rating" else spec.grades if noun == "grade" else spec.words
            for ident in leaf.ids:
                words[word_key(ident)] = ident
                if ident in labels:
                    words.setdefault(word_key(labels[ident]), ident)
            for ident, given in extra.items():
                if ident in leaf.ids:
                    for word in given:
                        words[word_key(word)] = ident
        mapped.add(path)
        targets.append(
            Target(path, text, leaf.kind, column, words, leaf.ids, noun, leaf.required, leaf.optional_blocks)
        )
    for ident in spec.words:
        if ident not in all_choice_ids:
            found.append(
                diagnostic(
                    "QA205",
                    doc.locate(["words", ident], key=True),
                    f"'{ident}' under 'words:' is not a choice of any mapped column.",
                    "List the sheet's words under the id they mean (ratings go under 'ratings:', grades "
                    "under 'grades:').",
                )
            )
    for table in ("ratings", "grades", "words"):
        found += _ambiguous(doc, table, getattr(spec, table))
    missing = [p for p in required_paths(model) if p not in mapped and p != ("standards",)]
    if missing and not found:
        names = [format_path(p) for p in missing]
        shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
        found.append(
            diagnostic(
                "QA609",
                doc.locate(["columns"], key=True),
                f"No column is given for {shown}: every audit of {framework.id} needs "
                f"{'them' if len(names) > 1 else 'it'}.",
                "Add each to 'columns:' with the header of the column that holds it "
                "(`qaimpact import SHEET --scaffold-mapping` lists every key).",
            )
        )
    formats: list[str] = []
    for index, text in enumerate(spec.dates):
        pattern = date_pattern(text)
        if pattern is None:
            found.append(
                diagnostic(
                    "QA209",
                    doc.locate(["dates", index]),
                    f"'{text}' is not a date format this import reads.",
                    "Write formats with DD (day), MM (month number), MMM (Jan), MMMM (January), YYYY "
                    "or YY (year), such as DD/MM/YYYY.",
                )
            )
        else:
            formats.append(pattern)
    if found:
        return None, sorted(found, key=Diagnostic.sort_key)
    yes = {"yes", "y", "true", "1"} | {word_key(w) for w in spec.booleans.yes}
    no = {"no", "n", "false", "0"} | {word_key(w) for w in spec.booleans.no}
    compiled = CompiledMapping(
        source=doc.path,
        spec=spec,
        framework=framework,
        targets=targets,
        date_formats=formats,
        yes=frozenset(yes - {word_key(w) for w in spec.booleans.no}),
        no=frozenset(no - {word_key(w) for w in spec.booleans.yes}),
        skip_when={k: frozenset(word_key(v) for v in vs) for k, vs in spec.skip_when.items()},
        document=doc,
    )
    return compiled, []


_KEY_HINT = (
    "Write the key as `qaimpact validate` names it; `qaimpact import SHEET --scaffold-mapping` "
    "lists every key."
)


def _ambiguous(doc: Document, table: str, entries: dict[str, list[Word]]) -> list[Diagnostic]:
    owner: dict[str, str] = {}
    found: list[Diagnostic] = []
    for ident, words in entries.items():
        for index, word in enumerate(words):
            key = word_key(word)
            other = owner.setdefault(key, ident)
            if other != ident:
                found.append(
                    diagnostic(
                        "QA209",
                        doc.locate([table, ident, index]),
                        f"The word '{word}' is given for both '{other}' and '{ident}' under '{table}:'.",
                        "Give each word to one id only.",
                    )
                )
    return found


_DATE_TOKENS = (("YYYY", "%Y"), ("MMMM", "%B"), ("MMM", "%b"), ("YY", "%y"), ("MM", "%m"), ("DD", "%d"))


def date_pattern(text: str) -> str | None:
    """A date format such as ``DD/MM/YYYY`` as a ``strptime`` pattern; ``None`` if it is not one."""
    out = ""
    rest = text.strip()
    has = set()
    while rest:
        for token, code in (*_DATE_TOKENS, ("M", "%m"), ("D", "%d")):
            if rest.upper().startswith(token):
                out += code
                has.add(code[1].lower() if code[1] in "Yy" else code[1])
                rest = rest[len(token) :]
                break
        else:
            char = rest[0]
            if char.isalpha():
                return None
            out += "%%" if char == "%" else char
            rest = rest[1:]
    if not {"y", "d"} <= has or not has & {"m", "b", "B"}:
        return None
    return out
