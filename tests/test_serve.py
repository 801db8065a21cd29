"""``qaimpact serve`` through Starlette's TestClient: the form, saves, edits, conflicts and security.

The browser tests (test_serve_browser.py) drive the same pages in Chromium; these drive them as
HTTP, with hostile input where security is concerned.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys

import pytest
import yaml
from markupsafe import escape

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.base.loader import load_bytes
from serve_support import (
    CAFCASS,
    CCC,
    HOME_VISITS,
    HOST,
    HTTPX_WARNING,
    WEB_STANDARDS,
    base_of,
    comment_lines,
    csrf_of,
    form_pairs,
    registry,
    send,
    signed_in,
    without,
)

pytestmark = pytest.mark.filterwarnings(HTTPX_WARNING)

from starlette.testclient import TestClient  # noqa: E402

from qaimpact.web.app import ServeConfig, create_app  # noqa: E402
from qaimpact.web.form import form_for  # noqa: E402


@pytest.fixture
def folder(tmp_path):
    audits = tmp_path / "audits"
    audits.mkdir()
    return audits


@pytest.fixture
def session(folder):
    return signed_in(folder)


def _saved(folder, name):
    path = folder / name
    assert path.exists(), f"{name} was not saved: {sorted(p.name for p in folder.iterdir())}"
    return path


# -- Filling in and saving -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "answers", "file", "grade_label"),
    [
        ("cafcass-qiam-2017", CAFCASS, "QA-2026-0501.yaml", "Good"),
        ("ccc-practice-standards", CCC, "CFA-2026-0777.yaml", "Requires improvement to be good"),
    ],
    ids=["cafcass", "council-with-remedial-action"],
)
def test_a_filled_form_saves_a_file_every_command_reads(
    cli, session, folder, framework, answers, file, grade_label
):
    checked = session.post(f"/new/{framework}", answers, op="check")
    assert checked.status_code == 200
    assert f'Grade: <span class="grade">{grade_label}</span>' in checked.text
    saved = session.post(f"/new/{framework}", answers, op="save", follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/edit/{file}?saved=1"
    path = _saved(folder, file)
    cli("validate", path, "--today", TODAY.isoformat())
    # Byte-identical to fmt's output: fmt finds nothing to change.
    fmt = cli("fmt", "--check", path, "--today", TODAY.isoformat())
    assert "already formatted" in fmt.stdout + fmt.stderr or fmt.exit_code == 0
    assert path.read_text("utf-8") == _fmt_text(path)
    graded = json.loads(cli("grade", path, "--format", "json", "--today", TODAY.isoformat()).stdout)
    assert graded[0]["grade_label"] == grade_label
    page = session.get(saved.headers["location"])
    assert f"Saved to {file}." in page.text


def _fmt_text(path):
    from qaimpact.audits.checker import CheckOptions
    from qaimpact.authoring.fmt import format_text

    text = path.read_text("utf-8")
    result = format_text(text, str(path), registry(), CheckOptions(today=TODAY))
    assert result.problems is None
    return result.new_text


def test_the_council_audit_keeps_its_remedial_action(session, folder):
    session.post("/new/ccc-practice-standards", CCC, op="save")
    data = yaml.safe_load(_saved(folder, "CFA-2026-0777.yaml").read_text("utf-8"))
    assert data["remedial_actions"] == [
        {
            "action": "Rewrite the plan as SMART with owners and dates.",
            "owner": "Tobias Achterberg",
            "due": __import__("datetime").date(2026, 11, 19),
            "status": "open",
        }
    ]
    assert "closed_on" not in _saved(folder, "CFA-2026-0777.yaml").read_text("utf-8")
    assert data["period_reviewed"] == {
        "from": __import__("datetime").date(2026, 5, 1),
        "to": __import__("datetime").date(2026, 10, 31),
    }


def test_add_another_action_keeps_what_was_typed(session):
    page = session.post("/new/ccc-practice-standards", CCC, op="add_action")
    assert 'name="remedial_actions.1.action"' in page.text
    assert "Rewrite the plan as SMART with owners and dates." in page.text


def test_an_invalid_audit_is_not_saved_and_every_answer_stays(session, folder):
    answers = without(CAFCASS, "practitioner", "impact.child_experience.rating")
    page = session.post("/new/cafcass-qiam-2017", answers, op="save")
    assert page.status_code == 422
    assert "The audit was not saved: put right the problems listed, then save again." in page.text
    assert list(folder.iterdir()) == []
    assert 'value="ECMS-0099001"' in page.text
    assert "Seen alone at school; her words are quoted in the report." in page.text


@pytest.mark.parametrize(
    ("how", "unsaved"),
    [("new form", False), ("opened audit", False), ("checked", True), ("save refused", True)],
)
def test_a_form_showing_answers_not_on_disk_is_marked_unsaved(session, folder, how, unsaved):
    # The script warns before leaving a form so marked, before anything is typed in it.
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yaml")
    page = {
        "new form": lambda: session.get("/new/cafcass-qiam-2017"),
        "opened audit": lambda: session.get("/edit/a.yaml"),
        "checked": lambda: session.post("/new/cafcass-qiam-2017", CAFCASS, op="check"),
        "save refused": lambda: session.post(
            "/new/cafcass-qiam-2017", without(CAFCASS, "practitioner"), op="save"
        ),
    }[how]()
    assert ('data-unsaved="yes"' in page.text) is unsaved


def test_a_rule_breaking_rating_shows_its_finding_beside_the_field(session):
    answers = {**CAFCASS, "impact.child_seen.seen": "false"}
    live = session.post("/new/cafcass-qiam-2017", answers, op="live").json()
    messages = [f["message"] for f in live["fields"]["f-impact-child_seen-rating"]]
    assert any("seen" in m.lower() for m in messages), messages
    # Without JavaScript, the page itself shows it in the field's error box, which the input names.
    page = session.post("/new/cafcass-qiam-2017", answers, op="check").text
    box = page.index('id="f-impact-child_seen-rating-error"')
    assert messages[0].split("'")[0] in page[box : box + 2000]
    assert 'aria-describedby="f-impact-child_seen-rating-error' in page


def test_each_finding_names_its_field_in_plain_words(session):
    live = session.post("/new/cafcass-qiam-2017", without(CAFCASS, "practitioner"), op="live").json()
    assert live["fields"]["f-practitioner"][0]["error"] is True
    assert live["status"] == "No grade yet. 1 problem to put right."


@pytest.mark.parametrize(
    ("framework", "answers", "field", "message", "hint"),
    [
        (
            "cafcass-qiam-2017",
            without(CAFCASS, "practitioner"),
            "f-practitioner",
            '"Practitioner" is empty.',
            "Fill it in.",
        ),
        (
            "ccc-practice-standards",
            without(CCC, "case.team"),
            "f-case-team",
            '"Team" is empty.',
            "Fill it in.",
        ),
        (
            "ccc-practice-standards",
            without(CCC, "practice_standards.planning.evidence"),
            "f-practice_standards-planning-rating",
            "'Planning' is rated requires improvement to be good but has no evidence.",
            'Write in the standard\'s "Evidence" box what on the file led to this rating: this '
            "framework asks for evidence of it.",
        ),
        (
            "cafcass-qiam-2017",
            without(CAFCASS, "compliance.case_planning.evidence"),
            "f-compliance-case_planning-rating",
            "'Case planning' is rated met but has no evidence.",
            'Write in the standard\'s "Evidence" box what on the file led to this rating.',
        ),
        (
            "ccc-practice-standards",
            {**CCC, "remedial_actions.0.status": "done"},
            "f-remedial_actions-0-status",
            'Remedial action 1 is marked done without "Done on" or "Evidence it was done".',
            'Add "Done on" (the date it was completed) and "Evidence it was done" (how completion was '
            "checked), or set its status back to Open.",
        ),
        (
            "ccc-practice-standards",
            {**CCC, "remedial_actions.0.due": "next week"},
            "f-remedial_actions-0-due",
            "\"Remedial action 1: Due by\" is not a valid date: 'next week'.",
            "Choose the date in the date box.",
        ),
        (
            "cafcass-qiam-2017",
            {**CAFCASS, "impact.child_seen.seen": "false"},
            "f-impact-child_seen-rating",
            "'Child seen and wishes and feelings' is rated good: A child who was not seen, with no "
            "defensible decision recorded, can only be rated requires improvement.",
            "Record the defensible decision for not seeing the child, or rate this standard "
            "Requires improvement.",
        ),
        (
            "cafcass-qiam-2017",
            {**CAFCASS, "immediate_safeguarding_actions.comment": "Tell the local authority today."},
            "f-immediate_safeguarding_actions-comment",
            "Immediate safeguarding actions are described, but not marked as required, so the audit is "
            "not escalated for them.",
            'If the child needs these actions to be safe now, answer "Yes" to immediate safeguarding '
            'actions; if no action is needed, clear "What must be done now".',
        ),
    ],
    ids=[
        "empty-field",
        "empty-case-field",
        "evidence-required",
        "no-evidence",
        "action-done-without-evidence",
        "action-key-in-words",
        "rule",
        "actions-described-not-required",
    ],
)
def test_findings_in_the_form_name_fields_and_ratings_as_the_form_does(
    session, framework, answers, field, message, hint
):
    """The auditor never sees the YAML: no data path, key or rating id in what the form says."""
    live = session.post(f"/new/{framework}", answers, op="live").json()
    (finding,) = [f for f in live["fields"][field] if f["message"] == message]
    assert finding["hint"] == hint


def test_an_escalation_is_stated_plainly(session):
    answers = {
        **CAFCASS,
        "immediate_safeguarding_actions.required": "true",
        "immediate_safeguarding_actions.comment": "Tell the local authority today.",
    }
    live = session.post("/new/cafcass-qiam-2017", answers, op="live").json()
    assert "This audit must be escalated" in live["panel"]
    assert "immediate safeguarding actions are required" in live["panel"]
    assert live["status"].endswith(". This audit must be escalated.")


def test_the_grade_shown_comes_with_its_rationale_and_lift(session):
    live = session.post("/new/cafcass-qiam-2017", CAFCASS, op="live").json()
    assert "<h3>Why</h3>" in live["panel"]
    assert "To reach Outstanding:" in live["panel"]


def test_a_recorded_grade_that_differs_is_pointed_out(session):
    answers = {**CAFCASS, "overall_grade": "outstanding"}
    live = session.post("/new/cafcass-qiam-2017", answers, op="live").json()
    assert "You recorded Outstanding; the ratings give Good." in live["panel"]
    assert live["fields"]["f-overall_grade"][0]["code"] == "QA402"


# -- A framework written only in YAML --------------------------------------------------------------


def test_a_third_framework_gets_its_form_with_no_code_change(cli, tmp_path):
    folder = tmp_path / "audits"
    folder.mkdir()
    session = signed_in(folder, WEB_STANDARDS)
    page = session.get("/new/home-visits-2027").text
    for name in (
        "case.visits_due",
        "case.looked_after",
        "case.setting",
        "last_supervision",
        "period.from",
        "period.to",
        "visits.on_time.seen_alone",
        "learning_actions.recording.points",
        "urgent_actions.required",
        "feedback.child",
        "remedial_actions.0.owner",
    ):
        assert f'name="{name}"' in page, name
    assert "Every visit was on time." in page  # each rating's descriptor beside its choice
    session.post("/new/home-visits-2027", HOME_VISITS, op="save")
    path = _saved(folder, "HV-2027-0001.yaml")
    cli("validate", "--standards", WEB_STANDARDS, path, "--today", TODAY.isoformat())
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["case"]["visits_due"] == 6
    assert data["case"]["looked_after"] is False


def test_the_learning_maximum_is_enforced(tmp_path):
    folder = tmp_path / "audits"
    folder.mkdir()
    session = signed_in(folder, WEB_STANDARDS)
    answers = {
        **HOME_VISITS,
        "learning_actions.recording.points": ["timely", "voice"],
        "visits.on_time.rating": "shaky",
    }
    assert session.post("/new/home-visits-2027", answers, op="live").json()["fields"] == {}
    form = form_for(registry(WEB_STANDARDS).get("home-visits-2027"))
    learning = next(s for s in form.sections if s.id == "learning_actions")
    assert learning.description == "Tick the critical learning points for the practitioner: up to 2 in all."


# -- Editing ---------------------------------------------------------------------------------------


def test_editing_keeps_comments_and_keys_the_form_does_not_show(session, folder):
    source = EXAMPLES / "cafcass-qa-2026-0142.yaml"
    shutil.copy(source, folder / source.name)
    moderated = folder / "moderated.yaml"
    moderated.write_text(
        source.read_text("utf-8")
        + "moderation:  # second look\n  moderator: Ines Ferreira\n  moderated_grade: good\n"
        "  moderated_on: 2026-11-01\n",
        "utf-8",
    )
    for name in (source.name, moderated.name):
        page = session.get(f"/edit/{name}")
        values = {
            **_values_of(name, folder),
            "impact.child_seen.rating": "met",
            "impact.child_seen.evidence": "Seen, but not alone.\nkey: value\n# not a comment",
        }
        done = send(
            session.client,
            f"/edit/{name}",
            [*form_pairs(values, op="save", csrf=session.csrf), ("base", base_of(page.text))],
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text[:3000]
        after = (folder / name).read_text("utf-8")
        for comment in comment_lines(source.read_text("utf-8")):
            assert comment in after, comment
        data = yaml.safe_load(after)
        assert data["impact"]["child_seen"]["rating"] == "met"
        assert data["impact"]["child_seen"]["evidence"] == "Seen, but not alone.\nkey: value\n# not a comment"
    assert "# second look" in moderated.read_text("utf-8")
    assert yaml.safe_load(moderated.read_text("utf-8"))["moderation"]["moderator"] == "Ines Ferreira"


def _values_of(name, folder):
    from qaimpact.base.loader import load_bytes
    from qaimpact.web.form import values_from_data

    data = load_bytes((folder / name).read_bytes(), name).data
    return values_from_data(form_for(registry().get(data["standards"])), data)


def test_saving_an_unchanged_audit_leaves_the_file_as_it_was(session, folder):
    shutil.copy(EXAMPLES / "ccc-cfa-2026-0311.yaml", folder / "a.yaml")
    before = (folder / "a.yaml").read_bytes()
    page = session.get("/edit/a.yaml")
    pairs = [
        *form_pairs(_values_of("a.yaml", folder), op="save", csrf=session.csrf),
        ("base", base_of(page.text)),
    ]
    assert send(session.client, "/edit/a.yaml", pairs, follow_redirects=False).status_code == 303
    assert (folder / "a.yaml").read_bytes() == before


def test_a_conflicting_save_is_refused_and_both_versions_are_shown(session, folder):
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yaml")
    page = session.get("/edit/a.yaml")
    theirs = (
        (folder / "a.yaml").read_text("utf-8").replace("reviewer: Daniel Okafor", "reviewer: Rosa Lindgren")
    )
    (folder / "a.yaml").write_text(theirs, "utf-8")
    mine = {**_values_of("a.yaml", folder), "reviewer": "Mateo Quispe"}
    pairs = [*form_pairs(mine, op="save", csrf=session.csrf), ("base", base_of(page.text))]
    refused = send(session.client, "/edit/a.yaml", pairs)
    assert refused.status_code == 409
    assert (folder / "a.yaml").read_text("utf-8") == theirs
    assert "was changed by someone else (or in another window) after you opened it" in refused.text
    row = refused.text[refused.text.index("People and dates: Reviewer") :][:300]
    assert "Rosa Lindgren" in row
    assert "Mateo Quispe" in row
    # Saving again from the refused page keeps the auditor's version, deliberately.
    again = [*form_pairs(mine, op="save", csrf=session.csrf), ("base", base_of(refused.text))]
    assert send(session.client, "/edit/a.yaml", again, follow_redirects=False).status_code == 303
    assert "reviewer: Mateo Quispe" in (folder / "a.yaml").read_text("utf-8")


def test_a_read_only_audit_is_not_saved_over(session, folder):
    shutil.copy(EXAMPLES / "ccc-cfa-2026-0311.yaml", folder / "a.yaml")
    before = (folder / "a.yaml").read_bytes()
    os.chmod(folder / "a.yaml", 0o444)
    page = session.get("/edit/a.yaml")
    mine = {**_values_of("a.yaml", folder), "reviewer": "Mateo Quispe"}
    pairs = [*form_pairs(mine, op="save", csrf=session.csrf), ("base", base_of(page.text))]
    refused = send(session.client, "/edit/a.yaml", pairs)
    assert refused.status_code == 403
    assert (
        "a.yaml is read-only, so your changes were not saved. Ask whoever looks after the audits "
        "folder to make it writable, then save again."
    ) in refused.text
    assert (folder / "a.yaml").read_bytes() == before


def test_a_change_in_the_instant_before_the_save_is_a_conflict(session, folder, monkeypatch):
    """The form's digest is checked first; the write itself checks again just before its rename."""
    from qaimpact.web import store

    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yaml")
    page = session.get("/edit/a.yaml")
    theirs = (folder / "a.yaml").read_text("utf-8").replace("Daniel Okafor", "Rosa Lindgren")
    real = store.write_file

    def editor_saves_first(path, text, **options):
        (folder / "a.yaml").write_text(theirs, "utf-8")
        return real(path, text, **options)

    monkeypatch.setattr(store, "write_file", editor_saves_first)
    mine = {**_values_of("a.yaml", folder), "reviewer": "Mateo Quispe"}
    pairs = [*form_pairs(mine, op="save", csrf=session.csrf), ("base", base_of(page.text))]
    refused = send(session.client, "/edit/a.yaml", pairs)
    assert refused.status_code == 409
    assert "was changed by someone else (or in another window) after you opened it" in refused.text
    assert (folder / "a.yaml").read_text("utf-8") == theirs


def test_a_new_audit_saved_by_someone_else_at_the_same_moment_is_kept(session, folder, monkeypatch):
    """Two auditors saving the same new audit at once: the second is refused, not written over
    the first, even when the first lands between the look for the name and the write."""
    from qaimpact.web import store

    real = store.write_file

    def other_request_saves_first(path, text, **options):
        (folder / "QA-2026-0501.yaml").write_text("# the other auditor's\n", "utf-8")
        return real(path, text, **options)

    monkeypatch.setattr(store, "write_file", other_request_saves_first)
    page = session.post("/new/cafcass-qiam-2017", CAFCASS, op="save")
    assert page.status_code == 409
    assert "An audit file named QA-2026-0501.yaml is already in the folder." in page.text
    assert (folder / "QA-2026-0501.yaml").read_text("utf-8") == "# the other auditor's\n"
    assert sorted(p.name for p in folder.iterdir()) == ["QA-2026-0501.yaml"]


def test_a_new_audit_never_replaces_a_file(session, folder):
    (folder / "QA-2026-0501.yaml").write_text("# someone else's\n", "utf-8")
    page = session.post("/new/cafcass-qiam-2017", CAFCASS, op="save")
    # The check finds the name taken before Save tries it (422, beside the audit id); a file
    # made in the instant between is a conflict (409: see the test of that moment below).
    assert page.status_code == 422
    assert "An audit file named QA-2026-0501.yaml is already in the folder." in page.text
    assert (folder / "QA-2026-0501.yaml").read_text("utf-8") == "# someone else's\n"


# -- The list ---------------------------------------------------------------------------------------


def test_the_list_shows_grades_validity_and_escalations_and_filters(session, folder):
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "broken.yaml").write_text("standards: cafcass-qiam-2017\naudit_id: QA-BROKEN\n", "utf-8")
    escalated = folder / "sub" / "escalated.yaml"
    escalated.parent.mkdir()
    escalated.write_text(
        (EXAMPLES / "cafcass-qa-2026-0142.yaml")
        .read_text("utf-8")
        .replace("required: false", "required: true\n  comment: Call the local authority.")
        .replace("QA-2026-0142", "QA-2026-0143"),
        "utf-8",
    )
    page = session.get("/").text
    assert "4 of 4 audit files in the folder." in page
    assert "QA-BROKEN" in page
    assert "Not valid</strong>: " in page
    assert "Needed: not raised" in page
    assert "Requires improvement to be good" in page
    assert "sub/escalated.yaml" in page
    only = session.get("/", params={"status": "escalation"}).text
    assert "1 of 4 audit files" in only
    assert "QA-2026-0143" in only
    found = session.get("/", params={"q": "priya"}).text
    assert "1 of 4 audit files" in found
    assert "CFA-2026-0311" in found
    invalid = session.get("/", params={"status": "invalid", "framework": "cafcass-qiam-2017"}).text
    assert "1 of 4 audit files" in invalid


AHEAD = DATA / "serve-ahead"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "QA-invalid-inadequate.yaml",
            "Case escalation to Case responsible worker, Team manager and Head of Service: the auditor "
            "recorded Inadequate; the ratings give Requires improvement to be good.",
        ),
        (
            "QA-unreadable-inadequate.yaml",
            "The file could not be read in full, but what could be read already needs escalating. Case "
            "escalation to Case responsible worker, Team manager and Head of Service: the auditor recorded "
            "Inadequate.",
        ),
    ],
)
def test_an_audit_with_errors_that_needs_escalating_whatever_they_are_is_listed_as_needing_it(
    session, folder, name, reason
):
    # As grade and every report say it: the list's escalation filter never leaves such a child out.
    shutil.copy(AHEAD / name, folder / name)
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "cafcass-qa-2026-0142.yaml")
    page = session.get("/").text
    assert "Not valid</strong>: " in page
    assert f'<strong class="bad">Needed: whatever its errors</strong><br>{escape(reason)}</td>' in page
    only = session.get("/", params={"status": "escalation"}).text
    assert "1 of 2 audit files" in only
    assert name in only
    # Filtered by its framework too, though YAML could not read the whole file.
    ccc = session.get("/", params={"status": "escalation", "framework": "ccc-practice-standards"}).text
    assert "1 of 2 audit files" in ccc
    assert name in ccc


# -- Security --------------------------------------------------------------------------------------


def _app(folder, token="the-printed-key"):
    config = ServeConfig(folder, registry(), frozenset({HOST}), token=token, today=TODAY)
    return TestClient(create_app(config), base_url=f"http://{HOST}")


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost:9999", ""])
def test_another_host_name_is_refused(folder, host):
    client = _app(folder)
    page = client.get("/?token=the-printed-key", headers={"host": host})
    assert page.status_code == 400
    assert "qaimpact serve only answers at the address it printed." in page.text
    assert "set-cookie" not in page.headers


@pytest.mark.parametrize("url", ["/", "/new", "/new/cafcass-qiam-2017", "/edit/a.yaml", "/nowhere"])
def test_every_page_needs_the_key(folder, url):
    page = _app(folder).get(url)
    assert page.status_code == 403
    assert "This page needs the address `qaimpact serve` printed" in page.text


def test_the_key_works_once_and_becomes_a_cookie(folder):
    client = _app(folder)
    first = client.get("/?token=the-printed-key", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/"
    cookie = first.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/" in cookie
    assert client.get("/").status_code == 200
    other = TestClient(client.app, base_url=f"http://{HOST}")
    again = other.get("/?token=the-printed-key")
    assert again.status_code == 403
    assert "The key in this address works once, and it was used already" in again.text
    assert TestClient(client.app, base_url=f"http://{HOST}").get("/?token=guess").status_code == 403


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"csrf": None}, 403, "This form is out of date"),
        ({"csrf": "forged"}, 403, "This form is out of date"),
        (
            {"origin": "http://evil.example"},
            403,
            "This change came from another web site, so it was refused.",
        ),
        ({"content-type": "application/json"}, 400, "Changes are sent as a form; this request was not one."),
        ({"content-type": "multipart/form-data; boundary=x"}, 400, "Changes are sent as a form"),
    ],
    ids=["no-csrf", "forged-csrf", "other-origin", "json", "multipart"],
)
def test_a_write_without_the_csrf_token_or_from_elsewhere_is_refused(
    session, folder, change, status, message
):
    csrf = change.get("csrf", session.csrf)
    headers = {k: v for k, v in change.items() if k != "csrf"}
    body = form_pairs(CAFCASS, op="save", csrf=csrf)
    page = send(session.client, "/new/cafcass-qiam-2017", body, headers=headers)
    assert page.status_code == status
    assert message in page.text
    assert list(folder.iterdir()) == []


def test_the_live_check_needs_the_csrf_header_or_field(session):
    body = form_pairs(CAFCASS, op="live", csrf=None)
    assert send(session.client, "/new/cafcass-qiam-2017", body).status_code == 403
    ok = send(session.client, "/new/cafcass-qiam-2017", body, headers={"x-csrf-token": session.csrf})
    assert ok.status_code == 200


def test_a_huge_form_is_refused(session, folder):
    page = session.post("/new/cafcass-qiam-2017", {**CAFCASS, "rationale": "x" * 1_100_000}, op="save")
    assert page.status_code == 413
    assert list(folder.iterdir()) == []


@pytest.fixture
def outside(tmp_path, folder):
    """A file outside the audits folder, and links to it planted inside."""
    secret = tmp_path / "secret.yaml"
    secret.write_text(
        (EXAMPLES / "cafcass-qa-2026-0142.yaml").read_text("utf-8").replace("Amira", "Zebedee"), "utf-8"
    )
    os.symlink(secret, folder / "link.yaml")
    os.symlink(tmp_path, folder / "linked")
    return secret


@pytest.mark.parametrize(
    "path",
    [
        "../secret.yaml",
        "..%2Fsecret.yaml",
        "%2E%2E/secret.yaml",
        "sub/../../secret.yaml",
        "%2Ftmp%2Fsecret.yaml",
        "link.yaml",
        "linked/secret.yaml",
        "secret.yaml%00.yaml",
        ".hidden.yaml",
        "..\\secret.yaml",
    ],
)
def test_nothing_outside_the_folder_is_read_or_written(session, outside, path):
    before = outside.read_bytes()
    page = session.get(f"/edit/{path}")
    assert page.status_code in (403, 404, 422)
    assert "Zebedee" not in page.text
    values = {**CAFCASS, "practitioner": "Overwritten"}
    pairs = [*form_pairs(values, op="save", csrf=session.csrf), ("base", "")]
    written = send(session.client, f"/edit/{path}", pairs)
    assert written.status_code in (403, 404, 409, 422)  # never a save
    assert outside.read_bytes() == before
    assert "Zebedee" not in session.get("/").text
    assert "link.yaml" in session.get("/").text  # listed as a link, not opened


ONLY = (
    "The audit id names the file, so it may hold only letters, digits and . _ - "
    "(for example QA-2026-0142); it holds "
)
ENDS = (
    "The audit id names the file, so it must start and end with a letter or a digit "
    "(for example QA-2026-0142)."
)
NOT_FILE_NAMES = [
    ("../../evil", ONLY + "'/'."),
    ("a/b", ONLY + "'/'."),
    ("x\x00y", ONLY + "an invisible character (U+0000)."),
    ("CFA 2026", ONLY + "a space."),
    (".hidden", ENDS),
    ("CFA-2026-", ENDS),
    ("/etc/passwd", ONLY + "'/'."),
    ("C:\\x", ONLY + "':'."),
    ("a..b", "The audit id names the file, so it may not hold two dots together (for example QA-2026-0142)."),
    (
        "Q" * 101,
        "The audit id names the file, so it may be at most 100 characters long; this one is 101.",
    ),
    (
        "QA-2026-0142.yml",
        "Leave out .yml from the audit id: the file is named from it, and .yaml is added (the audit "
        "would be saved as QA-2026-0142.yml.yaml; QA-2026-0142 is saved as QA-2026-0142.yaml).",
    ),
    # Review: the ending was looked at first, so each of these was told to leave out .yaml and
    # offered an id that is refused in turn, and an id of any length was repeated in full.
    (
        "X.narrative.yaml",
        "Leave out .yaml from the audit id: the file is named from it, and .yaml is added.",
    ),
    ("a b.yaml", ONLY + "a space."),
    ("x..yaml", "Leave out .yaml from the audit id: the file is named from it, and .yaml is added."),
    ("x.yaml.yaml", "Leave out .yaml from the audit id: the file is named from it, and .yaml is added."),
    (
        "Q" * 5000 + ".yaml",
        "The audit id names the file, so it may be at most 100 characters long; this one is 5005.",
    ),
    ("\u212a-2026-1", ONLY + "'\u212a' (U+212A)."),  # the Kelvin sign, not K
    (
        "QA-2026-0142.YAML",
        "Leave out .YAML from the audit id: the file is named from it, and .yaml is added (the audit "
        "would be saved as QA-2026-0142.YAML.yaml; QA-2026-0142 is saved as QA-2026-0142.yaml).",
    ),
]


@pytest.mark.parametrize(("audit_id", "message"), NOT_FILE_NAMES)
def test_an_audit_id_that_is_not_a_file_name_is_refused(session, folder, audit_id, message):
    # Regression (a walkthrough): every id was told "only letters, digits and . _ -", an id of 101
    # letters or ending in '-' too, and an id ending .yml was saved as ID.yml.yaml.
    page = session.post("/new/cafcass-qiam-2017", {**CAFCASS, "audit_id": audit_id}, op="save")
    assert page.status_code == 422
    assert str(escape(message)) in page.text
    live = session.post("/new/cafcass-qiam-2017", {**CAFCASS, "audit_id": audit_id}, op="live").json()
    assert [f["message"] for f in live["fields"]["f-audit_id"]] == [message]
    assert list(folder.rglob("*")) == []
    assert not (folder.parent / "evil.yaml").exists()


HOSTILE = [
    "key: value",
    "- a list item",
    "# not a comment",
    "yes",
    "null",
    "123",
    "2026-01-01",
    "'quoted' and \"double\"",
    "{{ 7*7 }} and {% raw %}",
    "<script>alert('x')</script>",
    "line one\nline two: with colon\n  indented\n- dash",
    "  leading spaces\nand a tab\there",
    "&amp; &lt;",
    "ends with a colon:",
    "@at ` backtick | pipe > greater",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_text_is_written_as_text_and_shown_as_text(session, folder, text):
    answers = {**CAFCASS, "impact.child_seen.evidence": text, "rationale": text}
    done = session.post("/new/cafcass-qiam-2017", answers, op="save", follow_redirects=False)
    assert done.status_code == 303, done.text[:2000]
    # Read as qaimpact reads audits (YAML 1.2: `yes` is text, as in every command).
    data = load_bytes(_saved(folder, "QA-2026-0501.yaml").read_bytes(), "a.yaml").data
    cleaned = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    assert data["impact"]["child_seen"]["evidence"] == cleaned
    page = session.get("/edit/QA-2026-0501.yaml").text
    assert str(escape(cleaned)) in page
    assert "<script>alert" not in page
    assert "49 and" not in page


def test_control_characters_pasted_into_text_are_dropped(session, folder):
    answers = {**CAFCASS, "rationale": "Bell\x07 and\x00 null\x1b[31m red"}
    session.post("/new/cafcass-qiam-2017", answers, op="save")
    data = yaml.safe_load(_saved(folder, "QA-2026-0501.yaml").read_text("utf-8"))
    assert data["rationale"] == "Bell and null[31m red"


def test_pages_forbid_scripts_and_styles_from_elsewhere(session):
    page = session.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["x-content-type-options"] == "nosniff"
    for asset in ("report.css", "form.css", "form.js"):
        assert session.get(f"/static/{asset}").status_code == 200
    assert session.get("/static/../app.py").status_code == 404
    assert "https://" not in session.get("/new/cafcass-qiam-2017").text


# -- Drafts ----------------------------------------------------------------------------------------

#: What an auditor has typed an hour in: the case and the first standards, no practitioner yet.
HALF_DONE = without(
    CAFCASS,
    "practitioner",
    "compliance.report_quality.rating",
    "compliance.report_quality.evidence",
    "overall_grade",
    "rationale",
)


@pytest.fixture
def drafts(folder):
    return folder.parent / ".qaimpact-drafts"


def _draft(session, answers, name):
    """Save a new audit as a draft; the address of the draft it made."""
    done = session.post("/new/cafcass-qiam-2017", answers, op="draft", follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/drafts/{name}?drafted=1"
    return done.headers["location"]


def _filled(values):
    return {k: v for k, v in values.items() if v not in ("", [])}


def test_a_draft_with_errors_is_kept_in_the_drafts_folder_and_nowhere_else(session, folder, drafts):
    from qaimpact.web.store import GITIGNORE

    page = session.get(_draft(session, HALF_DONE, "QA-2026-0501.yaml"))
    assert (
        "Saved as a draft: QA-2026-0501.yaml, in the drafts folder. It is not an audit yet, and no "
        "report counts it: save the audit once it is complete." in page.text
    )
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in drafts.iterdir()) == [".gitignore", "QA-2026-0501.yaml"]
    assert (drafts / ".gitignore").read_text("utf-8") == GITIGNORE
    assert GITIGNORE.splitlines()[-1] == "*"
    assert drafts.stat().st_mode & 0o077 == 0  # the owner's only
    # The form's YAML as it would be saved, errors and all.
    data = yaml.safe_load((drafts / "QA-2026-0501.yaml").read_text("utf-8"))
    assert data["standards"] == "cafcass-qiam-2017"
    assert data["case"]["ecms_number"] == "ECMS-0099001"
    assert not data.get("practitioner")


def test_a_reopened_draft_comes_back_with_every_answer(session, drafts):
    page = session.get(_draft(session, HALF_DONE, "QA-2026-0501.yaml"))
    assert page.status_code == 200
    assert 'value="ECMS-0099001"' in page.text
    assert "Seen alone at school; her words are quoted in the report." in page.text
    assert _filled(_values_of("QA-2026-0501.yaml", drafts)) == HALF_DONE
    assert 'data-unsaved="yes"' not in page.text
    assert '<button type="submit" name="op" value="draft">Save draft</button>' in page.text


def test_a_draft_without_an_id_is_named_after_the_time_and_never_replaces_another(session, drafts):
    first = session.post("/new/cafcass-qiam-2017", without(HALF_DONE, "audit_id"), op="draft")
    second = session.post("/new/cafcass-qiam-2017", {**HALF_DONE, "audit_id": "../../evil"}, op="draft")
    assert first.status_code == second.status_code == 200
    names = sorted(p.name for p in drafts.glob("*.yaml"))
    assert len(names) == 2
    for name in names:
        assert __import__("re").fullmatch(r"draft-\d{8}-\d{6}(-\d+)?\.yaml", name), name
    assert not (drafts.parent.parent / "evil.yaml").exists()


def test_the_list_shows_drafts_apart_from_the_audits(session, folder, drafts):
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yaml")
    assert "Drafts:" not in session.get("/").text
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    page = session.get("/").text
    assert "1 of 1 audit file in the folder." in page
    drafts_at = page.index('<h2 id="drafts-title">Drafts: not yet audits; not counted in any report</h2>')
    assert page.index('href="/edit/a.yaml"') < drafts_at
    assert page.index('<a href="/drafts/QA-2026-0501.yaml">QA-2026-0501</a>') > drafts_at
    assert 'href="/drafts-delete/QA-2026-0501.yaml"' in page
    assert ".gitignore" not in page


def test_a_draft_saved_again_keeps_the_changes_and_never_overwrites_another_version(session, drafts):
    opened = session.get(_draft(session, HALF_DONE, "QA-2026-0501.yaml"))
    base = base_of(opened.text)
    mine = {**HALF_DONE, "practitioner": "Noor Castellanos"}
    pairs = [*form_pairs(mine, op="draft", csrf=session.csrf), ("base", base)]
    again = send(session.client, "/drafts/QA-2026-0501.yaml", pairs, follow_redirects=False)
    assert again.status_code == 303
    assert _filled(_values_of("QA-2026-0501.yaml", drafts)) == mine
    # The same form sent again: the draft changed since it was opened, so it is not saved over.
    before = (drafts / "QA-2026-0501.yaml").read_bytes()
    pairs = [*form_pairs(HALF_DONE, op="draft", csrf=session.csrf), ("base", base)]
    stale = send(session.client, "/drafts/QA-2026-0501.yaml", pairs)
    assert stale.status_code == 409
    assert "was changed by someone else (or in another window)" in stale.text
    assert (drafts / "QA-2026-0501.yaml").read_bytes() == before


@pytest.mark.parametrize("where", ["audits", "drafts"])
def test_a_new_draft_never_takes_the_name_of_an_audit_or_a_draft(session, folder, drafts, where):
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    if where == "audits":
        (drafts / "QA-2026-0501.yaml").rename(folder / "QA-2026-0501.yaml")
        message = (
            "An audit file named QA-2026-0501.yaml is already in the audits folder, so this draft "
            "cannot take its name. Give this audit another id, or open that audit from the list to "
            "change it."
        )
    else:
        message = (
            "A draft named QA-2026-0501.yaml is already in the drafts folder. Open it from the list "
            "of drafts to go on with it, or give this audit another id."
        )
    before = (folder if where == "audits" else drafts).joinpath("QA-2026-0501.yaml").read_bytes()
    page = session.post("/new/cafcass-qiam-2017", {**HALF_DONE, "practitioner": "X"}, op="draft")
    assert page.status_code == 409
    assert str(escape(message)) in page.text
    assert "The draft was not saved." in page.text
    assert (folder if where == "audits" else drafts).joinpath("QA-2026-0501.yaml").read_bytes() == before
    assert sorted(p.name for p in drafts.glob("*.yaml")) == (
        [] if where == "audits" else ["QA-2026-0501.yaml"]
    )


def test_a_completed_draft_saved_as_an_audit_is_written_and_its_draft_deleted(cli, session, folder, drafts):
    opened = session.get(_draft(session, HALF_DONE, "QA-2026-0501.yaml"))
    pairs = [*form_pairs(CAFCASS, op="save", csrf=session.csrf), ("base", base_of(opened.text))]
    saved = send(session.client, "/drafts/QA-2026-0501.yaml", pairs, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/edit/QA-2026-0501.yaml?saved=1&draft=removed"
    path = _saved(folder, "QA-2026-0501.yaml")
    assert path.read_text("utf-8") == _fmt_text(path)  # as Save writes it
    cli("validate", path, "--today", TODAY.isoformat())
    assert list(drafts.glob("*.yaml")) == []
    page = session.get(saved.headers["location"]).text
    assert "Saved to QA-2026-0501.yaml. Its draft was deleted." in page
    assert "Drafts:" not in session.get("/").text


def test_an_incomplete_draft_is_not_saved_as_an_audit_and_stays_a_draft(session, folder, drafts):
    opened = session.get(_draft(session, HALF_DONE, "QA-2026-0501.yaml"))
    before = (drafts / "QA-2026-0501.yaml").read_bytes()
    pairs = [*form_pairs(HALF_DONE, op="save", csrf=session.csrf), ("base", base_of(opened.text))]
    page = send(session.client, "/drafts/QA-2026-0501.yaml", pairs)
    assert page.status_code == 422
    assert (
        "The audit was not saved: put right the problems listed, then save again. To stop for now, "
        "save it as a draft." in page.text
    )
    assert list(folder.iterdir()) == []
    assert (drafts / "QA-2026-0501.yaml").read_bytes() == before


def test_a_draft_is_deleted_only_with_the_form_of_this_session(session, drafts):
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    confirm = session.get("/drafts-delete/QA-2026-0501.yaml")
    assert "Delete the draft QA-2026-0501.yaml?" in confirm.text
    assert csrf_of(confirm.text) == session.csrf
    base = base_of(confirm.text)
    url = "/drafts-delete/QA-2026-0501.yaml"
    for pairs, status in [
        ([("base", base)], 403),  # no CSRF token
        ([("csrf", "forged"), ("base", base)], 403),
        ([("csrf", session.csrf), ("base", "0" * 64)], 409),  # not the draft as it is now
    ]:
        assert send(session.client, url, pairs).status_code == status
        assert (drafts / "QA-2026-0501.yaml").exists()
    other_site = send(
        session.client,
        url,
        [("csrf", session.csrf), ("base", base)],
        headers={"origin": "http://evil.example"},
    )
    assert other_site.status_code == 403
    assert session.client.get(url).status_code == 200  # a GET only asks
    done = send(session.client, url, [("csrf", session.csrf), ("base", base)], follow_redirects=False)
    assert done.status_code == 303
    assert not (drafts / "QA-2026-0501.yaml").exists()
    listing = session.get(done.headers["location"]).text
    assert "The draft was deleted." in listing
    assert "Drafts:" not in listing


@pytest.mark.parametrize("where", ["/edit", "/drafts"])
@pytest.mark.parametrize(
    "path", ["a" * 300 + ".yaml", "/".join(["x" * 200] * 30) + "/a.yaml", "cafcass-qa-2026-0142.yaml/a.yaml"]
)
def test_a_name_no_file_can_have_is_not_found_not_an_error(session, folder, where, path):
    # Regression (a walkthrough): a name longer than the system allows (or a path through a
    # file) was a 500 with a traceback in the server's log.
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "cafcass-qa-2026-0142.yaml")
    page = session.get(f"{where}/{path}")
    assert page.status_code == 404
    assert "Cannot open that file" in page.text
    pairs = [*form_pairs({**CAFCASS}, op="save", csrf=session.csrf), ("base", "")]
    assert send(session.client, f"{where}/{path}", pairs).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "../secret.yaml",
        "..%2Fsecret.yaml",
        "%2E%2E/secret.yaml",
        "../audits/a.yaml",
        "%2Ftmp%2Fsecret.yaml",
        "link.yaml",
        ".gitignore",
        ".hidden.yaml",
        "secret.yaml%00.yaml",
        "..\\secret.yaml",
    ],
)
def test_nothing_outside_the_drafts_folder_is_read_written_or_deleted(session, folder, drafts, path):
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    secret = folder.parent / "secret.yaml"
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", secret)
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yaml")
    (drafts / ".hidden.yaml").write_bytes(secret.read_bytes())
    os.symlink(secret, drafts / "link.yaml")
    files = {
        p: p.read_bytes() for p in (secret, folder / "a.yaml", drafts / ".gitignore", drafts / ".hidden.yaml")
    }
    base = __import__("hashlib").sha256(secret.read_bytes()).hexdigest()
    opened = session.get(f"/drafts/{path}")
    assert opened.status_code in (403, 404, 422)
    if path in (".gitignore", ".hidden.yaml"):  # hidden names are refused in the drafts folder too
        assert "That is not the name of a draft in the drafts folder." in opened.text
    assert session.get(f"/drafts-delete/{path}").status_code in (403, 404)
    for op in ("draft", "save"):
        pairs = [
            *form_pairs({**CAFCASS, "practitioner": "Overwritten"}, op=op, csrf=session.csrf),
            ("base", base),
        ]
        assert send(session.client, f"/drafts/{path}", pairs).status_code in (403, 404, 422)
    deleted = send(session.client, f"/drafts-delete/{path}", [("csrf", session.csrf), ("base", base)])
    assert deleted.status_code in (403, 404, 409)
    assert {p: p.read_bytes() for p in files} == files
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml"]


def test_validate_over_the_audits_folder_never_sees_the_drafts(cli, session, folder, drafts):
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yaml")
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    run = cli("validate", folder, "--today", TODAY.isoformat())
    assert "QA-2026-0501" not in run.stdout + run.stderr
    assert run.stdout == "Checked 1 file: no problems found.\n"


def test_drafts_go_to_the_folder_serve_was_given(tmp_path, folder):
    elsewhere = tmp_path / ".my-drafts"
    session = signed_in(folder, drafts=elsewhere)
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    assert sorted(p.name for p in elsewhere.iterdir()) == [".gitignore", "QA-2026-0501.yaml"]
    assert not (folder.parent / ".qaimpact-drafts").exists()


@pytest.mark.parametrize("inside", [".", "drafts", ".drafts"])
def test_serve_refuses_a_drafts_folder_inside_the_audits_folder(cli, folder, inside):
    run = cli("serve", "--audits", folder, "--drafts", folder / inside, expect=2)
    assert (
        "is inside the audits folder, where validate and the reports would read drafts as audits."
        in run.stderr
    )


def test_a_draft_changed_while_it_is_being_deleted_is_kept(tmp_path, monkeypatch):
    # The first look saw the draft as the page showed it; a change made just after is put back,
    # not deleted with it (found in review).
    from qaimpact.web.store import Conflict, DraftsFolder, digest

    folder = DraftsFolder(tmp_path / ".drafts")
    folder.ensure()
    (tmp_path / ".drafts" / "d.yaml").write_bytes(b"audit_id: QA-2026-0501\nteam: changed since\n")
    seen = b"audit_id: QA-2026-0501\n"
    monkeypatch.setattr(DraftsFolder, "read", lambda self, relative: seen)
    with pytest.raises(Conflict):
        folder.remove("d.yaml", digest(seen))
    assert sorted(p.name for p in (tmp_path / ".drafts").iterdir()) == [".gitignore", "d.yaml"]
    assert (tmp_path / ".drafts" / "d.yaml").read_bytes().endswith(b"team: changed since\n")


@pytest.mark.parametrize("around", ["..", "../.."])
def test_serve_refuses_a_drafts_folder_that_holds_the_audits_folder(cli, folder, around):
    # Its list of drafts would hold every audit, and "Delete draft" would delete an audit (a
    # regression found in review).
    run = cli("serve", "--audits", folder, "--drafts", folder / around, expect=2)
    assert "holds the audits folder, so its audits would be listed as drafts." in run.stderr


def test_serve_refuses_a_drafts_folder_that_validate_and_the_reports_would_read(cli, tmp_path, folder):
    # A visible folder beside the audits is read by `summary --audits` of the folder above them.
    run = cli("serve", "--audits", folder, "--drafts", tmp_path / "drafts", expect=2)
    assert run.stderr == (
        f"error: The drafts folder '{tmp_path / 'drafts'}' must have a name that starts with a dot (such "
        "as '.drafts'), so that validate and the reports, which skip such folders, never read drafts as "
        "audits. Leave --drafts out to keep drafts in .qaimpact-drafts beside the audits folder.\n"
    )


def test_a_drafts_folder_given_with_files_in_it_gets_no_gitignore(tmp_path):
    # A .gitignore of "*" would keep someone's own files out of git: written only in a folder
    # serve made, or an empty one.
    from qaimpact.web.store import DraftsFolder

    given = tmp_path / ".given"
    given.mkdir()
    (given / "notes.txt").write_text("mine\n", encoding="utf-8")
    DraftsFolder(given).ensure()
    assert sorted(p.name for p in given.iterdir()) == ["notes.txt"]
    empty = tmp_path / ".empty"
    empty.mkdir()
    DraftsFolder(empty).ensure()
    assert sorted(p.name for p in empty.iterdir()) == [".gitignore"]


# -- Drafts of changes to an audit ----------------------------------------------------------------

#: An audit filed in a subfolder, and where the draft of changes to it is kept.
AUDIT = "2026/QA-2026-0142.yaml"
CHANGES = "edits/2026/QA-2026-0142.yaml"
GONE = (
    "The audit file 2026/QA-2026-0142.yaml is no longer in the audits folder: it was deleted or renamed "
    "after these changes were started, so they cannot be saved into it. The draft is kept. If the audit "
    "was deleted, press Save as a new audit to save the changes as a new audit file of that name. If it "
    "was renamed, do not: that would make a second audit with the same audit id, and the reports would "
    "count both. Open the audit from the list of audits by its new name instead, make the changes there "
    "with this draft open beside it, then delete the draft."
)


@pytest.fixture
def audit(folder):
    (folder / "2026").mkdir()
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / AUDIT)
    return folder / AUDIT


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def _hidden(html):
    """The digests a form page carries: its base, and the draft's or the audit's beside it."""
    return re.findall(r'name="(base|draft_base|audit_base)" value="([^"]*)"', html)


def _press(session, url, page, values, op, **kwargs):
    """Send the form of ``page`` with these values, as its button ``op`` does."""
    pairs = [*form_pairs(values, op=op, csrf=session.csrf), *_hidden(page.text)]
    return send(session.client, url, pairs, **kwargs)


def _mine(folder, **changes):
    """The audit's answers, with the auditor's changes (an empty text clears an answer)."""
    return {**_values_of(AUDIT, folder), **changes}


def _draft_changes(session, values):
    """Open the audit, change it and press Save draft; the address of the draft of changes."""
    page = session.get(f"/edit/{AUDIT}")
    done = _press(session, f"/edit/{AUDIT}", page, values, "draft", follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/drafts/{CHANGES}?drafted=1"
    return done.headers["location"]


def test_save_draft_keeps_an_audits_changes_in_the_drafts_folder_and_leaves_the_audit(
    session, folder, drafts, audit
):
    before = audit.read_bytes()
    page = session.get(f"/edit/{AUDIT}").text
    assert '<button type="submit" name="op" value="draft">Save draft</button>' in page
    assert (
        "To stop before you have finished, press <em>Save draft</em>: it keeps your changes, unchecked, "
        "in the drafts folder, and the audit file stays as it is until you save the audit." in page
    )
    unfinished = _mine(folder, practitioner="", reviewer="Mateo Quispe")
    opened = session.get(_draft_changes(session, unfinished)).text
    assert (
        "Saved as a draft: edits/2026/QA-2026-0142.yaml, in the drafts folder. The audit file "
        "2026/QA-2026-0142.yaml is as it was, and the reports count it as it was, until you save the audit."
        in opened
    )
    assert audit.read_bytes() == before
    assert sorted(p.relative_to(drafts).as_posix() for p in drafts.rglob("*")) == [
        ".gitignore",
        "edits",
        "edits/2026",
        CHANGES,
    ]
    # Unchecked, errors and all, with a record of the audit it changes and that audit as it was.
    data = yaml.safe_load((drafts / CHANGES).read_text("utf-8"))
    assert data["qaimpact_draft"] == {"edits": AUDIT, "base": _sha(before)}
    assert data["reviewer"] == "Mateo Quispe"
    assert not data["practitioner"]
    assert (drafts / "edits").stat().st_mode & 0o077 == 0  # the owner's only, as the drafts folder


def test_the_list_shows_a_draft_of_changes_as_changes_to_its_audit(session, folder, drafts, audit):
    _draft_changes(session, _mine(folder, reviewer="Mateo Quispe"))
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    page = session.get("/").text
    assert "1 of 1 audit file in the folder." in page
    assert "2 drafts, the latest first." in page
    assert '<a href="/drafts/edits/2026/QA-2026-0142.yaml">Changes to 2026/QA-2026-0142.yaml</a>' in page
    assert '<a href="/drafts/QA-2026-0501.yaml">QA-2026-0501</a>' in page
    assert 'href="/drafts-delete/edits/2026/QA-2026-0142.yaml"' in page
    # A draft of a new audit is as it was: no record of an audit.
    assert "qaimpact_draft" not in (drafts / "QA-2026-0501.yaml").read_text("utf-8")
    # The audit's own page points to the draft of changes to it.
    edit = session.get(f"/edit/{AUDIT}").text
    assert "There is a draft of changes to this audit, last saved " in edit
    assert (
        ': <a href="/drafts/edits/2026/QA-2026-0142.yaml">open the draft</a> to go on with those changes. '
        "<em>Save draft</em> here replaces that draft with this form." in edit
    )


def test_a_reopened_draft_of_changes_shows_them_and_keeps_its_audit_when_saved_again(
    session, folder, drafts, audit
):
    before = audit.read_bytes()
    unfinished = _mine(folder, practitioner="", reviewer="Mateo Quispe")
    _draft_changes(session, unfinished)
    page = session.get(f"/drafts/{CHANGES}")
    assert page.status_code == 200
    assert "<h1>Draft of changes to 2026/QA-2026-0142.yaml</h1>" in page.text
    assert (
        "This is a draft of changes to the audit <code>2026/QA-2026-0142.yaml</code>: that file stays as "
        "it was, and the reports count it as it was, until you save the audit." in page.text
    )
    assert 'value="Mateo Quispe"' in page.text
    assert _values_of(CHANGES, drafts) == unfinished
    assert ("audit_base", _sha(before)) in _hidden(page.text)
    assert 'data-unsaved="yes"' not in page.text
    more = {**unfinished, "practitioner": "Amira Hassan"}
    again = _press(session, f"/drafts/{CHANGES}", page, more, "draft", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"/drafts/{CHANGES}?drafted=1"
    data = yaml.safe_load((drafts / CHANGES).read_text("utf-8"))
    assert data["qaimpact_draft"] == {"edits": AUDIT, "base": _sha(before)}
    assert (data["practitioner"], data["reviewer"]) == ("Amira Hassan", "Mateo Quispe")
    assert audit.read_bytes() == before


def test_a_draft_of_changes_saved_as_the_audit_is_written_as_an_edit_and_deleted(
    cli, session, folder, drafts, audit
):
    source = audit.read_text("utf-8")
    _draft_changes(session, _mine(folder, practitioner="", reviewer="Mateo Quispe"))
    page = session.get(f"/drafts/{CHANGES}")
    done = _press(
        session,
        f"/drafts/{CHANGES}",
        page,
        _mine(folder, reviewer="Mateo Quispe"),
        "save",
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/edit/{AUDIT}?saved=1&draft=removed"
    text = audit.read_text("utf-8")
    assert yaml.safe_load(text)["reviewer"] == "Mateo Quispe"
    assert "qaimpact_draft" not in text
    for comment in comment_lines(source):
        assert comment in text, comment
    assert text == _fmt_text(audit)  # as Save writes it
    cli("validate", audit, "--today", TODAY.isoformat())
    assert sorted(p.name for p in drafts.iterdir()) == [".gitignore"]  # its folders went with it
    shown = session.get(done.headers["location"]).text
    assert "Saved to 2026/QA-2026-0142.yaml. Its draft was deleted." in shown
    assert "Drafts:" not in session.get("/").text


def test_a_draft_of_changes_with_errors_is_not_saved_into_the_audit(session, folder, drafts, audit):
    before = audit.read_bytes()
    _draft_changes(session, _mine(folder, practitioner="", reviewer="Mateo Quispe"))
    kept = (drafts / CHANGES).read_bytes()
    page = session.get(f"/drafts/{CHANGES}")
    refused = _press(session, f"/drafts/{CHANGES}", page, _mine(folder, practitioner=""), "save")
    assert refused.status_code == 422
    assert (
        "Your changes were not saved: put right the problems listed, then save again. To stop for now, "
        "save them as a draft." in refused.text
    )
    assert str(escape('"Practitioner" is empty.')) in refused.text
    assert audit.read_bytes() == before
    assert (drafts / CHANGES).read_bytes() == kept


def test_a_draft_of_changes_is_never_saved_over_a_change_made_to_the_audit_meanwhile(
    session, folder, drafts, audit
):
    mine = _mine(folder, reviewer="Mateo Quispe")
    _draft_changes(session, mine)
    theirs = audit.read_text("utf-8").replace("reviewer: Daniel Okafor", "reviewer: Rosa Lindgren")
    audit.write_text(theirs, "utf-8")
    kept = (drafts / CHANGES).read_bytes()
    page = session.get(f"/drafts/{CHANGES}")
    assert (
        "2026/QA-2026-0142.yaml was changed by someone else (or in another window) after these changes were "
        "started. Save the audit shows both versions side by side first: yours replaces theirs only if you "
        "then save again." in page.text
    )
    refused = _press(session, f"/drafts/{CHANGES}", page, mine, "save")
    assert refused.status_code == 409
    assert (
        "2026/QA-2026-0142.yaml was changed by someone else (or in another window) after you started these "
        "changes, so your version was not saved over theirs. Both versions are below; the draft is kept."
        in refused.text
    )
    assert audit.read_text("utf-8") == theirs
    assert (drafts / CHANGES).read_bytes() == kept
    row = refused.text[refused.text.index("People and dates: Reviewer") :][:300]
    assert "Rosa Lindgren" in row
    assert "Mateo Quispe" in row
    assert '<a href="/edit/2026/QA-2026-0142.yaml">open the audit</a> and delete this draft' in refused.text
    # Saving again from the page that showed both keeps the auditor's version, deliberately.
    again = _press(session, f"/drafts/{CHANGES}", refused, mine, "save", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"/edit/{AUDIT}?saved=1&draft=removed"
    assert "reviewer: Mateo Quispe" in audit.read_text("utf-8")
    assert not (drafts / CHANGES).exists()


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_a_draft_of_changes_to_an_audit_no_longer_there_is_kept_and_says_so(
    session, folder, drafts, audit, how
):
    mine = _mine(folder, reviewer="Mateo Quispe")
    _draft_changes(session, mine)
    if how == "renamed":
        audit.rename(folder / "2026" / "QA-2026-0142-moved.yaml")
    else:
        audit.unlink()
    there = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    kept = (drafts / CHANGES).read_bytes()
    page = session.get(f"/drafts/{CHANGES}")
    assert page.status_code == 200
    assert GONE in page.text
    refused = _press(session, f"/drafts/{CHANGES}", page, mine, "save")
    assert refused.status_code == 409
    assert "Your changes were not saved. " + GONE in refused.text
    assert 'value="Mateo Quispe"' in refused.text  # nothing typed is lost
    assert 'value="save_new" class="primary">Save as a new audit</button>' in refused.text
    assert (drafts / CHANGES).read_bytes() == kept
    assert {p: p.read_bytes() for p in folder.rglob("*.yaml")} == there


def test_saving_the_draft_of_an_audits_changes_again_replaces_it_and_only_the_one_seen(
    session, folder, drafts, audit
):
    opened_first = session.get(f"/edit/{AUDIT}")  # before any draft of changes
    _draft_changes(session, _mine(folder, reviewer="Mateo Quispe"))
    _draft_changes(session, _mine(folder, reviewer="Ines Ferreira"))
    assert sorted(p.relative_to(drafts).as_posix() for p in drafts.rglob("*.yaml")) == [CHANGES]
    assert yaml.safe_load((drafts / CHANGES).read_text("utf-8"))["reviewer"] == "Ines Ferreira"
    # A page opened before that draft was saved does not replace it unseen; pressing again does.
    kept = (drafts / CHANGES).read_bytes()
    late = _mine(folder, reviewer="Noor Castellanos")
    refused = _press(session, f"/edit/{AUDIT}", opened_first, late, "draft")
    assert refused.status_code == 409
    assert (
        "The draft was not saved: the draft of changes to 2026/QA-2026-0142.yaml was saved or deleted in "
        "another window after this page was opened. To keep what this form holds as that draft instead, "
        "press Save draft again." in refused.text
    )
    assert (drafts / CHANGES).read_bytes() == kept
    assert 'value="Noor Castellanos"' in refused.text
    again = _press(session, f"/edit/{AUDIT}", refused, late, "draft", follow_redirects=False)
    assert again.status_code == 303
    assert yaml.safe_load((drafts / CHANGES).read_text("utf-8"))["reviewer"] == "Noor Castellanos"
    assert sorted(p.relative_to(drafts).as_posix() for p in drafts.rglob("*.yaml")) == [CHANGES]


def test_validate_and_the_reports_never_read_drafts_of_changes(cli, session, folder, drafts, audit):
    _draft_changes(session, _mine(folder, practitioner="", reviewer="Mateo Quispe"))
    _draft(session, HALF_DONE, "QA-2026-0501.yaml")
    for where in (folder, folder.parent):  # the folder above holds the drafts folder too
        run = cli("validate", where, "--today", TODAY.isoformat())
        assert run.stdout == "Checked 1 file: no problems found.\n"
        summary = cli("summary", "--audits", where, "--format", "json", "--today", TODAY.isoformat())
        assert json.loads(summary.stdout)["audits"] == 1
        assert "Mateo Quispe" not in summary.stdout


NOT_AN_AUDIT = "That is not the name of an audit file in the audits folder."


@pytest.mark.parametrize(
    ("edits", "why"),
    [
        ("../secret.yaml", NOT_AN_AUDIT),
        ("/tmp/secret.yaml", NOT_AN_AUDIT),
        (".hidden.yaml", NOT_AN_AUDIT),
        (
            "link.yaml",
            "'link.yaml' goes through a link; serve never follows links, so that nothing outside the "
            "audits folder is read or written.",
        ),
        ("2026", "Only audit files (.yaml or .yml) can be opened here."),
    ],
    ids=["above", "absolute", "hidden", "link", "folder"],
)
def test_a_draft_of_changes_never_saves_into_a_file_outside_the_audits_folder(
    session, folder, drafts, audit, edits, why
):
    """A draft's record of its audit is a path like any the browser sends: checked before use."""
    secret = folder.parent / "secret.yaml"
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", secret)
    os.symlink(secret, folder / "link.yaml")
    (folder / ".hidden.yaml").write_bytes(secret.read_bytes())
    (drafts / "edits").mkdir(parents=True)
    record = {"qaimpact_draft": {"edits": edits, "base": _sha(secret.read_bytes())}}
    (drafts / CHANGES.replace("2026/", "")).write_text(
        yaml.safe_dump(record) + (EXAMPLES / "cafcass-qa-2026-0142.yaml").read_text("utf-8"), "utf-8"
    )
    files = {p: p.read_bytes() for p in (secret, audit, folder / ".hidden.yaml")}
    url = "/drafts/edits/QA-2026-0142.yaml"
    message = f"These changes cannot be saved into {edits}: {why} The draft is kept."
    page = session.get(url)
    assert page.status_code == 200
    assert str(escape(message)) in page.text
    refused = _press(session, url, page, _mine(folder, reviewer="Overwritten"), "save")
    assert refused.status_code == 409
    assert str(escape("Your changes were not saved. " + message)) in refused.text
    assert {p: p.read_bytes() for p in files} == files


@pytest.mark.parametrize(
    "body",
    [
        "standards: cafcass-qiam-2017\naudit_id: QA-2026-0142\n",
        "# An audit.\n# Two lines of comment.\nstandards: cafcass-qiam-2017  # which\naudit_id: QA-1\n",
        "---\nstandards: cafcass-qiam-2017\ncase:\n  team: A  # one\n# the end\n",
    ],
    ids=["plain", "comments-first", "document-start"],
)
@pytest.mark.parametrize(
    "audit_path", ["2026/QA-1.yaml", "a: b #c.yaml", "ü/QA 1.yml"], ids=["subfolder", "yaml-signs", "accents"]
)
def test_a_draft_of_changes_records_its_audit_and_gives_back_the_audit_as_written(body, audit_path):
    from qaimpact.web.store import EditOf, split_draft, with_edit

    edit = EditOf(audit_path, "0123456789" * 6 + "0123")
    assert split_draft(with_edit(body, edit)) == (body, edit)
    assert split_draft(body) == (body, None)
    assert with_edit(with_edit(body, EditOf("other.yaml", "abc")), edit) == with_edit(body, edit)


# -- The command -------------------------------------------------------------------------------


def test_serve_without_the_extra_says_how_to_install_it(cli, folder, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    run = cli("serve", "--audits", folder, expect=2)
    assert "pip install 'qaimpact[serve]'" in run.stderr


def test_serve_needs_an_existing_folder(cli, tmp_path):
    run = cli("serve", "--audits", tmp_path / "missing", expect=2)
    assert "The audits folder" in run.stderr
    assert "does not exist" in run.stderr


def test_validate_never_imports_the_web_stack():
    import subprocess

    code = (
        "import sys; from qaimpact.cli import app; "
        "from typer.testing import CliRunner; CliRunner().invoke(app, ['validate', '--help']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'qaimpact.web')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_pages_need_no_csrf_to_read_but_carry_it(session):
    assert csrf_of(session.get("/new/ccc-practice-standards").text) == session.csrf


def test_a_record_of_another_kind_is_listed_but_not_opened_in_the_form(session, folder):
    from conftest import DATA

    original = (DATA / "records" / "observation-ccc.yaml").read_bytes()
    (folder / "obs.yaml").write_bytes(original)
    listing = session.get("/").text
    assert "obs.yaml" in listing
    assert 'href="/edit/obs.yaml"' not in listing
    page = session.get("/edit/obs.yaml")
    assert page.status_code == 422
    assert (
        "It is a record of kind &#39;observation&#39;, not an audit, and the form edits audits only."
        in page.text
    )
    assert (folder / "obs.yaml").read_bytes() == original


def test_saving_keeps_the_theme_of_a_remedial_action_the_form_does_not_show(session, folder):
    # The form has no input for a remedial action's theme (issue 13): saving must not drop it.
    text = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text("utf-8")
    text = text.replace(
        "    status: open               # open | done\n",
        "    status: open               # open | done\n    theme: planning\n",
        1,
    )
    (folder / "a.yaml").write_text(text, "utf-8")
    page = session.get("/edit/a.yaml")
    mine = {**_values_of("a.yaml", folder), "remedial_actions.0.owner": "Gareth Lloyd"}
    pairs = [*form_pairs(mine, op="save", csrf=session.csrf), ("base", base_of(page.text))]
    assert send(session.client, "/edit/a.yaml", pairs, follow_redirects=False).status_code == 303
    saved = (folder / "a.yaml").read_text("utf-8")
    assert "    owner: Gareth Lloyd\n" in saved
    assert "    theme: planning\n" in saved


def test_mappings_and_narratives_are_not_listed_as_audits_with_errors(session, folder):
    # Regression (a walkthrough): validate and every report skip files named as import mappings
    # and quarterly narratives, but the list showed each as an audit with errors.
    shutil.copy(EXAMPLES / "import" / "tracker.mapping.yaml", folder / "tracker.mapping.yaml")
    (folder / "q3").mkdir()
    shutil.copy(EXAMPLES / "narratives" / "2026-Q3.narrative.yaml", folder / "q3" / "2026-Q3.narrative.yml")
    shutil.copy(EXAMPLES / "ccc-cfa-2026-0311.yaml", folder / "a.yaml")
    listing = session.get("/").text
    assert "1 of 1 audit file in the folder." in listing
    assert 'href="/edit/tracker.mapping.yaml"' not in listing
    assert (
        "Not listed, because <code>qaimpact validate</code> and every report skip them too: "
        "<code>q3/2026-Q3.narrative.yml</code> (names ending .narrative.yaml are the quarterly "
        "report&#39;s narratives), <code>tracker.mapping.yaml</code> (names ending .mapping.yaml are "
        "import mappings). An audit saved under such a name is never checked or counted: rename it."
    ) in listing
