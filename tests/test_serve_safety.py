"""``qaimpact serve`` never saves an audit the reports would not count, and never hides a safety signal.

- an audit id another audit in the folder holds (QA704, ids compared ignoring case, spaces and
  dashes) is refused, at Save and in the live check, for a new audit, a draft and an edit;
- an audit id that names a file the reports skip (``*.narrative.yaml``, ``*.mapping.yaml``) is
  refused;
- an audit that cannot be graded yet still says that it will need escalating;
- a form of too many fields is refused as too large, not a crash.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlencode

import pytest
from markupsafe import escape

from conftest import EXAMPLES
from serve_support import (
    CAFCASS,
    CCC,
    HTTPX_WARNING,
    base_of,
    csrf_of,
    form_pairs,
    send,
    signed_in,
    submitted,
    without,
)

pytestmark = pytest.mark.filterwarnings(HTTPX_WARNING)

SERVICE = EXAMPLES / "service"
#: An inadequate council audit in the example service's folder.
TAKEN = "ccc/CFA-2026-0222.yaml"
#: What the form says beside the audit id when another audit holds it.
HELD = "An audit with this id is already in the folder: ccc/CFA-2026-0222.yaml."
#: A council audit whose ratings call for an escalation: Risk management inadequate.
INADEQUATE = {
    **CCC,
    "practice_standards.risk_management.rating": "inadequate",
    "practice_standards.risk_management.evidence": "No safety plan after the second referral.",
    "overall_judgement": "inadequate",
    "rationale": "Risk not managed.",
}


@pytest.fixture
def service(tmp_path):
    """A copy of the example service's audits folder (a folder of each framework's audits)."""
    audits = tmp_path / "audits"
    for name in ("ccc", "cafcass"):
        shutil.copytree(SERVICE / name, audits / name)
    return audits


@pytest.fixture
def session(service):
    return signed_in(service, drafts=service.parent / "drafts")


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# -- 1. An id another audit holds -------------------------------------------------------------------

SPELLINGS = ["CFA-2026-0222", "cfa-2026-0222", "Cfa20260222"]


@pytest.mark.parametrize("audit_id", SPELLINGS)
def test_a_new_audit_is_not_saved_under_an_id_another_audit_in_the_folder_holds(session, service, audit_id):
    before = _files(service)
    answers = {**INADEQUATE, "audit_id": audit_id}
    page = session.post("/new/ccc-practice-standards", answers, op="save", follow_redirects=False)
    assert page.status_code == 422
    assert str(escape(HELD)) in page.text
    assert "The audit was not saved: put right the problems listed, then save again." in page.text
    assert "No safety plan after the second referral." in page.text  # everything typed is kept
    assert _files(service) == before
    live = session.post("/new/ccc-practice-standards", answers, op="live").json()
    assert [f["message"] for f in live["fields"]["f-audit_id"]] == [HELD]
    assert str(escape(HELD)) in live["panel"]


def test_an_id_of_its_own_is_saved_and_validate_finds_no_duplicate(cli, session, service):
    saved = session.post(
        "/new/ccc-practice-standards",
        {**INADEQUATE, "audit_id": "CFA-2026-0901"},
        op="save",
        follow_redirects=False,
    )
    assert saved.status_code == 303
    run = cli("validate", service, "--today", "2026-11-30", expect=None)
    assert "QA704" not in run.stdout + run.stderr


def test_an_id_of_an_audit_of_another_framework_is_not_its_duplicate(session, service):
    # QA704 compares ids within a framework, as the reports count audits.
    answers = {**CAFCASS, "audit_id": "CFA-2026-0222"}
    saved = session.post("/new/cafcass-qiam-2017", answers, op="save", follow_redirects=False)
    assert saved.status_code == 303, saved.text[:3000]


@pytest.mark.parametrize("audit_id", ["CFA-2026-0222", "cfa 2026 0222"])
def test_an_edit_that_gives_an_audit_another_audits_id_is_not_saved(session, service, audit_id):
    session.post("/new/ccc-practice-standards", {**INADEQUATE, "audit_id": "CFA-2026-0901"}, op="save")
    path = service / "CFA-2026-0901.yaml"
    before = path.read_bytes()
    opened = session.get("/edit/CFA-2026-0901.yaml")
    assert str(escape(HELD)) not in opened.text
    answers = {**INADEQUATE, "audit_id": audit_id}
    pairs = [*form_pairs(answers, op="save", csrf=session.csrf), ("base", base_of(opened.text))]
    page = send(session.client, "/edit/CFA-2026-0901.yaml", pairs)
    assert page.status_code == 422
    assert str(escape(HELD)) in page.text
    assert path.read_bytes() == before
    live = send(session.client, "/edit/CFA-2026-0901.yaml", form_pairs(answers, op="live", csrf=session.csrf))
    assert [f["message"] for f in live.json()["fields"]["f-audit_id"]] == [HELD]


@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_an_id_naming_a_file_that_holds_another_id_is_a_problem_before_save(session, service, suffix):
    # Regression (a walkthrough): a file named CFA-2026-0960.yaml whose audit id was changed
    # inside holds no audit of that id, so the check passed, and then Save refused the name.
    renamed = (service / TAKEN).read_text("utf-8").replace("CFA-2026-0222", "CFA-2026-0961")
    (service / f"CFA-2026-0960{suffix}").write_text(renamed, "utf-8")
    before = _files(service)
    # The file there is named, with its own suffix (review: a .yml file was named as .yaml).
    message = (
        f"An audit file named CFA-2026-0960{suffix} is already in the folder. Open it from the list to "
        "change it, or give this audit another id."
    )
    answers = {**INADEQUATE, "audit_id": "CFA-2026-0960"}
    live = session.post("/new/ccc-practice-standards", answers, op="live").json()
    assert [f["message"] for f in live["fields"]["f-audit_id"]] == [message]
    page = session.post("/new/ccc-practice-standards", answers, op="save", follow_redirects=False)
    assert page.status_code == 422
    assert str(escape(message)) in page.text
    assert _files(service) == before


def test_an_audit_is_never_its_own_duplicate(session, service):
    page = session.get(f"/edit/{TAKEN}")
    assert page.status_code == 200
    assert "already in the folder" not in page.text


def test_a_new_draft_does_not_take_an_id_another_audit_holds(session, service):
    drafts = service.parent / "drafts"
    page = session.post(
        "/new/ccc-practice-standards", {**INADEQUATE, "audit_id": "cfa-2026-0222"}, op="draft"
    )
    assert page.status_code == 409
    assert str(escape(HELD)) in page.text
    assert (
        "The draft was not saved. A draft cannot take the id of an audit already in the folder "
        "(ccc/CFA-2026-0222.yaml): give this audit its own id, or open that audit from the list to "
        "change it."
    ) in page.text
    assert not drafts.exists() or _files(drafts) == []


@pytest.mark.parametrize(
    ("audit_id", "beside"),
    [
        ("CFA-2026-0222", HELD),
        (
            "CFA-2026-0960",
            "An audit file named CFA-2026-0960.yaml is already in the audits folder, so this draft "
            "cannot take its name. Give this audit another id, or open that audit from the list to "
            "change it.",
        ),
    ],
    ids=["id-held", "name-taken"],
)
def test_a_refused_draft_says_only_why_it_was_refused(session, service, audit_id, beside):
    # Regression (a walkthrough): a draft is kept unfinished, but the page refusing one listed
    # every box not yet filled in ("Team" is empty, ...) beside the one reason it was refused.
    renamed = (service / TAKEN).read_text("utf-8").replace("CFA-2026-0222", "CFA-2026-0961")
    (service / "CFA-2026-0960.yaml").write_text(renamed, "utf-8")
    answers = {"audit_id": audit_id, "practitioner": "Tobias Achterberg"}
    page = session.post("/new/ccc-practice-standards", answers, op="draft")
    assert page.status_code == 409
    assert str(escape(beside)) in page.text
    assert "is empty" not in page.text
    assert 'value="Tobias Achterberg"' in page.text  # everything typed is kept


def test_a_draft_is_not_saved_as_an_audit_under_an_id_another_audit_holds(session, service):
    drafts = service.parent / "drafts"
    half = without({**INADEQUATE, "audit_id": "CFA-2026-0902"}, "rationale")
    assert session.post("/new/ccc-practice-standards", half, op="draft").status_code == 200
    opened = session.get("/drafts/CFA-2026-0902.yaml")
    # Meanwhile, another audit of that id is saved (from another window, say).
    shutil.copy(service / TAKEN, service / "ccc" / "copy.yaml")
    (service / "ccc" / "copy.yaml").write_text(
        (service / TAKEN).read_text("utf-8").replace("CFA-2026-0222", "CFA-2026-0902"), "utf-8"
    )
    before = _files(service)
    pairs = [
        *form_pairs({**INADEQUATE, "audit_id": "CFA-2026-0902"}, op="save", csrf=session.csrf),
        ("base", base_of(opened.text)),
    ]
    page = send(session.client, "/drafts/CFA-2026-0902.yaml", pairs)
    assert page.status_code == 422
    assert "An audit with this id is already in the folder: ccc/copy.yaml." in page.text
    assert _files(service) == before
    assert _files(drafts) == [".gitignore", "CFA-2026-0902.yaml"]


def test_the_folder_is_read_again_only_where_a_file_changed(service, monkeypatch):
    from qaimpact.web.pages import FolderIds
    from qaimpact.web.store import AuditsFolder

    folder = AuditsFolder(service)
    ids = FolderIds(folder)
    assert ids.holder("ccc-practice-standards", "cfa-2026-0222") == TAKEN
    read = []
    original = AuditsFolder.read
    monkeypatch.setattr(AuditsFolder, "read", lambda self, rel: read.append(rel) or original(self, rel))
    assert ids.holder("ccc-practice-standards", "CFA-2026-0222") == TAKEN
    assert read == []
    text = (service / TAKEN).read_text("utf-8").replace("CFA-2026-0222", "CFA-2026-0999")
    (service / TAKEN).write_text(text + "# changed\n", "utf-8")
    assert ids.holder("ccc-practice-standards", "CFA-2026-0222") is None
    assert ids.holder("ccc-practice-standards", "CFA-2026-0999") == TAKEN
    assert read == [TAKEN]


def test_only_files_validate_reads_as_audits_hold_an_id(service):
    # A quarterly narrative, a link (never followed) and a hidden file are not audits to QA704.
    from qaimpact.web.pages import FolderIds
    from qaimpact.web.store import AuditsFolder

    text = (service / TAKEN).read_text("utf-8")
    for name in ("q3.narrative.yaml", ".hidden.yaml"):
        (service / name).write_text(text.replace("CFA-2026-0222", "CFA-2026-0950"), "utf-8")
    outside = service.parent / "outside.yaml"
    outside.write_text(text.replace("CFA-2026-0222", "CFA-2026-0951"), "utf-8")
    (service / "link.yaml").symlink_to(outside)
    ids = FolderIds(AuditsFolder(service))
    assert ids.holder("ccc-practice-standards", "CFA-2026-0950") is None
    assert ids.holder("ccc-practice-standards", "CFA-2026-0951") is None
    assert ids.holder("cafcass-qiam-2017", "CFA-2026-0222") is None
    assert ids.holder("ccc-practice-standards", "CFA-2026-0222") == TAKEN


# -- 2. An id that names a file the reports skip ----------------------------------------------------

SKIPPED = [
    (
        "CFA-2026-0901.narrative",
        "An audit id cannot end in .narrative: the audit would be saved as CFA-2026-0901.narrative.yaml, "
        "and names ending .narrative.yaml are the quarterly report's narratives, not audits: validate "
        "and every report skip them, so this audit would never be counted or escalated. Leave out the "
        "ending (for example QA-2026-0142).",
    ),
    (
        "CFA-2026-0901.mapping",
        "An audit id cannot end in .mapping: the audit would be saved as CFA-2026-0901.mapping.yaml, "
        "and names ending .mapping.yaml are import mappings, not audits: validate and every report "
        "skip them, so this audit would never be counted or escalated. Leave out the ending (for "
        "example QA-2026-0142).",
    ),
]


@pytest.mark.parametrize(("audit_id", "message"), SKIPPED, ids=["narrative", "mapping"])
def test_an_audit_id_naming_a_file_the_reports_skip_is_refused(session, service, audit_id, message):
    before = _files(service)
    answers = {**INADEQUATE, "audit_id": audit_id}
    page = session.post("/new/ccc-practice-standards", answers, op="save", follow_redirects=False)
    assert page.status_code == 422
    assert str(escape(message)) in page.text
    assert _files(service) == before
    live = session.post("/new/ccc-practice-standards", answers, op="live").json()
    assert [f["message"] for f in live["fields"]["f-audit_id"]] == [message]


# -- 3. A safety signal is never hidden behind an unrelated problem ---------------------------------

#: What the council's framework says of an inadequate audit, as the panel of a graded one says it.
CASE_ESCALATION = "Case escalation to Case responsible worker, Team manager and Head of Service: {why}."
NOT_YET = "When the problems are put right, this audit must be escalated:"


@pytest.mark.parametrize(
    ("answers", "why"),
    [
        # The ratings give Inadequate; only the team is missing, which no rule reads.
        (without(INADEQUATE, "case.team"), "the ratings give Inadequate"),
        # The reviewer's case: the team and the rating's evidence missing (2 problems).
        (
            without(INADEQUATE, "case.team", "practice_standards.risk_management.evidence"),
            "the ratings give Inadequate",
        ),
        # Ratings still to be given cannot undo "any standard rated inadequate": the grade is sure
        # however they are rated, with no grade recorded.
        (
            without(INADEQUATE, "case.team", "practice_standards.assessment.rating", "overall_judgement"),
            "the ratings give Inadequate",
        ),
        (
            without(
                INADEQUATE,
                *(
                    f"practice_standards.{s}.rating"
                    for s in ("assessment", "planning", "visits_and_direct_work")
                ),
                "overall_judgement",
            ),
            "the ratings give Inadequate",
        ),
        # Whether Children in care applies is not answered, so the grade the ratings give is not
        # sure: the recorded one is.
        (
            without({**CCC, "overall_judgement": "inadequate"}, "case.child_in_care"),
            "the auditor recorded Inadequate",
        ),
        # Recorded Inadequate while the ratings give Requires improvement: the most severe counts.
        (
            without({**CCC, "overall_judgement": "inadequate"}, "case.team"),
            "the auditor recorded Inadequate; the ratings give Requires improvement to be good",
        ),
        # Regression: whether Children in care applies is not answered, but Risk management, which
        # always applies, is rated inadequate: the ratings give Inadequate either way. The missing
        # answer, a field a rule reads, hid it.
        (without(INADEQUATE, "case.child_in_care", "overall_judgement"), "the ratings give Inadequate"),
        # Only Children in care is rated inadequate, and whether it applies is not answered: the
        # rating is the auditor's judgement, the most severe evidence the audit holds, so the form
        # says the escalation, and how it read the standard (tests/test_escalation_inapplicable.py).
        (
            without(
                {**CCC, "practice_standards.children_in_care.rating": "inadequate"},
                "case.child_in_care",
                "overall_judgement",
            ),
            "the ratings give Inadequate; 'Children in care' is rated Inadequate, so it was taken as "
            "applying, although 'case.child_in_care' is not given",
        ),
    ],
    ids=[
        "ratings",
        "reviewers-case",
        "rating-missing",
        "ratings-missing",
        "recorded",
        "recorded-over-ratings",
        "applicability-unanswered",
        "applicability-unanswered-rated-inadequate",
    ],
)
def test_an_escalation_is_shown_before_the_audit_can_be_graded(session, answers, why):
    live = session.post("/new/ccc-practice-standards", answers, op="live").json()
    assert "No grade yet: put right the" in live["panel"]
    assert NOT_YET in live["panel"]
    assert str(escape(CASE_ESCALATION.format(why=why))) in live["panel"]
    assert live["status"].startswith(
        "No grade yet. When the problems are put right, this audit must be escalated."
    )
    page = session.post("/new/ccc-practice-standards", answers, op="save")
    assert page.status_code == 422
    assert NOT_YET in page.text


@pytest.mark.parametrize(
    "answers",
    [
        # Nothing calls for an escalation.
        without(CCC, "case.team"),
        # Planning requires improvement and a rating is missing: rated inadequate, it would call
        # for an escalation, but it need not be, and the auditor recorded no grade.
        without(CCC, "case.team", "practice_standards.assessment.rating", "overall_judgement"),
    ],
    ids=["none", "grade-unsure"],
)
def test_no_escalation_is_said_that_is_not_sure(session, answers):
    live = session.post("/new/ccc-practice-standards", answers, op="live").json()
    assert "No grade yet" in live["panel"]
    assert "escalat" not in live["panel"]
    assert "escalat" not in live["status"]


# -- 4. Too many fields; a stale form ---------------------------------------------------------------


def test_a_form_of_too_many_fields_is_refused_as_too_large(session, service):
    before = _files(service)
    pairs = form_pairs(CAFCASS, op="save", csrf=session.csrf) + [("x", "")] * 20_001
    body = urlencode(pairs)
    assert len(body) < 1_000_000  # under the size limit: the count of fields is what is refused
    page = send(session.client, "/new/cafcass-qiam-2017", pairs)
    assert page.status_code == 413
    assert "The form sent more than serve accepts (20,000 fields); nothing was saved." in page.text
    assert _files(service) == before


STALE = (
    "This form is out of date (it was opened before serve was restarted, or in another session), so "
    "nothing was saved. Everything you typed is still in the form below: save it again."
)


def test_a_stale_new_form_comes_back_with_everything_typed(session, service):
    before = _files(service)
    answers = {**CCC, "audit_id": "CFA-2026-0903", "rationale": "Typed before the restart."}
    page = send(
        session.client, "/new/ccc-practice-standards", form_pairs(answers, op="save", csrf="old-token")
    )
    assert page.status_code == 403
    assert str(escape(STALE)) in page.text
    assert "Typed before the restart." in page.text
    assert 'value="CFA-2026-0903"' in page.text
    assert _files(service) == before
    # The page carries this session's token: saved again, it is saved.
    again = send(
        session.client,
        "/new/ccc-practice-standards",
        form_pairs(answers, op="save", csrf=csrf_of(page.text)),
        follow_redirects=False,
    )
    assert again.status_code == 303


def test_a_stale_edit_comes_back_with_its_changes_and_its_base(session, service):
    opened = session.get(f"/edit/{TAKEN}")
    base = base_of(opened.text)
    before = (service / TAKEN).read_bytes()
    pairs = [
        *form_pairs(
            {**INADEQUATE, "audit_id": "CFA-2026-0222", "rationale": "Changed."}, op="save", csrf="old"
        ),
        ("base", base),
        ("framework", "ccc-practice-standards"),
    ]
    page = send(session.client, f"/edit/{TAKEN}", pairs)
    assert page.status_code == 403
    assert str(escape(STALE)) in page.text
    assert "Changed." in page.text
    assert base_of(page.text) == base
    assert (service / TAKEN).read_bytes() == before


# A draft's deletion, and a form that names no framework serve knows.
@pytest.mark.parametrize("url", ["/drafts-delete/x.yaml", "/edit/x.yaml"])
def test_a_stale_form_that_is_not_an_audits_is_refused_as_before(session, url):
    page = send(session.client, url, [("csrf", "old"), ("op", "save"), ("base", "")])
    assert page.status_code == 403
    assert "Go back, reload the page and enter the changes again." in page.text


# -- 5. A page opened again is checked as its Check button checks it --------------------------------


def test_a_reopened_draft_of_a_new_audit_is_checked_as_a_new_audit(session, service):
    """Its audit id names the file it would be saved as: one the reports skip is a problem at once."""
    drafts = service.parent / "drafts"
    audit_id, message = SKIPPED[0]
    kept = session.post(
        "/new/ccc-practice-standards",
        {**INADEQUATE, "audit_id": audit_id},
        op="draft",
        follow_redirects=False,
    )
    assert kept.status_code == 303
    (name,) = [f for f in _files(drafts) if f != ".gitignore"]
    page = session.get(f"/drafts/{name}")
    assert page.status_code == 200
    assert str(escape(message)) in page.text


def test_a_reopened_draft_of_changes_is_checked_as_an_edit_of_its_audit(session, service):
    """Never its audit's duplicate, as the audit's own page is not."""
    # (test_an_audit_is_never_its_own_duplicate, for the audit's page)
    opened = session.get(f"/edit/{TAKEN}")
    pairs = [
        *form_pairs(
            {**INADEQUATE, "audit_id": "CFA-2026-0222", "rationale": "Changed."},
            op="draft",
            csrf=session.csrf,
        ),
        ("base", base_of(opened.text)),
        ("draft_base", ""),
    ]
    kept = send(session.client, f"/edit/{TAKEN}", pairs, follow_redirects=False)
    assert kept.status_code == 303
    page = session.get(kept.headers["location"].split("?")[0])
    assert page.status_code == 200
    assert "Draft of changes to ccc/CFA-2026-0222.yaml" in page.text
    assert "Changed." in page.text
    assert "already in the folder" not in page.text


# -- 4. What the file says is kept when the form cannot offer it -----------------------------------


@pytest.mark.parametrize("op", ["check", "live", "draft"])
def test_a_rating_that_is_none_of_the_choices_stays_chosen_and_its_escalation_shown(session, service, op):
    # Regression (a walkthrough): a rating written as its label ('Inadequate') ticked no radio
    # button, so the first check, live or not, read it as not rated, and the escalation it calls
    # for vanished; a draft saved it as null.
    audit = service / "ccc" / "CFA-2026-0985.yaml"
    text = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text("utf-8")
    assert "  risk_management:\n    rating: good " in text
    audit.write_text(
        text.replace("audit_id: CFA-2026-0311", "audit_id: CFA-2026-0985").replace(
            "  risk_management:\n    rating: good ", "  risk_management:\n    rating: Inadequate ", 1
        ),
        "utf-8",
    )
    opened = session.get("/edit/ccc/CFA-2026-0985.yaml")
    assert opened.status_code == 200
    assert "Inadequate (not one of the choices)" in opened.text
    pairs = submitted(opened.text, op)
    assert ("practice_standards.risk_management.rating", "Inadequate") in pairs
    answer = send(session.client, "/edit/ccc/CFA-2026-0985.yaml", pairs, follow_redirects=False)
    if op == "draft":
        assert answer.status_code == 303
        [draft] = (service.parent / "drafts").rglob("CFA-2026-0985.yaml")
        assert "rating: Inadequate" in draft.read_text("utf-8")
        return
    shown = answer.json()["panel"] if op == "live" else answer.text
    assert "must be escalated" in shown
    assert "Rating&#34; is empty" not in shown
    assert '"Risk management: Rating" is empty' not in shown


def test_a_grade_written_as_words_gets_a_hint_in_the_form_s_words(session, service):
    # Regression (a walkthrough): the form turned every id into its label, the one it quoted too:
    # "... but the file uses its id: Requires improvement to be good. Use one of: outstanding,
    # good, Requires improvement to be good, inadequate."
    audit = service / "ccc" / "CFA-2026-0986.yaml"
    text = (EXAMPLES / "ccc-cfa-2026-0311.yaml").read_text("utf-8")
    audit.write_text(
        re.sub(
            r"^overall_judgement: .*$", "overall_judgement: requires improvement", text, flags=re.M
        ).replace("audit_id: CFA-2026-0311", "audit_id: CFA-2026-0986"),
        "utf-8",
    )
    opened = session.get("/edit/ccc/CFA-2026-0986.yaml")
    live = send(session.client, "/edit/ccc/CFA-2026-0986.yaml", submitted(opened.text, "check"))
    assert (
        str(
            escape(
                "Did you mean 'Requires improvement to be good'? Choose it in the list. Choose one of: "
                "Outstanding, Good, Requires improvement to be good, Inadequate."
            )
        )
        in live.text
    )
    assert "uses its id" not in live.text
