"""A team, practitioner or reviewer written differently in two audits is one name in every report.

A new-user review typed "Fenland Child in Need 1" four ways in examples/service (a trailing
space, a non-breaking space, lower case, curly quotes pasted from Word): `quarterly` showed three
rows for the one team, `summary --by team` split it too, and `actions --team` merged them. Names
now compare as people read them, and reports give each the spelling most audits use.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, TODAY
from qaimpact.audits.dataset import settle_names, tidy_name
from qaimpact.models.audit import ident_key, person_key

SERVICE = EXAMPLES / "service"
TEAM = "Fenland Child in Need 1"
#: How each audit of the team is retyped, by file.
RETYPED = {
    "ccc/CFA-2026-0102.yaml": f"team: '{TEAM} '",
    "ccc/CFA-2025-0280.yaml": "team: " + TEAM.replace(" in ", " in\u00a0"),
    "ccc/CFA-2026-0077.yaml": f"team: {TEAM.lower()}",
    "ccc/CFA-2026-0126.yaml": f"team: “{TEAM}”",
}


@pytest.fixture(scope="module")
def retyped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("retyped") / "service"
    shutil.copytree(SERVICE, folder)
    for name, line in RETYPED.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert f"team: {TEAM}\n" in text
        path.write_text(text.replace(f"team: {TEAM}\n", line + "\n", 1), encoding="utf-8")
    return folder


def _json(cli: Callable[..., Any], folder: Path, *args: str) -> Any:
    run = cli(*args, "--audits", folder, "--today", TODAY.isoformat(), "-f", "json", expect=None)
    assert run.exit_code in (0, 1), run.stderr
    # The files are the same but for the folder that holds them.
    view = json.loads(run.stdout.replace(json.dumps(str(folder))[1:-1], "<audits>"))
    view.pop("sources", None)
    return view


@pytest.mark.parametrize(
    "args",
    [
        ("summary", "--by", "team"),
        ("summary", "--by", "team", "--publish"),
        ("quarterly", "--quarter", "2026-Q3"),
        ("actions", "--team", TEAM.lower()),
        ("escalations", "--team", "fenland child in need 1"),
        ("actions",),
    ],
    ids=lambda a: " ".join(a),
)
def test_reports_read_a_retyped_team_as_the_team(
    cli: Callable[..., Any], retyped: Path, args: tuple[str, ...]
) -> None:
    assert _json(cli, retyped, *args) == _json(cli, SERVICE, *args)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Fenland Child in Need 1 ", "Fenland Child in Need 1"),
        ("Fenland Child in\u00a0Need 1", "Fenland Child in Need 1"),
        ("  Fenland   Child in Need 1", "Fenland Child in Need 1"),
        ("“Fenland Child in Need 1”", "Fenland Child in Need 1"),
        ("'Jo Bright'", "Jo Bright"),
        ("Jo O'Neill", "Jo O'Neill"),  # a quotation mark inside a name stays
        ("«Équipe Nord»", "Équipe Nord"),
    ],
)
def test_a_name_is_tidied(written: str, shown: str) -> None:
    assert tidy_name(written) == shown


class _Framework:
    """Who a framework tells of actions: all settle_names reads of it (one object for each, as a
    framework is one object for its audits)."""

    def __init__(self, notify: tuple[str, ...]) -> None:
        self.remedial_notify = list(notify)


class _Record:
    """What settle_names reads of an audit: its data, and who its framework tells of actions."""

    def __init__(self, data: dict[str, Any], notify: tuple[str, ...] = ()) -> None:
        self.data = data
        self.framework = _Framework(notify)


def test_each_name_takes_the_spelling_most_audits_use() -> None:
    audits = [
        {"team": "North", "practitioner": "jo bright", "reviewer": "Sam Lee"},
        {"team": "north ", "practitioner": "Jo Bright", "reviewer": "SAM LEE"},
        {"case": {"team": "North"}, "practitioner": "Jo  Bright", "reviewer": "sam lee"},
        {"team": "South", "practitioner": "“Jo Bright”", "reviewer": "Sam Lee"},
    ]

    settle_names([_Record(a) for a in audits])  # type: ignore[misc]
    assert audits == [
        {"team": "North", "practitioner": "Jo Bright", "reviewer": "Sam Lee"},
        {"team": "North", "practitioner": "Jo Bright", "reviewer": "Sam Lee"},
        {"case": {"team": "North"}, "practitioner": "Jo Bright", "reviewer": "Sam Lee"},
        {"team": "South", "practitioner": "Jo Bright", "reviewer": "Sam Lee"},
    ]


def test_between_equals_the_first_spelling_read_is_kept() -> None:
    audits = [{"team": "hillside"}, {"team": "Hillside"}]

    settle_names([_Record(a) for a in audits])  # type: ignore[misc]
    assert audits == [{"team": "hillside"}, {"team": "hillside"}]


@given(
    st.lists(
        st.sampled_from(
            ["North", "north ", "\u201cNorth\u201d", "NORTH", "South", "south", " South", "Sou th"]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_every_spelling_becomes_the_one_most_used_the_first_read_between_equals(teams: list[str]) -> None:
    """The rule itself, for any mix of spellings: each is replaced by the tidied spelling of its
    name that most places use, the first read where two are used as often."""
    audits = [{"team": t} for t in teams]
    tidied = [tidy_name(t) for t in teams]
    used: dict[str, dict[str, int]] = {}
    for tidy in tidied:
        counts = used.setdefault(person_key(tidy), {})
        counts[tidy] = counts.get(tidy, 0) + 1
    # max() keeps the first of equals, and a dict keeps the order spellings were first read.
    most = {k: max(counts, key=counts.__getitem__) for k, counts in used.items()}

    settle_names([_Record(a) for a in audits])  # type: ignore[misc]
    assert [a["team"] for a in audits] == [most[person_key(t)] for t in tidied]


def test_a_person_is_spelled_alike_in_every_role() -> None:
    # Regression: owners were settled apart from practitioners and reviewers, and the people told
    # of an audit's actions not at all, so "Dana O'Brien" who reviews showed as "dana o’brien " on
    # the actions she owns and is told of.
    audits = [
        {"practitioner": "Jo Bright", "reviewer": "Dana O'Brien", "team_manager": "Sam Lee"},
        {"practitioner": "Dana O'Brien", "reviewer": "sam lee", "case": {"manager": "SAM LEE "}},
        {
            "practitioner": "jo bright",
            "team_manager": "dana o’brien ",
            "remedial_actions": [{"owner": "dana o'brien"}, {"owner": "Jo Bright "}, {"owner": 3}],
        },
    ]
    settle_names([_Record(a, ("practitioner", "team_manager", "case.manager")) for a in audits])  # type: ignore[misc]
    assert audits == [
        {"practitioner": "Jo Bright", "reviewer": "Dana O'Brien", "team_manager": "Sam Lee"},
        {"practitioner": "Dana O'Brien", "reviewer": "Sam Lee", "case": {"manager": "Sam Lee"}},
        {
            "practitioner": "Jo Bright",
            "team_manager": "Dana O'Brien",
            "remedial_actions": [{"owner": "Dana O'Brien"}, {"owner": "Jo Bright"}, {"owner": 3}],
        },
    ]


def test_a_team_told_of_actions_is_settled_as_a_team_then_as_a_person() -> None:
    # Regression: where a framework tells the case's team of its actions (`notify: [case.team]`),
    # the team's place is a person's too; the people were counted as first read, not as the
    # teams had left them, and one team kept an unsettled spelling.
    audits = [
        {"case": {"team": "team a"}, "practitioner": "Team A"},
        {"case": {"team": "Team A"}},
        {"case": {"team": "team a"}},
        {"practitioner": "Team A"},
        {"reviewer": "Team A"},
    ]
    settle_names([_Record(a, ("case.team",)) for a in audits])  # type: ignore[misc]
    assert [a.get("case", {}).get("team") for a in audits] == ["Team A", "Team A", "Team A", None, None]


def test_a_person_told_twice_is_settled_once() -> None:
    # Regression: a key named twice in `notify` made its place be settled twice, the second time
    # from the spelling the first had written, which no audit wrote: KeyError, exit 4.
    audits = [{"practitioner": "Jo Bright", "team_manager": "Sandra  Whitlock"}]
    settle_names([_Record(a, ("practitioner", "team_manager", "team_manager")) for a in audits])  # type: ignore[misc]
    assert audits == [{"practitioner": "Jo Bright", "team_manager": "Sandra Whitlock"}]


def test_a_team_is_not_a_person() -> None:
    # A team and a person of the same name keep their own spellings: each is settled among its own.
    audits = [
        {"team": "north", "practitioner": "North"},
        {"team": "north", "practitioner": "North"},
        {"team": "North", "reviewer": "north"},
    ]
    settle_names([_Record(a) for a in audits])  # type: ignore[misc]
    assert [a.get("team") for a in audits] == ["north", "north", "north"]
    assert [a.get("practitioner", a.get("reviewer")) for a in audits] == ["North", "North", "North"]


def test_reports_spell_the_people_told_of_actions_as_the_audits_do(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    folder = tmp_path / "service"
    shutil.copytree(SERVICE, folder)
    path = folder / "ccc" / "CFA-2025-0284.yaml"
    text = path.read_text(encoding="utf-8")
    assert "team_manager: Sandra Whitlock\n" in text
    path.write_text(
        text.replace("team_manager: Sandra Whitlock\n", "team_manager: 'sandra whitlock '\n"),
        encoding="utf-8",
    )
    assert _json(cli, folder, "actions") == _json(cli, SERVICE, "actions")


def test_only_the_space_both_splits_words_and_is_printable() -> None:
    """What ``rules._tidy`` relies on to find a tidy name without tidying it: of every character,
    only the ordinary space is both printable and a place ``str.split`` splits text."""
    both = [c for c in map(chr, range(0x110000)) if c.isprintable() and len(f"a{c}b".split()) == 2]
    assert both == [" "]


@pytest.mark.parametrize(
    "name",
    [
        "Jo Bright",
        "J",
        " Jo Bright",
        "Jo Bright ",
        "Jo  Bright",
        "Jo\u00a0Bright",
        "Jo\tBright",
        "“Jo Bright”",
        "'Jo Bright'",
        "Jo 'Jay' Bright",
        "«Jo»",
        "Jo Bright\u2009",
        "Jo\u202eBright",
        '"',
        " ",
        "Fenland Child in Need 1",
    ],
)
def test_a_tidy_name_is_found_as_tidying_finds_it(name: str) -> None:
    from qaimpact.audits.rules import _tidy

    assert _tidy(name) is (tidy_name(name) == name)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab \u00a0\t\n\u2009\u202e\"'“”«»"), min_size=1) | st.text(min_size=1)
)
def test_tidy_names_are_found_alike_for_any_text(name: str) -> None:
    from qaimpact.audits.rules import _tidy

    assert _tidy(name) is (tidy_name(name) == name)


# -- the dashes and apostrophes Word types ---------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Aoife O'Brien", "Aoife O\u2019Brien"),
        ("Aoife O'Brien", "aoife o\u2018brien"),
        ("Aoife O'Brien", "Aoife O\u02bcBrien"),
        ("Niamh Byrne-Walsh", "Niamh Byrne\u2011Walsh"),
        ("Niamh Byrne-Walsh", "NIAMH BYRNE\u2013WALSH"),
        ("Niamh Byrne-Walsh", "Niamh  Byrne\u2010Walsh"),
    ],
)
def test_word_s_apostrophes_and_dashes_are_one_name(one: str, other: str) -> None:
    assert person_key(one) == person_key(other)
    assert ident_key("LCS-734838") == ident_key("LCS\u2013734838") == ident_key("lcs\u2011734838")


#: One practitioner typed two ways: the spelling of two audits, and that of the third.
RETYPED_NAMES = [
    pytest.param("Aoife O\u2019Brien", "Aoife O'Brien", id="curly-apostrophe"),
    pytest.param("Aoife O'Brien", "Aoife O\u2019Brien", id="straight-apostrophe"),
    pytest.param("Niamh Byrne\u2013Walsh", "Niamh Byrne-Walsh", id="en-dash"),
    pytest.param("Niamh Byrne-Walsh", "Niamh Byrne\u2011Walsh", id="non-breaking-hyphen"),
]


def _three_audits(folder: Path, most: str, other: str) -> Path:
    from test_redaction_cli import write_audit

    for n, name in enumerate((most, other, most), start=1):
        write_audit(folder / f"audit-{n}.yaml", f"CFA-2026-090{n}", name, "They", f"LCS-73480{n}", "it")
    return folder


@pytest.mark.parametrize(("most", "other"), RETYPED_NAMES)
def test_a_practitioner_typed_with_word_s_punctuation_is_one_practitioner(
    cli: Callable[..., Any], tmp_path: Path, most: str, other: str
) -> None:
    """Regression: "Aoife O'Brien" in one audit and "Aoife O’Brien" in another were two rows of
    ``summary --by practitioner``, and ``report --fca`` found one of her audits."""
    folder = _three_audits(tmp_path, most, other)
    today = ("--today", TODAY.isoformat(), "--audits", str(folder))
    run = cli("summary", "--by", "practitioner", *today, "-f", "json")
    ((section),) = json.loads(run.stdout)["frameworks"]
    assert [(g["key"], g["n"]["n"]) for g in section["groups"]] == [(most, 3)]
    for asked in (most, other, other.upper()):
        log = cli("report", "--fca", asked, *today)
        assert log.stdout.startswith(f"# Learning log: {most}\n\n3 audits on 2026-09-29.\n")
        owned = cli("actions", "--owner", asked, *today, "-f", "json")
        # Each action of hers, its owner settled as the practitioner is: the spelling most used.
        assert [a["owner"] for a in json.loads(owned.stdout)["actions"]] == [most] * 9
    # One person, one pseudonym.
    redacted = cli("summary", "--by", "practitioner", *today, "-f", "csv", "--redact")
    assert [line.split(",")[1] for line in redacted.stdout.splitlines()[1:]] == ["Person A"]


def test_the_owners_of_actions_take_the_spelling_most_actions_use() -> None:
    audits: list[dict[str, Any]] = [
        {"practitioner": "Dana O'Brien", "remedial_actions": [{"owner": "dana o’brien "}]},
        {
            "remedial_actions": [
                {"owner": "Dana O'Brien"},
                {"owner": "“Dana O’Brien”"},
                {"owner": "Dana O'Brien"},
            ]
        },
        {"remedial_actions": [{"owner": "Jo Bright "}, {"action": "No owner."}]},
        {"remedial_actions": None},
    ]

    settle_names([_Record(a) for a in audits])  # type: ignore[misc]
    assert audits == [
        {"practitioner": "Dana O'Brien", "remedial_actions": [{"owner": "Dana O'Brien"}]},
        {"remedial_actions": [{"owner": "Dana O'Brien"}] * 3},
        {"remedial_actions": [{"owner": "Jo Bright"}, {"action": "No owner."}]},
        {"remedial_actions": None},
    ]
