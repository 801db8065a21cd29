"""Read YAML files safely and fast, keeping the position of every key and value.

Why PyYAML's libyaml composer and not ruamel.yaml here: validation reads every audit in a
repository on every pull request, and libyaml composes a node tree (with line and column marks)
several times faster than ruamel.yaml's round-trip loader. We never let PyYAML *construct*
objects: we build the values ourselves, from the file's lines for the common shape of an audit
(:mod:`qaimpact.base.line_reader`, which declines anything it does not read exactly as libyaml
does), from libyaml's events for most of the rest, and from its node tree for the files the events
leave to it (anything unusual), so no tag can build a Python object, duplicate keys are caught,
and alias expansion is bounded. The node tree is composed,
and positions looked up in it, only when a finding needs one. ruamel.yaml's round trip is kept
for the commands that write files.

Scalars are resolved with the YAML 1.2 core schema (as ruamel.yaml does), so ``yes`` and ``no``
stay text and ``0123`` is a number. Dates are left as text; the models parse them, which gives a
clear message for an impossible date instead of a YAML error.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml
import yaml.cyaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qaimpact.base.codes import diagnostic
from qaimpact.base.core_schema import IMPLICIT as _IMPLICIT
from qaimpact.base.core_schema import MAX_NUMBER_LENGTH, scalar_value
from qaimpact.base.core_schema import NUMBER_TAGS as _NUMBER_TAGS
from qaimpact.base.core_schema import TAG as _TAG
from qaimpact.base.escaping import clip
from qaimpact.base.fileio import FileTooLarge, NotRegularFile, read_regular
from qaimpact.base.line_reader import DECLINED as LINES_DECLINED
from qaimpact.base.line_reader import line_position, read_lines, read_positions
from qaimpact.models.findings import Diagnostic
from qaimpact.models.location import Location

DEFAULT_MAX_FILE_SIZE = 1024 * 1024
#: Values that aliases may add beyond the file's own; a "billion laughs" file passes it at once.
MAX_ALIAS_EXPANSION = 10_000
#: Characters of text that aliases may add beyond the file's own: one long text repeated by
#: thousands of aliases is a few values but hundreds of megabytes.
MAX_ALIAS_CHARACTERS = 1_000_000
#: Mappings with more keys than this get an index the first time a position is looked up in
#: them, so that locating every key of a huge mapping costs linear time, not quadratic.
_INDEX_KEYS = 8
MAX_DEPTH = 64
#: Parsers have nesting limits of their own, and they differ by release: libyaml 0.2.6 (PyYAML
#: 6.0.4) stops at 1,000 levels with a syntax error, older releases have none and their C
#: composer crashes past ~50,000 levels. A file whose nesting could come near such a limit has
#: its depth measured from the event stream before anything composes it, and the parser's own
#: limit, where it has one, only ever tells us where to look: the finding is always QA111.
_DEPTH_PRECHECK = 128
#: A block line whose indentation (spaces and ``-``/``?``/``:`` indicators) is this long could
#: open up to about twice as many levels: each level of block nesting needs one more column,
#: except a sequence that sits at its parent key's column. The first line is matched at the
#: start of the file, every other line after its line break: a search that starts with a literal
#: skips to each line break in C, where ``(?m)^`` would try every byte of the file (a tenth of
#: the cost of loading an audit).
_FIRST_BLOCK_PREFIX = re.compile(rb"[ \t?:-]{%d}" % (_DEPTH_PRECHECK // 2))
_BLOCK_PREFIX = re.compile(rb"\n[ \t?:-]{%d}" % (_DEPTH_PRECHECK // 2))

_ALLOWED_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null"))

_Composer: type[Any]


_STR = _TAG + "str"
_SEQ = _TAG + "seq"
_MAP = _TAG + "map"
_NON_SPECIFIC = "!"
_MERGE = _TAG + "merge"
_NULL = _TAG + "null"


class _CoreResolver(yaml.resolver.BaseResolver):
    """Resolves implicit tags for the composer (which calls these methods for every node)."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-based resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path-based resolvers: nothing to track."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The tag of a node without an explicit one."""
        return _resolve(kind, value, implicit)


def _resolve(kind: Any, value: Any, implicit: Any) -> str:
    """:meth:`_CoreResolver.resolve`, as a function: libyaml's composer calls it for every node,
    and an instance attribute holding a function is called without making a bound method."""
    if kind is ScalarNode:
        if implicit[0]:
            candidates = _IMPLICIT.get(value[:1])
            if candidates is not None:
                for tag, regexp in candidates:
                    if regexp.match(value):
                        return tag
            return _STR
        # Only the non-specific tag `!` asks for a tag with neither: readers disagree on what it
        # means (ruamel.yaml reads `a: !` as null, libyaml as text), so it is refused.
        return _STR if implicit[1] else _NON_SPECIFIC
    return _SEQ if kind is SequenceNode else _MAP


if getattr(yaml, "__with_libyaml__", False):  # pragma: no branch - libyaml ships in the wheels

    class _CComposer(yaml.cyaml.CParser, _CoreResolver):  # type: ignore[misc,name-defined]
        def __init__(self, stream: bytes) -> None:
            yaml.cyaml.CParser.__init__(self, stream)  # type: ignore[attr-defined]
            _CoreResolver.__init__(self)
            # libyaml's composer calls both hooks for every node, and they do nothing here:
            # builtins that ignore their arguments cost a fifth of composing a file less than
            # Python methods (benchmarks/bench_validate.py). Instance attributes win the lookup.
            self.descend_resolver = _ignore_two  # type: ignore[method-assign,assignment]
            self.ascend_resolver = tuple  # type: ignore[method-assign,assignment]
            self.resolve = _resolve  # type: ignore[method-assign]

    #: A builtin taking two arguments and doing nothing with them (the result is discarded).
    _ignore_two = operator.is_

    _Composer = _CComposer


class _PurePyComposer(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _CoreResolver,
):
    def __init__(self, stream: bytes) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _CoreResolver.__init__(self)


if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover
    _Composer = _PurePyComposer


PathItem = str | int
LocPath = Sequence[Any]


@dataclass(slots=True)
class Document:
    """A parsed YAML file: plain Python data plus the node tree that knows every position.

    The tree is composed when something first asks for a position (:attr:`root`), from the bytes
    kept for it: most files are read without a finding, and need none.
    """

    path: str
    data: Any
    #: libyaml's node tree, where it has been composed (see :attr:`root`).
    tree: Node | None = field(repr=False, default=None)
    #: False when no value can hold a control character or a direction override (the text has
    #: no escape and no raw direction mark), so nothing need search the values for one.
    may_hide: bool = True
    #: The text the data was read from, where it is known (see :meth:`may_contain`).
    text: str | None = field(repr=False, default=None)
    #: The bytes the data was read from while the tree is not composed yet.
    raw: bytes | None = field(repr=False, default=None)
    #: Whether the data was read from the text's lines (:mod:`.line_reader`), which then also
    #: give the positions of keys and values without the tree (:meth:`position`).
    from_lines: bool = False
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(repr=False, default_factory=dict)
    _lines: list[tuple[str, ...]] | None = field(repr=False, default=None)

    @property
    def root(self) -> Node | None:
        """The node tree of the file (``None`` for data that was not read from a file).

        Composed on first use from the bytes the data was read from, which the data's own
        reading (:func:`_plain_data`) found to be one document libyaml reads without an error,
        so composing them cannot fail, and gives the tree the data would have been built from.
        """
        if self.tree is None and self.raw is not None:
            with paused_gc():
                self.tree = _single_node(self.raw)
            self.raw = None
        return self.tree

    def may_contain(self, word: str) -> bool:
        """False only when no value can be ``word``: the text holds neither it nor an escape
        (a double-quoted ``"\\x54ODO"`` is ``TODO``), and aliases only repeat what the text holds.

        A search of the text is many times faster than a walk of every value, and nearly every
        file holds no such value.
        """
        return self.text is None or word in self.text or "\\" in self.text

    def locate(self, loc: LocPath, *, key: bool = False) -> Location:
        """Return the position of the value at ``loc`` (or of its key when ``key`` is true).

        Where the path leads to something that is not in the file (a missing key), the position
        is that of the deepest enclosing key that exists, which is where the user must add it.
        """
        if self.tree is None and self.raw is None:
            return Location(self.path)  # data not read from a file
        line, column = self.position(loc, key=key)
        return Location(self.path, line, column)

    def position(self, loc: LocPath, *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column :meth:`locate` gives, without building a location."""
        if self.tree is None and self.from_lines and self.text is not None:
            # A key or its value, read from the lines where they can say (the tree's place).
            if self._lines is None:
                self._lines = read_positions(self.text)
            found = line_position(self._lines, loc, key=key)
            if found is not None:
                return found
        if self.root is None:
            return 1, 1
        best, _ = self._walk(loc, key=key)
        mark = best.start_mark
        return mark.line + 1, mark.column + 1

    def written(self, loc: LocPath) -> str | None:
        """The value at ``loc`` as the file writes it (``12.50``, where the data holds 12.5), or
        ``None`` where ``loc`` is not a single value in the file."""
        if self.root is None:
            return None
        node, reached = self._walk(loc)
        return node.value if reached and isinstance(node, ScalarNode) else None

    def double_quoted(self, loc: LocPath) -> str | None:
        """The value at ``loc`` as the file types it, where it is a text in double quotes (in
        which a backslash starts an escape: ``"C:\\new"`` holds a line break), quotes included;
        else ``None``."""
        if self.root is None or self.text is None:
            return None
        node, reached = self._walk(loc)
        if not reached or not isinstance(node, ScalarNode) or node.style != '"':
            return None
        typed = self.text[node.start_mark.index : node.end_mark.index]
        return typed if typed.startswith('"') and typed.endswith('"') else None

    def _walk(self, loc: LocPath, *, key: bool = False) -> tuple[Node, bool]:
        """The node at ``loc`` (its key's node when ``key``) and True; or, where the path leaves
        the file, the deepest node on it that exists and False."""
        node = self.root
        assert node is not None
        best: Node = node
        for part in loc:
            if isinstance(node, MappingNode):
                found = self._find_key(node, part)
                if found is None:
                    return best, False
                best, node = found
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    return best, False
                node = best = node.value[part]
            else:
                return best, False
        return (best if key else node), True

    def _find_key(self, node: MappingNode, part: Any) -> tuple[Node, Node] | None:
        wanted = str(part)
        if len(node.value) <= _INDEX_KEYS:
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == wanted:
                    return key_node, value_node
            return None
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    index.setdefault(key_node.value, (key_node, value_node))
            self._keys[id(node)] = index
        return index.get(wanted)


def _loc(path: str, node: Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


class LoadError(Exception):
    """Raised inside the loader; carries the diagnostic the file gets."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(diag.message)
        self.diagnostic = diag


#: The kinds of YAML file qaimpact reads: an audit (or a record beside the audits), a standards
#: file, an import mapping (``*.mapping.yaml``) or a quarter's narrative (``*.narrative.yaml``).
FileKind = Literal["audit", "standards", "mapping", "narrative"]

#: How QA110 names each kind of file that is not an ordinary file (a named pipe, a link to a
#: device), and how to put it right.
_NOT_ORDINARY: dict[FileKind, tuple[str, str]] = {
    "audit": (
        "The file",
        "An audit is an ordinary file saved from an editor: remove this one, or put the audit file "
        "itself in its place.",
    ),
    "standards": (
        "The standards file",
        "A standards file is an ordinary file saved from an editor: remove this one, or put the "
        "standards file itself in its place.",
    ),
    "mapping": (
        "The import mapping",
        "An import mapping is an ordinary file saved from an editor: give --mapping the mapping "
        "file itself (`qaimpact import SHEET --scaffold-mapping` writes a first one).",
    ),
    "narrative": (
        "The quarter's narrative",
        "A quarter's narrative is an ordinary file saved from an editor: give --narrative the "
        "narrative file itself (examples/narratives/2026-Q3.narrative.yaml is one).",
    ),
}


#: How a finding of the loader reads for a file that is not an audit: the file's name in the
#: messages ("... is not allowed in a standards file."), and the hints that say what is right for
#: such a file, by code. An audit's findings are written for an audit.
_FOR_KIND: dict[FileKind, tuple[str, dict[str, str]]] = {
    "audit": ("audit files", {}),
    "standards": (
        "a standards file",
        {
            "QA103": (
                "A standards file describes one framework: copy a bundled one to start from "
                "(`qaimpact standards list` shows where each is) and see docs/standards-format.md."
            ),
            "QA106": (
                "Remove the tag: a standards file holds plain text, numbers, true/false, lists and blocks."
            ),
            "QA108": "A standards file is tens of kilobytes: check this is the right file.",
            "QA109": "Keep one framework per file: remove the extra '---' or split the file.",
            "QA111": "Write the keys out in full, each followed by ':' (docs/standards-format.md).",
            "QA112": "If it is text, put it in quotes.",
        },
    ),
    "mapping": (
        "an import mapping",
        {
            "QA103": "`qaimpact import SHEET --scaffold-mapping` writes a first mapping to fill in.",
            "QA106": "Remove the tag: a mapping holds plain text, lists and blocks.",
            "QA108": "An import mapping is a few kilobytes: check this is the right file.",
            "QA109": "Keep one mapping per file: remove the extra '---' or split the file.",
            "QA111": "Write the keys out in full, each followed by ':' (docs/import.md).",
            "QA112": "If it is text, put it in quotes.",
        },
    ),
    "narrative": (
        "a narrative file",
        {
            "QA103": (
                "Write one key per section, such as `strengths:`, each followed by its items on lines "
                "starting with '- ' (examples/narratives/2026-Q3.narrative.yaml is one)."
            ),
            "QA106": "Remove the tag: a narrative holds only text, one section per key.",
            "QA108": (
                "A narrative is a few paragraphs of text for each section: check this is the right file."
            ),
            "QA109": "Keep one narrative per file: remove the extra '---' or split the file.",
            "QA111": "Write each section's name followed by ':', and its items as text.",
            "QA112": "If it is text, put it in quotes.",
        },
    ),
}


def _for_kind(found: Diagnostic, kind: FileKind) -> Diagnostic:
    """A loader's finding as it reads for a file of this kind (see :data:`_FOR_KIND`)."""
    files, hints = _FOR_KIND[kind]
    hint = hints.get(found.code)
    if hint is None or found.hint.startswith(_QUOTE_START):
        # Text that starts with a character YAML reserves is put in quotes in any kind of file.
        return found
    message = found.message.replace(" in audit files.", f" in {files}.")
    return replace(found, message=message, hint=hint)


def load_file(
    path: Path,
    display: str | None = None,
    *,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
    kind: FileKind = "audit",
) -> Document:
    """Read and parse one YAML file, of the ``kind`` the caller reads (QA110 names it).

    Raises :class:`LoadError` with a located diagnostic for every way a file can be unusable:
    unreadable, too large, not UTF-8, not YAML, empty, several documents, forbidden tags,
    duplicate keys, runaway aliases.
    """
    name = display if display is not None else str(path)
    try:
        raw = read_regular(path, max_size)[0]
    except FileTooLarge as exc:
        raise LoadError(_for_kind(_too_large(name, exc.size, max_size).diagnostic, kind)) from None
    except NotRegularFile as exc:
        what, hint = _NOT_ORDINARY[kind]
        raise LoadError(
            diagnostic("QA110", Location(name), f"{what} could not be read: {exc.strerror}.", hint)
        ) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise LoadError(
            diagnostic(
                "QA110",
                Location(name),
                f"{_NOT_ORDINARY[kind][0]} could not be read: {reason}.",
                "Check that the file exists and that you are allowed to read it.",
            )
        ) from None
    try:
        return load_bytes(raw, name, max_size=max_size)
    except LoadError as exc:
        raise LoadError(_for_kind(exc.diagnostic, kind)) from None


def locate_in_file(path: str, keys: LocPath, *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Location:
    """Where a key of a file already read is, read again from the file: only ever for a finding,
    whose data kept no positions. A file changed or gone since gives its first line."""
    try:
        doc = load_file(Path(path), path, max_size=max_size)
    except (LoadError, OSError):
        return Location(path, 1, 1)
    return doc.locate(keys)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large tree of new objects is built.

    Reading a file and turning thousands of errors into findings create objects by the hundred
    thousand, none of them in cycles, and each collection would walk all of them again: pausing
    the collector halves the time a huge file takes. It is restarted on the way out.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _too_large(name: str, size: int | None, max_size: int) -> LoadError:
    """``size``: ``None`` for a file that grew past the limit while it was read."""
    what = f"is {size:,} bytes" if size is not None else "grew while it was read"
    return LoadError(
        diagnostic(
            "QA108",
            Location(name),
            f"The file {what}, over the limit of {max_size:,} bytes.",
            "Audit files are a few kilobytes: check this is the right file, or raise the "
            "limit with --max-file-size.",
        )
    )


#: The byte-order marks Windows Notepad ("Unicode") and Excel ("Unicode text") start UTF-16 with.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS_UTF8 = "Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)."


#: What a file that is not text at all most likely is, by how it starts, and what to do with it.
_NEW = "To start an audit, run qaimpact new --standards ID -o FILE (qaimpact standards list shows the ids)."
_BINARY: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF8", "an image (GIF)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Word or Excel file (.doc or .xls)"),
)
_SPREADSHEET = "To bring audits in from a spreadsheet, use qaimpact import (qaimpact import --help says how)."


def _binary(raw: bytes) -> tuple[str, str] | None:
    """What a file that is no text at all looks like (a Word document, an image), and what to do,
    or ``None`` for a file that may be text in another encoding."""
    for magic, what in _BINARY:
        if raw.startswith(magic):
            return what, _NEW
    if raw.startswith(b"PK\x03\x04"):
        # Word and Excel files are zip files that name their parts near the start.
        head = raw[:4096]
        if b"word/" in head:
            return "a Word document (.docx)", _NEW
        if b"xl/" in head:
            return "an Excel workbook (.xlsx)", _SPREADSHEET
        return "a zip file", _NEW
    if b"\x00" in raw[:8192]:
        # Text in any encoding but UTF-16 (found before this) holds no zero byte; programs' own
        # files hold many.
        return "a program's own data (it holds zero bytes, which no text holds)", _NEW
    return None


def _utf16(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-16 text, with or without its byte-order mark: text in Latin letters
    saved so has a zero byte in every other place (before or after each letter's byte)."""
    if raw.startswith(_UTF16_BOMS):
        return True
    head = raw[:1024]
    pairs = len(head) // 2
    if pairs < 4:
        return False
    # Most characters of an audit are ASCII: one half of the bytes nearly all zero, the other not.
    for zeros, letters in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if zeros.count(0) >= 0.9 * pairs and letters.count(0) <= 0.1 * pairs:
            return True
    return False


def _not_utf8(raw: bytes, start: int, name: str) -> Diagnostic:
    """QA102 for bytes that are not UTF-8, saying which encoding they are in where it shows, or
    what the file is where it is not text at all (a Word document or an image renamed .yaml)."""
    utf16 = _utf16(raw)
    binary = _binary(raw) if not utf16 else None
    if binary is not None:
        what, hint = binary
        return diagnostic(
            "QA102",
            Location(name, 1, 1),
            f"The file is not text: it looks like {what}, not an audit written in YAML.",
            f"An audit is a text file, written in a text editor or with qaimpact's audit form. {hint}",
        )
    if utf16:
        return diagnostic(
            "QA102",
            Location(name, 1, 1),
            "The file is not UTF-8 text: it is saved as UTF-16 (which Windows Notepad calls 'Unicode').",
            "Save the file as UTF-8 (in Notepad: File, Save As, Encoding: UTF-8).",
        )
    line, col = _line_col_of_byte(raw, start)
    byte = raw[start]
    try:
        char = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        char = ""
    hint = _SAVE_AS_UTF8
    if char and char.isprintable() and not char.isspace() and char != "\u00ad":
        # A curly quotation mark or an accent typed in Word or old Notepad, saved as "ANSI": saying
        # which character it is shows the auditor where to look and what happened.
        hint = (
            f"The byte is {char} in the Windows encoding that Word and Notepad call 'ANSI', so the file "
            f"was probably saved in it. {_SAVE_AS_UTF8}"
        )
    return diagnostic(
        "QA102",
        Location(name, line, col),
        f"The file is not UTF-8 text: byte 0x{byte:02x} cannot be read.",
        hint,
    )


def load_bytes(raw: bytes, name: str, *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Document:
    """Parse YAML from bytes; see :func:`load_file`."""
    if len(raw) > max_size:
        raise _too_large(name, len(raw), max_size)
    if b"\x00" in raw[:1024] and _utf16(raw):
        # UTF-16 without its byte-order mark, all in Latin letters, is valid UTF-8 full of zero
        # bytes, which YAML would refuse one by one as control characters.
        raise LoadError(_not_utf8(raw, 0, name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(_not_utf8(raw, exc.start, name)) from None
    # `in` is fifty times faster than a regular expression over a whole file: this is the hot path.
    separator = (
        _LINE_SEPARATOR.search(text) if "\x85" in text or "\u2028" in text or "\u2029" in text else None
    )
    if separator is not None:
        raise LoadError(
            diagnostic(
                "QA101",
                _text_location(text, name, separator.start()),
                f"YAML syntax error: an invisible line separator (U+{ord(separator.group()):04X}) is in "
                "the file.",
                "Replace it with an ordinary line break, or with a space.",
            )
        )
    with paused_gc():
        data = _DECLINED
        lined = False
        if len(raw) <= _EVENTS_AT_MOST and not (_holds_nbsp(text) or _could_nest_deeply(raw)):
            data = read_lines(text, MAX_DEPTH)
            lined = data is not LINES_DECLINED
            if not lined:
                data = _plain_data(raw, properties="&" in text or "!" in text)
    if data is not _DECLINED:
        # A byte-order mark is not in the text the lines are read from, but the tree counts it.
        from_lines = lined and not raw.startswith(codecs.BOM_UTF8)
        doc = Document(name, data, may_hide=_may_hide(text), text=text, raw=raw, from_lines=from_lines)
    else:
        doc = _read_tree(raw, text, name)
    if _round_trip_sensitive(text):
        _check_round_trip_reading(text, doc)
    return doc


def _holds_nbsp(text: str) -> bool:
    """Whether the text holds a non-breaking space (:data:`_NBSPS`), which YAML may read as part
    of a key: such a file is read through its node tree, where :func:`_refuse_nbsp_keys` looks."""
    # Three `in` tests, each a search in C: the hot path.
    return "\u00a0" in text or "\u2007" in text or "\u202f" in text


def _may_hide(text: str) -> bool:
    """:attr:`Document.may_hide` of a file's text."""
    # A value can only hold an invisible character through an escape or a raw direction mark
    # (libyaml refuses other raw control characters): the checker skips its search otherwise.
    return "\\" in text or any(char in text for char in _RAW_HIDDEN)


def _read_tree(raw: bytes, text: str, name: str) -> Document:
    """Read a file through libyaml's node tree, which every refusal and its position come from."""
    with paused_gc():
        root = _compose(raw, text, name)
        if root is None:
            raise LoadError(
                diagnostic(
                    "QA103",
                    Location(name),
                    "The file is empty: it holds no YAML data.",
                    "Start from a blank audit: qaimpact new --standards ID -o FILE writes one to fill in "
                    "(qaimpact standards list shows the ids).",
                )
            )
        if _holds_nbsp(text):
            _refuse_nbsp_keys(root, text, name)
        builder = _Builder(name, text, properties="&" in text or _may_hold_non_specific_tag(text))
        data = builder.build(root, 0)
    return Document(name, data, root, may_hide=_may_hide(text), text=text)


def _round_trip_sensitive(text: str) -> bool:
    """Whether the text holds something ruamel.yaml reads differently from libyaml (see
    :func:`_check_round_trip_reading`); rare, and cheap to rule out."""
    if "\t" in text or "\ufeff" in text:
        return True
    # The pattern ends with a line of spaces: without " \n" in the text (nearly every audit), it
    # cannot match, and the search over every "|" and ">" of the text is skipped.
    if " \n" in text and ("|" in text or ">" in text) and _SPACES_FIRST_IN_BLOCK.search(text) is not None:
        return True
    if "&" not in text and "*" not in text:
        return False
    return next(_odd_anchors(text), None) is not None


def _odd_anchors(text: str) -> Iterator[re.Match[str]]:
    """Anchors and aliases whose names libyaml ends sooner than ruamel.yaml (at a node's start)."""
    for found in _ODD_NAME.finditer(text):
        start = found.start()
        if start == 0 or text[start - 1] in " ,[{\n":
            yield found


def _line_col_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    return line, len(before[start:].decode("utf-8", "replace")) + 1


#: A line whose indentation holds a non-breaking space (U+00A0, U+2007, U+202F).
_NBSP_INDENT = re.compile("^[ ]*[\u00a0\u2007\u202f]", re.MULTILINE)
#: The non-breaking spaces Word and email put in place of spaces.
_NBSPS = "\u00a0\u2007\u202f"
#: A key's ':' followed by a non-breaking space, which YAML does not read as the space after it.
_NBSP_AFTER_COLON = re.compile("^[ ]*(?:-[ ]+)?[^\\s#:][^:\n]*:([\u00a0\u2007\u202f])", re.MULTILINE)
_NBSP_INDENT_MESSAGE = (
    "YAML syntax error: this line is indented with non-breaking spaces, which YAML does not read as spaces."
)
_NBSP_INDENT_HINT = (
    "Delete the indentation and type it again with ordinary spaces (non-breaking spaces come in with "
    "text copied from Word or an email)."
)


def _refuse_nbsp_keys(root: Node, text: str, name: str) -> None:
    """Refuse a key that YAML read with the non-breaking spaces indenting it (``\u00a0case_reference``).

    YAML reads such a line without a syntax error where the spaces make the key its own (the key
    ``'  case_reference'`` at the top level, or a second ``'    rating'``), and the findings that
    follow name keys that look right. The finding is at the first non-breaking space of the line.
    """
    first: ScalarNode | None = None
    stack = [root]
    # An alias is the node it names, met again: each node is looked at once, so that a block
    # that holds itself, or aliases that repeat one block a billion times, cost one look each
    # (the builder, after this, refuses them).
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                plain = isinstance(key, ScalarNode) and not key.style
                if (
                    plain
                    and key.value[:1] in _NBSPS
                    and (first is None or key.start_mark.index < first.start_mark.index)
                ):
                    first = key
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    if first is not None:
        # The first such key in the file, whichever the walk met first, at its first non-breaking
        # space (a key starts there, after any ordinary spaces): where a line indented so is
        # found on the parser's way (_syntax) it is placed there too.
        raise LoadError(
            diagnostic(
                "QA101",
                _text_location(text, name, first.start_mark.index),
                _NBSP_INDENT_MESSAGE,
                _NBSP_INDENT_HINT,
            )
        )


_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "Check the indentation, and put text that contains ': ' in quotes.",
    ),
    ("could not find expected ':'", "A key is missing its ':' or a quoted text is not closed."),
    ("found unexpected end of stream", "A quoted text or a bracket is not closed."),
    ("did not find expected key", "Check the indentation of this line against the lines above it."),
    ("did not find expected '-' indicator", "Check the indentation of the list items above."),
    (
        "control characters are not allowed",
        "Remove the invisible control character at this position.",
    ),
)


def _single_node(raw: bytes) -> Node | None:
    """libyaml's node tree of ``raw`` (one document), its parser's errors raised as they are."""
    composer = _Composer(raw)
    try:
        node: Node | None = composer.get_single_node()
    finally:
        dispose = getattr(composer, "dispose", None)
        if dispose is not None:
            dispose()
    return node


#: The largest file read from libyaml's events first (bytes): three times the largest standards
#: file bundled, thirty times an audit. A file with a finding is parsed again for its tree, which
#: an audit of a few kilobytes pays for in a fraction of a millisecond, but a hostile file near
#: the size limit would pay in most of a second (50,000 unknown keys, 680 KB: 1.1 s of CPU where
#: it took 0.9 s, past issue 12's second), and only hostile files are that large.
_EVENTS_AT_MOST = 128 * 1024
#: What :func:`_plain_data` returns for a file it leaves to the node tree's reading.
_DECLINED: Any = object()
#: A mapping's place for its next key, while none has been read.
_NO_KEY: Any = object()


def _plain_data(raw: bytes, *, properties: bool) -> Any:
    """The data of ``raw`` built straight from libyaml's events, or :data:`_DECLINED`.

    This is the reading of the files the line reader (:mod:`qaimpact.base.line_reader`, which
    reads nearly every audit) declines: the values the node tree's reading
    (:class:`_Builder`) would build, in a tenth fewer instructions, as no node is made and no
    resolver called for each (docs/performance.md). It declines everything that reading refuses
    or must look at closely: an error of the parser, anything but one document, an anchor, an
    alias or a tag (looked for only where the text holds ``&`` or ``!``: ``properties``), a key
    that is not text, a merge key, a key written twice, nesting past :data:`MAX_DEPTH`, and a
    number too long or not valid. The caller then reads the file through the node tree, which
    says what is wrong and where, so both readings give one result (tests/test_plain_data.py
    compares them).
    """
    if _EventParser is None:  # pragma: no cover - libyaml ships in the wheels
        return _DECLINED
    parser = _EventParser(raw)
    try:
        return _from_events(parser.get_event, properties)
    except yaml.YAMLError:
        return _DECLINED
    finally:
        parser.dispose()


def _from_events(next_event: Any, properties: bool) -> Any:
    """The body of :func:`_plain_data`: ``next_event`` is the parser's ``get_event``."""
    next_event()  # the stream's start
    if next_event().__class__ is not DocumentStartEvent:
        return _DECLINED  # no document: the file is empty
    implicit = _IMPLICIT
    root: Any = _DECLINED
    # The collections holding the one being filled (``current``), outermost first; ``key`` is
    # the key read in ``current`` whose value comes next, if it is a mapping.
    parents: list[Any] = []
    current: Any = None
    key: Any = _NO_KEY
    while True:
        event = next_event()
        kind = event.__class__
        made: Any = None
        if kind is ScalarEvent:
            if properties and (event.anchor is not None or event.tag is not None):
                return _DECLINED
            value = event.value
            if current.__class__ is dict and key is _NO_KEY:
                # Keys are names, so a key is always its text (`1:` is the key "1").
                if value in current or (value == "<<" and not event.style):
                    return _DECLINED
                key = value
                continue
            if event.implicit[0]:
                for tag, pattern in implicit.get(value[:1], ()):
                    if pattern.match(value):
                        if tag in _NUMBER_TAGS and len(value) > MAX_NUMBER_LENGTH:
                            return _DECLINED
                        try:
                            value = scalar_value(tag, value)
                        except ValueError:  # pragma: no cover - what the patterns match, it reads
                            return _DECLINED
                        break
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if properties and (event.anchor is not None or event.tag is not None):
                return _DECLINED
            if len(parents) > MAX_DEPTH or (current.__class__ is dict and key is _NO_KEY):
                return _DECLINED  # too deep, or a block or a list as a key
            value = made = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            current = parents.pop()
            continue
        elif kind is DocumentEndEvent:
            # One document and nothing after it: a second is QA109, which the tree's reading says.
            return root if next_event().__class__ is StreamEndEvent else _DECLINED
        else:
            return _DECLINED  # an alias
        if current is None:
            root = value
        elif current.__class__ is list:
            current.append(value)
        else:
            current[key] = value
        key = _NO_KEY
        if made is not None:
            parents.append(current)
            current = made


_EventParser: Any = getattr(yaml.cyaml, "CParser", None) if getattr(yaml, "__with_libyaml__", False) else None


def _compose(raw: bytes, text: str, name: str) -> Node | None:
    try:
        if _could_nest_deeply(raw):
            _check_depth(raw, text, name)
        return _single_node(raw)
    except yaml.composer.ComposerError as exc:
        if exc.problem and "expected a single document" in (exc.context or ""):
            mark = exc.problem_mark
            raise LoadError(
                diagnostic(
                    "QA109",
                    Location(name, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1),
                    "The file holds more than one YAML document (a second '---' starts another).",
                    "Keep one audit per file: remove the extra '---' or split the file.",
                )
            ) from None
        raise _syntax(exc, text, name) from None
    except yaml.MarkedYAMLError as exc:
        if _parser_depth_limit(exc):
            # Only reachable if a release lowers its limit below our bound: the finding stays ours.
            raise _too_deep(name, exc.problem_mark) from None
        raise _syntax(exc, text, name) from None
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the raw file (byte-order mark included).
        line, col = _line_col_of_byte(raw, exc.position)
        raise LoadError(
            diagnostic(
                "QA101",
                Location(name, line, col),
                f"YAML syntax error: character #x{exc.character:04x} is not allowed in YAML.",
                "Remove the invisible control character at this position.",
            )
        ) from None


#: NEL, LS and PS: line breaks to libyaml (YAML 1.1), ordinary characters to ruamel.yaml (YAML
#: 1.2), so the two would read a file holding one differently. Audits never need them raw (a
#: double-quoted "\L" still writes one).
_LINE_SEPARATOR = re.compile("[\x85\u2028\u2029]")
#: What ruamel.yaml's scanner reads differently from libyaml's: a tab used as a space, a
#: byte-order mark after the start, and an anchor or alias name with a character libyaml stops
#: at (libyaml's names are ASCII letters, digits, "_" and "-"; ruamel.yaml's run to a space).
_ODD_NAME = re.compile(r"[&*][A-Za-z0-9_-]*[^\sA-Za-z0-9_,\[\]{}-]\S*")
#: A block text's indicator (``|``, ``>-``) ending its line, then a line of only spaces: if a line
#: below is indented further, ruamel.yaml refuses the block where libyaml reads it (a cheap filter:
#: the round trip's reading decides).
_SPACES_FIRST_IN_BLOCK = re.compile(r"[|>][-+0-9]*[ ]*(?:#[^\n]*)?\n(?:[ ]*\n)*[ ]+\n")
#: Direction marks YAML allows raw; escapes are the other way into a value for the rest.
_RAW_HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_TAB_MESSAGE = "YAML syntax error: a tab is used as a space outside quotes."
_TAB_HINT = "Replace the tab with a space; a tab may only appear inside quoted text."
_BOM_MESSAGE = "YAML syntax error: an invisible byte-order mark (U+FEFF) is in the middle of the file."
_BOM_HINT = "Delete the invisible character at the start of this line (some editors show it as <feff>)."


def _check_round_trip_reading(text: str, doc: Document) -> None:
    """Refuse what libyaml reads but the round trip that rewrites files reads otherwise or not at all.

    ruamel.yaml, which ``fmt`` and ``migrate`` use to keep comments, refuses a tab used as a
    space outside quotes and a byte-order mark after the start of the file, and ends anchor names
    elsewhere than libyaml; libyaml reads all three. So that ``validate`` never accepts a file
    ``fmt`` cannot rewrite as it is, a file holding one of them (:func:`_round_trip_sensitive`:
    rarely, most audits hold none) is also read the round trip's way, and where that fails or
    reads other values, the file gets a finding at the character to blame.
    """
    from ruamel.yaml.error import MarkedYAMLError

    from qaimpact.base.yaml12 import first_difference, read_plain

    try:
        other = read_plain(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        index = min(mark.index, len(text)) if mark is not None else 0
        raise _unreadable_character(exc, text, doc.path, index) from None
    path = first_difference(doc.data, other)
    if path is not None:
        raise _unreadable_character(None, text, doc.path, _node_index(text, doc, path)) from None


def _node_index(text: str, doc: Document, path: list[Any]) -> int:
    """The character offset of the value at ``path`` (or of the deepest part of it in the file)."""
    line, column = doc.position(path)
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            # libyaml places an empty value after a last line that has no line break on the line
            # below it (`---` then a byte-order mark): the place is the end of the text.
            return len(text)
        start = found + 1
    return min(start + column - 1, len(text))


def _unreadable_character(exc: Exception | None, text: str, name: str, index: int) -> LoadError:
    """The finding for a place the round trip cannot read, at the tab or byte-order mark to blame.

    libyaml read the file, so one of those characters is the cause; the parser may stop at it,
    at the word after it or at the next key, so the nearest one before the stop is blamed.
    """
    names = [m for m in _odd_anchors(text) if m.start() <= index]
    culprit = max(text.rfind("\t", 0, index + 1), text.rfind("\ufeff", 0, index + 1))
    if names and names[-1].start() > culprit:
        odd = names[-1]
        return LoadError(
            diagnostic(
                "QA101",
                _text_location(text, name, odd.start()),
                f"YAML syntax error: the anchor or alias '{clip(odd.group())}' has a name with a "
                "character other than letters, digits, '_' and '-'.",
                "Name anchors (&name) and aliases (*name) with letters, digits, '_' and '-' only, or "
                "put text that starts with & or * in quotes.",
            )
        )
    if culprit == -1:
        found = [i for i in (text.find("\t", index), text.find("\ufeff", index)) if i != -1]
        culprit = min(found) if found else -1
    if culprit != -1:
        tab = text[culprit] == "\t"
        return LoadError(
            diagnostic(
                "QA101",
                _text_location(text, name, culprit),
                _TAB_MESSAGE if tab else _BOM_MESSAGE,
                _TAB_HINT if tab else _BOM_HINT,
            )
        )
    problem = getattr(exc, "problem", None) or "this value is read differently by YAML readers"
    blocks = [m for m in _SPACES_FIRST_IN_BLOCK.finditer(text) if m.start() <= index]
    if blocks:
        # The readers part at the line of only spaces that starts the nearest block text before.
        start = text.index("\n", blocks[-1].start()) + 1
        while text[start] == "\n":
            start += 1
        return LoadError(
            diagnostic(
                "QA101",
                _text_location(text, name, start),
                "YAML syntax error: this block text starts with a line of only spaces, and a line "
                "below it is indented further.",
                "Delete the spaces on this line (leave it empty), or start the text on the line after it.",
            )
        )
    return LoadError(
        diagnostic(
            "QA101",
            _text_location(text, name, index),
            f"YAML syntax error: {clip(str(problem).strip())}.",
            "Check the indentation and quoting on this line and the line before it.",
        )
    )


def _text_location(text: str, name: str, index: int) -> Location:
    start = text.rfind("\n", 0, index) + 1
    return Location(name, text.count("\n", 0, start) + 1, index - start + 1)


def _could_nest_deeply(raw: bytes) -> bool:
    """A cheap upper bound: could this file nest about :data:`_DEPTH_PRECHECK` levels or more?

    Every flow level opens with ``[`` or ``{``; every block level needs more indentation or
    another ``-``/``?`` indicator on the line. Counting bytes over-estimates (brackets in text
    count too), which costs only an event walk, never a missed file.
    """
    if len(raw) < _DEPTH_PRECHECK:
        return False
    return (
        raw.count(b"[") + raw.count(b"{") >= _DEPTH_PRECHECK
        or _FIRST_BLOCK_PREFIX.match(raw) is not None
        or _BLOCK_PREFIX.search(raw) is not None
    )


def _check_depth(raw: bytes, text: str, name: str) -> None:
    """Refuse over-deep nesting from the event stream, before anything composes it.

    Where the parser stops first at a nesting limit of its own (libyaml 0.2.6 and later, after
    reading ahead), that limit lies deeper than ours, so the level past ours comes before the
    place it stopped: walking the text up to that place finds it.
    """
    stream, stopped = raw, None
    while True:
        try:
            _walk_depth(stream, name)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            if not _parser_depth_limit(exc) or mark is None:
                if stopped is None:
                    raise
                break
            if stopped is not None and mark.index >= stopped.index:
                break
            stopped = mark
            stream = text[: max(mark.index - 1, 0)].encode("utf-8")
            continue
        break
    if stopped is not None:
        raise _too_deep(name, stopped)


def _parser_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    return "maximum nesting depth" in (exc.problem or "")


def _walk_depth(raw: bytes, name: str) -> None:
    parser = _Composer(raw)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                # The root collection is level 1 here and level 0 in the builder: same limit.
                if depth > MAX_DEPTH + 1:
                    raise _too_deep(name, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _too_deep(name: str, mark: Any) -> LoadError:
    where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    return LoadError(
        diagnostic(
            "QA111",
            where,
            f"The file nests lists or mappings more than {MAX_DEPTH} levels deep.",
            "Audit files nest a few levels deep: check the indentation.",
        )
    )


#: The characters YAML reserves that an auditor may type at the start of a text, and what for
#: ('@' and '`' are kept for future use). Text that starts with one is either refused by the parser
#: (QA101) or read as something other than text: both findings say so in the same words.
_RESERVED: dict[str, str] = {
    "&": " for an anchor (a name for a value to repeat)",
    "*": " for an alias (a repeat of a value named earlier with '&')",
    "!": " for a tag (the type of a value)",
    "%": " for a directive (an instruction at the start of a file)",
    "@": "",
    "`": "",
    # YAML's indicators of structure: the parser refuses text that starts with one where a value
    # starts (`[see note`, `- first point` on the key's line, `> 5 visits`) in its own jargon, and
    # an unclosed bracket at the next key or the end of the file.
    "[": " for a list in brackets (such as [a, b])",
    "{": " for a block in braces (such as {from: 2025-04-01, to: 2025-09-30})",
    "]": " to end a list in brackets",
    "}": " to end a block in braces",
    ",": " to separate the items of a list in brackets",
    "-": " for an item of a list when a space follows it",
    "?": " for a key when a space follows it",
    "|": " to start a block of text on the lines below it",
    ">": " to start a block of text on the lines below it",
}
#: What a value that starts with one of YAML's indicators of structure may have been meant as
#: instead of text, and how to write that: the second sentence of the hint.
_OTHERWISE: dict[str, str] = {
    "-": "If it is a list, put each item on a line of its own below the key, after '- '.",
    "|": "If it is a block of text, start the text on the line below.",
    ">": "If it is a block of text, start the text on the line below.",
}
#: The characters that start a list or a block on one line, what each starts and what ends it: one
#: that nothing ends is said to be so, as it may be a list with its ']' left out.
_UNCLOSED: dict[str, tuple[str, str]] = {"[": ("list", "]"), "{": ("block", "}")}
#: What may come before a value on its line in block context: indentation, list items' '- ' and
#: keys' '? ', a key and its ':', and the value's anchor or tag. An indicator right after it starts
#: the value; anywhere else (inside a flow collection, after other text) it is no start of text.
_BEFORE_VALUE = re.compile(
    r"[ ]*(?:[-?][ ]+)*"
    r"""(?:(?:"[^"\n]*"|'[^'\n]*'|[^\s#\[\]{},'"][^\[\]{}\n]*?)[ ]*:[ ]+)?"""
    r"(?:[&!][^\s,\[\]{}]*[ ]+)*"
)
#: The longest start of a line before a value that :data:`_BEFORE_VALUE` is tried on.
_LONGEST_BEFORE_VALUE = 500
#: A block text's header as YAML allows it (``|``, ``>-``, ``|2+``), then spaces.
_BLOCK_HEADER = re.compile(r"[|>](?:[-+]?[1-9]?|[1-9][-+])[ ]*")
#: How every hint that puts a text in quotes begins (:func:`quote_fix`): kept for every kind of file.
_QUOTE_START = "If it is text, put the whole text in quotes"
_QUOTE_HINT = f"{_QUOTE_START}: "
#: The longest text in quotes a hint writes out for the auditor to copy: a long paragraph of
#: evidence, and a hint that still fits in :data:`~qaimpact.base.escaping.MAX_MESSAGE`. A longer
#: text (or one with an empty line in it) is put in quotes where it is: the hint says where each
#: quotation mark goes, never a text cut short that would read back as something else.
MAX_QUOTED_FIX = 600
#: How many characters of a text's first or last words a hint shows to say where a quotation mark goes.
_QUOTE_PLACE = 40
#: The longest line on which text in quotes with more after it (`"Fine" was the word`) is looked
#: for, and how far back the quote or bracket that opens it is looked for over lines: a value's
#: text is far shorter, and a hostile file's one long line or long look back is left to libyaml.
_LONGEST_QUOTED_LINE = 10_000
_REMOVE_TAG = "Remove the tag: audit values are plain text, numbers, true/false, lists and blocks."
#: One property (an anchor ``&name`` or a tag ``!name``) at the start of a value, and the space after it.
_PROPERTY = re.compile(r"([&!][^\s,\[\]{}]*)\s*")
#: The tag '!' on its own, which asks for a value's type to be guessed: the start of a value.
_NON_SPECIFIC_TAG = re.compile(r"(?<![^\s\[{,])!(?![^\s,\]}])")


def _may_hold_non_specific_tag(text: str) -> bool:
    """Whether the text may hold the tag '!' (a cheap filter: the builder decides)."""
    return "!" in text and _NON_SPECIFIC_TAG.search(text) is not None


def _reserved_start(
    written: str, read_as: str | None = None, what: str = "value", *, line: int, unclosed: bool = False
) -> tuple[str, str]:
    """The message and hint for text that starts with a character YAML reserves (:data:`_RESERVED`).

    ``written``: the text as the file has it, from that character on, over all its lines (its
    first is ``line``); ``read_as``: what YAML reads
    instead, where it reads the file at all (the parser refuses '@', '`', '%' and an alias with
    no anchor, and reads an anchor or the tag '!' as no part of the text); ``what``: ``"value"``
    or ``"key"``, what was read so; ``unclosed``: a '[' or '{' that nothing closes, which may be a
    list with its ']' left out as well as text (the hint then fixes either).
    """
    shown = clip(" ".join(written.split()))
    char = shown[:1]
    purpose = _RESERVED[char]
    hint = quote_fix(written, line)
    if unclosed and char in _UNCLOSED:
        kind, closer = _UNCLOSED[char]
        message = (
            f"'{shown}' starts with '{char}', which YAML reads as the start of"
            f"{purpose.removeprefix(' for')}, and no '{closer}' ends it."
        )
        last = line + written.count("\n")
        last_one = "item" if kind == "list" else "value"
        after = f" after its last {last_one} (line {last})" if last > line else ""
        return message, f"{hint} If it is a {kind}, end it with '{closer}'{after}."
    if char in _OTHERWISE:
        hint = f"{hint} {_OTHERWISE[char]}"
    if read_as is None:
        message = (
            f"'{shown}' starts with '{char}', a character YAML reserves{purpose}, so text that starts "
            "with it must be in quotes."
        )
    else:
        reading = f"'{clip(read_as)}'" if read_as else "empty"
        message = (
            f"'{shown}' starts with '{char}', which YAML reserves{purpose}, so this {what} is read as "
            f"{reading}, not as the text written."
        )
    return message, hint


def _quoted(text: str) -> str:
    """``text`` in the quotes that need no escape inside it."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def in_quotes(text: str) -> str | None:
    """``text`` in quotes for a hint to write out in full, for the auditor to copy (in the quotes
    that need no escape inside it), or ``None`` for a text longer than :data:`MAX_QUOTED_FIX`, or
    one that holds a line break: never a text cut short, which would read back as another."""
    quoted = _quoted(text)
    return quoted if "\n" not in text and len(quoted) <= MAX_QUOTED_FIX else None


def quote_fix(written: str, line: int) -> str:
    """The hint's sentence that puts a text in quotes so that it reads back as typed.

    ``written``: the text as the file writes it from its first character, over one line or more
    (the first is ``line``). YAML reads text over lines, in quotes or not, as its lines joined by
    a space: the hint writes that text out in quotes, on one line, for the auditor to copy in place
    of the lines (:func:`in_quotes`). A text too long to copy from a hint, or with an empty line in
    it (which YAML reads as a line break), is put in quotes where it is: the hint says where each
    quotation mark goes, with the first and last words of the text.
    """
    last = line + written.count("\n")
    # Text with an empty line in it is never written out on one line: it need not be joined.
    folded = None if _EMPTY_LINE.search(written) else _LINE_BREAK.sub(" ", written.strip(" \t\r\n"))
    quoted = in_quotes(folded) if folded is not None else None
    if quoted is not None:
        return f"{_QUOTE_HINT}{quoted}" + (
            f" (on one line, in place of lines {line} to {last})." if last > line else "."
        )
    mark = _quoted(written)[0]
    head = " ".join(written[: _line_end(written, 0)].strip(" \t\r").split(" ")[:3])
    head = head if len(head) <= _QUOTE_PLACE else head[:_QUOTE_PLACE] + "..."
    tail = " ".join(written[written.rfind("\n") + 1 :].strip(" \t\r").split(" ")[-3:])
    tail = tail if len(tail) <= _QUOTE_PLACE else "..." + tail[-_QUOTE_PLACE:]
    where = (
        f"before '{head}' and {mark} after '{tail}', on line {line}"
        if last == line
        else f"before '{head}' on line {line} and {mark} after '{tail}' at the end of line {last}"
    )
    doubled = f", and type each {mark} inside it twice" if mark == "'" and "'" in written else ""
    why = (
        "keeping its empty lines"
        if folded is None
        else f"as it is too long to write out here ({len(folded):,} characters)"
    )
    return f"{_QUOTE_START} where it is, {why}: type {mark} {where}{doubled}."


#: A line break with the spaces around it: YAML reads it as a space in text over lines.
_LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r]*")
#: An empty line (or one of only spaces) after a line break.
_EMPTY_LINE = re.compile(r"\n[ \t\r]*\n")


def _value_end(text: str, index: int, indent: int) -> int:
    """Where the text that starts at ``index`` ends: at the end of its line (before a comment), or of
    the last line below it that goes on with it, as YAML reads text over lines (pasted from Word):
    each indented further than ``indent`` (:func:`_indent_of`), with empty lines between them, up to
    a comment."""
    lines = re.compile(_GOES_ON % (indent + 1)).match(text, _line_end(text, index))
    stop = lines.end() if lines is not None else _line_end(text, index)
    first = index
    if text[index : index + 1] in _UNCLOSED and stop > _line_end(text, index):
        # A comment does not end a list in brackets, which YAML reads on below it (`[ # see notes`
        # then more lines): on a line before the last, the comment is part of the text as typed.
        first = text.rfind("\n", index, stop) + 1
    comment = _COMMENT.search(text, first, stop)
    if comment is not None and text[index : comment.start()].strip(" \t\r\n") not in _UNCLOSED:
        # A comment right after the bracket (`[ # see notes`) is all the text there is: not cut off.
        stop = comment.start()
    return index + len(text[index:stop].rstrip(" \t\r\n"))


#: The lines that go on with a text, indented by at least the number of spaces filled in (a
#: pattern matched in one pass, as a file of a hundred thousand such lines may be refused).
_GOES_ON = r"(?:\n(?:[ \t\r]*\n)*[ ]{%d,}[^\s#][^\n]*)*"
#: A comment: '#' after a space, a tab or a line break.
_COMMENT = re.compile(r"\s#")


def _before_comment(text: str, start: int, end: int) -> int:
    """Where the text between ``start`` and ``end`` (one line) ends: before a comment, and before the
    spaces at its end."""
    comment = _COMMENT.search(text, start, end)
    return start + len(text[start : end if comment is None else comment.start()].rstrip(" \t\r"))


def _written_from(text: str, index: int, through: int | None = None) -> str:
    """The value that starts at ``index`` as the file writes it, over all its lines (see
    :func:`_value_end`), and at least to the end of the line holding ``through`` (where the parser
    stopped, after a ']' that may stand at its key's indentation); in a flow collection (``[a,
    b]``) as far as its line shows it (see :func:`_written_on_line`)."""
    start = text.rfind("\n", 0, index) + 1
    # A bracket in quotes ('[': ,) opens nothing: only those outside them say it is in a list.
    before = _QUOTED.sub("", text[start:index])
    if before.count("[") + before.count("{") > before.count("]") + before.count("}"):
        return _written_on_line(text, index)
    end = _value_end(text, index, _indent_of(text, index))
    if through is not None and through > end:
        end = max(end, _before_comment(text, through, _line_end(text, through)))
    return text[index:end]


def _indent_of(text: str, index: int) -> int:
    """The indentation that lines going on with the value at ``index`` must be deeper than: that of
    its line (with its key or '- '), or, for a value that starts its line (on the line below its
    key), one less than the value's own column, as its key is further left."""
    start = text.rfind("\n", 0, index) + 1
    before = text[start:index]
    spaces = len(before) - len(before.lstrip(" "))
    return spaces - 1 if spaces == len(before) else spaces


def _line_number(text: str, index: int) -> int:
    """The 1-based line of the character at ``index``."""
    return text.count("\n", 0, index) + 1


def _reserved_start_index(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, bool] | None:
    """Where the text the parser stopped at starts with a reserved character, if it does, and
    whether it is a '[' or '{' that nothing closes."""
    problem = exc.problem or ""
    context = exc.context or ""
    if context in ("while scanning an anchor", "while scanning an alias"):
        # `& Mum`: the parser stops after the '&', at the space.
        mark = exc.context_mark
    elif "cannot start any token" in problem or "found undefined alias" in problem:
        mark = exc.problem_mark
    else:
        return _indicator_start(exc, text)
    if mark is None or text[mark.index : mark.index + 1] not in "&*!%@`":
        return None
    return int(mark.index), False


def _indicator_start(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, bool] | None:
    """Where a value that starts with one of YAML's indicators of structure made the parser stop
    (see :data:`_RESERVED`), and whether it is a '[' or '{' that nothing closes; ``None`` for any
    other error.

    Each indicator stops libyaml in its own way, often far from the character to blame: an
    unclosed ``[`` at the next key, ``[see note] and more`` after the ``]``.
    """
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark
    index: int | None = None
    unclosed = False
    if context == "while scanning a block scalar":
        # `> 5 visits`: the header of a block text, followed by text on its line.
        mark = exc.context_mark
        if mark is not None and text[mark.index : mark.index + 1] in ("|", ">"):
            rest = _written_on_line(text, mark.index)
            if _BLOCK_HEADER.fullmatch(rest) is None:
                index = mark.index
    elif problem in (
        "block sequence entries are not allowed in this context",
        "mapping keys are not allowed in this context",
    ):
        # `summary: - first point`, `evidence: ? why`: a list item or a key on the key's line.
        if mark is not None and text[mark.index : mark.index + 1] in ("-", "?"):
            index = mark.index
    elif problem == "did not find expected node content" and context == "while parsing a block node":
        # `,and then`: a flow collection's separator or end where a value starts.
        if mark is not None and text[mark.index : mark.index + 1] in (",", "]", "}"):
            index = mark.index
    elif context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        # `[see note`: the bracket is never closed, and the parser stops at the next key (or the
        # end of the file); the bracket is where the text starts.
        mark = exc.context_mark
        # A collection whose line ends after its bracket or a ',' goes on below: it is meant as
        # one, and the error is further on (the parser's own words say where), unless the parser
        # read on to the next key or the end of the file: then nothing closes it either.
        if (
            mark is not None
            and problem.startswith("did not find expected ','")
            and (
                not _written_on_line(text, mark.index).endswith(("[", "{", ","))
                # A comment after the bracket (`[ # see notes`) is text pasted in, not a list's
                # first line: YAML-minded writers put a list's items on the bracket's line.
                or _COMMENT.search(text, mark.index, _line_end(text, mark.index)) is not None
                or _read_past(text, mark.index, exc.problem_mark)
            )
        ):
            index = mark.index
            # A ']' on a line of its own below the text's lines closes it: the error is inside.
            unclosed = _closer_below(text, index) is None
    elif problem in ("did not find expected key", "did not find expected '-' indicator") and mark:
        # `[see note] and more`: a list in brackets, then more text on its line.
        index = _closed_flow_start(text, mark.index)
    if index is None:
        return None
    start = text.rfind("\n", 0, index) + 1
    # No real key is that long, and the pattern's time grows with the square of a run of spaces.
    if index - start > _LONGEST_BEFORE_VALUE or _BEFORE_VALUE.fullmatch(text, start, index) is None:
        return None
    return index, unclosed


def _closer_below(text: str, opening: int) -> int | None:
    """Where the ']' or '}' is that closes the list or block that opens at ``opening`` and goes on
    over lines, if the first line after the text's own lines (see :func:`_value_end`) begins with
    it, at or left of the text's indentation (``[ # see notes``, lines, then ``]`` under the key);
    else ``None``."""
    end = _value_end(text, opening, _indent_of(text, opening))
    below = _line_end(text, end) + 1
    found = _CLOSER_LINE.match(text, below)
    if found is None or found.group(1) != _UNCLOSED[text[opening]][1]:
        return None
    return found.start(1)


#: Empty lines, then a line that begins with a ']' or '}'.
_CLOSER_LINE = re.compile(r"(?:[ \t\r]*\n)*[ ]*([\]}])")


def _read_past(text: str, opening: int, stop: Any) -> bool:
    """Whether the parser, reading the flow collection that opens at ``opening``, stopped at the
    end of the file or on a later line indented no further than the collection's: at the next key,
    where no ']' or '}' can close it."""
    if stop is None:
        return False
    index = int(stop.index)
    if not text[index:].strip():
        return True
    start = text.rfind("\n", 0, opening) + 1
    line = text.rfind("\n", 0, index) + 1
    if line <= start:
        return False
    indent = _indent_of(text, opening)
    written = text[line : _line_end(text, line)]
    return len(written) - len(written.lstrip(" ")) <= indent


def _quoted_then_more(exc: yaml.MarkedYAMLError, text: str, stop: int | None) -> tuple[int, int, int] | None:
    """Where a value that starts with text in quotes and goes on after the closing quote (``"Fine"
    was the word Mum used``) starts, where what follows the quotes starts and where the value ends
    (before a comment, on the last of its lines); ``None`` for any other error.

    The text in quotes may run over lines (``"Mum said`` then ``it was fine" and more``), and what
    follows it may be on the line below (``"Fine"`` then ``was the word``), as Word wraps a pasted
    paragraph. ``stop``: where the parser stopped, as :func:`_reserved_start_index` finds it for a
    reserved character after the quotes (``"Fine" & more``), else ``None``. The parser ends the
    value at the closing quote and stops at what follows, in words ("did not find expected key",
    "block sequence entries are not allowed") that say nothing of the quotes.
    """
    if exc.context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        # Inside a list in brackets (`[x, "y" z]`) the text ends at a ',' or ']': not this finding.
        return None
    if stop is None:
        mark = exc.problem_mark
        if exc.context == "while scanning a block scalar":
            # `"Fine" | more`: the parser stops after the '|', which follows the quotes.
            mark = exc.context_mark
        if mark is None:
            return None
        stop = int(mark.index)
    if text[stop : stop + 1] in ("", "\n", "\r", ":", "#"):
        # ':' is a key after the quotes (`"Fine": more`), whose own finding says to quote ': '.
        return None
    quotes = _quotes_before(text, stop)
    if quotes is None:
        return None
    opening, closing = quotes
    start = text.rfind("\n", 0, opening) + 1
    # No real key is that long, and the pattern's time grows with the square of a run of spaces.
    if opening - start > _LONGEST_BEFORE_VALUE or _BEFORE_VALUE.fullmatch(text, start, opening) is None:
        return None
    line = text.rfind("\n", 0, stop) + 1
    line_end = text.find("\n", stop, line + _LONGEST_QUOTED_LINE + 1)
    if line_end < 0:
        line_end = len(text)
        if line_end - line > _LONGEST_QUOTED_LINE:
            return None
    rest = text[stop : _before_comment(text, stop, line_end)]
    if ":" not in text[start:opening] and (": " in rest or rest.endswith(":")):
        # `"Fine" key: value` with no key before it on its line is a key, not a text.
        return None
    indent = _indent_of(text, opening)
    if "\n" in text[closing:stop] and (
        stop - line <= indent or ": " in rest or rest.endswith(":") or text[line:stop].strip(" ")
    ):
        # On a line of its own, what follows goes on with the text only indented further than its
        # key, and not as a key of its own (a key indented too far, whose finding is the parser's).
        return None
    return opening, stop, _value_end(text, stop, indent)


#: Text in double or single quotes, over lines or not.
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""", re.DOTALL)


def _quotes_before(text: str, stop: int) -> tuple[int, int] | None:
    """Where the text in quotes that ends just before ``stop`` (after spaces and line breaks
    only) opens, and where it ends, if one does: its opening quote is the nearest before its
    closing one that is not inside it (escaped with '\\' in double quotes, doubled in single
    ones), looked for at most :data:`_LONGEST_QUOTED_LINE` characters back."""
    closing = _end_before(text, stop)
    quote = text[closing - 1 : closing]
    if quote not in ('"', "'"):
        return None
    lowest = max(0, closing - _LONGEST_QUOTED_LINE)
    at = closing - 2
    while at >= lowest:
        if text[at] == quote:
            if quote == "'":
                if at > lowest and text[at - 1] == "'":
                    at -= 2
                    continue
                break
            slashes = at
            while slashes > lowest and text[slashes - 1] == "\\":
                slashes -= 1
            if (at - slashes) % 2 == 0:
                break
        at -= 1
    if at < lowest or _QUOTED.fullmatch(text, at, closing) is None:
        return None
    return at, closing


def _quoted_then_more_finding(text: str, name: str, found: tuple[int, int, int]) -> LoadError:
    """The finding for text in quotes with more written after its closing quote (see
    :func:`_quoted_then_more`), at the opening quote: where the text the hint rewrites starts."""
    index, stop, end = found
    in_quotes = text[index:stop].rstrip(" \t\r\n")
    rest = text[stop:end]
    closing = in_quotes[-1]
    shown_closing = f"'{closing}'" if closing == '"' else f'"{closing}"'
    message = (
        f"YAML syntax error: the text in quotes {clip(' '.join(in_quotes.split()))} ends at its closing "
        f"{shown_closing}, so YAML reads the rest, '{clip(' '.join(rest.split()))}', as something else, "
        "not as more of the text."
    )
    hint = quote_fix(text[index:end], _line_number(text, index))
    return LoadError(diagnostic("QA101", _text_location(text, name, index), message, hint))


def _closed_flow_start(text: str, index: int) -> int | None:
    """Where the flow collection that ends just before ``index`` (``[a] more``, the parser stopping
    at ``more``) starts, if one does: over lines too (``[see`` then ``note] and more``, or ``more``
    on the line below, indented as text that goes on), looked for at most
    :data:`_LONGEST_QUOTED_LINE` characters back."""
    end = _end_before(text, index)
    if text[end - 1 : end] not in ("]", "}"):
        return None
    depth = 0
    for at in range(end - 1, max(0, end - _LONGEST_QUOTED_LINE) - 1, -1):
        char = text[at]
        if char in "]}":
            depth += 1
        elif char in "[{":
            depth -= 1
            if depth == 0:
                break
    else:
        return None
    if "\n" in text[end:index]:
        # On a line of its own, what follows goes on with the text only indented further than the
        # line the collection starts on, and not as a key of its own (a key indented too far).
        line = text.rfind("\n", 0, index) + 1
        indent = _indent_of(text, at)
        rest = text[index : _before_comment(text, index, _line_end(text, index))]
        if text[line:index].strip(" ") or index - line <= indent or ": " in rest or rest.endswith(":"):
            return None
    return at


def _end_before(text: str, index: int) -> int:
    """Where what comes before ``index`` ends, before the spaces and line breaks between: looked for
    at most :data:`_LONGEST_QUOTED_LINE` characters back (0 where there are only more)."""
    lowest = max(0, index - _LONGEST_QUOTED_LINE)
    end = lowest + len(text[lowest:index].rstrip(" \t\r\n"))
    return 0 if end == lowest else end


def _line_end(text: str, index: int) -> int:
    """Where the line holding ``index`` ends (its line break, or the end of the text)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _written_on_line(text: str, index: int) -> str:
    """The value that starts at ``index``, as far as its line shows it: up to a comment, and in a
    flow collection (``[a, b]``, ``{a: b}``) up to the next ',', ']' or '}'."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    written = text[index : len(text) if end < 0 else end]
    comment = re.search(r"\s#", written)
    if comment is not None:
        written = written[: comment.start()]
    before = text[start:index]
    if before.count("[") + before.count("{") > before.count("]") + before.count("}"):
        written = re.split(r"[,\]}]", written, maxsplit=1)[0]
    return written.strip()


#: What libyaml says of a backslash in double quotes that starts no escape YAML knows (``\\U`` in
#: ``"C:\\Users"`` wants eight hexadecimal digits, ``\\D`` is none).
_BAD_ESCAPES = (
    "found unknown escape character",
    "did not find expected hexdecimal number",
    "found invalid Unicode character escape code",
)
#: A Windows path's start: a drive (``C:\\``) or a shared folder (``\\\\server``).
_WINDOWS_PATH = re.compile(r"(?<![^\s\"'(\[])(?:[A-Za-z]:\\|\\\\[^\s\\])")


def _backslash_escape(exc: yaml.MarkedYAMLError, text: str, name: str) -> LoadError | None:
    """The finding for a backslash in double quotes that starts no escape (a Windows path such as
    ``"C:\\Users\\jo\\notes.docx"``), at the opening quote, or ``None`` for any other error.

    In double quotes YAML reads ``\\`` as the start of an escape (``\\n`` a line break, ``\\x41``
    a letter): libyaml's words ("did not find expected hexdecimal number") say nothing of the
    path. Single quotes read a backslash as typed: the hint writes the line with them.
    """
    opening, stop = exc.context_mark, exc.problem_mark
    if (
        exc.problem not in _BAD_ESCAPES
        or exc.context != "while parsing a quoted scalar"
        or opening is None
        or stop is None
        or text[opening.index : opening.index + 1] != '"'
    ):
        return None
    start = int(opening.index)
    backslash = text.rfind("\\", start, int(stop.index) + 1)
    if backslash < 0:
        return None
    escape = text[backslash : backslash + 2]
    closing = _QUOTED.match(text, start, start + _LONGEST_QUOTED_LINE)
    inside = text[start + 1 : closing.end() - 1] if closing is not None else None
    shown = clip(" ".join((inside if inside is not None else _written_on_line(text, start + 1)).split()))
    message = (
        f"YAML syntax error: the text in double quotes '{shown}' holds a backslash: in double quotes, "
        f"YAML reads '\\' as the start of a special character (such as \\n, a line break), and "
        f"'{escape}' is not one."
    )
    line = _line_number(text, start)
    path = inside is not None and _WINDOWS_PATH.search(inside) is not None
    slashes = " Or write the path with forward slashes, which Windows reads as well." if path else ""
    single = "Put the text in single quotes, in which a backslash is just a backslash"
    twice = ", and type each ' inside it twice" if inside is not None and "'" in inside else ""
    if closing is None or inside is None:
        hint = f"{single}: type ' in place of the \" that opens it on line {line}, and ' at its end."
        return LoadError(diagnostic("QA101", _text_location(text, name, start), message, hint + slashes))
    if "\n" in inside:
        hint = (
            f'{single}: type \' in place of the " that opens it on line {line} and of the " that '
            f"closes it on line {_line_number(text, closing.end())}{twice}."
        )
        return LoadError(diagnostic("QA101", _text_location(text, name, start), message, hint + slashes))
    line_start = text.rfind("\n", 0, start) + 1
    fixed = (
        text[line_start:start].lstrip(" ")
        + "'"
        + inside.replace("'", "''")
        + "'"
        + text[closing.end() : _line_end(text, closing.end())].rstrip(" \t\r")
    )
    hint = (
        f"{single}: line {line} then reads {fixed}"
        if len(fixed) <= MAX_QUOTED_FIX
        else f"{single}: type ' in place of each \" around the text on line {line}{twice}"
    )
    if path:
        forward = inside.replace("\\", "/")
        slashes = (
            f' Or write the path with forward slashes, which Windows reads as well: "{forward}".'
            if len(forward) <= MAX_QUOTED_FIX and '"' not in forward
            else slashes
        )
    return LoadError(diagnostic("QA101", _text_location(text, name, start), message, f"{hint}.{slashes}"))


#: A line of a block: its indentation, its list items' '- ', its key (``evidence:``, where it has
#: one) and the rest of it (the value, or the text of a line that goes on with a value).
_BLOCK_LINE = re.compile(
    r"""([ ]*)((?:-[ ]+)*)(?:("[^"\n]*"|'[^'\n]*'|[^\s#'"\[\]{},&*!|>%@`-][^\n]*?):(?:[ ]+|$))?(.*)"""
)
#: The characters a plain text cannot start with, or that make a line of text something else.
_NOT_PLAIN_START = "\"'[]{}#&*!|>%@`,?-"


def _plain(value: str) -> bool:
    """Whether ``value`` reads back as itself written after a key with no quotes (``key: value``)."""
    return (
        value[:1] not in _NOT_PLAIN_START
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and "\t" not in value
    )


#: A line that starts a key's text: its indentation, a list's '- ', the key (plain, not in quotes),
#: ': ', and the text, which starts with no character YAML reads otherwise (those have their own
#: findings: quotes, brackets, '&', '|' and the rest).
_KEY_AND_TEXT = re.compile(
    r"""[ ]*(?:-[ ]+)?(?P<key>[^\s#'"\[\]{},&*!|>%@`?:-][^:#\n]*?):[ ]+"""
    r"""(?=[^\s#'"\[\]{},&*!|>%@`])"""
)


#: A key as audits and standards files write them (``evidence``, ``case_reference``), not words.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _colon_in_text(exc: yaml.MarkedYAMLError, text: str, name: str) -> LoadError | None:
    """The finding for a key's text that holds ': ' (``evidence: Seen at: school``), which YAML
    reads as the start of a key of its own, at the text's start; ``None`` for any other error.

    libyaml says "mapping values are not allowed in this context" at the second colon, which tells
    an auditor nothing. The text may run over lines, as Word wraps a pasted paragraph, with the
    colon on a later one: the look back for its key is bounded (:data:`_LONGEST_QUOTED_LINE`).
    """
    mark = exc.problem_mark
    if mark is None or exc.problem != "mapping values are not allowed in this context":
        return None
    stop = int(mark.index)
    if text[stop : stop + 1] != ":":
        return None
    line_start = text.rfind("\n", 0, stop) + 1
    own = _KEY_AND_TEXT.match(text, line_start, _line_end(text, line_start))
    if own is not None and own.end() > stop and _IDENTIFIER.fullmatch(own.group("key").strip(" ")):
        # The colon ends a key such as `evidence` on a line of its own: more likely a key indented
        # deeper than the one above (read as going on with its text) than words of a text, which
        # the parser's own hint to check the indentation is right for.
        return None
    earliest = max(0, line_start - _LONGEST_QUOTED_LINE)
    start = line_start
    while True:
        found = _KEY_AND_TEXT.match(text, start, _line_end(text, start))
        if found is not None and found.end() <= stop:
            value = found.end()
            written = _written_from(text, value)
            if value + len(written) <= stop:
                return None  # the colon is not in this text: another mistake
            line = _line_number(text, value)
            key = found.group("key").rstrip(" ")
            message = (
                f"YAML syntax error: the text of '{clip(key)}' holds ': ' (a colon then a space), which "
                "YAML reads as the start of another key."
            )
            return LoadError(
                diagnostic("QA101", _text_location(text, name, value), message, quote_fix(written, line))
            )
        if start == 0 or start <= earliest:
            return None
        # The line above, which the text may have started on.
        start = text.rfind("\n", 0, start - 1) + 1


def _not_indented(exc: yaml.MarkedYAMLError, text: str, name: str) -> LoadError | None:
    """The finding for lines of a value's text not indented further than its key (pasted flush left:
    ``evidence: The child said`` then ``she felt safe at home.`` at the left edge, or the text of
    ``comment: >``), at the first of them; ``None`` for any other error.

    YAML reads such a line as a key of its own, and libyaml stops a line or more further on, in
    its own words ("could not find expected ':', while scanning a simple key"). The look back for
    the key and the look on for the lines are bounded (:data:`_LONGEST_QUOTED_LINE`): past that,
    the parser's words are left.
    """
    mark = exc.context_mark
    if (
        exc.problem != "could not find expected ':'"
        or exc.context != "while scanning a simple key"
        or mark is None
    ):
        return None
    first = int(mark.index)
    line_start = text.rfind("\n", 0, first) + 1
    if line_start == 0 or text[line_start:first].strip(" "):
        return None
    column = first - line_start
    owner = _owner_of(text, line_start, column)
    if owner is None:
        return None
    key_start, key, value, value_start, key_column, spaces = owner
    lines, last = _flush_lines(text, line_start, key_column)
    if last is None:
        return None
    number, key_number = _line_number(text, line_start), _line_number(text, key_start)
    last_number = _line_number(text, last)
    first_line = text[first : _line_end(text, first)].rstrip(" \t\r")
    named = f"'{clip(key)}'" if key is not None else "the list item"
    where = "starts at the left edge" if column == 0 else f"is indented no further than {named}"
    message = (
        f"YAML syntax error: '{clip(first_line)}' (line {number}) {where}, so YAML reads it as a new key, "
        f"which has no ':', not as more of the text of {named} on line {key_number}."
    )
    which = f"line {number}" if last_number == number else f"each of lines {number} to {last_number}"
    indent = (
        f"indent {which} by {spaces} spaces, further than "
        + (f"'{clip(key)}:'" if key is not None else "the '-'")
        + f" on line {key_number}"
    )
    fixed: str | None = None
    below = text[_line_end(text, key_start) + 1 : _line_end(text, last)].split("\n")
    words = [line.strip(" \t\r") for line in below]
    block = _BLOCK_HEADER.fullmatch(value) is not None
    if not block and "" not in words and len(below) <= _QUOTE_PLACE:
        # Text over lines with no empty line in it reads as its lines joined by a space: on one
        # line, as short as it is, it is the fix to copy (an empty line is a line break: not so).
        joined = " ".join([value, *words] if value else words)
        one_line = joined if _plain(joined) else in_quotes(joined)
        if one_line is not None:
            fixed = f"{text[key_start:value_start].strip(' ')} {one_line}"
            fixed = fixed if len(fixed) <= MAX_QUOTED_FIX else None
    if not block and _COMMENT.search(text, line_start, _line_end(text, last)) is not None:
        # `visit #2 was late`: indented, the text would end at the comment, and lose the rest.
        if fixed is None:
            return None
        hint = f"If it is more of the text of {named}, write the text on one line, in place of lines "
        hint += f"{key_number} to {last_number}: {fixed}"
    else:
        hint = f"If it is more of the text of {named}, {indent}"
        if fixed is not None:
            hint += (
                f", or write the text on one line, in place of lines {key_number} to {last_number}: {fixed}"
            )
    hint += "" if hint.endswith(".") else "."
    if lines == 1 and " " not in first_line and not first_line.endswith(":"):
        hint += " If it is a key, type ':' after it."
    return LoadError(diagnostic("QA101", _text_location(text, name, first), message, hint))


def _owner_of(text: str, line_start: int, column: int) -> tuple[int, str | None, str, int, int, int] | None:
    """The line above ``line_start`` whose value goes on over the lines between (each indented
    further than its key), if the line at ``line_start`` (whose text starts at ``column``) is
    indented no further than its key: where it starts, its key (``None`` for a list item with no
    key), its value (text, empty, or a block text's header) and where that starts (the end of the
    line for an empty one), the column its key starts at and how many spaces the lines of its text
    are indented by (those of the first line below it, else two more than the key's, or the item's
    text's). Looked for at most :data:`_LONGEST_QUOTED_LINE` characters back."""
    lowest = max(0, line_start - _LONGEST_QUOTED_LINE)
    above = _lines_above(text, lowest, line_start)
    deepest: int | None = None
    for start, written in above:
        parts = _BLOCK_LINE.fullmatch(written)
        if parts is None or written.lstrip(" ").startswith("#"):
            return None
        indent, dashes, key, value = parts.groups()
        if key is None and not dashes:
            # A line that goes on with the value above it.
            deepest = len(indent)
            continue
        holder = _block_holding(above, len(indent), whole=lowest == 0)
        if holder is False:
            return None
        if holder is not None:
            # A line of a block text may hold ': ' (`Judged good overall: the placement`): under a
            # block text's header, it is more of that text, whose lines are indented as its first.
            start, parts = holder
            indent, dashes, key, value = parts.groups()
            deepest = _first_indent(text, _line_end(text, start) + 1, line_start)
        key_column = len(indent) + len(dashes)
        if column > key_column or (deepest is not None and deepest <= key_column):
            return None
        if value and not _BLOCK_HEADER.fullmatch(value) and not _plain(value):
            return None
        spaces = deepest if deepest is not None else key_column + 2 if key is not None else key_column
        value_start = start + parts.start(4) if value else start + len(written)
        return start, key, value, value_start, key_column, spaces
    return None


def _lines_above(text: str, lowest: int, line_start: int) -> Iterator[tuple[int, str]]:
    """The lines above the one at ``line_start`` that hold more than spaces, nearest first, down to
    ``lowest`` (a line that starts before it is not given): where each starts, and its text."""
    end = line_start - 1
    while end >= lowest:
        found = text.rfind("\n", lowest, end)
        if found < 0 and lowest > 0:
            return
        start = found + 1
        written = text[start:end].rstrip(" \t\r")
        end = start - 1
        if written.strip(" "):
            yield start, written


def _block_holding(
    above: Iterator[tuple[int, str]], indent: int, *, whole: bool
) -> tuple[int, re.Match[str]] | Literal[False] | None:
    """The key or list item whose block text (``>``, ``|``) holds a line indented by ``indent``, if it
    is the nearest line of ``above`` indented less: where it starts and its parts; ``None`` where
    that line is no such key, ``False`` where ``above`` ends before any and is not the ``whole`` of
    the file above (an indented line with none above it indented less may be a block text's)."""
    for start, written in above:
        if len(written) - len(written.lstrip(" ")) >= indent:
            continue
        parts = _BLOCK_LINE.fullmatch(written)
        if (
            parts is None
            or written.lstrip(" ").startswith("#")
            or (parts.group(3) is None and not parts.group(2))
            or _BLOCK_HEADER.fullmatch(parts.group(4)) is None
        ):
            return None
        return start, parts
    return None if indent == 0 or whole else False


def _first_indent(text: str, start: int, end: int) -> int | None:
    """The indentation of the first line from ``start`` to ``end`` that holds more than spaces."""
    for line in text[start:end].split("\n"):
        if line.strip(" \t\r"):
            return len(line) - len(line.lstrip(" "))
    return None


def _flush_lines(text: str, line_start: int, key_column: int) -> tuple[int, int | None]:
    """How many lines from ``line_start`` on are text indented no further than ``key_column``
    (empty lines between them too), and where the last of them starts (``None`` past
    :data:`_LONGEST_QUOTED_LINE` characters)."""
    count, last, at = 0, None, line_start
    highest = line_start + _LONGEST_QUOTED_LINE
    while at < len(text):
        if at > highest:
            return count, None
        end = _line_end(text, at)
        written = text[at:end].rstrip(" \t\r")
        if written.strip(" "):
            parts = _BLOCK_LINE.fullmatch(written)
            indent = len(written) - len(written.lstrip(" "))
            if (
                parts is None
                or indent > key_column
                or parts.group(2)
                or parts.group(3) is not None
                or written.lstrip(" ").startswith("#")
            ):
                break
            count, last = count + 1, at
        at = end + 1
    return count, last


def _reads_further(text: str, start: int, end: int, stopped: int) -> bool:
    """Whether YAML reads ``text`` past ``stopped`` (where it stopped), or reads it all, with the
    non-breaking spaces between ``start`` and ``end`` typed as spaces: only then are they what it
    stopped at. A line of a text block may hold them (``Time:`` and one, then ``10am``), and the
    mistake be elsewhere. One more reading of a file that has an error, which is cheap."""
    # The whole run of spaces from there: indentation may be several of them, mixed with spaces.
    while end < len(text) and text[end] in _NBSPS + " ":
        end += 1
    fixed = text[:start] + "".join(" " if c in _NBSPS else c for c in text[start:end]) + text[end:]
    try:
        _single_node(fixed.encode("utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark is not None and int(mark.index) > stopped
    except yaml.YAMLError:
        return False
    return True


def _syntax(exc: yaml.MarkedYAMLError, text: str, name: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    col = mark.column + 1 if mark is not None else 1
    if mark is not None:
        # A byte-order mark on this line or the one before: libyaml's wording ("did not find
        # expected key") says nothing about the invisible character to blame.
        before = text.rfind("\n", 0, max(text.rfind("\n", 0, mark.index), 0)) + 1
        bom = text.rfind("\ufeff", before, mark.index + 1)
        if bom > 0:
            return LoadError(diagnostic("QA101", _text_location(text, name, bom), _BOM_MESSAGE, _BOM_HINT))
        # Indentation pasted from Word or an email is non-breaking spaces, which YAML reads as
        # text: the parser fails a line or two later, at a place that says nothing about them.
        end = text.find("\n", mark.index)
        nbsp = _NBSP_INDENT.search(text, 0, len(text) if end < 0 else end)
        if nbsp is not None and _reads_further(text, nbsp.start(), nbsp.end(), mark.index):
            return LoadError(
                diagnostic(
                    "QA101",
                    _text_location(text, name, nbsp.end() - 1),
                    _NBSP_INDENT_MESSAGE,
                    _NBSP_INDENT_HINT,
                )
            )
        # A non-breaking space after a key's ':' makes the key and its value one text, and the
        # parser fails on that line or the next (`rating:\u00a0good`).
        after = _NBSP_AFTER_COLON.search(text, before, len(text) if end < 0 else end)
        if after is not None and _reads_further(text, after.start(1), after.end(1), mark.index):
            return LoadError(
                diagnostic(
                    "QA101",
                    _text_location(text, name, after.start(1)),
                    "YAML syntax error: the space after ':' on this line is a non-breaking space, which "
                    "YAML does not read as a space, so the key and its value are read as one text.",
                    "Delete the space after ':' and type an ordinary space (non-breaking spaces come in "
                    "with text copied from Word or an email).",
                )
            )
    backslash = _backslash_escape(exc, text, name)
    if backslash is not None:
        return backslash
    flush_left = _not_indented(exc, text, name)
    if flush_left is not None:
        return flush_left
    colon = _colon_in_text(exc, text, name)
    if colon is not None:
        return colon
    reserved = _reserved_start_index(exc, text)
    quoted = _quoted_then_more(exc, text, None if reserved is None else reserved[0])
    if quoted is not None:
        return _quoted_then_more_finding(text, name, quoted)
    if reserved is not None:
        index, unclosed = reserved
        # A list closed on a later line, then more text (`[ # see notes`, lines, `] and more`): the
        # text runs on to where the parser stopped, after the ']'.
        stop = exc.problem_mark
        through = None
        if stop is not None and not unclosed and text[index] in _UNCLOSED:
            through = max(int(stop.index), _closer_below(text, index) or 0)
        message, hint = _reserved_start(
            _written_from(text, index, through), unclosed=unclosed, line=_line_number(text, index)
        )
        return LoadError(
            diagnostic("QA101", _text_location(text, name, index), f"YAML syntax error: {message}", hint)
        )
    problem = (exc.problem or "unreadable YAML").strip()
    context = (exc.context or "").strip()
    if "duplicate anchor" in context and exc.context_mark is not None:
        return LoadError(
            diagnostic(
                "QA101",
                Location(name, line, col),
                "YAML syntax error: the anchor is defined twice "
                f"(first at line {exc.context_mark.line + 1}).",
                "Each anchor (&name) may be defined only once: rename one of them.",
            )
        )
    start = exc.context_mark
    if "end of stream" in problem and "quoted scalar" in context and start is not None:
        # libyaml says where the file ended (past its last line); the quote left open is the place
        # to fix, and may be many lines above.
        quote = text[start.index : start.index + 1] or '"'
        return LoadError(
            diagnostic(
                "QA101",
                Location(name, start.line + 1, start.column + 1),
                f"YAML syntax error: the quoted text that starts here with {quote} is never closed: "
                f"the file ends before its closing {quote}.",
                f"Add the closing {quote} where the text ends.",
            )
        )
    message = f"YAML syntax error: {problem}"
    if context:
        ctx_mark = exc.context_mark
        where = f" (line {ctx_mark.line + 1})" if ctx_mark and ctx_mark.line + 1 != line else ""
        message += f", {context}{where}"
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in problem), "")
    if "tab" in problem or (
        exc.problem_mark is not None and text[exc.problem_mark.index : exc.problem_mark.index + 1] == "\t"
    ):
        # The parser's wording ("plain scalar", "token") means nothing to an auditor.
        return LoadError(
            diagnostic(
                "QA101",
                Location(name, line, col),
                "YAML syntax error: a tab is used to indent this line.",
                "Tabs cannot be used for indentation in YAML: use spaces.",
            )
        )
    if not hint:
        hint = "Check the indentation and quoting on this line and the line before it."
    return LoadError(diagnostic("QA101", Location(name, line, col), message + ".", hint))


class _Builder:
    """Turns a node tree into plain Python data, refusing everything an audit never needs."""

    __slots__ = ("_active", "_char_limit", "_chars", "_counting", "_expanded", "_name", "_seen", "_text")

    def __init__(self, name: str, text: str, *, properties: bool) -> None:
        self._name = name
        self._text = text
        length = len(text)
        self._seen: set[int] = set()
        self._active: set[int] = set()
        self._expanded = 0
        # Without aliases the text built is never longer than the file (escapes and folding only
        # shorten it), so text beyond the file's length plus the budget can only come from aliases.
        # A file without an anchor has no alias: its text is not counted (the hot path). Every
        # value of a file that may hold a property (an anchor, or the tag '!') is built one by one,
        # on the path that counts, so that each one's properties are checked.
        self._counting = properties
        self._chars = 0
        self._char_limit = length + MAX_ALIAS_CHARACTERS

    def _fail(self, code: str, node: Node, message: str, hint: str) -> LoadError:
        return LoadError(diagnostic(code, _loc(self._name, node), message, hint))

    def _count(self, node: Node, text: str) -> None:
        self._chars += len(text)
        if self._chars > self._char_limit:
            raise self._fail(
                "QA107",
                node,
                f"YAML aliases in this file expand to more than {MAX_ALIAS_CHARACTERS:,} characters of text.",
                "Write the text out instead of repeating it with aliases (*name).",
            )

    def build(self, node: Node, depth: int, *, repeated: bool = False) -> Any:
        if node.__class__ is ScalarNode:
            # The hot path: most nodes are plain text.
            if self._counting:
                self._count(node, node.value)
                self._check_properties(node)
            if node.tag == _STR:
                return node.value
            if node.tag not in _ALLOWED_SCALAR_TAGS:
                raise self._forbidden_tag(node)
            if len(node.value) > MAX_NUMBER_LENGTH and node.tag in _NUMBER_TAGS:
                raise self._fail(
                    "QA112",
                    node,
                    f"The number '{clip(node.value)}' is {len(node.value):,} characters long, too "
                    "long to be read as a number.",
                    "If it is text, put it in quotes; numbers in audit files are short.",
                )
            try:
                return scalar_value(node.tag, node.value)
            except ValueError:
                raise self._fail(
                    "QA101",
                    node,
                    f"YAML syntax error: '{clip(node.value)}' is not a valid {node.tag.rsplit(':', 1)[-1]}.",
                    "Remove the explicit tag or correct the value.",
                ) from None
        if self._counting:
            return self._aliased(node, depth, repeated)
        # No anchor in the file, so no alias: every node is reached once, from its parent.
        if depth > MAX_DEPTH:
            raise _too_deep(self._name, node.start_mark)
        return self._collection(node, depth, repeated)

    def _check_properties(self, node: Node, what: str = "value") -> None:
        """Refuse a plain value or key (``what``) that starts with an anchor (``&name``) or the tag
        ``!``, and the tag ``!`` on any other value.

        Text an auditor typed after an '&' (``&Daniel Okafor``) is the anchor's name to YAML, and
        ``! Daniel`` is the tag that asks for the value's type to be guessed: either way the text
        read is not the text written (``Okafor``, ``Daniel``), and nothing else would say so. An
        anchor on a list, a block or a quoted or block text is left alone: aliases may repeat it.
        The tag ``!`` is refused everywhere: on quoted or block text YAML says it means text, but
        libyaml and ruamel.yaml both read ``! "12"`` as the number 12.
        """
        start = node.start_mark.index
        if self._text[start : start + 1] not in ("&", "!"):
            return
        if node.__class__ is MappingNode and node.value and node.value[0][0].start_mark.index == start:
            # A block mapping starts where its first key does: the properties are the key's.
            return
        end = node.end_mark.index
        plain = node.__class__ is ScalarNode and not node.style
        # Properties come first, in either order (`&a !!str x`, `!!str &a x`).
        found = _PROPERTY.match(self._text, start, end)
        while found is not None:
            written = found.group(1)
            at = found.start()
            if plain and (written.startswith("&") or written == _NON_SPECIFIC):
                message, hint = _reserved_start(
                    self._text[at:end], node.value, what, line=_line_number(self._text, at)
                )
                code = "QA111" if written.startswith("&") else "QA106"
                raise LoadError(diagnostic(code, _text_location(self._text, self._name, at), message, hint))
            if written == _NON_SPECIFIC:
                # The text is in quotes, a block text or a list: the tag is all there is to remove.
                location = _text_location(self._text, self._name, at)
                raise LoadError(diagnostic("QA106", location, _tag_refused(written), _REMOVE_TAG))
            found = _PROPERTY.match(self._text, found.end(), end)

    def _aliased(self, node: Node, depth: int, repeated: bool) -> Any:
        """A collection of a file with anchors, which aliases may reach again or from inside it."""
        ident = id(node)
        if ident not in self._seen:
            self._check_properties(node)
        if ident in self._active:
            raise self._fail(
                "QA107",
                node,
                "A YAML alias refers to the block that contains it, which never ends.",
                "Remove the alias (*name) or point it at another block.",
            )
        if ident in self._seen:
            repeated = True
        else:
            self._seen.add(ident)
        if repeated:
            # Every collection reached again through an alias counts against the budget.
            self._expanded += 1 + len(node.value)
            if self._expanded > MAX_ALIAS_EXPANSION:
                raise self._fail(
                    "QA107",
                    node,
                    f"YAML aliases in this file expand to more than {MAX_ALIAS_EXPANSION:,} values.",
                    "Write the values out instead of repeating aliases (*name) of aliases.",
                )
        if depth > MAX_DEPTH:
            raise _too_deep(self._name, node.start_mark)
        self._active.add(ident)
        try:
            return self._collection(node, depth, repeated)
        finally:
            self._active.discard(ident)

    def _collection(self, node: Node, depth: int, repeated: bool) -> Any:
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise self._forbidden_tag(node)
            if self._counting:
                return [self.build(item, depth + 1, repeated=repeated) for item in node.value]
            # Plain text, the most common item, is taken as it is (what build() returns for it).
            return [
                item.value
                if item.__class__ is ScalarNode and item.tag == _STR
                else self.build(item, depth + 1, repeated=repeated)
                for item in node.value
            ]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise self._forbidden_tag(node)
            return self._mapping(node, depth, repeated)
        raise self._forbidden_tag(node)  # pragma: no cover - composer yields only three kinds

    def _mapping(self, node: MappingNode, depth: int, repeated: bool) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        counting = self._counting
        for key_node, value_node in node.value:
            if key_node.__class__ is ScalarNode and key_node.tag == _STR:
                # The hot path: a plain-text key can only be refused as a merge key.
                if key_node.value == "<<" and not key_node.style:
                    raise self._merge_key(key_node)
            else:
                if key_node.tag == _MERGE or (key_node.value == "<<" and not key_node.style):
                    raise self._merge_key(key_node)
                if key_node.__class__ is not ScalarNode:
                    raise self._fail(
                        "QA111",
                        key_node,
                        "A key must be plain text, not a list or a block.",
                        "Write the key as a single word or phrase followed by ':'.",
                    )
                if key_node.tag not in _ALLOWED_SCALAR_TAGS:
                    raise self._forbidden_tag(key_node)
            # Keys are names, so a key is always its text: `1:` is the key "1", `null:` is "null".
            key = key_node.value
            if counting:
                self._count(key_node, key)
                self._check_properties(key_node, "key")
            if key in result:
                # Every key before this one is text (or it was refused): the first with its text.
                first = next(k for k, _ in node.value if k.value == key).start_mark
                raise self._fail(
                    "QA105",
                    key_node,
                    f"The key '{clip(key)}' appears twice in this block (first at line {first.line + 1}).",
                    "Remove one of them or merge their contents: YAML would keep only the last.",
                )
            if not counting and value_node.__class__ is ScalarNode and value_node.tag == _STR:
                # What build() returns for plain text, without the call.
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, depth + 1, repeated=repeated)
        return result

    def _merge_key(self, node: Node) -> LoadError:
        return self._fail(
            "QA111",
            node,
            "Merge keys ('<<') are not supported in audit files.",
            "Write the keys out in full instead of merging another block.",
        )

    def _forbidden_tag(self, node: Node) -> LoadError:
        tag = node.tag
        shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
        hint = _REMOVE_TAG
        if node.__class__ is ScalarNode and not node.style and not tag.startswith(_TAG):
            # `reviewer: !Daniel Okafor` is most likely text: removing the "tag" would lose a word.
            # (Kept for every kind of file by _for_kind, so it names no kind.)
            start = node.start_mark.index
            written = self._text[start : node.end_mark.index]
            if written.startswith("!"):
                hint = f"{quote_fix(written, _line_number(self._text, start))} If it is a tag, remove it."
        return self._fail("QA106", node, _tag_refused(shown), hint)


def _tag_refused(shown: str) -> str:
    """QA106's message for a tag as the file writes it (``!``, ``!!python/object``)."""
    return f"The YAML tag '{clip(shown)}' is not allowed in audit files."
