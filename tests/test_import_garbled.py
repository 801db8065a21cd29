"""QA614: text that a UTF-8 CSV file opened in Excel with a double click and saved again has
garbled (``ZoÃ« Hart`` for ``Zoë Hart``) is found at its cell, with what it most probably said.

Imported as it stands, such a name would be another practitioner's, and every report would split
one person's audits in two. ``tests/data/import/garbled/tracker.csv`` is the example tracker with
row 5's practitioner and one of its evidence cells garbled, row 6's evidence holding a garbled
curly apostrophe, and row 7's practitioner an accented name as typed (``Zoë Ashworth``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import EXAMPLES, TODAY, Run
from qaimpact.authoring.importing.convert import ungarbled

TRACKER = Path(__file__).resolve().parent / "data" / "import" / "garbled" / "tracker.csv"
MAPPING = EXAMPLES / "import" / "tracker.mapping.yaml"
HINT = (
    "    hint: This happens when a CSV file saved in UTF-8 is opened in Excel with a double click and "
    "saved again: Excel reads it as Windows-1252, so '{meant}' becomes '{shown}'. Correct the cells "
    "(Find and Replace '{shown}' with '{meant}'), or open the original CSV file with Data > From "
    "Text/CSV, File origin 'Unicode (UTF-8)', and save it as a workbook; then import again. CSV "
    "files written by `qaimpact export --bom` open correctly in Excel."
)


def as_excel_shows(text: str) -> str:
    """``text`` saved in UTF-8 and read back as Windows-1252, as Excel reads a CSV file without
    a byte order mark (the five bytes Windows-1252 leaves undefined shown as themselves)."""
    shown = []
    for byte in text.encode("utf-8"):
        try:
            shown.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            shown.append(chr(byte))
    return "".join(shown)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("ZoÃ« Hart", "Zoë Hart"),
        ("itâ€™s recorded", "it’s recorded"),
        ("Â£50 a week", "£50 a week"),
        ("SÃ£o Paulo", "São Paulo"),
        ("ðŸ˜€ smiled", "😀 smiled"),
        ("Ã\x81ngel", "Ángel"),  # 0x81: a byte Windows-1252 leaves undefined
        ("ZoÃ« and Zoë", "Zoë and Zoë"),  # one garbled, one as typed, in one cell
        ("Thu HÃ\u00a0", "Thu Hà"),  # 'à' garbled ends in a no-break space
        ("ZoÃƒÂ« Ashworth", "Zoë Ashworth"),  # opened and saved so twice
        ("È˜tefan", "Ștefan"),
        ("Tháº¿", "Thế"),
        # Regression (a review): a capital accented letter before a curly quotation mark, a dash
        # or a no-break space decoded to a Cyrillic, phonetic or Chinese character, and the row was
        # refused with a hint to "correct" it so.
        ("Seán Ó’Brien", None),
        ("RENÉ’S mother", None),
        ("JOSÉ\u00a0SILVA", None),
        ("JOSÉ–MARIA", None),
        ("She said “I miss Chloé…”", None),
        ("“said ‘Zoë’”", None),
        ("Groß”", None),
        # Text with accented letters of its own is never taken for garbled.
        ("Zoë Hart", None),
        ("São Paulo", None),
        ("Ãñez", None),
        ("Chloé – “seen”", None),
        ("plain text", None),
    ],
)
def test_ungarbled_puts_back_only_what_a_character_set_mix_up_turned_into_two_or_more(
    text: str, meant: str | None
) -> None:
    assert ungarbled(text) == meant


#: Text a UK service types: ASCII, European letters, punctuation such as ’ “ – …, emoji.
_TYPED = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0xA0, max_codepoint=0x17F),
        st.characters(min_codepoint=0x2010, max_codepoint=0x2027),
        st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F),
    ),
    max_size=30,
)


@given(_TYPED)
def test_text_garbled_as_excel_garbles_it_is_put_back(text: str) -> None:
    assume(not text.isascii())
    # Text that itself reads as garbled ('Ã«' typed as such) is the one kind not given back.
    assume(ungarbled(text) is None)
    assert ungarbled(as_excel_shows(text)) == text
    # Opened and saved so twice, it is put back all the same.
    assert ungarbled(as_excel_shows(as_excel_shows(text))) == text


@given(st.text(alphabet=st.characters(min_codepoint=0x400, max_codepoint=0x4FF), min_size=1, max_size=10))
def test_garbled_text_that_would_give_back_cyrillic_is_left_as_it_is(text: str) -> None:
    # Two characters that decode to a Cyrillic letter are the sheet's own ('Ó’' is not 'Ӓ'); a
    # Cyrillic name garbled is not put back either, and reads as the sheet has it.
    assert ungarbled(as_excel_shows(text)) is None


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ungarbled_never_changes_ascii_text(text: str) -> None:
    assert ungarbled(text) is None


def test_garbled_rows_are_not_imported_and_each_is_said_once_at_its_first_garbled_cell(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    audits = tmp_path / "audits"
    run = cli(
        "import", TRACKER, "--mapping", MAPPING, "--audits", audits, "--keep-going", "--today", TODAY,
        expect=1,
    )  # fmt: skip
    found = [line for line in run.stderr.splitlines() if "QA614" in line or "become" in line]
    assert found == [
        f"{TRACKER}!E5: error QA614 'ZoÃ« Ashworth' for 'practitioner' looks garbled: it most "
        "probably said 'Zoë Ashworth' before a program read the sheet in the wrong character set. "
        "The text of 1 other cell of this row (column N) looks garbled the same way.",
        HINT.format(meant="ë", shown="Ã«"),
        f"{TRACKER}!L6: error QA614 '...at school and at home (itâ€™s recorded); wishes and f...' for "
        "'impact.child_seen.evidence' looks garbled: it most probably said '...at school and at home "
        "(it’s recorded); wishes and f...' before a program read the sheet in the wrong character set.",
        HINT.format(meant="’", shown="â€™"),
    ]
    assert run.stdout.startswith(
        f"Read 25 rows from {TRACKER}: 16 audits written, 0 unchanged, 2 skipped by the mapping, "
        "7 with errors."
    )
    written = sorted(p.name for p in audits.glob("*.yaml"))
    assert "QA-2024-0101.yaml" not in written
    assert "QA-2024-0104.yaml" not in written
    # A name typed with its accent is imported as typed.
    assert "practitioner: Zoë Ashworth\n" in (audits / "QA-2024-0108.yaml").read_text(encoding="utf-8")


def test_without_the_garbled_cells_the_rows_import(cli: Callable[..., Run], tmp_path: Path) -> None:
    # The finding follows the cells: the same sheet with them put back imports rows 5 and 6.
    sheet = tmp_path / "tracker.csv"
    text = TRACKER.read_text(encoding="utf-8")
    sheet.write_text(ungarbled(text) or text, encoding="utf-8")
    audits = tmp_path / "audits"
    run = cli(
        "import", sheet, "--mapping", MAPPING, "--audits", audits, "--keep-going", "--today", TODAY,
        expect=1,
    )  # fmt: skip
    assert "QA614" not in run.stderr
    assert {"QA-2024-0101.yaml", "QA-2024-0104.yaml"} <= {p.name for p in audits.glob("*.yaml")}
    assert "practitioner: Zoë Ashworth\n" in (audits / "QA-2024-0101.yaml").read_text(encoding="utf-8")
