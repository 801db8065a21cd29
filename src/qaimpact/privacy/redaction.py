"""Replace people's names and case identifiers with stable pseudonyms for reports.

Which fields hold a name or an identifier is data: the common ``practitioner`` and ``reviewer``,
remedial action owners, moderators, the people an escalation names (recipients, who acknowledged
and who closed it), and every field a standards file marks ``personal: true``, in audits and in
records of other kinds (where the kind's ``case_link`` holds a case identifier). Names are
also replaced wherever they appear inside free text (evidence, comments), in full or by their
first or last name. The same name always gets the same pseudonym within one report.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any

from qaimpact.audits.checker import AuditCheck
from qaimpact.audits.dataset import Dataset, Skipped
from qaimpact.audits.records import AuditRecord, KindRecord
from qaimpact.base.codes import CODES
from qaimpact.models.findings import Diagnostic

_PERSON_KEYS = ("practitioner", "reviewer")


def _letters(n: int) -> str:
    # A, B, ..., Z, AA, AB, ...
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def withheld(kind: str, number: int) -> str:
    """How reports name the ``number``-th invalid or skipped file under ``--redact``."""
    return f"{kind} {number} (name withheld under --redact)"


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
        they get their pseudonyms after those of the records."""
        self.keep = [" ".join(k.split()) for k in keep if k.strip()]
        keep_norm = {k.casefold() for k in self.keep}
        self.people: dict[str, str] = {}
        self.cases: dict[str, str] = {}
        found = [(self._people_in(r), self._case_ids(r)) for r in records]
        found += [_kind_names(r) for r in kinds]
        found.append(([p for p in people if p.strip()], [c for c in cases if c.strip()]))
        for people, cases in found:
            for name in people:
                norm = " ".join(name.split())
                if norm.casefold() in keep_norm or norm in self.people:
                    continue
                self.people[norm] = f"Person {_letters(len(self.people))}"
            for ident in cases:
                self.cases.setdefault(ident, f"Case {len(self.cases) + 1:03d}")
        self._pattern = self._build_pattern()

    @staticmethod
    def _people_in(record: AuditRecord) -> list[str]:
        data, spec = record.data, record.framework.spec
        names = [data.get(k) for k in _PERSON_KEYS]
        names += [data.get(k) for k, f in spec.extra_fields.items() if f.personal]
        names += [a.get("owner") for a in data.get("remedial_actions") or []]
        names.append((data.get("moderation") or {}).get("moderator"))
        escalation = data.get("escalation") or {}
        names += [r.get("name") for r in escalation.get("recipients") or []]
        names += [escalation.get("acknowledged_by"), escalation.get("closed_by")]
        return [n for n in names if isinstance(n, str) and n.strip()]

    @staticmethod
    def _case_ids(record: AuditRecord) -> list[str]:
        case = record.data.get("case") or {}
        spec = record.framework.spec
        return [str(case[k]) for k, f in spec.case_fields.items() if f.personal and case.get(k)]

    def _build_pattern(self) -> re.Pattern[str] | None:
        self._parts: dict[str, str] = {}
        # Looked up case-folded, searched for as written too: "Weiß" folds to "weiss", which a
        # case-insensitive search would not find in "Weiß".
        spelled: set[str] = set()

        def add(text: str, replacement: str, *, keep_first: bool = False) -> None:
            spelled.add(text.lower())
            if keep_first:
                self._parts.setdefault(text.casefold(), replacement)
            else:
                self._parts[text.casefold()] = replacement

        for name, alias in self.people.items():
            add(name, alias)
            tokens = name.split()
            # First and last names on their own, when they are real words of a name.
            for token in (tokens[0], tokens[-1]) if len(tokens) > 1 else ():
                if len(token) >= 3 and token[0].isupper():
                    add(token, alias, keep_first=True)
        for ident, alias in self.cases.items():
            ident = " ".join(ident.split())
            if ident:
                add(ident, alias)
        # A kept name stays whole even where another person shares its first or last name.
        for name in self.keep:
            add(name, name)
        if not self._parts:
            return None
        alternatives = sorted({*self._parts, *spelled}, key=len, reverse=True)
        # Any run of spaces or line breaks between the words of a name: a name typed with two
        # spaces, or wrapped onto the next line, is still the whole name (else its middle leaks).
        words = (r"\s+".join(re.escape(w) for w in a.split()) for a in alternatives)
        return re.compile(r"(?<!\w)(" + "|".join(words) + r")(?!\w)", re.IGNORECASE)

    def text(self, value: str) -> str:
        """Free text with every known name and identifier replaced."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._parts[" ".join(m.group(0).split()).casefold()], value)

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self._walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v) for v in value]
        return value

    def diagnostic(self, diag: Diagnostic, *, keep_message: bool) -> Diagnostic:
        """A finding with its file name redacted; its message too, or replaced by the code's title."""
        location = dataclasses.replace(diag.location, path=self.text(diag.location.path))
        if keep_message:
            return dataclasses.replace(
                diag, location=location, message=self.text(diag.message), hint=self.text(diag.hint)
            )
        # The message of an invalid file can quote any value, including names we do not know.
        return dataclasses.replace(diag, location=location, message=CODES[diag.code].title + ".", hint="")

    def record(self, record: AuditRecord) -> AuditRecord:
        """A copy of the audit with names and identifiers replaced everywhere."""
        return dataclasses.replace(
            record,
            data=self._walk(record.data),
            path=self.text(record.path),
            warnings=tuple(self.diagnostic(d, keep_message=True) for d in record.warnings),
        )

    def dataset(self, dataset: Dataset) -> Dataset:
        """A redacted copy of a whole dataset: audits, their findings, invalid and skipped files.

        The names of invalid and skipped files are withheld, not redacted: a file that is not a
        valid audit names no one the redaction knows of, so a name in its file name (``Jane Smith
        LCS-123.yaml``) would pass through.
        """
        return dataclasses.replace(
            dataset,
            records=self.records(dataset.records),
            kinds=[self.kind_record(r) for r in dataset.kinds],
            invalid=[
                AuditCheck(
                    withheld("invalid file", n),
                    [self._withheld(d, withheld("invalid file", n)) for d in c.diagnostics],
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
            data=self._walk(record.data),
            path=self.text(record.path),
            warnings=tuple(self.diagnostic(d, keep_message=True) for d in record.warnings),
        )

    def records(self, records: Sequence[AuditRecord]) -> list[AuditRecord]:
        """Every audit, redacted."""
        return [self.record(r) for r in records]


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
