"""``qaimpact serve`` never loses what an auditor typed: the form comes back with it, whatever
happened to the file behind the page (deleted, renamed, made read-only, broken by an editor), and
one draft never takes the place of another.

Through Starlette's TestClient, as test_serve.py drives the pages.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
import yaml
from markupsafe import escape

from conftest import EXAMPLES
from qaimpact.base.loader import load_bytes
from qaimpact.web.form import form_for, values_from_data
from serve_support import CAFCASS, HTTPX_WARNING, form_pairs, registry, send, signed_in, without

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
