"""The HTML reports as a browser renders them: headless Chromium, the rendered DOM and a screenshot.

Chromium comes from the system (Debian's ``chromium`` package, which ``.ci/run`` installs). Where
it is missing the test is skipped locally and fails in CI. Screenshots are written to
``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, TODAY

ARTIFACTS = ROOT / "test-artifacts"
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is needed in CI: .ci/run installs Debian's chromium package")
    pytest.skip("Chromium is not installed")


def _browse(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_chromium(), *_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class Dom(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.captions: list[str] = []
        self.title = ""
        self._in: str | None = None
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in ("caption", "title") and self._in is None:
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.captions.append(data.strip())
        elif self._in == "title":
            self.title += data


@pytest.mark.parametrize(
    ("name", "args", "title", "caption"),
    [
        ("summary", ("summary", "--audits", "{examples}"), "Quality assurance summary", "Grade distribution"),
        (
            "learning-log",
            ("report", "--fca", "Amira Hassan", "--audits", "{examples}"),
            "Learning log: Amira Hassan",
            "Audits in date order",
        ),
    ],
    ids=["summary", "learning-log"],
)
def test_html_report_renders_in_a_browser(cli, tmp_path, name, args, title, caption):
    page = tmp_path / f"{name}.html"
    examples = str(ROOT / "examples")
    command = [a.format(examples=examples) for a in args]
    cli(*command, "--format", "html", "-o", page, "--today", TODAY.isoformat())
    dom = Dom(_browse(page, tmp_path, "--dump-dom").stdout)
    assert dom.title.startswith(title)
    assert any(c.startswith(caption) for c in dom.captions), dom.captions
    assert dom.tags.get("svg", 0) >= 1
    assert dom.tags.get("table", 0) >= 1
    assert "script" not in dom.tags
    _screenshot(page, tmp_path, name)


@pytest.mark.parametrize(
    ("name", "args", "title", "caption"),
    [
        ("escalations", ("escalations",), "Escalations as of 2026-11-22", "Audits needing escalation"),
        ("actions", ("actions",), "Remedial actions as of 2026-11-22", "Open actions"),
        ("impact", ("impact",), "Impact of re-audits as of 2026-11-22", "Re-audited cases whose grade"),
        ("moderation", ("moderation",), "Moderation", "Grades by reviewer"),
        (
            "sample",
            (
                "sample",
                "--cases",
                "{service}/cases.csv",
                "--auditors",
                "{service}/auditors.csv",
                "--seed",
                "7",
            ),
            "Cases to audit in December 2026",
            "The plan: 12 cases",
        ),
        (
            "programme",
            (
                "programme",
                "{service}/plans/2026-07.csv",
                "{service}/plans/2026-08.csv",
                "{service}/plans/2026-09.csv",
            ),
            "The audit programme as of 2026-11-22",
            "Planned audits by auditor",
        ),
    ],
    ids=["escalations", "actions", "impact", "moderation", "sample", "programme"],
)
def test_cycle_report_renders_in_a_browser(cli, tmp_path, name, args, title, caption):
    page = tmp_path / f"{name}.html"
    service = str(ROOT / "examples" / "service")
    command = [a.format(service=service) for a in args]
    # The escalation gate exits 1 on the examples by design: one escalation is not raised.
    expect = 1 if name == "escalations" else 0
    cli(
        *command,
        "--audits",
        service,
        "--format",
        "html",
        "-o",
        page,
        "--today",
        TODAY.isoformat(),
        expect=expect,
    )
    dom = Dom(_browse(page, tmp_path, "--dump-dom").stdout)
    assert dom.title == title
    assert any(c.startswith(caption) for c in dom.captions), dom.captions
    assert dom.tags.get("table", 0) >= 1
    assert "script" not in dom.tags
    _screenshot(page, tmp_path, name)


def _screenshot(page, tmp_path, name):
    """Save a screenshot of the page to test-artifacts/ for people to look at, and check it is a PNG."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    _browse(page, tmp_path, f"--screenshot={shot}", "--window-size=1100,1600")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def chromium_page():
    """One headless Chromium page, driven by Playwright (which never downloads a browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Playwright is needed in CI: pip install -e '.[test]'")
        pytest.skip("Playwright is not installed")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=_chromium(), args=_FLAGS)
        yield browser
        browser.close()


MEASURE = (Path(__file__).parent / "measure_page.js").read_text(encoding="utf-8")


# The width of a laptop's browser window, and of a page printed or read on a narrow screen.
@pytest.mark.parametrize("width", [1100, 760])
def test_no_text_is_clipped_or_broken_on_any_report(chromium_page, service_html, width):
    """Issue 17: no chart label is clipped ("issing evidence/incorrect inform…", "2026-07-0" on a
    learning log), nothing falls outside its chart, and no date or id wraps mid-value, on every
    HTML report of examples/service, measured as Chromium lays the page out."""
    from playwright.sync_api import expect

    context = chromium_page.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = {}
    try:
        for report in service_html:
            page.goto(report.as_uri())
            expect(page.locator("footer")).to_be_visible()
            found = page.evaluate(MEASURE)
            if found:
                problems[report.name] = found
    finally:
        context.close()
    assert problems == {}


def test_the_measurements_find_clipped_and_broken_text(chromium_page, tmp_path):
    """The measuring script itself: a page with each defect it looks for, and one without."""
    from playwright.sync_api import expect

    page = tmp_path / "defects.html"
    page.write_text(
        '<!DOCTYPE html><html><body style="width:60px">'
        "<p>Due 2026-07-08 QA-2026-0014</p><p>Quarter 2026-27 Q2 (Jul-Sep 2026)</p>"
        "<p>Done: 100% (1 of 1)</p>"
        '<p>Quarter <span class="nowrap">2026-27</span> Q3 (Oct-Dec 2026)</p>'
        '<svg viewBox="0 0 100 60" width="100" height="60"><title>Themes</title>'
        '<text x="40" y="20">Missing evidence</text><text x="0" y="20">Long lab…</text>'
        '<text x="5" y="52">ok</text></svg>'
        '<p style="white-space:nowrap">2026-07-09</p><footer>end</footer></body></html>',
        encoding="utf-8",
    )
    context = chromium_page.new_context(viewport={"width": 400, "height": 300})
    try:
        browser_page = context.new_page()
        browser_page.goto(page.as_uri())
        expect(browser_page.locator("footer")).to_be_visible()
        found = browser_page.evaluate(MEASURE)
    finally:
        context.close()
    assert sorted(found) == sorted(
        [
            'Themes: "Missing evidence" falls outside the chart',
            'Themes: "Long lab…" is shortened without its full text',
            'Themes: "Long lab…" overlaps "Missing evidence"',
            '"2026-07-08" is broken across lines',
            '"QA-2026-0014" is broken across lines',
            '"2026-27 Q2 (Jul-Sep 2026)" is broken across lines',
            '"2026-27 Q3 (Oct-Dec 2026)" is broken across lines',
            '"100% (1 of 1)" is broken across lines',
        ]
    )


FIT = (Path(__file__).parent / "measure_fit.js").read_text(encoding="utf-8")
#: The reports a board or a manager is given, each made from examples/service as the README's
#: commands make them, with no optional input.
_BOARD_REPORTS = {
    "summary": ("summary",),
    "quarterly": ("quarterly", "--quarter", "2026-Q3"),
    "actions": ("actions",),
    "escalations": ("escalations",),
    "programme": (
        "programme",
        "{service}/plans/2026-07.csv",
        "{service}/plans/2026-08.csv",
        "{service}/plans/2026-09.csv",
    ),
    "moderation": ("moderation",),
    "impact": ("impact",),
}


@pytest.fixture(scope="module")
def board_html(tmp_path_factory):
    """Each of _BOARD_REPORTS as HTML, made once through the CLI."""
    from typer.testing import CliRunner

    from qaimpact.cli import app

    folder = tmp_path_factory.mktemp("board-html")
    service = str(ROOT / "examples" / "service")
    made = {}
    for name, args in _BOARD_REPORTS.items():
        page = folder / f"{name}.html"
        command = [a.format(service=service) for a in args]
        options = ["--audits", service, "--format", "html", "-o", str(page), "--today", TODAY.isoformat()]
        result = CliRunner().invoke(app, [*command, *options])
        # The escalation gate exits 1 on the examples by design: one escalation is not raised.
        assert result.exit_code in (0, 1), f"{name}: {result.stderr}"
        assert page.is_file(), f"{name}: {result.stderr}"
        made[name] = page
    return made


# A laptop's browser window, and the width of an A4 page printed with the reports' margins.
@pytest.mark.parametrize(
    ("width", "media"), [(1100, "screen"), (665, "print")], ids=["screen-1100", "print-A4"]
)
@pytest.mark.parametrize("name", _BOARD_REPORTS)
def test_a_report_fits_the_window_and_the_printed_page(chromium_page, board_html, name, width, media):
    """A new user's review: the quarterly report was 1317 px wide in a 1100 px window, its
    "Escalated children" table losing its last three columns off the edge, and 1142 px wide on
    A4, with 9 other tables past the page; actions, escalations and programme were too wide as
    well; shares broke inside the value ("100% (1 of" / "1)"). On a screen a wide table scrolls
    in its own box; printed, it is a block per row. No date, id or share breaks across lines."""
    from playwright.sync_api import expect

    context = chromium_page.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.emulate_media(media=media)
        page.goto(board_html[name].as_uri())
        expect(page.locator("footer")).to_be_visible()
        assert page.evaluate(FIT) == []
        assert page.evaluate(MEASURE) == []
    finally:
        context.close()


def test_the_fit_is_measured(chromium_page, tmp_path):
    """The measuring script itself: a page wider than the window, a table past its edge, and a
    wide table that scrolls in its own box, which is no problem."""
    from playwright.sync_api import expect

    page = tmp_path / "wide.html"
    wide = "<tr>" + "<td>2026-07-08</td>" * 12 + "</tr>"
    page.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<table style="white-space:nowrap"><caption>Too wide</caption>{wide}</table>'
        '<div style="overflow-x:auto">'
        f'<table style="white-space:nowrap"><caption>Scrolls</caption>{wide}</table></div>'
        "<footer>end</footer></body></html>",
        encoding="utf-8",
    )
    context = chromium_page.new_context(viewport={"width": 400, "height": 300})
    try:
        browser_page = context.new_page()
        browser_page.goto(page.as_uri())
        expect(browser_page.locator("footer")).to_be_visible()
        found = browser_page.evaluate(FIT)
    finally:
        context.close()
    assert len(found) == 2, found
    assert re.fullmatch(r"the page is \d+ px wide in a window of 400 px", found[0]), found
    assert re.fullmatch(r'"Too wide" reaches \d+ px, past the window\'s 400 px', found[1]), found
