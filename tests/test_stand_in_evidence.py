"""Evidence that only stands in for evidence ('TBC', 'N/A', '-') is no evidence (issue 17, section 4).

Where the framework requires evidence for a rating it is an error (QA317), elsewhere a warning
(QA403); a remedial action marked done with such evidence is not closed (QA310). The findings
themselves are pinned by the ``# expect:`` lines of ``tests/data/invalid/*-stand-in-evidence.yaml``,
which ``test_cli_validate`` checks through the CLI.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES
from qaimpact.audits.checker import CheckOptions
from qaimpact.audits.dataset import load_dataset
from qaimpact.cycle import programme
from qaimpact.frameworks.registry import Registry
from qaimpact.models.audit import PLACEHOLDER, STAND_INS, stand_in


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("TBC", "TBC"),
        ("tbc.", "tbc."),
        ("  TBA ", "TBA"),
        ("To  be confirmed", "To be confirmed"),
        ("to follow", "to follow"),
        ("N/A", "N/A"),
        ("n/a.", "n/a."),
        ("None", "None"),
        ("-", "-"),
        ("?", "?"),
        ("...", "..."),
        ("\u2026", "\u2026"),
    ],
)
def test_stand_ins_are_no_evidence(written: str, shown: str) -> None:
    assert stand_in(written) == shown


@pytest.mark.parametrize(
    "written",
    [
        PLACEHOLDER,  # reported once, as the scaffold's placeholder (QA210)
        "TBC at the next supervision: plan not SMART",
        "None of the visits were recorded within 10 working days.",
        "Plan is not SMART; actions have no owners or dates.",
        "NA 2",
        "",
        None,
        3,
    ],
)
def test_evidence_is_not_a_stand_in(written: object) -> None:
    assert stand_in(written) is None


@given(st.sampled_from(sorted(STAND_INS)), st.text(alphabet=" \t\u00a0", max_size=3))
def test_a_stand_in_is_found_whatever_its_spaces_and_case(word: str, spaces: str) -> None:
    assert stand_in(spaces + word.upper() + spaces) == word.upper()


def _stand_in_by_definition(value: str) -> str | None:
    """stand_in as it is defined: the text's words, compared casefolded, with or without a full
    stop (what the function computed for every text before its quick test of the first words)."""
    if len(value) > 200:
        return None
    words = " ".join(value.split())
    key = words.casefold()
    return words if key in STAND_INS or key.rstrip(".") in STAND_INS else None


_NEAR_STAND_INS = st.lists(
    st.one_of(
        st.sampled_from(sorted(STAND_INS)),
        st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003", ".", "ﬁ", "ß", "TBC", "x"]),
        st.text(max_size=5),
    ),
    max_size=8,
).map("".join)


@given(_NEAR_STAND_INS)
def test_the_quick_test_of_length_rules_out_no_stand_in(value: str) -> None:
    """Text with seventeen characters other than spaces is ruled out unsplit: never a stand-in."""
    assert stand_in(value) == _stand_in_by_definition(value)


def test_the_programme_counts_a_stand_in_as_missing_evidence(tmp_path: Path) -> None:
    """The audit of the audits lists a standard whose evidence is only 'TBC' as one to complete."""
    source = (EXAMPLES / "service" / "cafcass" / "QA-2025-0144.yaml").read_text(encoding="utf-8")
    written = "    evidence: Background complete, but the child's wishes are summarised rather than quoted.\n"
    assert source.count(written) == 1
    path = tmp_path / "QA-2025-0144.yaml"
    path.write_text(source.replace(written, "    evidence: TBC\n"), encoding="utf-8")
    loaded = load_dataset([path], Registry.default([]), CheckOptions(today=dt.date(2026, 11, 22)))
    [record] = loaded.records
    assert [d.code for d in record.warnings] == ["QA403"]
    assert programme._below_top_without_evidence(record) == ["compliance.report_quality"]
