"""No known name or case number survives ``--redact`` in any format of any command (issue 16).

A property test through the CLI: generated names of many scripts (tests/test_redaction_names.py)
fill every personal field of three audits (tests/data/redact/names/: a council audit, its
re-audit with an escalation in the older ``raised_to`` shape, and a Cafcass audit with an
escalation), and are mentioned in evidence, actions, notes and comments in varied forms (upper
case, NFD, title and surname, possessive, initial and surname). Every report command that names
people runs under ``--redact`` in each of its formats: none may crash, and no word of a name (two
letters or more) and no digit run of a case number may be left in what it prints.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import DATA, TODAY
from test_redaction_names import _survivors, names

TEMPLATES = DATA / "redact" / "names"

#: Each command that writes names, with the formats it writes (docs/reports.md, "Flags by report").
COMMANDS: list[tuple[list[str], list[str]]] = [
    (["summary"], ["md", "html", "json", "csv"]),
    (["escalations"], ["md", "html", "json", "csv"]),
    (["actions"], ["md", "html", "json", "csv"]),
    (["impact"], ["md", "html", "json", "csv"]),
    (["moderation"], ["md", "html", "json", "csv"]),
]


def _forms(name: str, n: int) -> str:
    """The ``n``-th way evidence mentions ``name``."""
    words = name.split()
    first, last = words[0], words[-1]
    forms = [
        name,
        name.upper(),
        unicodedata.normalize("NFD", name),
        f"Ms {last}",
        f"{last}'s plan",
        f"{first[0]}. {last}",
        name.lower(),
    ]
    return forms[n % len(forms)]


def _write(folder: Path, people: list[str], case_numbers: tuple[str, str]) -> None:
    values: dict[str, str] = {"{C1}": f"LCS-{case_numbers[0]}", "{C2}": f"ECMS-{case_numbers[1]}"}
    # Other spellings of the same numbers, as a colleague would type them in evidence.
    values["{D1}"] = f"LCS {case_numbers[0]}"
    values["{D2}"] = f"ECMS{case_numbers[1]}"
    for i, name in enumerate(people, start=1):
        values[f"{{P{i}}}"] = name
        values[f"{{M{i}}}"] = _forms(name, i)
    for template in sorted(TEMPLATES.glob("*.tmpl")):
        text = template.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        (folder / template.name.removesuffix(".tmpl")).write_text(text, encoding="utf-8")


def _readable(text: str, fmt: str) -> str:
    """What a reader sees: JSON with its escapes decoded, HTML without its tags and entities."""
    if fmt == "json" and text.strip():
        return json.dumps(json.loads(text), ensure_ascii=False)
    if fmt == "html":
        return html.unescape(re.sub(r"<[^>]*>", " ", text))
    return text


def _leaks(text: str, people: list[str], case_numbers: tuple[str, ...]) -> list[str]:
    found = [word for name in people for word in _survivors(name, text)]
    found += [n for n in case_numbers if n in text]
    return found


people_strategy = st.lists(names(), min_size=6, max_size=6, unique_by=lambda n: n.casefold()).filter(
    # Distinct words: a name whose words are another's is one person to redaction.
    lambda ns: len({w.casefold() for n in ns for w in n.split()}) == sum(len(n.split()) for n in ns)
)
numbers = st.tuples(
    st.from_regex(r"[1-9][0-9]{5}", fullmatch=True), st.from_regex(r"00[1-9][0-9]{4}", fullmatch=True)
)


_REPORT_WORDS: set[str] = set()


def _report_words(cli: Callable[..., Any], tmp: Path) -> set[str]:
    """Every word the reports print around the names (folded), from one run with the names of the
    issue: a generated name made of such words ("At", "Plan") cannot be told from the report's own
    words, so it is not drawn. Short and common names are covered in test_redaction_names."""
    if not _REPORT_WORDS:
        from qaimpact.privacy.redaction import fold

        _write(tmp, FIXED, ("900001", "0099999"))
        texts = []
        for command, formats in COMMANDS:
            for fmt in formats:
                run = cli(
                    *command,
                    "--audits",
                    tmp,
                    "--today",
                    TODAY.isoformat(),
                    "--format",
                    fmt,
                    "--redact",
                    expect=None,
                )
                texts.append(_readable(run.stdout, fmt) + run.stderr)
        for audit in sorted(tmp.glob("*.yaml")):
            for fmt in ("md", "html", "json"):
                run = cli(
                    "report", audit, "--today", TODAY.isoformat(), "--format", fmt, "--redact", expect=None
                )
                texts.append(_readable(run.stdout, fmt) + run.stderr)
        _REPORT_WORDS.update(re.findall(r"\w+", fold(" ".join(texts))))
    return _REPORT_WORDS


def _drawable(cli: Callable[..., Any], tmp: Path, people: list[str]) -> bool:
    from qaimpact.privacy.redaction import fold

    words = _report_words(cli, tmp)
    return not any(w in words for name in people for w in re.findall(r"\w+", fold(name)))


def _check_every_command(
    cli: Callable[..., Any], folder: Path, people: list[str], case_numbers: tuple[str, str]
) -> None:
    today = TODAY.isoformat()
    for command, formats in COMMANDS:
        for fmt in formats:
            run = cli(
                *command, "--audits", folder, "--today", today, "--format", fmt, "--redact", expect=None
            )
            assert run.exit_code in (0, 1), (command, fmt, run.stderr)
            assert _leaks(_readable(run.stdout, fmt) + run.stderr, people, case_numbers) == [], (command, fmt)
    for audit in sorted(folder.glob("*.yaml")):
        for fmt in ("md", "html", "json"):
            run = cli("report", audit, "--today", today, "--format", fmt, "--redact", expect=None)
            assert run.exit_code in (0, 1), (audit.name, fmt, run.stderr)
            assert _leaks(_readable(run.stdout, fmt) + run.stderr, people, case_numbers) == [], (
                audit.name,
                fmt,
            )
    # A learning log keeps the name of the practitioner it is about, and only that name.
    for fmt in ("md", "html", "json"):
        run = cli(
            "report",
            "--fca",
            people[0],
            "--audits",
            folder,
            "--today",
            today,
            "--format",
            fmt,
            "--redact",
            expect=None,
        )
        assert run.exit_code in (0, 1), (fmt, run.stderr)
        assert _leaks(_readable(run.stdout, fmt) + run.stderr, people[1:], case_numbers) == [], fmt


def _draw_and_check(
    cli: Callable[..., Any], tmp: pytest.TempPathFactory, people: list[str], case_numbers: tuple[str, str]
) -> None:
    assume(_drawable(cli, tmp.mktemp("words"), people))
    folder = tmp.mktemp("names")
    _write(folder, people, case_numbers)
    _check_every_command(cli, folder, people, case_numbers)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_strategy, case_numbers=numbers)
def test_no_name_or_case_number_survives_any_command(
    cli: Callable[..., Any],
    tmp_path_factory: pytest.TempPathFactory,
    people: list[str],
    case_numbers: tuple[str, str],
) -> None:
    _draw_and_check(cli, tmp_path_factory, people, case_numbers)


@pytest.mark.long
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_strategy, case_numbers=numbers)
def test_no_name_or_case_number_survives_any_command_long(
    cli: Callable[..., Any],
    tmp_path_factory: pytest.TempPathFactory,
    people: list[str],
    case_numbers: tuple[str, str],
) -> None:
    """The long variant (``pytest -m long``): 60 sets of names."""
    _draw_and_check(cli, tmp_path_factory, people, case_numbers)


FIXED = ["Jürgen Strauß", "Ayşe Yıldız", "GÜLŞEN YILDIZ", "İsmail Kaya", "Helen Marsh", "Wei Li"]


def test_the_issue_names_through_every_command(cli: Callable[..., Any], tmp_path: Path) -> None:
    """The names of issue 16 in every field: "Helen Marsh" raised to (older shape), the upper-case
    Turkish name that crashed every report, ß, İ and a two-letter surname."""
    _write(tmp_path, FIXED, ("900001", "0099999"))
    _check_every_command(cli, tmp_path, FIXED, ("900001", "0099999"))


def test_the_templates_make_valid_audits(cli: Callable[..., Any], tmp_path: Path) -> None:
    """The property above tests what it means to: the three audits are valid and carry each name."""
    _write(tmp_path, FIXED, ("900001", "0099999"))
    run = cli("validate", tmp_path, "--format", "json", expect=None)
    assert run.exit_code == 0, run.stdout
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.yaml"))
    assert all(name in text for name in FIXED)
    assert json.loads(run.stdout) == []


def test_a_redacted_report_says_what_redaction_cannot_do(cli: Callable[..., Any], tmp_path: Path) -> None:
    _write(tmp_path, FIXED, ("900001", "0099999"))
    from qaimpact.privacy.redaction import NOTE

    for fmt in ("md", "json"):
        run = cli("summary", "--audits", tmp_path, "--today", TODAY.isoformat(), "--format", fmt, "--redact")
        assert ("> " + NOTE if fmt == "md" else json.dumps(NOTE)) in run.stdout
    plain = cli("summary", "--audits", tmp_path, "--today", TODAY.isoformat())
    assert NOTE not in plain.stdout
