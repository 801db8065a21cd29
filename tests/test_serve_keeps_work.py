"""``qaimpact serve`` never loses what an auditor typed: the form comes back with it, whatever
happened to the file behind the page (deleted, renamed, made read-only, broken by an editor), and
one draft never takes the place of another.

Through Starlette's TestClient, as test_serve.py drives the pages.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import threading
from urllib.parse import urlencode

import pytest
import yaml
from markupsafe import escape

from conftest import EXAMPLES
from qaimpact.base.loader import load_bytes
from qaimpact.web.form import form_for, values_from_data
from qaimpact.web.store import DraftsFolder
from serve_support import (
    CAFCASS,
    HOST,
    HTTPX_WARNING,
    Server,
    comment_lines,
    form_pairs,
    registry,
    send,
    signed_in,
    without,
)

pytestmark = pytest.mark.filterwarnings(HTTPX_WARNING)

#: An audit filed in a subfolder, and where the draft of changes to it is kept.
AUDIT = "2026/QA-2026-0142.yaml"
CHANGES = "edits/2026/QA-2026-0142.yaml"
#: A new audit, not finished, kept as a draft named after its id.
HALF_DONE = without(CAFCASS, "practitioner", "overall_grade", "rationale")


@pytest.fixture
def folder(tmp_path):
    audits = tmp_path / "audits"
    audits.mkdir()
    return audits


@pytest.fixture
def drafts(folder):
    return folder.parent / ".qaimpact-drafts"


@pytest.fixture
def session(folder):
    return signed_in(folder)


@pytest.fixture
def audit(folder):
    (folder / "2026").mkdir()
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / AUDIT)
    return folder / AUDIT


def _values_of(path, name):
    data = load_bytes(path.read_bytes(), name).data
    return values_from_data(form_for(registry().get(data["standards"])), data)


def _hidden(html):
    """The hidden fields a form page carries besides the CSRF token and the button."""
    return re.findall(
        r'<input type="hidden" name="(base|draft_base|audit_base|edits|framework)" value="([^"]*)"', html
    )


def _press(session, url, page, values, op, **kwargs):
    """Send the form of ``page`` with these values, as its button ``op`` does."""
    pairs = [*form_pairs(values, op=op, csrf=session.csrf), *_hidden(page.text)]
    return send(session.client, url, pairs, **kwargs)


def _files(where):
    return {p.relative_to(where).as_posix(): p.read_bytes() for p in where.rglob("*") if p.is_file()}


def _notice(page):
    found = re.search(r'<div class="alert" role="alert" id="notice">\n<p>(.*?)</p>', page.text, re.S)
    assert found, "the page has no notice"
    return found.group(1)


def _kept(page, values):
    """Every answer typed is in the form the page shows."""
    assert 'data-unsaved="yes"' in page.text
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if not item:
                continue
            shown = re.search(
                rf'name="{re.escape(name)}"[^>]*value="{re.escape(str(escape(item)))}"', page.text
            ) or re.search(
                rf'name="{re.escape(name)}"[^>]*>{re.escape(str(escape(item)))}</textarea>', page.text
            )
            assert shown or str(escape(item)) in page.text, f"{name}={item!r} is not in the form"


def _gone(audits_file: str) -> str:
    return (
        f"Your changes were not saved: the audit file {audits_file} is no longer in the audits folder "
        "(it was deleted or renamed after you opened it). Everything you typed is still in the form below."
    )


# -- An audit deleted or renamed while its page is open -------------------------------------------


def _remove(folder, audit, how):
    if how == "renamed":
        audit.rename(folder / "2026" / "QA-2026-0142-moved.yaml")
    else:
        audit.unlink()


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_an_audit_gone_before_save_keeps_every_change_and_says_what_to_do(
    session, folder, drafts, audit, how
):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe", "rationale": "Seen; <b>no</b> gaps."}
    _remove(folder, audit, how)
    there = _files(folder)
    refused = _press(session, f"/edit/{AUDIT}", page, mine, "save")
    assert refused.status_code == 409  # as a file changed meanwhile is
    assert _notice(refused) == _gone(AUDIT)
    assert (
        "To keep your changes, press <em>Save draft</em>: they are kept in the drafts folder as a draft "
        "of changes, and nothing else is saved. Or press <em>Save the audit</em> again to save them as a "
        "new audit file, <code>2026/QA-2026-0142.yaml</code>. If the audit was renamed, save a draft "
        "rather than a second copy of the audit, and make the changes in the renamed audit." in refused.text
    )
    _kept(refused, mine)
    assert ("base", "") in _hidden(refused.text)
    assert _files(folder) == there
    assert not drafts.exists()


@pytest.mark.parametrize("op", ["check", "add_action"])
def test_an_audit_gone_before_a_check_keeps_every_change(session, folder, audit, op):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    audit.unlink()
    shown = _press(session, f"/edit/{AUDIT}", page, mine, op)
    assert shown.status_code == 200
    assert _notice(shown).startswith(
        f"The audit file {AUDIT} is no longer in the audits folder (it was deleted or renamed after you "
        "opened it). Everything you typed is still in the form below"
    )
    _kept(shown, mine)
    # The page keeps the file's fingerprint as it was: Save shows that the file is gone first.
    assert _hidden(shown.text) == _hidden(page.text)
    live = _press(session, f"/edit/{AUDIT}", page, mine, "live")
    assert live.status_code == 200
    assert live.json()["status"].startswith("Grade: ")


def test_the_changes_to_an_audit_gone_are_kept_as_a_draft(session, folder, drafts, audit):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    audit.unlink()
    refused = _press(session, f"/edit/{AUDIT}", page, mine, "save")
    kept = _press(session, f"/edit/{AUDIT}", refused, mine, "draft", follow_redirects=False)
    assert kept.status_code == 303, kept.text
    assert kept.headers["location"] == f"/drafts/{CHANGES}?drafted=1"
    data = yaml.safe_load((drafts / CHANGES).read_text("utf-8"))
    assert data["reviewer"] == "Mateo Quispe"
    # The draft records that the audit was gone: it is never saved over a file of that name unseen.
    assert data["qaimpact_draft"] == {"edits": AUDIT, "base": ""}
    assert not audit.exists()


def test_the_changes_to_an_audit_gone_are_saved_as_a_new_file_when_saved_again(session, folder, audit):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    audit.unlink()
    refused = _press(session, f"/edit/{AUDIT}", page, mine, "save")
    saved = _press(session, f"/edit/{AUDIT}", refused, mine, "save", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/edit/{AUDIT}?saved=1"
    assert yaml.safe_load(audit.read_text("utf-8"))["reviewer"] == "Mateo Quispe"


def test_an_audit_back_again_before_the_second_save_is_not_saved_over(session, folder, audit):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    theirs = audit.read_text("utf-8").replace("reviewer: Daniel Okafor", "reviewer: Rosa Lindgren")
    audit.unlink()
    refused = _press(session, f"/edit/{AUDIT}", page, mine, "save")
    audit.write_text(theirs, "utf-8")
    again = _press(session, f"/edit/{AUDIT}", refused, mine, "save")
    assert again.status_code == 409
    assert "was changed by someone else (or in another window) after you opened it" in again.text
    assert audit.read_text("utf-8") == theirs
    _kept(again, mine)


@pytest.mark.parametrize(
    "broken", ["standards: cafcass-qiam-2017\nreviewer: [unclosed\n", ""], ids=["not-yaml", "emptied"]
)
def test_an_audit_broken_by_an_editor_before_save_keeps_every_change(session, folder, audit, broken):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    audit.write_text(broken, "utf-8")
    refused = _press(session, f"/edit/{AUDIT}", page, mine, "save")
    assert refused.status_code == 409
    assert "The file as it is now cannot be read as an audit." in refused.text
    _kept(refused, mine)
    assert audit.read_text("utf-8") == broken
    # Saving again replaces it with the auditor's version, deliberately, as for any conflict.
    saved = _press(session, f"/edit/{AUDIT}", refused, mine, "save", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert yaml.safe_load(audit.read_text("utf-8"))["reviewer"] == "Mateo Quispe"


def test_a_read_only_audit_comes_back_with_every_change(session, folder, audit):
    page = session.get(f"/edit/{AUDIT}")
    before = audit.read_bytes()
    os.chmod(audit, 0o444)
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    refused = _press(session, f"/edit/{AUDIT}", page, mine, "save")
    assert refused.status_code == 403
    assert _notice(refused) == (
        f"{AUDIT} is read-only, so your changes were not saved. Ask whoever looks after the audits folder "
        "to make it writable, then save again. To keep your changes meanwhile, press Save draft."
    )
    _kept(refused, mine)
    assert audit.read_bytes() == before


# -- A draft deleted, or made read-only, while it is open ------------------------------------------


def _new_draft(session):
    done = session.post("/new/cafcass-qiam-2017", HALF_DONE, op="draft", follow_redirects=False)
    assert done.status_code == 303, done.text
    return session.get(done.headers["location"])


def _gone_draft(name: str) -> str:
    return (
        f"Your changes were not saved: the draft {name} is no longer in the drafts folder (it was "
        "deleted, or saved as an audit, in another window after you opened it). Everything you typed is "
        "still in the form below."
    )


@pytest.mark.parametrize("op", ["draft", "save"])
def test_a_draft_deleted_in_another_window_keeps_every_change(session, folder, drafts, op):
    page = _new_draft(session)
    (drafts / "QA-2026-0501.yaml").unlink()
    mine = {**HALF_DONE, "practitioner": "Noor Castellanos"}
    refused = _press(session, "/drafts/QA-2026-0501.yaml", page, mine, op)
    assert refused.status_code == 409
    assert _notice(refused) == _gone_draft("QA-2026-0501.yaml")
    assert (
        "To keep your changes, press <em>Save draft</em> again to save them as a new draft of that name, "
        "or <em>Save the audit</em> to save them in the audits folder." in refused.text
    )
    _kept(refused, mine)
    assert ("base", "") in _hidden(refused.text)
    assert not (drafts / "QA-2026-0501.yaml").exists()
    assert list(folder.iterdir()) == []


def test_a_draft_deleted_in_another_window_is_saved_again_as_a_new_draft(session, drafts):
    page = _new_draft(session)
    (drafts / "QA-2026-0501.yaml").unlink()
    mine = {**HALF_DONE, "practitioner": "Noor Castellanos"}
    refused = _press(session, "/drafts/QA-2026-0501.yaml", page, mine, "draft")
    again = _press(session, "/drafts/QA-2026-0501.yaml", refused, mine, "draft", follow_redirects=False)
    assert again.status_code == 303, again.text
    assert again.headers["location"] == "/drafts/QA-2026-0501.yaml?drafted=1"
    assert (
        yaml.safe_load((drafts / "QA-2026-0501.yaml").read_text("utf-8"))["practitioner"]
        == "Noor Castellanos"
    )


def test_a_draft_deleted_in_another_window_is_saved_as_the_audit(session, folder, drafts):
    page = _new_draft(session)
    (drafts / "QA-2026-0501.yaml").unlink()
    refused = _press(session, "/drafts/QA-2026-0501.yaml", page, CAFCASS, "save")
    saved = _press(session, "/drafts/QA-2026-0501.yaml", refused, CAFCASS, "save", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/edit/QA-2026-0501.yaml?saved=1"
    assert (
        yaml.safe_load((folder / "QA-2026-0501.yaml").read_text("utf-8"))["practitioner"]
        == "Noor Castellanos"
    )


def test_a_draft_of_changes_deleted_in_another_window_is_still_saved_into_its_audit(
    session, folder, drafts, audit
):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    done = _press(session, f"/edit/{AUDIT}", page, mine, "draft", follow_redirects=False)
    opened = session.get(done.headers["location"])
    (drafts / CHANGES).unlink()
    refused = _press(session, f"/drafts/{CHANGES}", opened, mine, "save")
    assert refused.status_code == 409
    assert _notice(refused) == _gone_draft(CHANGES)
    _kept(refused, mine)
    saved = _press(session, f"/drafts/{CHANGES}", refused, mine, "save", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/edit/{AUDIT}?saved=1"
    assert yaml.safe_load(audit.read_text("utf-8"))["reviewer"] == "Mateo Quispe"


def test_an_audit_broken_by_an_editor_before_its_draft_of_changes_is_saved_keeps_them(
    session, folder, drafts, audit
):
    page = session.get(f"/edit/{AUDIT}")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    done = _press(session, f"/edit/{AUDIT}", page, mine, "draft", follow_redirects=False)
    opened = session.get(done.headers["location"])
    broken = "standards: cafcass-qiam-2017\nreviewer: [unclosed\n"
    audit.write_text(broken, "utf-8")
    kept = (drafts / CHANGES).read_bytes()
    refused = _press(session, f"/drafts/{CHANGES}", opened, mine, "save")
    assert refused.status_code == 409
    assert "The file as it is now cannot be read as an audit." in refused.text
    _kept(refused, mine)
    assert audit.read_text("utf-8") == broken
    assert (drafts / CHANGES).read_bytes() == kept


def test_a_read_only_draft_comes_back_with_every_change(session, drafts):
    page = _new_draft(session)
    before = (drafts / "QA-2026-0501.yaml").read_bytes()
    os.chmod(drafts / "QA-2026-0501.yaml", 0o444)
    mine = {**HALF_DONE, "practitioner": "Noor Castellanos"}
    refused = _press(session, "/drafts/QA-2026-0501.yaml", page, mine, "draft")
    assert refused.status_code == 403
    assert _notice(refused) == (
        "QA-2026-0501.yaml is read-only, so your changes were not saved. Ask whoever looks after the "
        "drafts folder to make it writable, then save again."
    )
    _kept(refused, mine)
    assert (drafts / "QA-2026-0501.yaml").read_bytes() == before


# -- One draft per audit file, never another's ------------------------------------------------------


def test_audits_named_alike_with_yaml_and_yml_keep_drafts_of_their_own(session, folder, drafts):
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yaml")
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", folder / "a.yml")
    for name, reviewer in (("a.yaml", "Mateo Quispe"), ("a.yml", "Rosa Lindgren")):
        page = session.get(f"/edit/{name}")
        mine = {**_values_of(folder / name, name), "reviewer": reviewer}
        done = _press(session, f"/edit/{name}", page, mine, "draft", follow_redirects=False)
        assert done.status_code == 303, _notice(done)
        assert done.headers["location"] == f"/drafts/edits/{name}?drafted=1"
    for name, reviewer in (("a.yaml", "Mateo Quispe"), ("a.yml", "Rosa Lindgren")):
        data = yaml.safe_load((drafts / "edits" / name).read_text("utf-8"))
        assert (data["qaimpact_draft"]["edits"], data["reviewer"]) == (name, reviewer)
        assert f'<a href="/drafts/edits/{name}">open the draft</a>' in session.get(f"/edit/{name}").text
    listing = session.get("/").text
    assert '<a href="/drafts/edits/a.yaml">Changes to a.yaml</a>' in listing
    assert '<a href="/drafts/edits/a.yml">Changes to a.yml</a>' in listing


# -- A draft of changes whose audit is no longer there ---------------------------------------------


def _audit_gone(name: str) -> str:
    """What the page of a draft of changes says where its audit is no longer in the audits folder."""
    return (
        f"The audit file {name} is no longer in the audits folder: it was deleted or renamed after these "
        "changes were started, so they cannot be saved into it. The draft is kept. If the audit was "
        "deleted, press Save as a new audit to save the changes as a new audit file of that name. If it "
        "was renamed, do not: that would make a second audit with the same audit id, and the reports "
        "would count both. Open the audit from the list of audits by its new name instead, make the "
        "changes there with this draft open beside it, then delete the draft."
    )


SAVE_NEW = '<button type="submit" name="op" value="save_new" class="primary">Save as a new audit</button>'
SAVE = '<button type="submit" name="op" value="save" class="primary">Save the audit</button>'


def _changes_drafted(session, audit, mine, when):
    """The address of the draft of changes ``mine`` to the audit, saved from its page while the
    audit was there, or from the page that said it was gone (then the draft records ``base: ""``)."""
    page = session.get(f"/edit/{AUDIT}")
    if when == "after-it-went":
        audit.unlink()
        page = _press(session, f"/edit/{AUDIT}", page, mine, "save")
    done = _press(session, f"/edit/{AUDIT}", page, mine, "draft", follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/drafts/{CHANGES}?drafted=1"
    return f"/drafts/{CHANGES}"


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_the_draft_of_changes_to_an_audit_no_longer_there_says_so_and_offers_a_new_audit(
    session, folder, drafts, audit, how
):
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    address = _changes_drafted(session, audit, mine, "while-there")
    _remove(folder, audit, how)
    there, kept = _files(folder), (drafts / CHANGES).read_bytes()
    page = session.get(address)
    assert page.status_code == 200
    assert _notice(page) == _audit_gone(AUDIT)
    assert (
        "This is a draft of changes to the audit <code>2026/QA-2026-0142.yaml</code>, which is no longer "
        "in the audits folder. <em>Save draft</em> keeps your changes as they are; <em>Save as a new "
        "audit</em> checks them, saves them as a new audit file, <code>2026/QA-2026-0142.yaml</code> "
        "(never over a file of that name), and deletes the draft." in page.text
    )
    assert page.text.count(SAVE_NEW) == 2  # above the form and below it
    assert SAVE not in page.text
    # Checking the changes, or adding a row, keeps saying it.
    for op in ("check", "add_action"):
        shown = _press(session, address, page, mine, op)
        assert shown.status_code == 200
        assert _notice(shown) == _audit_gone(AUDIT)
        assert SAVE_NEW in shown.text
        _kept(shown, mine)
    assert _files(folder) == there
    assert (drafts / CHANGES).read_bytes() == kept


@pytest.mark.parametrize("when", ["while-there", "after-it-went"])
def test_the_draft_of_changes_to_an_audit_deleted_is_saved_as_a_new_audit(
    session, folder, drafts, audit, when
):
    source = audit.read_text("utf-8")
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    address = _changes_drafted(session, audit, mine, when)
    if audit.exists():
        audit.unlink()
    page = session.get(address)
    saved = _press(session, address, page, mine, "save_new", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/edit/{AUDIT}?saved=1&draft=removed"
    text = audit.read_text("utf-8")
    assert yaml.safe_load(text)["reviewer"] == "Mateo Quispe"
    assert "qaimpact_draft" not in text
    if when == "while-there":  # what the form does not show, the draft kept: kept, as in an edit
        for comment in comment_lines(source):
            assert comment in text, comment
    assert not (drafts / CHANGES).exists()
    assert (
        "Saved to 2026/QA-2026-0142.yaml. Its draft was deleted."
        in session.get(saved.headers["location"]).text
    )


def test_a_draft_of_changes_saved_after_its_audit_went_is_refused_then_saved_as_a_new_audit(
    session, folder, drafts, audit
):
    # A draft page opened while the audit was there: Save the audit says it is gone, and offers more.
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    address = _changes_drafted(session, audit, mine, "while-there")
    page = session.get(address)
    assert SAVE in page.text
    audit.unlink()
    refused = _press(session, address, page, mine, "save")
    assert refused.status_code == 409
    assert _notice(refused) == "Your changes were not saved. " + _audit_gone(AUDIT)
    assert SAVE_NEW in refused.text
    _kept(refused, mine)
    assert not audit.exists()
    saved = _press(session, address, refused, mine, "save_new", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert yaml.safe_load(audit.read_text("utf-8"))["reviewer"] == "Mateo Quispe"


def test_an_audit_back_again_before_save_as_a_new_audit_is_not_saved_over(session, folder, drafts, audit):
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    theirs = audit.read_text("utf-8").replace("reviewer: Daniel Okafor", "reviewer: Rosa Lindgren")
    address = _changes_drafted(session, audit, mine, "while-there")
    audit.unlink()
    page = session.get(address)
    audit.write_text(theirs, "utf-8")  # put back, or saved from another window, meanwhile
    kept = (drafts / CHANGES).read_bytes()
    refused = _press(session, address, page, mine, "save_new")
    assert refused.status_code == 409
    assert _notice(refused) == (
        f"An audit file named {AUDIT} is in the audits folder again (put back, or saved from another "
        "window, after this page was opened), so your version was not saved over it. Both versions are "
        "below; the draft is kept."
    )
    row = re.search(r"<tr><th scope=\"row\"><a href=\"#f-reviewer\">.*?</tr>", refused.text)
    assert row, "the table has no row for the reviewer"
    assert "Rosa Lindgren" in row.group(0)
    assert "Mateo Quispe" in row.group(0)
    _kept(refused, mine)
    assert audit.read_text("utf-8") == theirs
    assert (drafts / CHANGES).read_bytes() == kept
    # As for any change made meanwhile: the page now saves into that file, and saving again does.
    assert SAVE in refused.text
    assert SAVE_NEW not in refused.text
    saved = _press(session, address, refused, mine, "save", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/edit/{AUDIT}?saved=1&draft=removed"
    assert yaml.safe_load(audit.read_text("utf-8"))["reviewer"] == "Mateo Quispe"


def test_a_draft_of_changes_with_problems_is_not_saved_as_a_new_audit(session, folder, drafts, audit):
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    address = _changes_drafted(session, audit, mine, "while-there")
    audit.unlink()
    page = session.get(address)
    kept = (drafts / CHANGES).read_bytes()
    unfinished = {**mine, "practitioner": ""}
    refused = _press(session, address, page, unfinished, "save_new")
    assert refused.status_code == 422
    assert _notice(refused) == (
        "Your changes were not saved: put right the problems listed, then save again. To stop for now, "
        "save them as a draft."
    )
    assert SAVE_NEW in refused.text
    _kept(refused, unfinished)
    assert not audit.exists()
    assert (drafts / CHANGES).read_bytes() == kept


def test_a_draft_changed_in_another_window_as_it_is_saved_as_a_new_audit_is_kept(
    session, folder, drafts, audit, monkeypatch
):
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    address = _changes_drafted(session, audit, mine, "while-there")
    audit.unlink()
    page = session.get(address)
    remove = DraftsFolder.remove

    def saved_again_first(self, relative, expected):
        (drafts / CHANGES).write_text((drafts / CHANGES).read_text("utf-8") + "# more\n", "utf-8")
        remove(self, relative, expected)

    monkeypatch.setattr(DraftsFolder, "remove", saved_again_first)
    saved = _press(session, address, page, mine, "save_new", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/edit/{AUDIT}?saved=1&draft=kept"
    assert yaml.safe_load(audit.read_text("utf-8"))["reviewer"] == "Mateo Quispe"
    assert (drafts / CHANGES).read_text("utf-8").endswith("# more\n")


@pytest.mark.parametrize("page_of", ["audit", "draft of changes"])
def test_an_audit_whose_folder_went_too_is_not_saved_as_new_and_says_why(
    session, folder, drafts, audit, page_of
):
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    if page_of == "audit":
        address, page = f"/edit/{AUDIT}", session.get(f"/edit/{AUDIT}")
        shutil.rmtree(folder / "2026")
        page = _press(session, address, page, mine, "save")  # says it is gone; saving again saves as new
        op, after = "save", " To keep your changes meanwhile, press Save draft."
    else:
        address = _changes_drafted(session, audit, mine, "while-there")
        shutil.rmtree(folder / "2026")
        page = session.get(address)
        op, after = "save_new", " The draft is kept."
    refused = _press(session, address, page, mine, op)
    assert refused.status_code == 403
    assert _notice(refused) == (
        f"{AUDIT} could not be saved: its folder, 2026, is no longer in the audits folder. Ask whoever "
        "looks after the audits folder to put the folder back, then save again." + after
    )
    _kept(refused, mine)
    assert list(folder.iterdir()) == []


def test_a_draft_of_changes_gone_with_its_audit_is_still_saved_as_a_new_audit(session, folder, drafts, audit):
    mine = {**_values_of(audit, AUDIT), "reviewer": "Mateo Quispe"}
    address = _changes_drafted(session, audit, mine, "while-there")
    audit.unlink()
    page = session.get(address)
    (drafts / CHANGES).unlink()  # saved or deleted in another window
    refused = _press(session, address, page, mine, "save_new")
    assert refused.status_code == 409
    assert _notice(refused) == _gone_draft(CHANGES)
    assert (
        "To keep your changes, press <em>Save draft</em> again to save them as a new draft of that name, "
        "or <em>Save as a new audit</em> to save them in the audits folder." in refused.text
    )
    _kept(refused, mine)
    saved = _press(session, address, refused, mine, "save_new", follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/edit/{AUDIT}?saved=1"
    assert yaml.safe_load(audit.read_text("utf-8"))["reviewer"] == "Mateo Quispe"


# -- A form too long to send ----------------------------------------------------------------------

LIMIT = (
    "serve takes at most 1 MB in one form (about a million letters and spaces; a line break, an "
    "accented letter or a punctuation mark takes the room of two to six)"
)


def _too_long_notice(size: str, shorten: str) -> str:
    return (
        f"Nothing was saved: the form is too long to send. It came to {size}, and {LIMIT}. Everything "
        f"you typed is still in the form below. {shorten}"
    )


@pytest.mark.parametrize(
    ("long", "size", "shorten", "beside"),
    [
        (
            {"rationale": "x" * 1_100_000},
            "1.1 MB",
            "Shorten this answer, then save again: Your grade: Reasons for the grade (1,100,000 "
            "characters: shorten it by at least 101,524).",
            {"rationale": (1_100_000, 101_524)},
        ),
        (  # a line break (CR LF as browsers send it) and an accented letter take more room
            {
                "rationale": "é\r\n" * 15_000,
                **{f"impact.{s}.evidence": "Seen. " * 25_000 for s in ("child_seen", "child_experience")},
                **{
                    f"compliance.{s}.evidence": "Seen. " * 25_000 for s in ("case_recording", "case_planning")
                },
                "impact.impact_analysis.evidence": "Seen. " * 25_000,
                "impact.enabled_to_choose.evidence": "Seen. " * 25_000,
                "compliance.report_quality.evidence": "Seen. " * 25_000,
            },
            "1.2 MB",
            # 1,231,282 bytes: the reasons (12 bytes for each accented letter and line break) all
            # go, and 51,282 characters of the next longest (ties by name) are the rest.
            "Shorten these answers, then save again: Your grade: Reasons for the grade (30,000 "
            "characters: shorten it by at least 30,000); Case planning records plans in child-centred "
            "way. Includes how, when and why to see the child. Tools and techniques to be used "
            "identified: Evidence (150,000 characters: shorten it by at least 51,282).",
            {"rationale": (30_000, 30_000), "compliance.case_planning.evidence": (150_000, 51_282)},
        ),
    ],
    ids=["one-answer", "two-answers"],
)
def test_a_form_too_long_comes_back_with_everything_typed_and_what_to_shorten(
    session, folder, long, size, shorten, beside
):
    answers = {**CAFCASS, **long}
    page = session.post("/new/cafcass-qiam-2017", answers, op="save")
    assert page.status_code == 413
    assert _notice(page) == str(escape(_too_long_notice(size, shorten)))
    for name, (chars, cut) in beside.items():  # beside the answer, in its box of problems
        box = page.text.split(f'id="f-{name.replace(".", "-")}-error"', 1)[1][:400]
        assert (
            f"This answer is {chars:,} characters long: shorten it by at least {cut:,} characters for the "
            "form to be sent."
        ) in box
    _kept(page, {k: v for k, v in CAFCASS.items() if k not in long})
    assert 'data-unsaved="yes"' in page.text
    assert list(folder.iterdir()) == []
    # Shortened, it is saved, with the token the page came back with.
    again = session.post("/new/cafcass-qiam-2017", CAFCASS, op="save", follow_redirects=False)
    assert again.status_code == 303


def test_an_edit_too_long_comes_back_with_its_changes_and_its_base(session, audit):
    opened = session.get(f"/edit/{AUDIT}")
    base = re.search(r'name="base" value="([^"]*)"', opened.text).group(1)
    before = audit.read_bytes()
    pairs = [
        *form_pairs({**CAFCASS, "rationale": "Changed. " + "x" * 1_000_000}, op="save", csrf=session.csrf),
        ("base", base),
        ("framework", "cafcass-qiam-2017"),
    ]
    page = send(session.client, f"/edit/{AUDIT}", pairs)
    assert page.status_code == 413
    assert _notice(page).startswith("Nothing was saved: the form is too long to send.")
    assert f'name="base" value="{base}"' in page.text
    assert "Changed. xxx" in page.text
    assert audit.read_bytes() == before


FAR_TOO_LONG = (
    "Nothing was saved: the form is too long to send. It came to {size}, and " + LIMIT + ". What you "
    "typed should still be in the form: press your browser's Back button to go back to it. Then "
    "shorten the longest answers (text pasted in from a case record, say) and save again."
)


@pytest.mark.parametrize(
    ("op", "length", "size"),
    [("save", 8_000_000, "8 MB"), ("live", 1_100_000, "1.1 MB")],
    ids=["beyond-what-serve-reads", "live-check"],
)
def test_a_form_far_too_long_or_its_live_check_is_refused_saying_to_go_back(
    session, folder, op, length, size
):
    page = session.post("/new/cafcass-qiam-2017", {**CAFCASS, "rationale": "x" * length}, op=op)
    assert page.status_code == 413
    assert str(escape(FAR_TOO_LONG.format(size=size))) in page.text
    assert list(folder.iterdir()) == []


NOTHING_TO_SHORTEN = (
    "Nothing was saved: the form is too large to save. It came to {size}, and serve takes at most 1 MB "
    "in one form. None of your answers is long enough to be the cause: something is wrong with the "
    "form that was sent. Everything you typed is still in the form below. Copy anything you need to "
    "keep, then open the form again from the list of audits. If this happens again, ask whoever set "
    "up qaimpact for help."
)
#: Every answer of the form empty but the date of the review, as the form of a new audit opens.
EMPTY = {name: "" for name, value in CAFCASS.items() if isinstance(value, str)} | {
    "review_date": "2026-11-02"
}


@pytest.mark.parametrize(
    ("answers", "extra", "size"),
    [
        (False, [(f"note-{n}-" + "x" * 110_000, "") for n in range(10)], "1.1 MB"),
        (True, [(f"note-{n}-" + "x" * 110_000, "") for n in range(10)], "1.1 MB"),
        (True, [("x" * 1_000_100, "")], "just over 1 MB"),
        # a hidden field of the form, and a field it does not have, are not answers to shorten
        (True, [("base", "0" * 600_000), ("note", "y" * 600_000)], "1.2 MB"),
    ],
    ids=["long-names-alone", "long-names", "just-over", "not-answers"],
)
def test_a_form_too_long_with_no_answer_to_shorten_says_what_to_do(session, folder, answers, extra, size):
    pairs = [*(form_pairs(EMPTY, op="save", csrf=session.csrf) if answers else []), *extra]
    page = send(session.client, "/new/cafcass-qiam-2017", pairs)
    assert page.status_code == 413
    assert _notice(page) == str(escape(NOTHING_TO_SHORTEN.format(size=size)))
    assert "shorten it by at least" not in page.text
    assert 'data-unsaved="yes"' in page.text
    assert list(folder.iterdir()) == []


def _post_in_chunks(session, body_chunks, *, declared=None):
    """A form sent to serve's application as a server hands it on, a chunk at a time: the
    response, its headers, and how many chunks the application had read when it answered."""
    chunks = list(body_chunks)
    headers = [
        (b"host", HOST.encode()),
        (b"cookie", f"qaimpact_session={session.client.cookies['qaimpact_session']}".encode()),
        (b"content-type", b"application/x-www-form-urlencoded"),
    ]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/new/cafcass-qiam-2017",
        "raw_path": b"/new/cafcass-qiam-2017",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    given = 0
    answered: dict[str, object] = {}
    body = bytearray()

    async def receive():
        nonlocal given
        if given == len(chunks):  # pragma: no cover - the application never asks past the end
            return {"type": "http.disconnect"}
        given += 1
        return {"type": "http.request", "body": chunks[given - 1], "more_body": given < len(chunks)}

    async def respond(message):
        if message["type"] == "http.response.start":
            answered.update(status=message["status"], headers=dict(message["headers"]), read=given)
        else:
            body.extend(message.get("body", b""))

    asyncio.run(session.client.app(scope, receive, respond))
    return answered, body.decode("utf-8")


def test_a_form_beyond_what_serve_reads_is_read_to_its_end_then_refused(session, folder):
    # 9 MB: serve keeps no more than 8 MB of it, but reads the rest (and throws it away) before
    # answering, so that the browser, still sending, gets the page rather than "connection reset".
    start = urlencode(form_pairs({**CAFCASS, "rationale": ""}, op="save", csrf=session.csrf)).encode()
    chunks = [start, *([b"x" * 65_536] * 138)]  # 9,043,968 bytes, and the start
    answered, text = _post_in_chunks(session, chunks)
    assert answered["status"] == 413
    assert answered["read"] == len(chunks)
    assert b"connection" not in answered["headers"]
    assert str(escape(FAR_TOO_LONG.format(size="9 MB"))) in text
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("declared", [None, 60_000_000], ids=["as-sent", "said-beforehand"])
def test_a_form_far_beyond_what_serve_reads_is_read_to_its_end_and_refused_saying_its_size(
    session, folder, declared
):
    # Up to MAX_DRAIN (64 MB), serve reads it all (throwing it away) before answering, and keeps
    # the connection: closed with the rest unsent, the browser shows "connection reset", not the page.
    chunks = [b"x" * 1_000_000] * 60
    answered, text = _post_in_chunks(session, chunks, declared=declared)
    assert answered["status"] == 413
    assert b"connection" not in answered["headers"]
    assert answered["read"] == len(chunks)
    assert str(escape(FAR_TOO_LONG.format(size="60 MB"))) in text
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("declared", "read", "size"),
    [(None, 65, "more than 64 MB"), (1_000_000_000, 0, "1,000 MB")],
    ids=["as-sent", "said-beforehand"],
)
def test_a_form_beyond_what_serve_drains_is_refused_unread_and_its_connection_closed(
    session, folder, declared, read, size
):
    # A client sending gigabytes (or without end) would keep serve reading for ever: past
    # MAX_DRAIN (64 MB) serve stops reading, answers 413 and has the server close the
    # connection, which would otherwise read the rest itself. Said beforehand, nothing is read.
    chunks = [b"x" * 1_000_000] * 1_000  # the same megabyte a thousand times: 1 GB offered
    answered, text = _post_in_chunks(session, chunks, declared=declared)
    assert answered["status"] == 413
    assert answered["headers"][b"connection"] == b"close"
    assert answered["read"] == read
    assert str(escape(FAR_TOO_LONG.format(size=size))) in text
    assert list(folder.iterdir()) == []


LIVE_TOO_LONG = (
    "The live check stopped: the form is too long to send. It came to {size}, and " + LIMIT + ". "
    "Shorten the longest answers (text pasted in from a case record, say); the check starts again as "
    "you type."
)


@pytest.mark.parametrize(("length", "size"), [(1_100_000, "1.1 MB"), (70_000_000, "70 MB")])
def test_the_live_check_of_a_form_too_long_is_told_why_as_json(session, folder, length, size):
    # The page's script sends the live check with the token in a header, and reads JSON: a page
    # would be thrown away and the check seem to stop for no reason.
    pairs = form_pairs({**CAFCASS, "rationale": "x" * length}, op="live", csrf=None)
    answer = send(session.client, "/new/cafcass-qiam-2017", pairs, headers={"x-csrf-token": session.csrf})
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/json"
    # Past MAX_DRAIN (64 MB), said beforehand: refused unread, and the connection closed.
    assert answer.headers.get("connection") == ("close" if length > 64_000_000 else None)
    assert answer.json() == {"error": "Too long to send", "status": LIVE_TOO_LONG.format(size=size)}
    assert list(folder.iterdir()) == []


def _post_to_uvicorn(
    server, cookie: str, size: int, *, chunked: bool = False
) -> tuple[int, str | None, bytes]:
    """A form of ``size`` bytes sent to serve run by uvicorn, as a browser sends it (the answer
    read while the form is still being sent): the bytes of the form sent, how sending or reading
    failed (``None``: it did not) and the answer. ``chunked``: sent a megabyte at a time without
    saying its length beforehand (``Transfer-Encoding: chunked``), as a client streaming does."""
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    head = (
        f"POST /new/cafcass-qiam-2017 HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nCookie: {cookie}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n{length}\r\n\r\n"
    ).encode()

    def framed(piece: bytes) -> bytes:
        return b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece

    sent = 0
    failed: list[str] = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as conn:

        def send_all() -> None:
            nonlocal sent
            try:
                conn.sendall(head + framed(b"rationale="))
                sent = len(b"rationale=")
                block = b"x" * 1_000_000
                while sent < size:
                    piece = block[: size - sent]
                    conn.sendall(framed(piece))
                    sent += len(piece)
                if chunked:
                    conn.sendall(b"0\r\n\r\n")
            except OSError as exc:
                failed.append(type(exc).__name__)

        sender = threading.Thread(target=send_all, daemon=True)
        sender.start()
        answer = b""
        try:
            while not _whole(answer):
                got = conn.recv(65_536)
                if not got:
                    break
                answer += got
        except OSError as exc:
            failed.append(type(exc).__name__)
        sender.join(timeout=60)
    return sent, (failed[0] if failed else None), answer


def _whole(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length: *(\d+)", head)
    return length is not None and len(body) >= int(length.group(1))


def _closes(answer: bytes) -> bool:
    """Whether an answer says the connection is closed after it."""
    return re.search(rb"(?im)^connection: *close\r?$", answer.partition(b"\r\n\r\n")[0]) is not None


def _signed_in_cookie(server) -> str:
    opened = _get(server, f"/?token={server.config.token}")
    return re.search(rb"(?im)^set-cookie: (qaimpact_session=[^;]+)", opened).group(1).decode()


@pytest.mark.parametrize("chunked", [False, True], ids=["length-said", "chunked"])
def test_uvicorn_gives_a_form_far_beyond_what_serve_reads_its_page_not_a_reset(folder, chunked):
    # serve as it runs: uvicorn (h11). A form past 8 MB, up to MAX_DRAIN (64 MB), is read to its
    # end before serve answers: answered and closed with the rest unread, the browser, still
    # sending, gets "connection reset" instead of the page.
    server = Server(folder)
    try:
        cookie = _signed_in_cookie(server)
        sent, failed, answer = _post_to_uvicorn(server, cookie, 60_000_000, chunked=chunked)
    finally:
        server.stop()
    assert (sent, failed) == (60_000_000, None)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert not _closes(answer)
    assert str(escape(FAR_TOO_LONG.format(size="60 MB"))).encode() in answer
    assert list(folder.iterdir()) == []


#: The most serve reads of one form (MAX_DRAIN), as docs/serve.md states it.
DRAIN = 64_000_000
#: What a client offers to send: eight times as much.
OFFERED = 8 * DRAIN


@pytest.mark.parametrize("chunked", [False, True], ids=["length-said", "chunked"])
def test_uvicorn_stops_reading_a_form_beyond_what_serve_drains(folder, chunked):
    # A client streaming without end (or saying it will send half a gigabyte) no longer keeps
    # serve and uvicorn reading it: serve answers 413 and the connection is closed with the rest
    # unread, so sending fails well before the end. The answer may be lost to the reset; where
    # it arrives, it is the page saying so.
    server = Server(folder)
    try:
        cookie = _signed_in_cookie(server)
        sent, failed, answer = _post_to_uvicorn(server, cookie, OFFERED, chunked=chunked)
    finally:
        server.stop()
    # Besides what serve read, what the sockets' buffers took in: a few megabytes. Said
    # beforehand, serve reads none of it.
    assert sent < DRAIN + 32_000_000 < OFFERED
    assert failed in ("ConnectionResetError", "BrokenPipeError"), failed
    if answer:
        assert answer.startswith(b"HTTP/1.1 413 ")
        assert _closes(answer)
    if _whole(answer):
        size = "more than 64 MB" if chunked else "512 MB"
        assert str(escape(FAR_TOO_LONG.format(size=size))).encode() in answer
    assert list(folder.iterdir()) == []


def _get(server, path: str) -> bytes:
    """The answer to a GET of ``path``, as sent."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        host = f"127.0.0.1:{server.port}"
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while got := conn.recv(65_536):
            answer += got
    return answer


def test_the_form_page_knows_the_limit_and_keeps_its_strict_policy(session):
    page = session.get("/new/cafcass-qiam-2017")
    assert 'data-max-bytes="1000000" data-max-fields="20000"' in page.text
    assert '<div class="alert" role="alert" id="too-long" tabindex="-1" hidden></div>' in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in page.text
