"""Load a folder of audits for reports: the valid ones graded, the invalid ones with their findings.

Files that are not audits (YAML that names no framework and has no ``audit_id``, such as a CI
configuration) are skipped with a note; files that look like audits but fail validation are kept
aside with their diagnostics. Reports say both, so nothing is ever left out silently.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qaimpact.audits.batch import BatchOptions, map_files
from qaimpact.audits.checker import (
    AuditCheck,
    CheckOptions,
    check_document,
    expand_paths,
    looks_like_audit,
    misnamed_audits,
    unreadable_check,
)
from qaimpact.audits.links import duplicate, record_links, same_ids
from qaimpact.audits.reaudits import READ_BY_VALIDATE, follow
from qaimpact.audits.records import AuditRecord, KindRecord
from qaimpact.base.errors import UsageError
from qaimpact.base.fileio import read_regular
from qaimpact.base.loader import LoadError, load_file, paused_gc
from qaimpact.frameworks.registry import Registry
from qaimpact.grading.engine import GradeResult
from qaimpact.grading.escalation_triggers import Signals
from qaimpact.models.audit import ident_key, person_key, tidy_name
from qaimpact.models.findings import Diagnostic
from qaimpact.models.standard import Framework


@dataclass(frozen=True, slots=True)
class Skipped:
    """A YAML file that is not an audit."""

    path: str
    reason: str


@dataclass(slots=True)
class Dataset:
    """Audits loaded for a report."""

    sources: list[str]
    records: list[AuditRecord] = field(default_factory=list)
    #: Valid records of other kinds (``kind:``), such as practice observations, by date.
    kinds: list[KindRecord] = field(default_factory=list)
    invalid: list[AuditCheck] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    outside_period: int = 0
    #: The valid audits outside the period, never counted in it: an audit before the period is
    #: still the earlier audit of a re-audit in it (the summary's re-audit follow-up).
    outside: list[AuditRecord] = field(default_factory=list)
    #: Records of other kinds dated outside the period (not counted in ``outside_period``).
    kinds_outside_period: int = 0
    #: Links from records to audits that cannot be followed (``audits/links.py``), in file order.
    links: list[Diagnostic] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: Every file read (``expand_paths`` of ``sources``), in the order read.
    files: list[Path] = field(default_factory=list)
    #: Files under the folders named like YAML but not read (``AUDIT.YAML``, ``audit.yaml.txt``)
    #: and not audits (those that are are in ``invalid``, with QA115).
    unread: list[Path] = field(default_factory=list)
    #: Files with errors whose date can be read (:attr:`~qaimpact.audits.checker.AuditCheck.dated`)
    #: and is outside the period, where the report would not read them were they valid: not left
    #: out of it (``invalid``), as its figures do not depend on them, but still said, as errors.
    set_aside: list[AuditCheck] = field(default_factory=list)
    #: Whether the report reads audits from before the period: an action or an escalation still
    #: open when it began is carried into it, and a re-audit in it follows its earlier audit. Where
    #: it does, an audit with errors from before the period may change it, and is left out as any.
    earlier: bool = True
    #: The audit files with errors that hold the ``audit_id`` of a valid audit read from another
    #: file, by their path: that file's path. Each is still left out (what it says may differ
    #: from the copy counted, and a report counts the most severe of two copies), but reports
    #: say what it is, so that it is deleted or given its own id.
    copy_of: dict[str, str] = field(default_factory=dict)

    @property
    def invalid_audits(self) -> int:
        """How many of the invalid files left out are audits; the rest are records of other kinds,
        which hold no actions, grades or planned audits (reports say which they left out)."""
        return sum(1 for check in self.invalid if check.kind is None)

    @property
    def set_aside_audits(self) -> int:
        """How many of the files with errors set aside as dated outside the period are audits."""
        return sum(1 for check in self.set_aside if check.kind is None)

    @property
    def frameworks(self) -> list[Framework]:
        """The frameworks of the valid audits, in id order."""
        found = {r.framework.id: r.framework for r in self.records}
        return [found[k] for k in sorted(found)]

    def period(self, *, records: bool = False) -> tuple[dt.date | None, dt.date | None]:
        """The period covered: the --from/--to given, else the first and last review dates.

        With ``records``, the dates of the records of other kinds in it count too: a report that
        counts practice observations or feedback states a period that holds them, as it holds the
        audits (``None`` only where nothing at all is dated).
        """
        dates = [r.review_date for r in self.records]
        if records:
            dates += [k.date for k in self.kinds]
        first = self.date_from or (min(dates) if dates else None)
        last = self.date_to or (max(dates) if dates else None)
        return first, last


def default_audits_folder(cwd: Path | None = None) -> Path:
    """``audits/`` if it exists, else the current folder."""
    here = cwd or Path.cwd()
    return here / "audits" if (here / "audits").is_dir() else here


def check_period_order(date_from: dt.date | None, date_to: dt.date | None) -> None:
    """Refuse a period whose first day (``--from``) is after its last (``--to``).

    Such a period holds no day at all, so a report of it could only look like one without audits;
    the message says how to put it right, as the dates were most likely typed the wrong way round.
    """
    if date_from and date_to and date_from > date_to:
        raise UsageError(
            f"--from {date_from} is after --to {date_to}, so no day is in the period: swap the two "
            "dates, or correct the one that is wrong."
        )


def load_dataset(
    paths: Sequence[Path],
    registry: Registry,
    options: CheckOptions,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    jobs: int = 0,
    earlier: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> Dataset:
    """Read, validate and grade every audit under ``paths`` (files or folders).

    Files are read in forked workers as ``validate`` reads them (``jobs``: 0 means one per
    core, 1 one process); the dataset is the same whatever the number. ``earlier``: whether the
    report reads audits from before the period (:attr:`Dataset.earlier`). ``meanwhile`` is
    called once while the workers read (:func:`~qaimpact.audits.batch.map_items`).
    """
    check_period_order(date_from, date_to)
    # The lift (what would raise each grade) costs a search per audit; only feedback shows it.
    # Left out, an audit with errors still says which escalations are certain (AuditCheck.ahead).
    opts = CheckOptions(
        options.today, options.max_file_size, with_lift=options.with_lift, keep_data=True, with_ahead=True
    )
    dataset = Dataset([str(p) for p in paths], date_from=date_from, date_to=date_to, earlier=earlier)
    # Everything read is kept, and reading makes no cycles: each collection while the workers'
    # results arrive would walk every audit taken so far again (a quarter of this process's time
    # over 10,000 audits). The workers restart the collector for themselves (audits/batch.py).
    with paused_gc():
        _read_into(dataset, paths, registry, opts, jobs, meanwhile)
    return dataset


def _read_into(
    dataset: Dataset,
    paths: Sequence[Path],
    registry: Registry,
    opts: CheckOptions,
    jobs: int,
    meanwhile: Callable[[], object] | None = None,
) -> None:
    """The reading of :func:`load_dataset`: every file under ``paths`` into ``dataset``."""
    date_from, date_to = dataset.date_from, dataset.date_to
    dataset.files = list(expand_paths(paths, unread=dataset.unread))
    audited: list[AuditRecord] = []
    frameworks = {f.id: f for f in registry.frameworks()}
    for read in map_files(dataset.files, registry, BatchOptions(opts, jobs), _read_one, meanwhile=meanwhile):
        if isinstance(read, Skipped):
            dataset.skipped.append(read)
            continue
        if isinstance(read[0], AuditCheck):
            check, framework_id = read
            # Workers send the framework's id, not the framework: the parent has the same one.
            check.framework = frameworks.get(framework_id) if framework_id else None
            dataset.invalid.append(check)
            continue
        path, framework_id, kind, data, result, warnings = read
        framework = frameworks[framework_id]
        if kind is not None:
            other = KindRecord(path, framework, kind, data, warnings)
            if (date_from and other.date < date_from) or (date_to and other.date > date_to):
                dataset.kinds_outside_period += 1
            else:
                dataset.kinds.append(other)
            continue
        record = AuditRecord(path, framework, data, GradeResult(*result), warnings)
        audited.append(record)
        if (date_from and record.review_date < date_from) or (date_to and record.review_date > date_to):
            dataset.outside_period += 1
            dataset.outside.append(record)
            continue
        dataset.records.append(record)
    _leave_out_copies(dataset, audited)
    # An audit saved as AUDIT.YAML or audit.yaml.txt is left out as invalid, not in a note alone.
    misnamed, dataset.unread = misnamed_audits(dataset.unread, opts.max_file_size)
    dataset.invalid.extend(misnamed)
    settle_names(audited, dataset.kinds)
    dataset.records.sort(key=lambda r: (r.review_date, r.audit_id, r.path))
    dataset.kinds.sort(key=lambda r: (r.kind, r.date, r.record_id, r.path))
    # Links are checked against every valid audit read, in the period or not: an audit before
    # the period is still the audit of the case.
    dataset.links = record_links(audited, dataset.kinds, invalid=len(dataset.invalid))
    _set_aside(dataset)
    valid = {(r.framework.id, ident_key(r.audit_id)): r.path for r in audited}
    for check in [*dataset.invalid, *dataset.set_aside]:
        if check.held_id is not None and check.framework is not None:
            counted = valid.get((check.framework.id, ident_key(check.held_id)))
            if counted is not None:
                dataset.copy_of[check.path] = counted


def _set_aside(dataset: Dataset) -> None:
    """Move the files with errors dated outside the period, which it does not depend on, from
    ``invalid`` to ``set_aside``.

    A file whose date cannot be read may be of the period, and stays left out. One dated after
    the period changes nothing in it. One dated before it is set aside only where the report
    reads no earlier audit (:attr:`Dataset.earlier`), or where it is a record, which carries
    nothing into a period: an audit from before the period may hold an action or an escalation
    still open when it began, or be the audit a re-audit in it names.
    """
    first, last = dataset.date_from, dataset.date_to
    if first is None and last is None:
        return
    kept: list[AuditCheck] = []
    for check in dataset.invalid:
        day = check.dated
        after = day is not None and last is not None and day > last
        before = day is not None and first is not None and day < first
        if after or (before and (check.kind is not None or not dataset.earlier)):
            dataset.set_aside.append(check)
        else:
            kept.append(check)
    dataset.invalid = kept


def _leave_out_copies(dataset: Dataset, audited: list[AuditRecord]) -> None:
    """Count one file of each audit or record id (QA704), and leave the others out as invalid.

    Of two files holding one audit, the one with the most severe grade it holds (computed,
    recorded or moderated) is counted, the first read between equals: a copy that differs can
    only be told right or wrong by a person, and meanwhile no escalation it calls for is missed.
    """
    left: set[int] = set()
    for group in same_ids(audited, dataset.kinds):
        counted: AuditRecord | KindRecord = group[0]
        if isinstance(counted, AuditRecord):
            audits = [r for r in group if isinstance(r, AuditRecord)]
            # The first read wins a tie: max keeps the first of equal keys.
            counted = max(audits, key=_severity)
        for copy in group:
            if copy is counted:
                continue
            left.add(id(copy))
            # A copy is valid in itself: its date and kind are read (a record is not an audit).
            dataset.invalid.append(
                AuditCheck(
                    copy.path,
                    [duplicate(copy, counted, reports=True)],
                    framework=copy.framework,
                    kind=copy.kind if isinstance(copy, KindRecord) else None,
                    dated=copy.date if isinstance(copy, KindRecord) else copy.review_date,
                )
            )
    if not left:
        return
    dataset.outside_period -= sum(1 for r in dataset.outside if id(r) in left)
    dataset.outside = [r for r in dataset.outside if id(r) not in left]
    dataset.records = [r for r in dataset.records if id(r) not in left]
    dataset.kinds = [k for k in dataset.kinds if id(k) not in left]
    audited[:] = [r for r in audited if id(r) not in left]
    dataset.invalid.sort(key=lambda c: c.path)


def _severity(record: AuditRecord) -> int:
    """How severe the most severe grade an audit holds is, on its framework's scale."""
    framework = record.framework
    signals = Signals.of(framework, record.data, record.computed_grade)
    return framework.grade_rank[signals.most_severe(framework)]


#: The people an audit names in fields of its own; a team is ``team`` (or ``case.team``).
PEOPLE = ("practitioner", "reviewer")


def settle_names(records: Sequence[AuditRecord], kinds: Sequence[KindRecord] = ()) -> None:
    """Give each team, and each person, one spelling in every audit and record read.

    Names are compared as people read them, ignoring case, spaces and quotation marks around them
    (:func:`~qaimpact.models.audit.person_key` of :func:`tidy_name`): "Fenland Child in Need 1 ",
    "fenland child in need 1" and "“Fenland Child in Need 1”" are one team, and every report counts
    it on one row and finds it by one name. A person is one person in every role that names
    them: practitioner, reviewer, the owner of a remedial action
    (``remedial_actions[].owner``) and each person an audit's actions are communicated to (its
    framework's ``remedial_actions.notify`` fields), so "Dana O'Brien" who reviews and "dana
    o’brien " who owns an action are spelled alike. Each is given the spelling most used (the
    first read, between equals), tidied. The data is changed in place, so every report reads the
    same.
    """
    # The places a name is written (the mapping that holds it, and its key), and the name read
    # at each: counted once, and only the places whose spelling changes are written again.
    teams: list[tuple[dict[str, Any], str]] = []
    team_names: list[str] = []
    people: list[tuple[dict[str, Any], str]] = []
    people_names: list[str] = []

    def gather(data: dict[str, Any], notify: tuple[tuple[tuple[str, ...], str], ...]) -> None:
        team = data.get("team")
        holder: Any = data
        if not isinstance(team, str):
            holder = data.get("case")
            team = holder.get("team") if isinstance(holder, dict) else None
        if isinstance(team, str):
            teams.append((holder, "team"))
            team_names.append(team)
        for name in PEOPLE:
            value = data.get(name)
            if isinstance(value, str):
                people.append((data, name))
                people_names.append(value)
        actions = data.get("remedial_actions")
        for action in actions if isinstance(actions, list) else ():
            owner = action.get("owner") if isinstance(action, dict) else None
            if isinstance(owner, str):
                people.append((action, "owner"))
                people_names.append(owner)
        for parents, last in notify:
            place: Any = data
            for part in parents:
                place = place.get(part) if isinstance(place, dict) else None
            value = place.get(last) if isinstance(place, dict) else None
            if isinstance(value, str):
                people.append((place, last))
                people_names.append(value)

    for record in records:
        gather(record.data, _notify_paths(record.framework))
    for other in kinds:
        gather(other.data, ())
    # Teams first, then people, the people as the teams left them: a place can be both (a
    # framework whose actions are told to the case's team, ``notify: [case.team]``).
    if _settle(teams, team_names):
        people_names = [holder[key] for holder, key in people]
    _settle(people, people_names)


def _settle(found: Sequence[tuple[dict[str, Any], str]], names: Sequence[str]) -> bool:
    """Give each name ``found`` (a mapping and its key, holding ``names``) its spelling most used,
    the first read between equals; whether any place was written again.

    A repository names a few hundred people and teams in tens of thousands of places: each
    spelling is counted as written, and only each distinct one tidied and compared. A place found
    twice (a key named twice in ``notify``) holds one name read once, so it is written alike.
    """
    written = Counter(names)
    spellings: dict[str, Counter[str]] = {}
    same: dict[str, str] = {}
    # In the order first read, so that the first spelling read wins between equals.
    for raw, times in written.items():
        tidy = tidy_name(raw)
        same[raw] = ident = person_key(tidy)
        spellings.setdefault(ident, Counter())[tidy] += times
    chosen = {ident: counts.most_common(1)[0][0] for ident, counts in spellings.items()}
    changed = {raw: chosen[ident] for raw, ident in same.items() if chosen[ident] != raw}
    if not changed:
        return False  # every name already spelled as chosen, as in most repositories
    for (holder, key), raw in zip(found, names, strict=True):
        spelled = changed.get(raw)
        if spelled is not None:
            holder[key] = spelled
    return True


# Asked for each audit read: each framework's keys are split once.
@functools.lru_cache(maxsize=16)
def _notify_paths(framework: Framework) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The keys naming who is told of ``framework``'s remedial actions (other than
    :data:`PEOPLE`), each as the keys of the mappings that lead to it and its own last key."""
    found = []
    for key in framework.remedial_notify:
        if key in PEOPLE:
            continue
        *parents, last = key.split(".")
        found.append((tuple(parents), last))
    return tuple(found)


#: A valid audit or record as a worker sends it: plain data, which is far cheaper to send between
#: processes than the check (``path, framework id, kind, data, the grade's fields, warnings``).
_Valid = tuple[str, str, "str | None", dict[str, Any], "tuple[Any, ...] | None", tuple[Diagnostic, ...]]
#: The fields of a grade, in the order ``GradeResult`` takes them.
_GRADE_FIELDS = tuple(GradeResult.__dataclass_fields__)


def _read_one(
    registry: Registry, options: CheckOptions, path: Path
) -> Skipped | tuple[AuditCheck, str | None] | _Valid:
    """One file read for a report, in a worker: skipped as not an audit, valid (the plain
    :data:`_Valid` a record is made of), or invalid (the check, with its framework's id in place
    of the framework, which is costly to send between processes)."""
    name = str(path)
    try:
        doc = load_file(path, name, max_size=options.max_file_size)
    except LoadError as exc:
        # YAML could not read it: what can be read may still call for an escalation.
        check = unreadable_check(
            name, exc.diagnostic, lambda: read_regular(path, options.max_file_size)[0], registry, options
        )
        return check, None
    if not looks_like_audit(doc.data):
        return Skipped(name, "not an audit: it names no framework ('standards:') and no audit_id")
    check = check_document(doc, registry, options)
    framework = check.framework
    if check.valid and check.data is not None and framework is not None:
        if check.kind is not None:
            return name, framework.id, check.kind, check.data, None, tuple(check.diagnostics)
        if check.result is not None:
            grade = tuple(getattr(check.result, f) for f in _GRADE_FIELDS)
            return name, framework.id, None, check.data, grade, tuple(check.diagnostics)
    # Neither the framework nor the links of an invalid record (validate's cross-file checks)
    # travel back: reports leave the file out, with its findings.
    check.framework = None
    check.links = None
    return check, framework.id if framework is not None else None


def cross_file_findings(checks: Sequence[AuditCheck]) -> dict[str, list[Diagnostic]]:
    """The findings that need every file read, by the path of the file that holds each, in file
    order: links from records to audits (``QA701``-``QA703``) and from re-audits to audits
    (``QA705``-``QA708``) that cannot be followed, and files that repeat an id (``QA704``).

    ``checks`` must have been made with ``keep_data``: a check without its data cannot be followed.
    """
    audited: list[AuditRecord] = []
    kinds: list[KindRecord] = []
    #: Records with errors, whose links are followed too (their links alone: ``link_fields``).
    partial: list[KindRecord] = []
    for check in checks:
        if check.framework is None:
            continue
        if not check.valid:
            if check.kind is not None and check.links is not None:
                partial.append(KindRecord(check.path, check.framework, check.kind, check.links))
            continue
        if check.data is None:
            continue
        if check.kind is not None:
            kinds.append(
                KindRecord(check.path, check.framework, check.kind, check.data, tuple(check.diagnostics))
            )
        elif check.result is not None:
            audited.append(AuditRecord(check.path, check.framework, check.data, check.result))
    kinds.sort(key=lambda r: r.path)
    # The hint's "invalid files left out" are those that could be the audit a link names.
    invalid = sum(1 for c in checks if not c.valid and c.kind is None)
    found: dict[str, list[Diagnostic]] = {}
    linked = sorted([*kinds, *partial], key=lambda r: r.path)
    broken = [
        *record_links(audited, linked, invalid=invalid),
        *follow(audited, invalid=invalid, read=READ_BY_VALIDATE).findings,
    ]
    for diag in sorted(broken, key=Diagnostic.sort_key):
        found.setdefault(diag.location.path, []).append(diag)
    # Every file after the first holding an id is a copy; the reports choose which to count.
    for group in same_ids(sorted(audited, key=lambda r: r.path), kinds):
        for copy in group[1:]:
            found.setdefault(copy.path, []).append(duplicate(copy, group[0], reports=False))
    return found
