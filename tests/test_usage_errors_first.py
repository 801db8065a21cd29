"""A usage error (a mistyped option, a value an option does not take) is reported before the
command loads its frameworks or reads an audit: a typo costs no start-up time, and says only
what is wrong with the command line. test_startup_imports.py sees what such a run imports; these
tests see that the frameworks are never loaded, and that the message is the one it always was.
"""

from __future__ import annotations

import pytest

from conftest import EXAMPLES

SERVICE = EXAMPLES / "service"


@pytest.fixture
def no_frameworks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every load of the frameworks, refused: a command that gets that far fails (exit 4)."""
    from qaimpact.frameworks.registry import Registry

    loads: list[object] = []

    def refused(*args: object, **kwargs: object) -> object:
        loads.append(args)
        raise AssertionError("the frameworks were loaded")

    monkeypatch.setattr(Registry, "default", classmethod(refused))
    return loads


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["validate", "--today", "2026-13-45", SERVICE],
            "error: --today '2026-13-45' is not a date. Write the date in figures as YYYY-MM-DD, year "
            "then month then day: 14 October 2026 is written 2026-10-14.",
        ),
        (
            ["grade", "--today", "22/11/2026", SERVICE],
            "error: --today '22/11/2026' is not a date. Write the date as YYYY-MM-DD: 2026-11-22 "
            "(22 November 2026).",
        ),
        (
            ["summary", "--audits", SERVICE, "--from", "2026-02-30"],
            "error: --from '2026-02-30' is not a date. February 2026 has 28 days, so there is no 30 "
            "February 2026: check the day.",
        ),
        (
            ["escalations", "--audits", SERVICE, "--to", "soon"],
            "error: --to 'soon' is not a date. Write the date in figures as YYYY-MM-DD, "
            "year then month then day: "
            "14 October 2026 is written 2026-10-14.",
        ),
        (
            ["validate", "--format", "jsno", SERVICE],
            "error: --format 'jsno' is not a format qaimpact validate writes. Did you mean 'json'? It "
            "writes text, json, junit, sarif or github.",
        ),
    ],
    ids=lambda v: " ".join(map(str, v)) if isinstance(v, list) else "",
)
def test_a_bad_option_value_is_refused_before_the_frameworks_load(cli, no_frameworks, args, message):
    run = cli(*args, expect=2)
    assert run.stderr.strip() == message
    assert run.stdout == ""
    assert no_frameworks == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["sample", "--cases", "no-such-cases.csv", "--audits", SERVICE],
            "error: 'no-such-cases.csv' does not exist: check the path of the case list.",
        ),
        (
            ["sample", "--cases", SERVICE / "cases.csv", "--auditors", SERVICE, "--audits", SERVICE],
            f"error: '{SERVICE}' is a folder: give the auditor list's CSV file.",
        ),
        (
            ["sample", "--cases", SERVICE / "cases.csv", "--stratify", " ", "--audits", SERVICE],
            "error: --stratify needs the name of a column of the cases list, such as ethnicity.",
        ),
    ],
    ids=["cases-missing", "auditors-a-folder", "stratify-blank"],
)
def test_a_sample_s_lists_are_looked_for_before_the_audits_are_read(cli, no_frameworks, args, message):
    # Run from a folder of many files, `sample --cases` with a mistyped name read every audit
    # (minutes, in a large folder) before saying that the case list did not exist.
    run = cli(*args, expect=2)
    assert run.stderr.strip() == message
    assert no_frameworks == []
