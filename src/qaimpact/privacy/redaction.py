"""Replace people's names and case identifiers with stable pseudonyms for reports.

Which fields hold a name or an identifier is data: the common ``practitioner`` and ``reviewer``,
remedial action owners, moderators, the people an escalation names (recipients, who acknowledged
and who closed it), and every field a standards file marks ``personal: true``, in audits and in
records of other kinds (where the kind's ``case_link`` holds a case identifier). Names are
also replaced wherever they appear inside free text (evidence, comments), in full, by any of their
given names (first and middle) or their surname, or with hyphens between their words; a name
recorded as one hyphenated word ("Mei-Ling", "Okafor-Reid") by each of its parts too. The same
name always gets the same pseudonym within one report. An audit id that holds a name or a case
identifier (``QA-2026-may-0014``) is replaced whole, as an id (``Audit 001``), wherever it is
written, and so is a record's (``OBS-HelenMarsh-2026``: ``Record 001``). Values that are the
framework's ids (ratings, grades, learning points, choices) are kept as they are: they name no
one, and a name that is also an id must not change them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from qaimpact.audits.checker import AuditCheck
from qaimpact.audits.dataset import Dataset, Skipped
from qaimpact.audits.records import AuditRecord, KindRecord
from qaimpact.base.codes import CODES
from qaimpact.models.audit import plain_punctuation
from qaimpact.models.findings import Diagnostic
from qaimpact.models.kinds import learning_point_ids
from qaimpact.models.standard import NOT_APPLICABLE, FieldSpec, Framework

_PERSON_KEYS = ("practitioner", "reviewer")

#: Words of a role, not of a person's name: a field that may hold either ("raised_to") is
#: replaced whole when it reads as a role, and its words are not looked for on their own.
ROLE_WORDS = frozenset(
    "head of service manager director assistant team lead leader principal social worker iro "
    "chair officer senior deputy practice supervisor group operational duty safeguarding "
    "designated coordinator adviser advisor independent reviewing protection".split()
)

#: Words that join a role to what it is a role for ("Designated lead for schools", "Service
#: manager in the family court team"): written in lower case after the words of a role, they make
#: the rest the role's scope, not a person's name.
CONNECTORS = frozenset("for of in at and to with within across covering".split())
#: The service's own names for those it works with, written with capitals in a role ("Designated
#: lead for Looked After Children", "Children in Care"): never a name, where taken for one "after"
#: was replaced in every sentence.
SERVICE_WORDS = frozenset(
    "looked after children children's people leavers care families family schools school "
    "education disabilities disabled adoption fostering services service".split()
)
#: Words of what a role is for that are never a name, even with a capital ("for The Asante
#: children"): looked for as a name, "The" would be replaced in every sentence it begins.
SCOPE_WORDS = CONNECTORS | SERVICE_WORDS | frozenset("the a an all our their his her its".split())
#: Between a person and the role written beside them: a comma, or a dash with spaces around it
#: ("Jane Doe - Designated lead for schools", "Head of Service – Helen Marsh").
_BESIDE = re.compile(r",|\s[-\u2013\u2014]\s")

#: First names and surnames that are also everyday words of a case note ("We will", "may",
#: "the child's hope", "a brown coat"): such a name alone is looked for only where it is written
#: as a name is, with a capital ("May said"), so that the words stay in the text of Will May's
#: audits. Every other given name or surname alone is looked for however it is cased ("seen by
#: ann"): a name typed in lower case is still a name.
EVERYDAY_WORDS = frozenset(
    """
    will may mark bill grace hope joy faith rose june april august frank sue pat rob art dawn
    holly ivy lily heather amber summer iris penny ruby sandy jack jay dean chase hunter reed
    wade page ward bell lane hill wood woods brown green white black grey gray young king long
    short little rich price cook baker mason turner carter cooper walker hall fields banks hart
    fox stone rivers brooks marsh day knight sharp small best good law love guy miles max don
    ray drew carol eve nick matt kit sunny gene sage sky star storm river ash bay noble wise
    strong swift gold silver cross church street field moss frost snow rain winter spring hunt
    bird lamb bull fish wolf child care hand head foot hay moon sun ford bridge gates well wells
    bush burns sweet new nash rush shaw mills mill
    an do my so no oh go min man can tan son hang hung sang gang fang wing said else
    """.split()
)

#: Words that join a surname to the rest of a name ("Jan van der Berg", "Omar bin Said"): written
#: in lower case inside a name written with capitals, they are part of the surname, not a given
#: name, and are not looked for alone ("the van", "et al"). Written with a capital ("Van"), a name.
PARTICLES = frozenset("van von der den de da di del della la le du dos das bin ibn al el ap ter ten".split())

#: Between the words of a name in prose: any run of spaces or line breaks, or a hyphen (a line may
#: break after it): "Mei-Ling" is the given names Mei Ling, and "Mei-Ling Chen" the whole name.
_PROSE_GAP = r"(?:-\s*|\s+)"
#: Between the words of a name in a path: spaces only. A file's words are joined by hyphens
#: (``will-may-2026.yaml``), each replaced alone there, however it is cased.
_PATH_GAP = r"\s+"


def _words(name: str) -> list[str]:
    """The words of a name as written, where an underscore or a hyphen (or a dash Word types for
    one) separates them as a space does: "Mei-Ling Chen", "Mei Ling Chen" and "mei_ling_chen" are
    each three words, and "Mei-Ling" and "Smith-Jones" two. The one place a name is split at hyphens."""
    return plain_punctuation(name).replace("_", " ").replace("-", " ").split()


def _name_key(text: str) -> str:
    """A name as redaction looks it up: folded, its words (:func:`_words`) separated by single
    spaces ("helen_marsh", "Mei-Ling Chen": "helen marsh", "mei ling chen")."""
    return " ".join(_words(fold(text)))


def _name_words(words: Sequence[str]) -> list[str]:
    """The words of a person's name (:func:`_words`) that are looked for alone: every given name
    and each part of the surname ("Mei-Ling Chen": Mei, Ling, Chen; "Smith-Jones": Smith, Jones),
    but for a particle of a surname written in lower case before the name's last word, in a name
    written with a capital (:data:`PARTICLES`: "van der" of Jan van der Berg, "al" of al-Hassan)."""
    capitalised = any(not w[:1].islower() for w in words)
    return [w for at, w in enumerate(words) if not (capitalised and at < len(words) - 1 and w in PARTICLES)]


#: How a surname is written after a title: a surname that is also a word of a role ("Head",
#: "Senior") is looked for after one of these, not alone.
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.")
#: A role written after a name: in brackets, or after a comma when it is all words of a role.
_BRACKETED = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])\s*$")


def _everyday(token: str) -> bool:
    """Whether a name alone is looked for only where written with a capital: a word of a case
    note as well as a name, written with one in the data."""
    return not token[0].islower() and fold(token) in EVERYDAY_WORDS


def _role_scope(tokens: Sequence[str]) -> list[str] | None:
    """The words a role is for, where ``tokens`` read as a role phrase: words of a role, then a
    joining word in lower case ("for", "of"; see :data:`CONNECTORS`), then the rest ("Designated
    lead for schools": "schools"; "Head of Children's Services": "Children's Services"). ``None``
    where they do not, as a person's name does not ("Sarah Head", "Helen Marsh", "sarah head"):
    no name has a joining word in lower case after words of a role."""
    for at, token in enumerate(tokens):
        if at and token in CONNECTORS and at + 1 < len(tokens):
            return list(tokens[at + 1 :])
        if fold(token) not in ROLE_WORDS:
            return None
    return None


def _is_role(tokens: Sequence[str]) -> bool:
    """Whether ``tokens`` read as a role: all words of a role ("Head of Service"), or a role for
    something ("Designated lead for schools", :func:`_role_scope`)."""
    return bool(tokens) and (all(fold(t) in ROLE_WORDS for t in tokens) or _role_scope(tokens) is not None)


def _person_part(name: str) -> str:
    """A name without the role written beside it ("Jane Doe (Team manager)", "Jane Doe, Head of
    Service", and the other way round, "Head of Service (Jane Doe)", "Head of Service, Jane
    Doe"): the name as a person's words alone."""
    bracket = _BRACKETED.search(name)
    person = _BRACKETED.sub("", name).strip()
    if bracket is not None and _is_role(person.split()):
        inner = bracket.group(0).strip()[1:-1].strip()
        if inner and not _is_role(inner.split()):
            return inner
    parts = _BESIDE.split(person, maxsplit=1)
    if len(parts) == 2:
        head, tail = parts
        if _is_role(tail.split()):
            person = head.strip()
        elif tail.strip() and _is_role(head.split()):
            person = tail.strip()
    return person or name


#: What a report under ``--redact`` says of what redaction can and cannot do.
NOTE = (
    "Names and case numbers are replaced by pseudonyms (Person A, Case 001), and an audit's or "
    "record's id that holds either by one of its own (Audit 001, Record 001). Redaction replaces "
    "the names the audits record in their name fields, wherever they appear: the whole name, "
    "and each first name, middle name and surname on its own, as well as each part of a "
    "hyphenated name (Mei and Ling of Mei-Ling, Smith and Jones of Smith-Jones). A name that "
    "is also an everyday word, such as Will or May, is replaced on its own only where it is "
    "written with a capital. Every case number of the service's shape is replaced too. "
    "Redaction cannot find a name it was never given, such as a relative named only in "
    "evidence. Read the report before it leaves the QA team."
)

#: Scripts written without spaces between words: a name in them has no word boundary to match.
_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")


def fold(text: str) -> str:
    """Text as redaction compares it: NFKC, case-folded, without accents or the dot of a
    Turkish İ, with the dotless ı as i, and with Word's dashes and apostrophes as the plain ones
    (:func:`~qaimpact.models.audit.plain_punctuation`). Applied alike to names and to the text
    searched, so "Jürgen Strauß", "JURGEN STRAUSS" and "Jürgen Strauß" in NFD are one name,
    "O’Brien" and "O'Brien" one, and "LCS–734838" (an en dash) is "LCS-734838"."""
    text = plain_punctuation(unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text.replace("ı", "i"))


#: :func:`fold` of one letter with its accents: a report folds the same few hundred over and over.
_fold_letter = functools.lru_cache(maxsize=4096)(fold)


def _fold_map(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` folded, and for each folded character where its letter (with its accents)
    starts and ends in ``text``."""
    if text.isascii():
        # Folding ASCII is lower-casing it, one character for one (most of what audits hold):
        # the letter-by-letter walk below was most of a redacted report's time.
        return text.lower(), list(range(len(text))), list(range(1, len(text) + 1))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = _fold_letter(text[i:j])
        pieces.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return "".join(pieces), starts, ends


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _id_words(ident: str) -> str:
    """An audit id's words, as a path's are read: split at punctuation and underscores, and
    where letters meet digits, a capital follows a small letter, or a capital starting a word
    follows another capital ("QA-2026-Marsh0902", "HelenMarsh2026", "OBS-HMarsh-2026": "QA 2026
    Marsh 0902", "Helen Marsh 2026", "OBS H Marsh 2026"), so a name run into the rest of the id,
    or into an initial, is still found."""
    words: list[str] = []
    for run in re.findall(r"[^\W_]+", ident):
        start = 0
        for at in range(1, len(run)):
            before, here = run[at - 1], run[at]
            # An initial run into a surname ("HMarsh", "VJoshi"): a capital, then a word.
            initial = before.isupper() and here.isupper() and run[at + 1 : at + 2].islower()
            if before.isdigit() != here.isdigit() or (before.islower() and here.isupper()) or initial:
                words.append(run[start:at])
                start = at
        words.append(run[start:])
    return " ".join(words)


def _edges(key: str) -> tuple[bool, str]:
    """Whether the alternative for ``key`` must start a word, and what must follow it: a whole
    word, except at an edge in a script without spaces."""
    edge = key.removeprefix("case:").removeprefix("id:")

    def spaced(ch: str) -> bool:
        return not unicodedata.name(ch, "").startswith(_UNSPACED)

    return spaced(edge[0]), (r"(?!\w)" if spaced(edge[-1]) else "")


def _either(alternatives: Iterable[tuple[str, str]]) -> str:
    """One pattern for the ``(key, pattern)`` alternatives, tried in order, each as a whole word
    (:func:`_edges`), that finds exactly what their alternation finds, in time that hardly grows
    with their number.

    A run of alternatives that must start a word shares one look-behind: inside a word it fails
    once for the run, where it failed once for each of thousands of names. And within a run the
    alternatives share the letters they start with (:func:`_shared_starts`): at each word only
    the names that start with its letters are tried, where every name was (the search was most
    of a redacted report's time, and grew with the square of the audits)."""
    runs: list[tuple[bool, list[tuple[str, str]]]] = []
    for key, pattern in alternatives:
        starts, after = _edges(key)
        letters, rest = _literal_prefix(pattern)
        tail = ("(?:" + rest + ")" if rest else "") + after
        if runs and runs[-1][0] == starts:
            runs[-1][1].append((letters, tail))
        else:
            runs.append((starts, [(letters, tail)]))
    shared = (
        (r"(?<!\w)" if starts else "") + "(?:" + _shared_starts(items, 0) + ")" for starts, items in runs
    )
    return "|".join(shared)


#: What a pattern's literal start stops at: a character with a meaning of its own.
_SPECIAL = frozenset(".^$*+?{}[]()|\\")


def _literal_prefix(pattern: str) -> tuple[str, str]:
    """The characters ``pattern`` starts with literally (unescaped), and the pattern after them.
    None is taken where the pattern has a ``|`` outside brackets (each side would need them), or
    from before a character a quantifier (``*``, ``+``, ``?``, ``{``) repeats."""
    if _top_level_bar(pattern):
        return "", pattern
    letters: list[str] = []
    at = 0
    while at < len(pattern):
        if pattern[at] == "\\" and at + 1 < len(pattern) and not pattern[at + 1].isalnum():
            char, size = pattern[at + 1], 2
        elif pattern[at] not in _SPECIAL:
            char, size = pattern[at], 1
        else:
            break
        if pattern[at + size : at + size + 1] in ("*", "+", "?", "{"):
            break
        letters.append(char)
        at += size
    return "".join(letters), pattern[at:]


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside every group and character class."""
    depth, at, in_class = 0, 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A "]" first in a class is one of its characters.
            if pattern[at + 1 : at + 2] == "]":
                at += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        at += 1
    return False


def _shared_starts(items: Sequence[tuple[str, str]], depth: int) -> str:
    """The alternation of ``items`` (each the literal characters an alternative starts with and
    the pattern after them; all share their first ``depth`` characters), with the alternatives
    that go on with one character grouped under it, so that it is compared once for them all.

    Exactly what the plain alternation finds: two alternatives that go on with different
    characters cannot both match at one place, so their order does not matter; one whose literal
    characters end here (its tail may match anything) keeps its place between the others."""
    branches: list[str] = []
    following: dict[str, list[tuple[str, str]]] = {}

    def flush() -> None:
        for char, group in following.items():
            inner = _shared_starts(group, depth + 1)
            branches.append(re.escape(char) + (inner if len(group) == 1 else "(?:" + inner + ")"))
        following.clear()

    for letters, tail in items:
        if len(letters) > depth:
            following.setdefault(letters[depth], []).append((letters, tail))
        else:
            flush()
            branches.append(tail)
    flush()
    return "|".join(branches)


def _letters(n: int) -> str:
    # A, B, ..., Z, AA, AB, ...
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def withheld(kind: str, number: int) -> str:
    """How reports name the ``number``-th invalid or skipped file under ``--redact`` and
    ``--publish`` (which redacts too, so the words name neither option)."""
    return f"{kind} {number} (name withheld)"


class Redactor:
    """Pseudonymises a set of audits consistently."""

    def __init__(
        self,
        records: Sequence[AuditRecord],
        *,
        keep: Iterable[str] = (),
        kinds: Sequence[KindRecord] = (),
        people: Iterable[str] = (),
        cases: Iterable[str] = (),
    ) -> None:
        """``people`` and ``cases`` are further names and case identifiers to replace, known
        from elsewhere than the records (a plan's auditors and cases, which may not be audited yet):
        they get their pseudonyms after those of the records.

        Pseudonyms are given in the order the records come, then ``kinds``, but for audits of one
        review date, and records of one kind and date: these are met in the order of what the
        redacted report shows of them (:func:`_published_order`), never of their ids or paths,
        which a report hides where they hold a name ("CFA-2026-HMarsh0902"). Ordered by those,
        "Person A" of two people audited on one day was the one whose name sorts first.

        Pseudonyms hold within one report: each report makes its own, from what it shows, so
        that a reader holding two cannot join them by their letters (docs/reports.md)."""
        keep, people, cases = list(keep), list(people), list(cases)
        self._assign(records, keep=keep, kinds=kinds, people=people, cases=cases)
        known = dict(self._case_parts)
        ordered = _published_order(records, kinds, self, people=people, cases=cases)
        if ordered is not None:
            # Given again, also where the order is the same: reading the audits for their order
            # numbered each unknown case number in their text as it was met ("Case 084").
            items, shown = ordered
            met = {alias: key for key, alias in self._case_parts.items() if key not in known}
            records = [r for r in items if isinstance(r, AuditRecord)]
            kinds = [k for k in items if isinstance(k, KindRecord)]
            self._assign(records, keep=keep, kinds=kinds, people=people, cases=cases)
            # A case number the standards' shape finds in text but no field holds (a sibling's,
            # "ECMS-0099555") is numbered as met: met here, in this order, not in the order a
            # report happens to redact the audits (by their hidden ids, for audits of one day).
            for tokens in shown:
                for token in tokens:
                    if token in met:
                        self._case_alias(met[token])

    def _assign(
        self,
        records: Sequence[AuditRecord],
        *,
        keep: Iterable[str],
        kinds: Sequence[KindRecord],
        people: Iterable[str],
        cases: Iterable[str],
    ) -> None:
        """Give every name, case identifier and audit or record id its pseudonym, in the order
        of ``records``, then of ``kinds``, ``people`` and ``cases``."""
        self.keep = [" ".join(k.split()) for k in keep if k.strip()]
        keep_norm = {fold(k) for k in self.keep}
        self.people: dict[str, str] = {}
        self.cases: dict[str, str] = {}
        seen: dict[str, str] = {}
        seen_cases: dict[str, str] = {}
        found = [(self._people_in(r), self._case_ids(r)) for r in records]
        found += [_kind_names(r) for r in kinds]
        found.append(([p for p in people if p.strip()], [c for c in cases if c.strip()]))
        # What ``raised_to`` holds may be a role ("Designated lead for schools"): read as one
        # only where no field that holds a person's name alone holds the same words.
        raised = {" ".join(str(n).split()) for r in records for n in [_raised_to(r)] if n}
        others = {" ".join(n.split()) for r in records for n in self._people_in(r, raised_to=False)}
        others |= {" ".join(n.split()) for names, _ in found[len(records) :] for n in names}
        self._roles = raised - others
        for people, cases in found:
            for name in people:
                norm = " ".join(name.split())
                if fold(norm) in keep_norm or norm in self.people:
                    continue
                # One person however the name is written ("PRIYA NATARAJAN", "priya_natarajan",
                # "Mei-Ling Chen" and "Mei Ling Chen"): one pseudonym.
                person = _name_key(norm)
                alias = seen.setdefault(person, f"Person {_letters(len(seen))}")
                self.people[norm] = alias
            for ident in cases:
                # One case however its number is spelled ("LCS-2001", "lcs- 2001"): one pseudonym.
                alias = seen_cases.setdefault(_compact(fold(ident)), f"Case {len(seen_cases) + 1:03d}")
                self.cases.setdefault(ident, alias)
        frameworks = {r.framework.id: r.framework for r in records}
        frameworks.update({r.framework.id: r.framework for r in kinds})
        self._shapes = {
            (fold(field.identifier.prefix), field.identifier.min_digits)
            for fw in frameworks.values()
            for field in _fields(fw)
            if field.identifier is not None
        }
        self.ids: dict[str, str] = {}
        self._pattern = self._build_pattern()
        # An audit id that holds a name or a case number ("QA-2026-may-0001" of Will May's
        # audit) is replaced whole, as an id ("Audit 001"), wherever it is written (its field,
        # its file's name, a re-audit's link, a message): never word by word, which left "may"
        # in prose and wrote "QA-2026-Person A-0001" in a path. Its parts are looked at as in a
        # path, however they are cased, and between underscores too ("QA_2026_may_0001"). An
        # id that holds neither is kept, as the QA team finds the audit by it.
        # A case number's digits alone (of 5 or more, not a year) are the case too, as in text:
        # "CFA-758031" of the case LCS-758031 (_build_pattern).
        # The record_id of a record of another kind (an observation, feedback) alike, by a
        # pseudonym of its own kind ("Record 001"): read as text, "OBS-HelenMarsh-2026" kept
        # the name run into it, and "FB-LCS-758031" became "FB-Case 001".
        seen_ids: dict[str, str] = {}
        seen_records: dict[str, str] = {}
        named = [(r.audit_id, seen_ids, "Audit") for r in records]
        named += [(r.record_id, seen_records, "Record") for r in kinds]
        for ident, seen_of, word in named:
            key = _compact(fold(ident))
            parts = _id_words(ident)
            if key and ident not in self.ids and self.path(parts) != parts:
                # An id an audit and a record share is one id to a reader: one pseudonym.
                known = seen_ids.get(key) or seen_records.get(key)
                self.ids[ident] = known or seen_of.setdefault(key, f"{word} {len(seen_of) + 1:03d}")
        if self.ids:
            self._pattern = self._build_pattern()

    @staticmethod
    def _people_in(record: AuditRecord, *, raised_to: bool = True) -> list[str]:
        data, spec = record.data, record.framework.spec
        names = [data.get(k) for k in _PERSON_KEYS]
        names += [data.get(k) for k, f in spec.extra_fields.items() if f.personal]
        names += [a.get("owner") for a in data.get("remedial_actions") or []]
        names.append((data.get("moderation") or {}).get("moderator"))
        escalation = data.get("escalation") or {}
        names += [r.get("name") for r in escalation.get("recipients") or []]
        # The older shape names whom it was raised to in one field: a role or a person's name.
        names += [escalation.get("acknowledged_by"), escalation.get("closed_by")]
        if raised_to:
            names.append(escalation.get("raised_to"))
        return [n for n in names if isinstance(n, str) and n.strip()]

    @staticmethod
    def _case_ids(record: AuditRecord) -> list[str]:
        case = record.data.get("case") or {}
        spec = record.framework.spec
        return [str(case[k]) for k, f in spec.case_fields.items() if f.personal and case.get(k)]

    def _build_pattern(self) -> re.Pattern[str] | None:
        # Every name and identifier is looked for in the *folded* text (see :func:`fold`), the
        # same folding applied to the names: "Strauß" is found as "STRAUSS", "Yıldız" as
        # "Yildiz", a name typed in NFD as itself. Replacements go back to the original text.
        self._parts: dict[str, str] = {}
        self._case_parts: dict[str, str] = {}
        self._id_parts: dict[str, str] = {}
        patterns: dict[str, str] = {}
        # The words of each name key: its pattern joins them as prose or a path does (_GAP).
        named: dict[str, list[str]] = {}
        # Keys looked for only where written with a capital (a name alone), and keys looked for
        # however they are cased (a whole name, a name the data writes in lower case): a key that
        # is both is looked for however it is cased.
        capitalised: set[str] = set()
        any_case: set[str] = set()

        def add(text: str, replacement: str, *, keep_first: bool = False, alone: bool = False) -> None:
            # An underscore separates words as a space does, in the text searched (_replaced) and
            # so in a name: "helen_marsh" in a name field (a choice's id, a user name) is looked for
            # as "helen marsh", as the text is read. Looked for as written, it was never found, not
            # even in its own field, and was kept.
            # A hyphen alike: "Mei-Ling" in a name field is the given names Mei Ling.
            key = _name_key(text)
            if not key:
                return
            if keep_first:
                self._parts.setdefault(key, replacement)
            else:
                self._parts[key] = replacement
            (capitalised if alone else any_case).add(key)
            # Any run of spaces or line breaks between the words of a name: a name typed with
            # two spaces, or wrapped onto the next line, is still the whole name; in prose, a
            # hyphen too ("Mei-Ling Chen", "Mei-Ling": the name, not "Person A-Ling").
            named[key] = [re.escape(w) for w in key.split()]
            patterns[key] = _PROSE_GAP.join(named[key])

        for name, alias in self.people.items():
            add(name, alias)
            # "Jane Doe (Team manager)", "Jane Doe, Team manager": the person is "Jane Doe".
            person = _person_part(name)
            if person != name:
                add(person, alias)
            tokens = person.replace("_", " ").split()
            # The name's words, a hyphen separating them as a space does: a name of one word with
            # a hyphen ("Mei-Ling", "Smith-Jones") has two, each looked for alone as the words of
            # "Mei Ling" are, by the same rules. Kept whole, "Mei said" and "Ms Jones" were kept.
            words = _words(person)
            # A role ("Head of Service") is replaced whole, never word by word: its words are
            # the service's own ("Service"), not a person's.
            if len(words) < 2 or all(fold(w) in ROLE_WORDS for w in words):
                continue
            # A role written as one word with hyphens ("Lead-for-schools", raised to) is read as
            # its words are: read as a name's parts, "for" and "schools" were replaced everywhere.
            scope = _role_scope(tokens if len(tokens) > 1 else words) if name in self._roles else None
            if scope is not None:
                # A role for something ("Designated lead for schools", raised to): what it is for,
                # written in lower case, is the service's words ("schools"), never looked for
                # alone. Any word of it written with a capital may be a name ("Social worker for
                # Connor Fitzgerald", "for the Asante children"): looked for as a name's words
                # are, but for words that are never names ("The", SCOPE_WORDS).
                for token in dict.fromkeys(scope):
                    word = fold(token)
                    if len(token) >= 2 and not token[0].islower() and word not in ROLE_WORDS | SCOPE_WORDS:
                        add(token, alias, keep_first=True, alone=_everyday(token))
                continue
            # Every given name (first and middle: "Ling" of Mei Ling Chen was kept) and the
            # surname on their own, of two letters or more ("Li", "Ng", "Lê"), and each part of a
            # hyphenated one ("O'Neill-Hart": "Ms Hart"; "Mei-Ling": "Ling"), however they are
            # cased; one that is also an everyday word (EVERYDAY_WORDS) only where it is written
            # with a capital, as a name is ("May said", "MAY"), so that "will" and "may" stay in
            # the text of Will May's audits, unless the data writes it in lower case ("will
            # may"): the text may write it as the data does.
            # Each run of the name's words, too ("Mei Ling", "Ling Chen", written "Mei-Ling"):
            # one pseudonym, where its words alone would give "Person A-Person A". A run of words
            # that are never a name alone ("van der", "Team Manager") is not looked for.
            never = ROLE_WORDS | SCOPE_WORDS | PARTICLES
            for size in range(len(words) - 1, 1, -1):
                for at in range(len(words) - size + 1):
                    run = words[at : at + size]
                    if not all(fold(w) in never for w in run):
                        add(" ".join(run), alias, keep_first=True, alone=all(_everyday(w) for w in run))
            for token in dict.fromkeys(_name_words(words)):
                if len(token) < 2:
                    continue
                if fold(token) in ROLE_WORDS:
                    # "Sarah Head": "head" alone is everyone's word, "Ms Head" (however cased,
                    # and of "sarah head" too) is hers.
                    for title in TITLES:
                        add(f"{title} {token}", alias, keep_first=True)
                    continue
                add(token, alias, keep_first=True, alone=_everyday(token))
        for ident, alias in self.cases.items():
            key = _compact(fold(ident))
            if key:
                self._case_parts[key] = alias
                # Written with a space, a hyphen or nothing between its letters and digits.
                runs = re.findall(r"[^\W_]+", fold(ident))
                patterns["case:" + key] = r"[\s\-_/.]*".join(re.escape(r) for r in runs)
                # Its digits alone, five or more (never a year), are the case too: evidence
                # writes "case 900901" as often as "LCS-900901". A number two cases share is
                # replaced by the first one's pseudonym: the number goes either way.
                for digits in re.findall(r"\d{5,}", ident):
                    self._case_parts.setdefault(digits, alias)
                    patterns.setdefault("case:" + digits, re.escape(digits))
        for ident, alias in self.ids.items():
            key = _compact(fold(ident))
            self._id_parts[key] = alias
            # As a case number: written with a space, a hyphen or nothing between its parts.
            runs = re.findall(r"[^\W_]+", fold(ident))
            patterns["id:" + key] = r"[\s\-_/.]*".join(re.escape(r) for r in runs)
        # Any case number of a shape the standards declare, known or not (a sibling's case in
        # evidence), however spaced: "LCS-900901", "LCS 900901", "lcs900901".
        for shape in sorted(self._shapes):
            prefix, digits = shape
            patterns["shape:" + prefix] = re.escape(prefix) + r"[\s\-_/.]*\d{" + str(digits) + ",}"
        # A kept name stays whole even where another person shares one of its names.
        for name in self.keep:
            add(name, name)
        self._capitalised = capitalised - any_case
        self._any_case: re.Pattern[str] | None = None
        self._cased: list[tuple[str, str]] = []
        self._path_pattern: re.Pattern[str] | None = None
        if not patterns:
            return None
        # Longest first, so that a full name wins over its first name.
        alternatives = sorted(patterns.items(), key=lambda kv: len(kv[0]), reverse=True)
        # Where a name alone is not written with a capital, what else may start there: a whole
        # name, a case number, a word looked for however it is cased. Compiled when a text first
        # needs it (_any_case_pattern): most reports never write such a name in lower case, and
        # compiling it was a third of the time the patterns took.
        self._cased = [(k, p) for k, p in alternatives if k not in self._capitalised]
        in_path = [(k, _PATH_GAP.join(named[k]) if k in named else p) for k, p in alternatives]
        self._path_pattern = re.compile(_either(in_path))
        return re.compile(_either(alternatives))

    def _found(self, value: str, folded: str, starts: list[int], *, prose: bool) -> Iterator[re.Match[str]]:
        """Each known name and identifier in ``folded`` (``value`` folded), in order. In
        ``prose``, a name looked for alone only where ``value`` writes it with a capital (not in
        lower case); in a path, however it is cased, as file names are often all lower case."""
        pattern = self._pattern if prose else self._path_pattern
        assert pattern is not None
        pos = 0
        while (match := pattern.search(folded, pos)) is not None:
            if match.end() == match.start():
                pos = match.end() + 1
                continue
            key = " ".join(match.group(0).replace("-", " ").split())
            if prose and key in self._capitalised and value[starts[match.start()]].islower():
                # "will", "may": a word, not the name; a whole name may still start here.
                any_case = self._any_case_pattern()
                other = any_case.match(folded, match.start()) if any_case else None
                if other is None or other.end() == other.start():
                    pos = match.start() + 1
                    continue
                match = other
            yield match
            pos = match.end()

    def _any_case_pattern(self) -> re.Pattern[str] | None:
        """The names and identifiers looked for however they are cased (all but the names alone
        looked for only with a capital), compiled the first time a text needs them, then kept;
        ``None`` where there are none."""
        if self._any_case is None and self._cased:
            self._any_case = re.compile(_either(self._cased))
        return self._any_case

    def text(self, value: str) -> str:
        """Free text with every known name and identifier replaced: a whole name however it is
        cased, a given name or surname alone where it is written with a capital ("May said", not
        "we may"), or however it is cased where the data writes it in lower case."""
        return self._replaced(value, prose=True)

    def path(self, value: str) -> str:
        """A file's or folder's path with every known name and identifier replaced, however it
        is cased: a file name in lower case (``kowalczyk-2026.yaml``) names a person as well."""
        return self._replaced(value, prose=False)

    def _replaced(self, value: str, *, prose: bool) -> str:
        if self._pattern is None or not value:
            return value
        folded, starts, ends = _fold_map(value)
        # An underscore separates words as a space does ("will_may.yaml", "jo_bright@council"),
        # though regular expressions count it a letter: one character for one, so the positions
        # found are the text's own.
        folded = folded.replace("_", " ")
        out, last = [], 0
        for match in self._found(value, folded, starts, prose=prose):
            begin, finish = starts[match.start()], ends[match.end() - 1]
            if begin < last:
                continue
            key = " ".join(match.group(0).replace("-", " ").split())
            # A match is always of a known key; should the folding ever disagree, the text is
            # still replaced (never a KeyError that stops a report, never the name kept).
            replacement = (
                self._parts.get(key) or self._id_parts.get(_compact(key)) or self._case_alias(_compact(key))
            )
            out.append(value[last:begin])
            out.append(replacement)
            last = finish
        out.append(value[last:])
        return "".join(out)

    def _case_alias(self, key: str) -> str:
        """The pseudonym of a case number found in text: its own if the audits hold it, else a
        new one (the same for the same number throughout the report)."""
        if key not in self._case_parts:
            if not any(re.fullmatch(re.escape(p) + r"\d{" + str(d) + ",}", key) for p, d in self._shapes):
                return "[redacted]"  # never reached: every pattern is a name or a number
            self._case_parts[key] = f"Case {len(set(self._case_parts.values())) + 1:03d}"
        return self._case_parts[key]

    def _walk(self, value: Any, ids: IdTree | frozenset[str] | None = None) -> Any:
        """``value`` with its free text redacted. ``ids`` says where it holds the framework's ids
        (:func:`audit_id_places`): a value there that is one of them is kept as it is, never
        read as text, so that a name that is also an id ("Lena Met", "jo good" written in lower
        case) cannot change a rating, a grade or a learning point."""
        if isinstance(value, str):
            if isinstance(ids, frozenset) and value in ids:
                return value
            return self.text(value)
        tree = ids if isinstance(ids, dict) else {}
        if isinstance(value, dict):
            return {k: self._walk(v, tree.get(k)) for k, v in value.items()}
        if isinstance(value, list):
            # The items of a list are alike: a list of ids (added_value) or of entries
            # (remedial_actions), each read with the places the list has.
            return [self._walk(v, ids) for v in value]
        return value

    def diagnostic(self, diag: Diagnostic, *, keep_message: bool) -> Diagnostic:
        """A finding with its file name redacted; its message too, or replaced by the code's title."""
        location = dataclasses.replace(diag.location, path=self.path(diag.location.path))
        if keep_message:
            # A message quotes paths (another file with the same audit id) as well as values: a
            # name in it is looked for however it is cased, as in a path (the safe side).
            message, hint = self.path(diag.message), self.path(diag.hint)
            return dataclasses.replace(diag, location=location, message=message, hint=hint)
        # The message of an invalid file can quote any value, including names we do not know.
        return dataclasses.replace(diag, location=location, message=CODES[diag.code].title + ".", hint="")

    def record(self, record: AuditRecord) -> AuditRecord:
        """A copy of the audit with names and identifiers replaced everywhere."""
        return dataclasses.replace(
            record,
            data=self._walk(record.data, audit_id_places(record.framework)),
            path=self.path(record.path),
            warnings=tuple(self.diagnostic(d, keep_message=True) for d in record.warnings),
        )

    def folders(self, sources: Sequence[str]) -> list[str]:
        """The folders and files a report read (``--audits``), redacted like an audit's path: a
        folder named after a child or their case ("Connor Fitzgerald/LCS-734838") shown beside
        the audits' redacted paths would decode their pseudonyms."""
        return [self.path(s) for s in sources]

    def dataset(self, dataset: Dataset) -> Dataset:
        """A redacted copy of a whole dataset: the folders read, audits, their findings, invalid
        and skipped files.

        The names of invalid and skipped files are withheld, not redacted: a file that is not a
        valid audit names no one the redaction knows of, so a name in its file name (``Jane Smith
        LCS-123.yaml``) would pass through.
        """
        return dataclasses.replace(
            dataset,
            sources=self.folders(dataset.sources),
            records=self.records(dataset.records),
            # Never shown, but followed by re-audit links: redacted alike, so a case's pseudonym
            # is the same in an audit before the period and its re-audit in it.
            outside=self.records(dataset.outside),
            kinds=[self.kind_record(r) for r in dataset.kinds],
            invalid=[
                AuditCheck(
                    withheld("invalid file", n),
                    [self._withheld(d, withheld("invalid file", n)) for d in c.diagnostics],
                    # The escalations it certainly needs, kept: a safety signal is never redacted
                    # away. They are the standards' words (rule, route, grades), not the audit's.
                    ahead=c.ahead,
                    # What it is, an audit or a record of a kind (the framework's word, naming no
                    # one): a report says which, and only an audit can need escalating.
                    kind=c.kind,
                )
                for n, c in enumerate(dataset.invalid, start=1)
            ],
            skipped=[
                Skipped(withheld("skipped file", n), s.reason) for n, s in enumerate(dataset.skipped, start=1)
            ],
        )

    def _withheld(self, diag: Diagnostic, name: str) -> Diagnostic:
        found = self.diagnostic(diag, keep_message=False)
        return dataclasses.replace(found, location=dataclasses.replace(found.location, path=name))

    def kind_record(self, record: KindRecord) -> KindRecord:
        """A copy of a record of another kind with names and identifiers replaced everywhere."""
        return dataclasses.replace(
            record,
            data=self._walk(record.data, record_id_places(record.framework, record.kind)),
            path=self.path(record.path),
            warnings=tuple(self.diagnostic(d, keep_message=True) for d in record.warnings),
        )

    def records(self, records: Sequence[AuditRecord]) -> list[AuditRecord]:
        """Every audit, redacted."""
        return [self.record(r) for r in records]


def in_shown_order(dataset: Dataset) -> Dataset:
    """A redacted dataset (:meth:`Redactor.dataset`) with its audits in the order a dataset is
    read (by review date, audit id, then path), and its records of other kinds in theirs (by
    kind, date, record id, then path), by the ids and paths the report shows: an id that holds a
    name is shown by its pseudonym ("Audit 001", "Record 001"), and audits or records of one day
    listed in the order of the ids it replaced would sort the people by their names."""
    records = sorted(dataset.records, key=lambda r: (r.review_date, r.audit_id, r.path))
    return dataclasses.replace(dataset, records=records, kinds=kinds_in_shown_order(dataset.kinds))


def kinds_in_shown_order(kinds: Iterable[KindRecord]) -> list[KindRecord]:
    """Redacted records of other kinds (:meth:`Redactor.kind_record`) in the order a dataset
    reads them (kind, date, record id, path), by the ids and paths a report shows of them."""
    return sorted(kinds, key=lambda r: (r.kind, r.date, r.record_id, r.path))


#: A pseudonym as :class:`Redactor` writes it, to its word alone (:func:`_published_key`).
_PSEUDONYM = re.compile(r"\b(Person) [A-Z]+|\b(Case|Audit|Record) \d+")


def _canonical(value: Any) -> Any:
    """``value`` with every mapping's keys as text, so that it is written in one way however
    its keys were typed (:func:`_published_key`)."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


#: An audit or a record of another kind, as pseudonyms are given to them.
_Item = AuditRecord | KindRecord


def _published_key(item: _Item, redactor: Redactor) -> tuple[str, tuple[str, ...]]:
    """What a redacted report can show of an audit or a record, with every pseudonym as its word
    alone ("Person", "Case", "Audit", "Record"): the same whichever letters and numbers the
    pseudonyms have, so it can decide them; and the pseudonyms ``redactor`` gives, in the order
    written, which say who and what it names (the same person twice, or two people). Its path
    is left out: a published report names no file."""
    if isinstance(item, AuditRecord):
        data = redactor._walk(item.data, audit_id_places(item.framework))
    else:
        data = redactor._walk(item.data, record_id_places(item.framework, item.kind))
    text = json.dumps(_canonical(data), sort_keys=True, default=str, ensure_ascii=False)
    tokens = tuple(m.group(0) for m in _PSEUDONYM.finditer(text))
    return _PSEUDONYM.sub(lambda m: m.group(1) or m.group(2), text), tokens


def _runs(items: Sequence[_Item]) -> list[list[int]]:
    """The places of ``items`` in runs of one date (audits), or of one kind and date (records),
    in their order."""

    def day(at: int) -> tuple[str, dt.date]:
        item = items[at]
        return ("", item.review_date) if isinstance(item, AuditRecord) else (item.kind, item.date)

    return [list(group) for _, group in itertools.groupby(range(len(items)), key=day)]


#: How many orders of alike audits or records are followed at once (:func:`_least_order`).
MAX_ORDERS = 64


def _published_order(
    records: Sequence[AuditRecord],
    kinds: Sequence[KindRecord],
    redactor: Redactor,
    *,
    people: Iterable[str] = (),
    cases: Iterable[str] = (),
) -> tuple[list[_Item], list[tuple[str, ...]]] | None:
    """The audits, then the records of other kinds, with each run of one date (records: of one
    kind and date) in the order of what a redacted report shows of them
    (:func:`_published_key`), never of their ids or paths; with the pseudonyms each shows, by
    ``redactor``'s. ``None`` where no two in a row share a date. Runs keep their place, so audits
    given after others (the earlier audits after a period's own) stay after them.

    Of audits (or records) that show the same, names aside, the order is that of the pseudonyms
    they and all that follow them then show (:func:`_least_order`): the least, letter by letter.
    Kept in the order read, the order of their hidden paths or ids decided whose letter came
    first, and a person of one of them shown again in a later audit was told apart by it."""
    items: list[_Item] = [*records, *kinds]
    runs = _runs(items)
    if all(len(run) == 1 for run in runs):
        return None
    keys = [_published_key(item, redactor) for item in items]
    groups: list[list[int]] = []
    for run in runs:
        ordered = sorted(run, key=lambda at: keys[at][0])
        groups += [list(same) for _, same in itertools.groupby(ordered, key=lambda at: keys[at][0])]
    # Names and case numbers a plan gives as well (``people``, ``cases``): shown by a report of
    # the plan, so never a name only one audit shows.
    planned = {m.group(0) for text in [*people, *cases] for m in _PSEUDONYM.finditer(redactor.text(text))}
    order = _least_order(groups, [tokens for _, tokens in keys], planned)
    return [items[at] for at in order], [keys[at][1] for at in order]


def _least_order(
    groups: Sequence[Sequence[int]], tokens: Sequence[tuple[str, ...]], planned: set[str]
) -> list[int]:
    """The order of ``groups`` (places of items, each group items that show the same, names
    aside, groups in their order) whose pseudonyms, given afresh as first met, read least:
    the numbers of ``tokens`` (each item's pseudonyms as first given) when each is numbered by
    where it is first met. It depends on nothing but what the items show, so renaming a file or
    an id changes nothing, and of two items whose swap changes nothing (alike, naming only
    people no other item names, or the same ones) one is followed, never both.

    Orders that read the same so far are followed side by side, up to :data:`MAX_ORDERS` of
    them: only audits alike in a ring (each reviewed the next one's practitioner, all on one
    day and alike in every other word) make more, and the first of those read are kept."""
    count: dict[str, int] = {}
    for found in tokens:
        for token in set(found):
            count[token] = count.get(token, 0) + 1
    alone = {token for token, n in count.items() if n == 1 and token not in planned}

    def numbered(at: int, given: dict[str, int]) -> tuple[int, ...]:
        fresh: dict[str, int] = {}
        return tuple(
            given[t] if t in given else fresh.setdefault(t, len(given) + len(fresh)) for t in tokens[at]
        )

    def swappable(at: int, given: dict[str, int]) -> tuple[object, ...]:
        # Alike items that name the same people where given or shared, and where not, people no
        # other item names, in the same places: either may come first with the same result.
        fresh: dict[str, int] = {}
        return tuple(
            ("given", given[t])
            if t in given
            else ("alone", fresh.setdefault(t, len(fresh)))
            if t in alone
            else ("shared", t)
            for t in tokens[at]
        )

    orders: list[tuple[dict[str, int], list[int], list[int]]] = [({}, [], [])]
    for group in groups:
        for order in orders:
            order[2][:] = group
        for _ in group:
            choices: list[tuple[tuple[int, ...], int, int]] = []
            for index, (given, _, left) in enumerate(orders):
                tried: set[tuple[object, ...]] = set()
                for at in left:
                    mark = swappable(at, given) if len(left) > 1 else ()
                    if mark in tried:
                        continue
                    tried.add(mark)
                    choices.append((numbered(at, given), index, at))
            least = min(number for number, _, _ in choices)
            chosen = [(index, at) for number, index, at in choices if number == least][:MAX_ORDERS]
            followed: list[tuple[dict[str, int], list[int], list[int]]] = []
            for index, at in chosen:
                given, placed, left = orders[index]
                if len(chosen) > 1:
                    given, placed, left = dict(given), list(placed), list(left)
                for token in tokens[at]:
                    given.setdefault(token, len(given))
                placed.append(at)
                left.remove(at)
                followed.append((given, placed, left))
            orders = followed
    return orders[0][1]


#: Where an audit or a record holds the framework's ids: its keys, each to the ids allowed there
#: or to the places inside it (a list's items are read with the list's places).
IdTree = dict[str, "IdTree | frozenset[str]"]


def _choices(fields: Mapping[str, FieldSpec]) -> IdTree:
    """The choices of each ``type: choice`` field, but for a personal one: a personal field is
    always redacted, whatever it holds."""
    return {k: frozenset(f.choice_ids) for k, f in fields.items() if f.type == "choice" and not f.personal}


@functools.lru_cache(maxsize=32)
def audit_id_places(fw: Framework) -> IdTree:
    """Where an audit of ``fw`` holds the framework's ids, and which (see :class:`IdTree`): the
    framework, the audit type, each standard's rating and choice fields, the recorded and moderated
    grades, learning areas and points, outcome indicators, added-value categories, themes, the
    roles of an escalation's route, and the choices of case, characteristic and extra fields.
    Everything else is free text or a personal field, and redacted."""
    spec = fw.spec
    grades = frozenset(fw.grade_rank)
    themes = frozenset(fw.theme_labels)
    ratings = frozenset([*fw.rating_rank, NOT_APPLICABLE])
    places: IdTree = {
        "standards": frozenset([spec.id]),
        "audit_type": frozenset(t.id for t in spec.audit_types or ()),
        "case": _choices(spec.case_fields),
        "characteristics": _choices(spec.characteristics),
        **_choices(spec.extra_fields),
        spec.grades.key: grades,
        "moderation": {"moderated_grade": grades},
        "remedial_actions": {"status": frozenset(("open", "done")), "theme": themes},
        "escalation": {
            "theme": themes,
            "recipients": {"role": frozenset(role for rule in spec.escalations for role in rule.roles)},
        },
    }
    for group in spec.groups:
        places[group.id] = {std.id: {**_choices(std.fields), "rating": ratings} for std in group.standards}
    if spec.domains:
        places["domains"] = {
            d.id: {"indicators": frozenset(i.id for i in d.indicators)} for d in spec.domains
        }
    if spec.learning:
        places["learning_actions"] = {
            "area": frozenset(a.id for a in spec.learning.areas),
            "points": frozenset(fw.point_area),
        }
    if spec.added_value:
        places["added_value"] = frozenset(c.id for c in spec.added_value.categories)
    _add_rule_values(places, fw)
    return places


def _rule_values(value: Any) -> dict[str, set[str]]:
    """Each text a condition of a dumped standards file compares a field with (``field:
    case.team, equals: Court Team``; escalations, thresholds, ``applies_when``, agreements), by
    the field's dotted path."""
    found: dict[str, set[str]] = {}
    if isinstance(value, dict):
        field, equals = value.get("field"), value.get("equals")
        if isinstance(field, str) and isinstance(equals, str):
            found.setdefault(field, set()).add(equals)
        items: Iterable[Any] = value.values()
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = ()
    for item in items:
        for field, texts in _rule_values(item).items():
            found.setdefault(field, set()).update(texts)
    return found


def _name_paths(fw: Framework) -> set[tuple[str, ...]]:
    """Where an audit of ``fw`` holds a person's name or a case identifier: never kept, whatever
    a rule compares it with."""
    spec = fw.spec
    paths: set[tuple[str, ...]] = {(key,) for key in _PERSON_KEYS} | {("moderation", "moderator")}
    paths |= {(k,) for k, f in spec.extra_fields.items() if f.personal}
    paths |= {("case", k) for k, f in spec.case_fields.items() if f.personal}
    paths |= {("characteristics", k) for k, f in spec.characteristics.items() if f.personal}
    for group in spec.groups:
        for std in group.standards:
            paths |= {(group.id, std.id, k) for k, f in std.fields.items() if f.personal}
    return paths


def _add_rule_values(places: IdTree, fw: Framework) -> None:
    """Keep, where a rule of ``fw`` compares a text field with a text, that text: it is the
    standards file's own words, and redacted ("Court Team" of a practitioner Ann Court written
    "Person A Team") the rule no longer holds, and an escalation it calls for was missed under
    ``--redact`` and ``--publish``. A name field is never kept, whatever a rule says of it."""
    names = _name_paths(fw)
    for dotted, texts in _rule_values(fw.spec.model_dump()).items():
        path = tuple(dotted.split("."))
        if not all(path) or path in names:
            continue
        node: IdTree = places
        for key in path[:-1]:
            inner = node.get(key)
            if inner is None:
                inner = node[key] = {}
            if not isinstance(inner, dict):
                break
            node = inner
        else:
            here = node.get(path[-1])
            if here is None or isinstance(here, frozenset):
                node[path[-1]] = frozenset(texts) | (here or frozenset())


@functools.lru_cache(maxsize=32)
def record_id_places(fw: Framework, kind: str) -> IdTree:
    """Where a record of ``kind`` holds the framework's ids (see :func:`audit_id_places`): its
    kind and framework, its choice fields, the ratings of its ``ratings`` fields and the learning
    points of its ``learning_links`` (whose audit ids are redacted as ids are)."""
    declared = fw.spec.records[kind]
    ratings = frozenset(fw.rating_rank)
    places: IdTree = {"kind": frozenset([kind]), "standards": frozenset([fw.id]), **_choices(declared.fields)}
    for name, field in declared.fields.items():
        if field.type == "ratings":
            places[name] = {std: {"rating": ratings} for std in fw.standards}
        elif field.type == "learning_links":
            places[name] = {"point": frozenset(learning_point_ids(fw))}
    return places


def _raised_to(record: AuditRecord) -> str | None:
    """Whom an escalation of the older shape was raised to: a role or a person's name."""
    value = (record.data.get("escalation") or {}).get("raised_to")
    return value if isinstance(value, str) and value.strip() else None


def _fields(fw: Framework) -> list[FieldSpec]:
    """Every field a framework declares: its case fields, extra fields and record kinds' fields."""
    spec = fw.spec
    found: list[FieldSpec] = [*spec.case_fields.values(), *spec.extra_fields.values()]
    for kind in spec.records.values():
        found += kind.fields.values()
    return found


def _kind_names(record: KindRecord) -> tuple[list[str], list[str]]:
    """The people and the case identifiers a record of another kind names: its fields marked
    ``personal: true``, the kind's ``case_link`` holding a case identifier, the others names."""
    declared = record.framework.spec.records[record.kind]
    people: list[str] = []
    cases: list[str] = []
    for name, field in declared.fields.items():
        value = record.data.get(name)
        if not field.personal or not isinstance(value, str) or not value.strip():
            continue
        (cases if name == declared.case_link else people).append(value)
    return people, cases
