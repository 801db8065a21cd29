"""What the tests of ``qaimpact serve`` share: a signed-in client, and the answers an auditor gives.

The answers are what a person would type and tick in the form of each framework, by input name
(a list for a group of checkboxes). Names and cases are invented.
"""

from __future__ import annotations

import re
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from conftest import DATA, TODAY

pytest.importorskip("starlette", reason="the serve extra is not installed")

with warnings.catch_warnings():
    # Starlette's newest TestClient prefers the httpx2 fork and warns, on import, about httpx,
    # which the lowest Starlette release qaimpact supports needs: it says nothing about qaimpact.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    # The lowest Starlette names anyio.abc.BlockingPortal, which the newest anyio deprecates.
    warnings.filterwarnings("ignore", message="The anyio.abc.BlockingPortal alias is deprecated")
    from starlette.testclient import TestClient

from qaimpact.frameworks.registry import Registry, bundled_dir
from qaimpact.web.app import ServeConfig, create_app

#: The same warning, should a later Starlette give it again when a client is made.
HTTPX_WARNING = "ignore:Using `httpx` with `starlette.testclient`"
WEB_STANDARDS = DATA / "web" / "standards"
HOST = "testserver"

CAFCASS: dict[str, str | list[str]] = {
    "audit_id": "QA-2026-0501",
    "case.ecms_number": "ECMS-0099001",
    "case.law_type": "private",
    "case.area_of_work": "Section 7 report",
    "practitioner": "Noor Castellanos",
    "team": "South West",
    "reviewer": "Idris Wainwright",
    "review_date": "2026-11-02",
    "impact.child_seen.rating": "good",
    "impact.child_seen.seen": "true",
    "impact.child_seen.seen_alone": "true",
    "impact.child_seen.evidence": "Seen alone at school; her words are quoted in the report.",
    "impact.child_experience.rating": "good",
    "impact.child_experience.evidence": "Daily life and friendships described.",
    "impact.enabled_to_choose.rating": "good",
    "impact.enabled_to_choose.evidence": "Choices offered about where to meet.",
    "impact.impact_analysis.rating": "good",
    "impact.impact_analysis.evidence": "Clear analysis of the impact of the dispute.",
    "compliance.case_recording.rating": "good",
    "compliance.case_recording.evidence": "Recording up to date.",
    "compliance.case_planning.rating": "met",
    "compliance.case_planning.evidence": "Plan written late.",
    "compliance.tools_uploaded.rating": "good",
    "compliance.tools_uploaded.evidence": "Tools saved and summarised.",
    "compliance.report_quality.rating": "good",
    "compliance.report_quality.evidence": "Child-centred and succinct.",
    "domains.safe.indicators": ["safe_recommendations", "risk_analysis"],
    "domains.safe.comment": "Safe recommendation.",
    "learning_actions.compliance_with_policy.points": ["case_planning"],
    "learning_actions.compliance_with_policy.comment": "Write the plan within 10 days.",
    "immediate_safeguarding_actions.required": "false",
    "added_value": ["child_voice_raised"],
    "overall_grade": "good",
    "rationale": "Impact good throughout; planning to improve.",
}

CCC: dict[str, str | list[str]] = {
    "audit_id": "CFA-2026-0777",
    "audit_type": "case_file",
    "case.case_reference": "LCS-990011",
    "case.team": "Fenland Child in Need 1",
    "case.child_in_care": "false",
    "practitioner": "Tobias Achterberg",
    "team_manager": "Wren Abernathy",
    "reviewer": "Hollis Kapoor",
    "review_date": "2026-11-05",
    "period_reviewed.from": "2026-05-01",
    "period_reviewed.to": "2026-10-31",
    # The council's framework requires evidence for every rating below outstanding (QA317).
    **{
        f"practice_standards.{s}.{key}": value
        for key, value in (("rating", "good"), ("evidence", "Seen on the file."))
        for s in (
            "risk_management",
            "assessment",
            "visits_and_direct_work",
            "lived_experience",
            "identity_and_relationships",
            "multi_agency_working",
            "case_recording",
        )
    },
    "practice_standards.planning.rating": "requires_improvement",
    "practice_standards.planning.evidence": "Plan has no owners or dates.",
    "practice_standards.management_oversight.rating": "good",
    "practice_standards.management_oversight.evidence": "Supervision notes monthly.",
    "practice_standards.children_in_care.rating": "not_applicable",
    "remedial_actions.0.action": "Rewrite the plan as SMART with owners and dates.",
    "remedial_actions.0.owner": "Tobias Achterberg",
    "remedial_actions.0.due": "2026-11-19",
    "remedial_actions.0.status": "open",
    "feedback.child": 'Said the worker "comes when she says".',
    "overall_judgement": "requires_improvement",
    "rationale": "Planning must improve to be good.",
}

HOME_VISITS: dict[str, str | list[str]] = {
    "audit_id": "HV-2027-0001",
    "audit_type": "routine",
    "case.case_reference": "HV-55",
    "case.visits_due": "6",
    "case.looked_after": "false",
    "case.setting": "home",
    "practitioner": "Ilse Marchetti",
    "supervisor": "Owen Delacroix",
    "reviewer": "Farah Lindqvist",
    "review_date": "2026-11-10",
    "last_supervision": "2026-10-20",
    "period.from": "2026-05-01",
    "period.to": "2026-10-31",
    "visits.on_time.rating": "sound",
    "visits.on_time.seen_alone": "true",
    "visits.on_time.evidence": "All six visits on time.",
    "visits.placement_visits.rating": "not_applicable",
    "domains.safe.indicators": ["plan_followed"],
    "urgent_actions.required": "false",
    "added_value": ["safer"],
}


def registry(*extra: Path) -> Registry:
    """The bundled frameworks, with further standards folders searched first."""
    return Registry([*extra, bundled_dir()])


@dataclass
class Session:
    """A browser that opened serve's printed address: it holds the cookie and the CSRF token."""

    client: TestClient
    csrf: str
    folder: Path

    def get(self, url: str, **kwargs: Any) -> Any:
        """GET a page."""
        return self.client.get(url, **kwargs)

    def post(self, url: str, values: dict[str, Any], op: str = "check", **kwargs: Any) -> Any:
        """POST the form with these values, as the browser sends it."""
        return send(self.client, url, form_pairs(values, op=op, csrf=self.csrf), **kwargs)


def send(
    client: TestClient,
    url: str,
    pairs: list[tuple[str, str]],
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> Any:
    """POST fields as a browser's form does (application/x-www-form-urlencoded)."""
    sent = {"content-type": "application/x-www-form-urlencoded", **(headers or {})}
    return client.post(url, content=urlencode(pairs), headers=sent, **kwargs)


def form_pairs(
    values: dict[str, Any], *, op: str, csrf: str | None, base: str | None = None
) -> list[tuple[str, str]]:
    """The fields a browser sends: one pair per value, several for ticked checkboxes."""
    pairs: list[tuple[str, str]] = []
    if csrf is not None:
        pairs.append(("csrf", csrf))
    pairs.append(("op", op))
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return pairs


def signed_in(
    folder: Path, *standards: Path, token: str = "the-printed-key", drafts: Path | None = None
) -> Session:
    """A client that opened the printed address, as a person does first."""
    config = ServeConfig(
        folder, registry(*standards), frozenset({HOST}), token=token, today=TODAY, drafts=drafts
    )
    client = TestClient(create_app(config), base_url=f"http://{HOST}")
    client.get(f"/?token={token}")
    page = client.get("/new/cafcass-qiam-2017")
    return Session(client, csrf_of(page.text), folder)


def csrf_of(html: str) -> str:
    """The CSRF token a page's form carries."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def base_of(html: str) -> str:
    """The fingerprint of the opened file that an edit form carries."""
    found = re.search(r'name="base" value="([^"]*)"', html)
    assert found, "the page has no base"
    return found.group(1)


def comment_lines(text: str) -> list[str]:
    """Every comment in a YAML text, as written (stripped of the indentation before it)."""
    return [
        line[line.index("#") :].strip() for line in text.splitlines() if "#" in line and _is_comment(line)
    ]


def _is_comment(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("#") or "  #" in line


def without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    """The answers with some left out."""
    return {k: v for k, v in values.items() if k not in names}


def texts(items: Iterable[Any]) -> list[str]:
    """Items as text."""
    return [str(i) for i in items]


class Server:
    """qaimpact serve's application run by uvicorn, as ``qaimpact serve`` runs it, on a free port
    of 127.0.0.1, in a thread, for one test (a browser's, or a raw socket's)."""

    def __init__(self, folder: Path, *standards: Path) -> None:
        import socket

        import uvicorn

        from qaimpact.web.app import ServeConfig, create_app, serve_hosts

        self.folder = folder
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.config = ServeConfig(
            folder, registry(*standards), serve_hosts("127.0.0.1", self.port), today=TODAY
        )
        self.server = uvicorn.Server(uvicorn.Config(create_app(self.config), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.server.started, "the server did not start"

    @property
    def address(self) -> str:
        """The address serve prints, with its one-time key."""
        return f"http://127.0.0.1:{self.port}/?token={self.config.token}"

    def url(self, path: str) -> str:
        """A page of the server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


class _Submitted(HTMLParser):
    """The fields a browser sends for the form of a page, as the page holds them: each text and
    hidden input's value, each ticked radio button and checkbox, each select's chosen option,
    each text area's text (buttons left out: the caller adds its ``op``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._area: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button"):
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            self.pairs.append((name, a.get("value", "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.pairs.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._area, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._area is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._area is not None:
            self.pairs.append((self._area, "".join(self._text).removeprefix("\n")))
            self._area = None


def submitted(html: str, op: str) -> list[tuple[str, str]]:
    """What a browser sends when the page's form is submitted unchanged with the button ``op``."""
    parser = _Submitted()
    parser.feed(html)
    return [*[p for p in parser.pairs if p[0] != "op"], ("op", op)]
