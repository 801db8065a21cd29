"""A Windows path typed in double quotes that YAML reads as special characters (QA415).

In double quotes a backslash starts an escape: ``"C:\\new\\tom.docx"`` loads, with no error, as
``C:`` then a line break, ``ew``, a tab and ``om.docx``. (A path with one backslash that starts no
escape, ``C:\\Users``, is a QA101 the loader explains: tests/test_pasted_text.py.) Each file of
tests/data/windows-paths/ is a bundled example with one value changed; the module's cases say
what ``validate`` says of it. Single quotes, doubled backslashes and a block text whose line ends
in ``Plan B:`` are read as typed, and nothing is said.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, TODAY, Run
from qaimpact.audits.checker import CheckOptions, check_audit
from qaimpact.frameworks.registry import Registry

FOLDER = DATA / "windows-paths"

HINT = (
    "    hint: Put the text in single quotes, in which a backslash is just a backslash, or write the "
    "path with forward slashes ({forward}), which Windows reads as well."
)

#: Each file, and the finding ``validate`` gives it (None: nothing to say).
CASES: dict[str, tuple[str, str] | None] = {
    "ccc-evidence.yaml": (
        ":20:15: warning QA415 In double quotes YAML read the path C:\\new\\tom.docx in "
        "'practice_standards.risk_management.evidence' as special characters: \\n as a line break and "
        "\\t as a tab, so the text holds them in place of the backslashes.",
        HINT.format(forward="C:/new/tom.docx"),
    ),
    "cafcass-evidence.yaml": (
        ":23:15: warning QA415 In double quotes YAML read the path D:\\temp\\notes.txt in "
        "'impact.child_experience.evidence' as special characters: \\t as a tab and \\n as a line "
        "break, so the text holds them in place of the backslashes.",
        HINT.format(forward="D:/temp/notes.txt"),
    ),
    "feedback-said.yaml": (
        ":11:7: warning QA415 In double quotes YAML read the path F:\\box\\new.docx in 'said' as "
        "special characters: \\b as a backspace and \\n as a line break, so the text holds them in "
        "place of the backslashes.",
        HINT.format(forward="F:/box/new.docx"),
    ),
    "single-quoted.yaml": None,
    "escaped.yaml": None,
    "block-text.yaml": None,
}


def test_every_file_is_a_case() -> None:
    assert sorted(p.name for p in FOLDER.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_says_the_path_was_read_as_special_characters(name: str, cli: Callable[..., Run]) -> None:
    path = FOLDER / name
    out = cli("validate", path, "--today", TODAY.isoformat()).stdout
    said = CASES[name]
    if said is None:
        assert out == "Checked 1 file: no problems found.\n"
    else:
        finding, hint = said
        assert out.splitlines() == [
            f"{path}{finding}",
            hint,
            "Checked 1 file: 0 errors and 1 warning in 1 file.",
        ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_finding_names_the_path_not_each_character(name: str, registry: Registry) -> None:
    # QA411 would name the backspace of F:\box alone: the path is said once, as QA415.
    report = check_audit(FOLDER / name, registry, CheckOptions(today=TODAY), name)
    codes = [d.code for d in report.diagnostics]
    assert codes == ([] if CASES[name] is None else ["QA415"])


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ('"Saved at C:\\new\\tom.docx"', True),  # \n and \t
        ('"Saved at C:\\rota\\amy.docx"', True),  # \r and \a
        ('"Saved at c:\\files\\vera.pdf"', True),  # \f and \v
        ('"Saved at C:\\x41\\new"', True),  # a character by its code, then \n
        ('"Saved at C:\\\\new"', False),  # a backslash typed as YAML asks
        ('"Saved at C:/new/tom.docx"', False),
        ("'Saved at C:\\new\\tom.docx'", False),  # in single quotes, as typed
        ('"Seen at 10:\\n"', False),  # a time: no drive letter before the colon
        ('"Plan B:\\n"', False),  # a line break typed at the end: no path follows it
        ('"Two plans. Plan B:\n\n      review next"', False),  # an empty line: a line break read
    ],
)
def test_only_a_drive_then_an_escape_then_more_of_the_path_is_said(
    typed: str, said: bool, registry: Registry, tmp_path: Path
) -> None:
    source = (FOLDER / "ccc-evidence.yaml").read_text(encoding="utf-8")
    path = tmp_path / "audit.yaml"
    path.write_text(source.replace('"Safety plan saved at C:\\new\\tom.docx"', typed), encoding="utf-8")
    report = check_audit(path, registry, CheckOptions(today=TODAY))
    assert [d.code for d in report.diagnostics] == (["QA415"] if said else [])
