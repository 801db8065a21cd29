"""The web application of ``qaimpact serve``: Starlette routes over the pages, the form and the folder.

Security, in the order a request meets it:

1. **Host.** A request whose ``Host`` header is not the address serve printed (or its
   ``localhost``/``127.0.0.1`` spellings) is refused, so a web page elsewhere cannot reach it by
   pointing a name of its own at 127.0.0.1 (DNS rebinding).
2. **Key.** The printed address holds a one-time key (as Jupyter's does). The first visit with it
   gets a session cookie (``HttpOnly``, ``SameSite=Strict``) and is sent on without the key in
   the address; the key then no longer works. Every page but the style sheet and the script
   needs the cookie.
3. **Writes.** Every ``POST`` carries the session's CSRF token (a hidden field, or the
   ``X-CSRF-Token`` header for the live check), must be a form (``application/x-www-form-
   urlencoded``) of at most a megabyte, and, where the browser says where it comes from
   (``Origin``), come from serve's own address. A page's form too long (up to :data:`MAX_READ`)
   comes back with everything typed and which answers to shorten, saving nothing; of a longer
   one the rest is read and thrown away (up to :data:`MAX_DRAIN`), so that the browser gets the
   page refusing it (the live check: its reason, as JSON). Past that, or where the request says
   beforehand that it is longer, it is refused unread and the connection closed.
4. **Files.** Paths are checked by :class:`~qaimpact.web.store.AuditsFolder`: nothing outside
   the audits folder (or, for drafts, the drafts folder), no links.
5. **Pages.** Rendered by the reports' sandboxed, autoescaping Jinja environment, user text as
   data only; a Content-Security-Policy allows only serve's own style sheet and script.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from qaimpact.audits.checker import CheckOptions
from qaimpact.authoring.compose import canonical_text
from qaimpact.base.loader import LoadError, load_bytes
from qaimpact.frameworks.registry import Registry
from qaimpact.reports.render import render_page, report_css
from qaimpact.web.form import Form, Values, action_count, form_for, values_from_data
from qaimpact.web.pages import (
    Filters,
    FolderIds,
    Outcome,
    add_finding,
    check_values,
    finding_view,
    list_view,
    panel_view,
    usable_frameworks,
)
from qaimpact.web.store import (
    AuditsFolder,
    Conflict,
    DraftsFolder,
    EditOf,
    Refused,
    digest,
    drafts_folder_for,
    edit_draft_name,
    edit_in,
    file_name_problem,
    split_draft,
    with_edit,
)

COOKIE = "qaimpact_session"
#: The largest form serve takes (in bytes, as sent); the form page refuses to send a larger one.
MAX_BODY = 1_000_000
#: The most serve keeps of a form too long, to bring it back with everything typed (a form of more
#: was not sent by a person typing: it is refused with a page saying to go back). The rest is
#: read and thrown away, up to :data:`MAX_DRAIN`: see :func:`_read_body`.
MAX_READ = 8 * MAX_BODY
#: The most serve reads of a form at all, throwing away what is past :data:`MAX_READ`, so that a
#: browser still sending a form too long gets the page refusing it rather than "connection
#: reset". A request longer than this (said beforehand, or found as it is read) is refused with
#: the rest unread and its connection closed: otherwise a client could keep serve reading, and
#: the server would go on reading whatever serve left unread, for ever.
MAX_DRAIN = 64 * MAX_BODY
#: The most fields a form may send (the form of a framework has a few hundred).
MAX_FIELDS = 20_000
#: What a form whose CSRF token is not the session's is told.
STALE = (
    "This form is out of date (serve was restarted, or it did not come from serve). Nothing was "
    "saved. Go back, reload the page and enter the changes again."
)
_STATIC = {
    "form.css": "text/css; charset=utf-8",
    "form.js": "text/javascript; charset=utf-8",
}
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The first address holds the key: never send it on to another site. (Not no-referrer: then
    # browsers send `Origin: null` with forms, and the origin check below could not tell.)
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass
class ServeConfig:
    """What serve works with: the folder, the frameworks, how audits are checked, who may connect."""

    folder: Path
    registry: Registry
    hosts: frozenset[str]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    today: dt.date | None = None
    max_file_size: int = 1_000_000
    #: Where drafts are kept; ``None``: ``.qaimpact-drafts`` beside the audits folder.
    drafts: Path | None = None

    def options(self) -> CheckOptions:
        """How audits are checked now (today's date unless one was fixed)."""
        return CheckOptions(today=self.today or dt.date.today(), max_file_size=self.max_file_size)


@dataclass
class _State:
    token_used: bool = False
    #: session cookie value -> its CSRF token
    sessions: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request, str], Awaitable[Response]]


class _Stale(Exception):
    """A form sent with a CSRF token that is not the session's (a page opened before serve was
    restarted, say): nothing is done, and the form comes back with what it held."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__("stale form")
        self.pairs = pairs


class _TooLong(Exception):
    """A page's form longer than :data:`MAX_BODY`: nothing is done, and the form comes back with
    what it held, saying which answers to shorten."""

    def __init__(self, pairs: list[tuple[str, str]], size: int) -> None:
        super().__init__("form too long")
        self.pairs = pairs
        self.size = size


class _Denied(Exception):
    """A request refused with a page saying why (the live check: with its reason, as JSON);
    ``close``: its connection is closed once the answer is sent (its body was not all read)."""

    def __init__(self, status: int, title: str, message: str, *, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.close = close


def create_app(config: ServeConfig) -> Starlette:
    """The application serving ``config.folder``."""
    folder = AuditsFolder(config.folder)
    drafts = DraftsFolder(config.drafts or drafts_folder_for(config.folder))
    ids = FolderIds(folder)
    state = _State()

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("folder", str(folder.root))
        return HTMLResponse(render_page("qaimpact.web", name, context), status_code=status, headers=_HEADERS)

    def denied(exc: _Denied, request: Request | None = None) -> Response:
        response: Response
        if request is not None and request.headers.get("x-csrf-token") is not None:
            # The live check (form.js's fetch) reads JSON, and shows the reason: a page would be
            # thrown away, and the check would seem to have stopped for no reason.
            response = JSONResponse(
                {"error": exc.title, "status": exc.message}, status_code=exc.status, headers=_HEADERS
            )
        else:
            response = page("message.html.j2", exc.status, title=exc.title, message=exc.message, csrf="")
        if exc.close:
            # ASGI gives an application no way to close a connection but this: uvicorn (h11 and
            # httptools alike) closes it after a response saying `Connection: close`. Without it,
            # uvicorn reads and throws away the rest of the body itself once the answer is sent,
            # however long (as would Starlette's own max_body_size, which sends no such header).
            response.headers["Connection"] = "close"
        return response

    def check_host(request: Request) -> None:
        host = request.headers.get("host", "").lower()
        if host not in config.hosts:
            raise _Denied(
                400,
                "Wrong address",
                "qaimpact serve only answers at the address it printed. Open that address.",
            )

    def guard(handler: Handler, *, write: bool = False) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                check_host(request)
                session = request.cookies.get(COOKIE, "")
                csrf = state.sessions.get(session) if session else None
                token = request.query_params.get("token")
                if token is not None and request.method == "GET":
                    return _exchange(request, token, csrf is not None)
                if csrf is None:
                    raise _Denied(
                        403,
                        "Open the address serve printed",
                        "This page needs the address `qaimpact serve` printed when it started (it holds a "
                        "one-time key). Copy it from the terminal into this browser. If it was already "
                        "used in another browser, stop serve (Ctrl+C) and start it again for a new one.",
                    )
                if write:
                    _check_write(request, csrf)
                try:
                    return await handler(request, csrf)
                except _Stale as stale:
                    return stale_form(request, stale.pairs, csrf)
                except _TooLong as too:
                    return too_long_form(request, too, csrf)
            except _Denied as exc:
                return denied(exc, request)

        return endpoint

    def _exchange(request: Request, token: str, signed_in: bool) -> Response:
        target = request.url.path
        if signed_in and (state.token_used or not secrets.compare_digest(token, config.token)):
            return RedirectResponse(target, status_code=303, headers=_HEADERS)
        if state.token_used or not secrets.compare_digest(token, config.token):
            raise _Denied(
                403,
                "This address was already used",
                "The key in this address works once, and it was used already (or it is not the key "
                "serve printed). Use the browser window it was opened in, or stop serve (Ctrl+C) and "
                "start it again for a new address.",
            )
        state.token_used = True
        session = secrets.token_urlsafe(32)
        state.sessions[session] = secrets.token_urlsafe(32)
        response = RedirectResponse(target, status_code=303, headers=_HEADERS)
        response.set_cookie(COOKIE, session, httponly=True, samesite="strict", path="/")
        return response

    def _check_write(request: Request, csrf: str) -> None:
        origin = request.headers.get("origin")
        if origin is not None and origin.lower().removeprefix("http://") not in config.hosts:
            raise _Denied(403, "Refused", "This change came from another web site, so it was refused.")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            raise _Denied(400, "Refused", "Changes are sent as a form; this request was not one.")

    async def form_values(request: Request, form: Form | None, csrf: str) -> Values:
        return values_in(await form_pairs(request, csrf), form)

    async def form_pairs(request: Request, csrf: str) -> list[tuple[str, str]]:
        """The fields the form sent, in order, once its CSRF token is checked."""
        header = request.headers.get("x-csrf-token")
        told = _far_too_long if header is None else _too_long_to_check
        body, size, whole = await _read_body(request)
        if body is None:
            raise _Denied(413, "Too long to send", told(size), close=not whole)
        try:
            pairs = parse_qsl(
                body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS
            )
        except ValueError:  # more fields than max_num_fields
            raise _Denied(
                413,
                "Too much",
                f"The form sent more than serve accepts ({MAX_FIELDS:,} fields); nothing was saved.",
            ) from None
        own_page = header is None and ("op", "live") not in pairs  # a page's form: it comes back
        if len(body) > MAX_BODY:
            if own_page:
                raise _TooLong(pairs, len(body))
            raise _Denied(413, "Too long to send", told(len(body)))
        sent = header or next((v for k, v in pairs if k == "csrf"), "")
        if not secrets.compare_digest(sent, csrf):
            if own_page:
                raise _Stale(pairs)
            raise _Denied(403, "Refused", STALE)
        return pairs

    def form_back(
        request: Request,
        pairs: list[tuple[str, str]],
        csrf: str,
        *,
        status: int,
        notice: Callable[[Form], str],
        problems: Callable[[Form], dict[str, list[str]]] | None = None,
        refused: _Denied,
    ) -> Response:
        """A page's form sent back with everything it held and this session's token, saved nowhere;
        ``notice`` and ``problems`` (beside their answers): what it says, of the form it is;
        ``refused``: what is said where the page is not one of a form (deleting a draft, say)."""
        path = request.url.path
        mode = next((m for prefix, m in _FORM_PAGES if path.startswith(prefix)), None)
        ident = request.path_params.get("framework") if mode == "new" else None
        ident = ident or next((v for k, v in pairs if k == "framework"), None)
        found = next((f for f in config.registry.frameworks() if f.id == ident), None)
        if mode is None or found is None:
            raise refused
        form = form_for(found)
        values = values_in(pairs, form)
        relative = request.path_params.get("path") if mode != "new" else None
        return render_form(
            form,
            values,
            csrf,
            mode=mode,
            outcome=None,
            relative=relative,
            base=_base(values),
            status=status,
            notice=notice(form),
            problems=problems(form) if problems is not None else None,
            edit=page_edit(values) if mode == "draft" else None,
            draft_base=_base(values, "draft_base") if mode == "edit" else None,
        )

    def stale_form(request: Request, pairs: list[tuple[str, str]], csrf: str) -> Response:
        """A form sent with a token that is not the session's, back with everything it held and
        this session's token, saved nowhere (403): *Save* again then saves it, after the usual
        checks (a file changed meanwhile is shown beside it, as ever). Only a page of serve's own
        can send one: the session cookie is ``SameSite=Strict`` and the origin was checked. Any
        other form (deleting a draft) is refused as before."""
        return form_back(
            request,
            pairs,
            csrf,
            status=403,
            notice=lambda form: (
                "This form is out of date (it was opened before serve was restarted, or in another "
                "session), so nothing was saved. Everything you typed is still in the form below: "
                "save it again."
            ),
            refused=_Denied(403, "Refused", STALE),
        )

    def too_long_form(request: Request, too: _TooLong, csrf: str) -> Response:
        """A page's form longer than serve takes, back with everything it held (413), saved
        nowhere, saying which answers to shorten and by how much, beside them and at the top.
        (The form page refuses to send such a form; this is for a browser without the script.)
        Its token is not checked: nothing is done, and the page comes back with the session's."""

        def longest(form: Form) -> list[tuple[str, int, int]]:
            return _longest(form, too.pairs, too.size)

        return form_back(
            request,
            too.pairs,
            csrf,
            status=413,
            notice=lambda form: _too_long_notice(form, too.size, longest(form)),
            problems=lambda form: {
                name: [
                    f"This answer is {chars:,} characters long: shorten it by at least {cut:,} "
                    "characters for the form to be sent."
                ]
                for name, chars, cut in longest(form)
            },
            refused=_Denied(413, "Too long to send", _far_too_long(too.size)),
        )

    def values_in(pairs: list[tuple[str, str]], form: Form | None) -> Values:
        """The values of the form's fields (a list for a group of checkboxes), and the rest as sent."""
        values: Values = {}
        for key, value in pairs:
            inp = form.inputs.get(key) if form is not None else None
            if inp is not None and inp.kind == "checkboxes":
                listed = values.setdefault(key, [])
                assert isinstance(listed, list)
                listed.append(value)
            else:
                values.setdefault(key, value)
        return values

    # -- pages -------------------------------------------------------------------------------

    async def home(request: Request, csrf: str) -> Response:
        q = request.query_params
        filters = Filters(q.get("q", "").strip(), q.get("framework", ""), q.get("status", ""))
        view = list_view(folder, config.registry, config.options(), filters)
        notice = "The draft was deleted." if q.get("deleted") else None
        return page("list.html.j2", title="Audits", view=view, drafts=drafts_view(), notice=notice, csrf=csrf)

    def drafts_view() -> list[dict[str, Any]]:
        """Each draft: its file, audit id, framework, the audit it changes (``edits``, empty for a
        new audit) and when it was last saved (newest first)."""
        titles = {f.id: f.spec.title for f in config.registry.frameworks()}
        rows: list[dict[str, Any]] = []
        for entry in drafts.entries():  # nothing while the folder is not made yet
            row: dict[str, Any] = {
                "file": entry.relative,
                "link": entry.link,
                "audit_id": "",
                "framework": "",
                "edits": "",
            }
            changed = saved_at(entry.relative)
            if changed is None:  # pragma: no cover - deleted since it was listed
                continue
            row["changed"], row["order"] = changed
            if not entry.link:
                try:
                    data = load_bytes(drafts.read(entry.relative), entry.relative).data
                except (Refused, LoadError):
                    data = None
                if isinstance(data, dict):
                    ident = data.get("audit_id")
                    row["audit_id"] = ident if isinstance(ident, str) else ""
                    fw = str(data.get("standards") or "")
                    row["framework"] = titles.get(fw, fw)
                    edit = edit_in(data)
                    row["edits"] = edit.audit if edit is not None else ""
            rows.append(row)
        return sorted(rows, key=lambda r: (-r["order"], r["file"]))

    def saved_at(relative: str) -> tuple[str, float] | None:
        """When a draft was last saved, as the pages show it and as a number (``None``: not there)."""
        try:
            changed = os.lstat(drafts.root / relative).st_mtime
        except OSError:
            return None
        return dt.datetime.fromtimestamp(changed).strftime("%Y-%m-%d %H:%M"), changed

    def pending_draft(audit: str) -> dict[str, Any] | None:
        """The draft of changes to ``audit`` kept in the drafts folder: its address, when it was
        saved and its digest (``None`` when there is none)."""
        name = edit_draft_name(audit)
        try:
            raw = drafts.read(name)
        except Refused:
            return None
        changed = saved_at(name)
        return {
            "link": f"/drafts/{quote(name)}",
            "changed": changed[0] if changed else "",
            "base": digest(raw),
        }

    async def choose(request: Request, csrf: str) -> Response:
        return page(
            "choose.html.j2", title="New audit", frameworks=usable_frameworks(config.registry), csrf=csrf
        )

    def framework_of(ident: str) -> Form:
        fw = config.registry.frameworks()
        found = next((f for f in fw if f.id == ident), None)
        if found is None:
            raise _Denied(
                404, "No such framework", f"There is no framework '{ident}'. Choose one from the list."
            )
        return form_for(found)

    def render_form(
        form: Form,
        values: Values,
        csrf: str,
        *,
        mode: str,
        outcome: Outcome | None,
        relative: str | None = None,
        base: str | None = None,
        status: int = 200,
        notice: str | None = None,
        problems: dict[str, list[str]] | None = None,
        conflict: dict[str, Any] | None = None,
        extra_rows: int = 0,
        unsaved: bool = True,
        edit: EditOf | None = None,
        draft_base: str | None = None,
    ) -> Response:
        """The form page; ``unsaved``: what it shows is not on disk (every page a POST renders).

        ``edit``: the draft shown is of changes to that audit. ``draft_base``: on an audit's page,
        the digest of the draft of changes to it that the page was given ("": none), so that *Save
        draft* replaces that draft and no other (``None``: the draft as it is now).
        """
        fw = form.framework
        by_input = {
            name: [finding_view(d) for d in found]
            for name, found in (outcome.by_input if outcome else {}).items()
        }
        for name, messages in (problems or {}).items():
            by_input.setdefault(name, [])[:0] = [
                {"error": True, "code": "", "message": m, "hint": "", "where": ""} for m in messages
            ]
        panel = panel_view(outcome, config.options().today, form) if outcome else None
        if panel is not None and problems:
            for name, messages in problems.items():
                target = form.inputs[name].id if name in form.inputs else None
                panel["findings"][:0] = [
                    {"error": True, "message": m, "hint": "", "where": "", "code": "", "target": target}
                    for m in messages
                ]
        rows = action_count(values) + extra_rows
        rows = max(rows, 1) if fw.spec.remedial_actions else 0
        action = {
            "new": f"/new/{fw.id}",
            "draft": f"/drafts/{quote(relative or '')}",
        }.get(mode, f"/edit/{quote(relative or '')}")
        title = {
            "new": f"New audit: {fw.spec.title}",
            "draft": f"Draft of changes to {edit.audit}" if edit else f"Draft {relative}: {fw.spec.title}",
        }.get(mode, f"Audit {relative}")
        pending = pending_draft(relative) if mode == "edit" and relative else None
        # A draft of changes to an audit no longer there: saved, if at all, as a new audit file.
        audit_gone = mode == "draft" and edit is not None and is_gone(edit.audit, folder)
        if draft_base is None:
            draft_base = pending["base"] if pending else ""
        return page(
            "form.html.j2",
            status,
            title=title,
            mode=mode,
            action=action,
            framework={"id": fw.id, "title": fw.spec.title, "version": fw.spec.version},
            form=form,
            values=values,
            findings=by_input,
            panel=panel,
            rows=list(range(rows)),
            csrf=csrf,
            base=base or "",
            file=relative,
            notice=notice,
            conflict=conflict,
            unsaved=unsaved,
            edit=edit,
            pending=pending,
            draft_base=draft_base,
            audit_gone=audit_gone,
            max_bytes=MAX_BODY,
            max_fields=MAX_FIELDS,
            in_letters=_IN_LETTERS,
        )

    def checked(
        form: Form,
        values: Values,
        *,
        name: str,
        base: str | None = None,
        own: str | None = None,
        new: bool = False,
    ) -> Outcome:
        """The form checked as ``validate`` checks the file it would write (:func:`check_values`),
        and as it checks the folder: an audit id another audit in the folder holds is an error
        (QA704), beside the audit id. ``own``: the audit file the form edits (never its own
        duplicate). ``new``: the audit id names the file the audit is saved as, so an id that
        cannot name one, or names one the reports would skip, is an error too."""
        outcome = check_values(form, values, config.registry, config.options(), name=name, base=base)
        file_name, problems = _file_name(values) if new else (None, {})
        for message in problems.get("audit_id", []):
            add_finding(outcome, form, "audit_id", message)
        holder = ids.holder(form.framework.id, values.get("audit_id"), own=own)
        if holder is None and file_name is not None and (existing := _taking(folder, file_name)):
            # A file of that name holding another audit id (renamed inside since): Save would
            # refuse the name, so the check says so first, in Save's words.
            add_finding(outcome, form, "audit_id", folder.taken_message(existing))
        if holder is not None:
            add_finding(
                outcome,
                form,
                "audit_id",
                f"An audit with this id is already in the folder: {holder}.",
                "Give this audit its own id. If it is the same audit, open that file from the list of "
                "audits to change it instead.",
                code="QA704",
            )
        return outcome

    def check_page(
        form: Form, values: Values, *, audit: str | None, base_text: str | None = None, unnamed: str = ""
    ) -> Outcome:
        """A page's form checked as it is for every page of it, opened or sent back: ``audit``:
        the audit file the form is of (the file itself, or the audit a draft of changes is to),
        checked as an edit of it, with ``base_text`` its text; ``None``: a new audit, checked as
        one named by its audit id (``unnamed`` where the id names no file)."""
        if audit is None:
            return checked(form, values, name=_file_name(values)[0] or unnamed, new=True)
        return checked(form, values, name=audit, base=base_text, own=audit)

    async def new_form(request: Request, csrf: str) -> Response:
        form = framework_of(request.path_params["framework"])
        options = config.options()
        values: Values = {"review_date": options.today.isoformat()}
        return render_form(form, values, csrf, mode="new", outcome=None, unsaved=False)

    async def new_post(request: Request, csrf: str) -> Response:
        form = framework_of(request.path_params["framework"])
        values = await form_values(request, form, csrf)
        op = _op(values)
        name, _ = _file_name(values)
        outcome = check_page(form, values, audit=None, unnamed="new-audit.yaml")
        if op == "live":
            return live(form, outcome)
        if op == "add_action":
            return render_form(form, values, csrf, mode="new", outcome=outcome, extra_rows=1)
        if op == "draft":
            return new_draft(form, values, csrf, outcome, name)
        if op != "save":
            return render_form(form, values, csrf, mode="new", outcome=outcome)
        if not outcome.check.valid or name is None:
            return render_form(
                form,
                values,
                csrf,
                mode="new",
                outcome=outcome,
                status=422,
                notice="The audit was not saved: put right the problems listed, then save again.",
            )
        formatted = canonical_text(outcome.text, name, config.registry, config.options())
        try:
            folder.create(name, formatted.new_text)
        except Refused as exc:
            return render_form(
                form,
                values,
                csrf,
                mode="new",
                outcome=outcome,
                status=409,
                problems={"audit_id": [str(exc)]},
                notice="The audit was not saved.",
            )
        return RedirectResponse(f"/edit/{quote(name)}?saved=1", status_code=303, headers=_HEADERS)

    def open_file(relative: str, store: AuditsFolder = folder) -> tuple[bytes, str, Form]:
        try:
            raw = store.read(relative)
        except Refused as exc:
            raise _Denied(404, "Cannot open that file", str(exc)) from None
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff").replace("\r\n", "\n")
        try:
            data = load_bytes(raw, relative).data
        except LoadError as exc:
            raise _Denied(
                422,
                "This file cannot be opened in the form",
                f"{exc.diagnostic.message} {exc.diagnostic.hint} (line {exc.diagnostic.location.line}). "
                "Ask whoever looks after the audit files to put it right.",
            ) from None
        ident = data.get("standards") if isinstance(data, dict) else None
        fw = next((f for f in config.registry.frameworks() if f.id == ident), None)
        if isinstance(data, dict) and "kind" in data:
            # A record of another kind (a practice observation, say): the form is an audit's.
            raise _Denied(
                422,
                "This file cannot be opened in the form",
                f"It is a record of kind '{data['kind']}', not an audit, and the form edits audits "
                "only. Edit it in a text editor; `qaimpact validate` checks it.",
            )
        if fw is None:
            raise _Denied(
                422,
                "This file cannot be opened in the form",
                f"It does not name a framework serve knows ('standards: {ident}').",
            )
        return raw, text, form_for(fw)

    def open_for_post(
        relative: str, pairs: list[tuple[str, str]], store: AuditsFolder = folder
    ) -> tuple[bytes | None, str | None, Form]:
        """A file a form was sent back to, as :func:`open_file` opens it; but where the file is no
        longer there (``None``), or no longer opens in the form (its text ``None``), the form it
        was opened in (the ``framework`` field the page carries), so that nothing typed is lost:
        the page comes back with it and says what happened."""
        try:
            return open_file(relative, store)
        except _Denied as exc:
            denied = exc
        ident = next((v for k, v in pairs if k == "framework"), None)
        found = next((f for f in config.registry.frameworks() if f.id == ident), None)
        if found is None:
            raise denied
        try:
            return store.read(relative), None, form_for(found)
        except Refused:
            if is_gone(relative, store):
                return None, None, form_for(found)
        raise denied

    def is_gone(relative: str, store: AuditsFolder) -> bool:
        """Whether a file a page was opened from is no longer there (deleted, or renamed)."""
        try:
            return not os.path.lexists(store.check_relative(relative))
        except Refused:
            return False

    def show_opened(
        form: Form,
        values: Values,
        csrf: str,
        raw: bytes,
        *,
        mode: str,
        relative: str,
        audit: str | None,
        base_text: str | None = None,
        notice: str | None = None,
        edit: EditOf | None = None,
    ) -> Response:
        """A file's form as the file is on disk (nothing unsaved), checked as its page's POST
        checks it (:func:`check_page`, ``relative`` naming a new audit whose id names no file);
        its digest the form's base."""
        outcome = check_page(form, values, audit=audit, base_text=base_text, unnamed=relative)
        return render_form(
            form,
            values,
            csrf,
            mode=mode,
            outcome=outcome,
            relative=relative,
            base=digest(raw),
            notice=notice,
            unsaved=False,
            edit=edit,
        )

    async def edit_form(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        raw, text, form = open_file(relative)
        values = values_from_data(form, load_bytes(raw, relative).data)
        notice = f"Saved to {relative}." if request.query_params.get("saved") else None
        draft = request.query_params.get("draft")
        if notice and draft == "removed":
            notice += " Its draft was deleted."
        elif notice and draft == "kept":
            notice += (
                " Its draft was kept (it changed meanwhile, or could not be deleted): delete it from "
                "the list of drafts once you no longer need it."
            )
        return show_opened(
            form,
            values,
            csrf,
            raw,
            mode="edit",
            relative=relative,
            audit=relative,
            base_text=text,
            notice=notice,
        )

    async def edit_post(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        pairs = await form_pairs(request, csrf)
        raw, text, form = open_for_post(relative, pairs)
        values = values_in(pairs, form)
        op = _op(values)
        base = _base(values)
        outcome = check_page(form, values, audit=relative, base_text=text)
        if op == "live":
            return live(form, outcome)
        common: dict[str, Any] = {
            "mode": "edit",
            "outcome": outcome,
            "relative": relative,
            "base": base,
            "draft_base": _base(values, "draft_base"),
        }
        # Checked, or a row added, when the file is gone: the page says so, and keeps its base so
        # that Save shows the file is gone before it writes anything.
        notice = gone_notice(relative, folder) if raw is None and base else None
        if op == "add_action":
            return render_form(form, values, csrf, extra_rows=1, notice=notice, **common)
        if op == "draft":
            return edit_draft(form, values, csrf, EditOf(relative, base), common)
        if op != "save":
            return render_form(form, values, csrf, notice=notice, **common)

        def on_conflict(current: bytes | None) -> Response:
            return conflict(
                form, values, csrf, current, file=relative, page={**common, "base": _digest_of(current)}
            )

        try:
            refused = save_edit(
                form,
                values,
                csrf,
                relative,
                raw,
                base,
                common,
                on_conflict=on_conflict,
                invalid="Your changes were not saved: put right the problems listed, then save again.",
            )
        except Refused as exc:
            notice = f"{exc} To keep your changes meanwhile, press Save draft."
            return render_form(form, values, csrf, status=403, notice=notice, **common)
        return refused or RedirectResponse(
            f"/edit/{quote(relative)}?saved=1", status_code=303, headers=_HEADERS
        )

    def save_edit(
        form: Form,
        values: Values,
        csrf: str,
        audit: str,
        raw: bytes | None,
        base: str,
        page_args: dict[str, Any],
        *,
        on_conflict: Callable[[bytes | None], Response],
        invalid: str,
    ) -> Response | None:
        """Save changes into an audit file by the checks of every edit; ``None`` once saved.

        ``raw`` is the file as it is now (``None``: it is not there) and ``base`` the digest of the
        file the changes were made to ("": a page that showed the file gone): where they differ,
        or the file changes before it is replaced, nothing is written and ``on_conflict`` shows
        both versions (or that the file is gone; saved again from that page, the changes are
        written as a new file of that name). An audit with errors is not saved (``invalid`` says
        so). The file keeps its byte-order mark and line ends. Raises :class:`Refused` where the
        file cannot be written (read-only, say).
        """
        outcome: Outcome = page_args["outcome"]
        if _digest_of(raw) != base:
            return on_conflict(raw)
        if not outcome.check.valid:
            return render_form(form, values, csrf, status=422, notice=invalid, **page_args)
        formatted = canonical_text(outcome.text, audit, config.registry, config.options())
        new_text = formatted.new_text
        if raw is None:
            try:
                folder.create(audit, new_text)
            except Refused as exc:
                try:
                    now = folder.read(audit)
                except Refused:
                    raise exc from None  # not there still: why not written (its folder is gone, say)
                return on_conflict(now)  # written by someone else meanwhile: never written over
            return None
        original = raw.decode("utf-8", errors="replace")
        # The file keeps its own conventions, as fmt keeps them: a byte-order mark, Windows line ends.
        if "\r\n" in original:
            new_text = new_text.replace("\n", "\r\n")
        if original.startswith("\ufeff"):
            new_text = "\ufeff" + new_text
        try:
            if new_text.encode("utf-8") != raw:
                folder.replace(audit, new_text, base)
        except Conflict as exc:
            return on_conflict(exc.current)
        return None

    def conflict(
        form: Form,
        values: Values,
        csrf: str,
        current: bytes | None,
        *,
        file: str,
        page: dict[str, Any],
        audit: bool = False,
        store: AuditsFolder = folder,
        notice: str | None = None,
    ) -> Response:
        """Both versions, where ``file`` changed on disk after the form was given it (``current``:
        what it holds now, ``None`` when it is gone). ``page``: the form's page, with its base now
        that of the file as it is. ``audit``: ``file`` is the audit a draft of changes is to.
        ``store``: the folder ``file`` is in (a draft's is the drafts folder). ``notice``: what the
        page says, where not one of the usual."""
        try:
            theirs = load_bytes(current, file).data if current else None
        except LoadError:
            theirs = None
        differences = []
        if isinstance(theirs, dict):
            on_disk = values_from_data(form, theirs)
            for inp in form.all_inputs(max(action_count(values), action_count(on_disk))):
                mine, disk = values.get(inp.name, ""), on_disk.get(inp.name, "")
                if _shown(mine) != _shown(disk):
                    differences.append(
                        {
                            "label": _context(form, inp.name),
                            "disk": _shown(disk),
                            "mine": _shown(mine),
                            "id": inp.id,
                        }
                    )
        info = {
            "readable": isinstance(theirs, dict),
            "differences": differences,
            "gone": current is None,
            "audit": f"/edit/{quote(file)}" if audit else None,
        }
        if notice is None and current is None and not audit:
            notice = gone_notice(file, store, saving=True)
        elif notice is None and audit:
            notice = (
                f"{file} was changed by someone else (or in another window) after you started these "
                "changes, so your version was not saved over theirs. Both versions are below; the draft "
                "is kept."
            )
        elif notice is None:
            notice = (
                f"{file} was changed by someone else (or in another window) after you opened it, so your "
                "version was not saved over theirs. Both versions are below."
            )
        return render_form(form, values, csrf, status=409, notice=notice, conflict=info, **page)

    def gone_notice(relative: str, store: AuditsFolder, *, saving: bool = False) -> str:
        """What the page says where the file it was opened from is no longer there; ``saving``:
        on the page of a save refused for it."""
        if store is drafts:
            what = (
                f"the draft {relative} is no longer in the drafts folder (it was deleted, or saved as an "
                "audit, in another window after you opened it)"
            )
            keep = "press Save draft to keep it as a new draft of that name."
        else:
            what = (
                f"the audit file {relative} is no longer in the audits folder (it was deleted or renamed "
                "after you opened it)"
            )
            keep = "press Save draft to keep it in the drafts folder."
        if saving:
            return f"Your changes were not saved: {what}. Everything you typed is still in the form below."
        return f"{what[0].upper()}{what[1:]}. Everything you typed is still in the form below: {keep}"

    def edit_draft(
        form: Form, values: Values, csrf: str, edit: EditOf, page_args: dict[str, Any]
    ) -> Response:
        """Keep an audit's changes, unchecked, as the draft of changes to it; the audit is not touched.

        An audit has one such draft. It is replaced only if it is the one the page was given
        (``draft_base``), so that a draft saved meanwhile in another window is never lost unseen.
        """
        outcome: Outcome = page_args["outcome"]
        seen: str = page_args["draft_base"]
        name = edit_draft_name(edit.audit)
        text = with_edit(outcome.text, edit)

        def not_saved(notice: str, now: str) -> Response:
            return render_form(
                form, values, csrf, status=409, notice=notice, **{**page_args, "draft_base": now}
            )

        changed_meanwhile = (
            f"The draft was not saved: the draft of changes to {edit.audit} was saved or deleted in "
            "another window after this page was opened. To keep what this form holds as that draft "
            "instead, press Save draft again."
        )
        try:
            if seen:
                drafts.replace(name, text, seen)
            else:
                drafts.create(name, text)
        except Conflict as exc:
            return not_saved(changed_meanwhile, _digest_of(exc.current))
        except Refused as exc:
            pending = pending_draft(edit.audit)
            if pending is not None and pending["base"] != seen:
                return not_saved(changed_meanwhile, pending["base"])
            return not_saved(f"The draft was not saved. {exc}", seen)
        return RedirectResponse(f"/drafts/{quote(name)}?drafted=1", status_code=303, headers=_HEADERS)

    # -- drafts --------------------------------------------------------------------------------

    def new_draft(form: Form, values: Values, csrf: str, outcome: Outcome, name: str | None) -> Response:
        """Keep a new audit as a draft, unchecked: named after its id, else ``draft-<time>``."""

        def refused(message: str, on_id: bool, beside_id: str | None = None) -> Response:
            # Only why the draft was refused: a draft is kept unfinished, so the boxes not yet
            # filled in are not problems of it (the check's findings are left out).
            beside = message if on_id else beside_id
            return render_form(
                form,
                values,
                csrf,
                mode="new",
                outcome=None,
                status=409,
                problems={"audit_id": [beside]} if beside else None,
                notice="The draft was not saved." + ("" if on_id else " " + message),
            )

        if name is not None and folder.taken(name):
            return refused(
                f"An audit file named {name} is already in the audits folder, so this draft cannot "
                "take its name. Give this audit another id, or open that audit from the list to change it.",
                True,
            )
        holder = ids.holder(form.framework.id, values.get("audit_id"))
        if holder is not None:
            return refused(
                f"A draft cannot take the id of an audit already in the folder ({holder}): give this "
                "audit its own id, or open that audit from the list to change it.",
                False,
                f"An audit with this id is already in the folder: {holder}.",
            )
        target = name or draft_name()
        try:
            drafts.create(target, outcome.text)
        except Refused as exc:
            return refused(str(exc), name is not None and drafts.taken(target))
        return RedirectResponse(f"/drafts/{quote(target)}?drafted=1", status_code=303, headers=_HEADERS)

    def draft_name() -> str:
        """``draft-<date>-<time>.yaml``, not yet taken in the drafts folder."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        candidate, more = f"draft-{stamp}.yaml", 2
        while drafts.taken(candidate):
            candidate, more = f"draft-{stamp}-{more}.yaml", more + 1
        return candidate

    async def draft_form(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        raw, text, form = open_file(relative, drafts)
        values = values_from_data(form, load_bytes(raw, relative).data)
        drafted = request.query_params.get("drafted")
        body, edit = split_draft(text)
        if edit is None:
            notice = (
                f"Saved as a draft: {relative}, in the drafts folder. It is not an audit yet, and no report "
                "counts it: save the audit once it is complete."
                if drafted
                else None
            )
            return show_opened(
                form,
                values,
                csrf,
                raw,
                mode="draft",
                relative=relative,
                audit=None,  # a draft of a new audit: checked as new, as draft_post checks it
                notice=notice,
            )
        notes = []
        if drafted:
            notes.append(
                f"Saved as a draft: {relative}, in the drafts folder. The audit file {edit.audit} is as it "
                "was, and the reports count it as it was, until you save the audit."
            )
        now, problem = audit_now(edit)
        if problem is not None:
            notes.append(problem)
        elif now is not None and digest(now) != edit.base:
            notes.append(
                f"{edit.audit} was changed by someone else (or in another window) after these changes "
                "were started. Save the audit shows both versions side by side first: yours replaces "
                "theirs only if you then save again."
            )
        return show_opened(
            form,
            values,
            csrf,
            raw,
            mode="draft",
            relative=relative,
            audit=edit.audit,  # the same check as an audit's page; base: the draft's text, not the audit's
            base_text=body,
            notice=" ".join(notes) or None,
            edit=edit,
        )

    def audit_now(edit: EditOf) -> tuple[bytes | None, str | None]:
        """What the audit a draft of changes is to holds now, or why the changes cannot be saved
        into it (the file is gone, say)."""
        try:
            return folder.read(edit.audit), None
        except Refused as exc:
            refused = exc
        if is_gone(edit.audit, folder):
            return None, (
                f"The audit file {edit.audit} is no longer in the audits folder: it was deleted or renamed "
                "after these changes were started, so they cannot be saved into it. The draft is kept. "
                "If the audit was deleted, press Save as a new audit to save the changes as a new audit "
                "file of that name. If it was renamed, do not: that would make a second audit with the "
                "same audit id, and the reports would count both. Open the audit from the list of audits "
                "by its new name instead, make the changes there with this draft open beside it, then "
                "delete the draft."
            )
        return None, f"These changes cannot be saved into {edit.audit}: {refused} The draft is kept."

    async def draft_post(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        pairs = await form_pairs(request, csrf)
        raw, text, form = open_for_post(relative, pairs, drafts)
        values = values_in(pairs, form)
        if text is not None:
            body, edit = split_draft(text)
        else:  # the draft is gone (or no longer opens): the audit its page said it changes, if any
            body, edit = None, page_edit(values)
        if edit is not None:
            return changes_post(form, values, csrf, relative, raw, body, edit)
        op = _op(values)
        base = _base(values)
        name, _ = _file_name(values)
        outcome = check_page(form, values, audit=None, unnamed=relative)
        if op == "live":
            return live(form, outcome)
        common: dict[str, Any] = {"mode": "draft", "outcome": outcome, "relative": relative, "base": base}
        notice = gone_notice(relative, drafts) if raw is None and base else None
        if op == "add_action":
            return render_form(form, values, csrf, extra_rows=1, notice=notice, **common)
        if op not in ("save", "draft"):
            return render_form(form, values, csrf, notice=notice, **common)
        if _digest_of(raw) != base:
            page = {**common, "base": _digest_of(raw)}
            return conflict(form, values, csrf, raw, file=relative, page=page, store=drafts)
        if op == "draft":
            return draft_again(form, values, csrf, outcome.text, common)
        if not outcome.check.valid or name is None:
            notice = (
                "The audit was not saved: put right the problems listed, then save again. To stop for "
                "now, save it as a draft."
            )
            return render_form(form, values, csrf, status=422, notice=notice, **common)
        formatted = canonical_text(outcome.text, name, config.registry, config.options())
        try:
            folder.create(name, formatted.new_text)
        except Refused as exc:
            return render_form(
                form,
                values,
                csrf,
                status=409,
                problems={"audit_id": [str(exc)]},
                notice="The audit was not saved.",
                **common,
            )
        return saved_from_draft(name, relative, base)

    def page_edit(values: Values) -> EditOf | None:
        """The audit a draft's page said the draft changes, and its digest then (``None``: the
        page was of a draft of a new audit)."""
        audit = values.get("edits")
        if not isinstance(audit, str) or not audit or "audit_base" not in values:
            return None
        return EditOf(audit, _base(values, "audit_base"))

    def draft_again(form: Form, values: Values, csrf: str, text: str, page_args: dict[str, Any]) -> Response:
        """A reopened draft saved as a draft again, unless it changed since it was opened; one
        whose page showed it gone (base "") is written again as a new draft of that name."""
        relative: str = page_args["relative"]
        base: str = page_args["base"]

        def changed(current: bytes | None) -> Response:
            page = {**page_args, "base": _digest_of(current)}
            return conflict(form, values, csrf, current, file=relative, page=page, store=drafts)

        try:
            if base:
                drafts.replace(relative, text, base)
            else:
                drafts.create(relative, text)
        except Conflict as exc:
            return changed(exc.current)
        except Refused as exc:
            if not base and not is_gone(relative, drafts):  # written again meanwhile: never over it
                try:
                    return changed(drafts.read(relative))
                except Refused:
                    pass
            return render_form(form, values, csrf, status=403, notice=str(exc), **page_args)
        return RedirectResponse(f"/drafts/{quote(relative)}?drafted=1", status_code=303, headers=_HEADERS)

    def saved_from_draft(audit: str, relative: str, base: str) -> Response:
        """The audit a draft was saved as, the draft deleted (kept if it changed meanwhile; none
        to delete where its page showed it gone, base "")."""
        if not base:
            return RedirectResponse(f"/edit/{quote(audit)}?saved=1", status_code=303, headers=_HEADERS)
        try:
            drafts.remove(relative, base)
            kept = "removed"
        except (Conflict, Refused):
            kept = "kept"
        return RedirectResponse(
            f"/edit/{quote(audit)}?saved=1&draft={kept}", status_code=303, headers=_HEADERS
        )

    def changes_post(
        form: Form,
        values: Values,
        csrf: str,
        relative: str,
        raw: bytes | None,
        body: str | None,
        stored: EditOf,
    ) -> Response:
        """A draft of changes to an audit, sent back: checked, kept as the draft, or saved into the
        audit by the checks of every edit (then the draft is deleted); where the audit is no longer
        there, saved as a new audit file of its name (*Save as a new audit*, ``op=save_new``)."""
        op = _op(values)
        base = _base(values)
        # The audit's digest the changes are to: the draft's, unless the page showed a newer version.
        edit = EditOf(stored.audit, _base(values, "audit_base") or stored.base)
        outcome = check_page(form, values, audit=edit.audit, base_text=body)
        if op == "live":
            return live(form, outcome)
        common: dict[str, Any] = {
            "mode": "draft",
            "outcome": outcome,
            "relative": relative,
            "base": base,
            "edit": edit,
        }
        # The draft gone says so; else the audit gone (or not to be saved into) says so, as its page did.
        notice = gone_notice(relative, drafts) if raw is None and base else None
        if op in ("check", "add_action") and notice is None:
            notice = audit_now(edit)[1]
        if op == "add_action":
            return render_form(form, values, csrf, extra_rows=1, notice=notice, **common)
        if op not in ("save", "save_new", "draft"):
            return render_form(form, values, csrf, notice=notice, **common)
        if _digest_of(raw) != base:
            page = {**common, "base": _digest_of(raw)}
            return conflict(form, values, csrf, raw, file=relative, page=page, store=drafts)
        if op == "draft":
            return draft_again(form, values, csrf, with_edit(outcome.text, edit), common)
        invalid = (
            "Your changes were not saved: put right the problems listed, then save again. To stop "
            "for now, save them as a draft."
        )

        def on_conflict(current: bytes | None, *, back: bool = False) -> Response:
            if current is None:  # gone in the instant before the save, or back again since
                current, gone = audit_now(edit)
                if current is None:
                    notice = "Your changes were not saved. " + (gone or "")
                    return render_form(form, values, csrf, status=409, notice=notice, **common)
            page = {**common, "edit": EditOf(edit.audit, digest(current))}
            came_back = (
                f"An audit file named {edit.audit} is in the audits folder again (put back, or saved "
                "from another window, after this page was opened), so your version was not saved over "
                "it. Both versions are below; the draft is kept."
            )
            return conflict(
                form,
                values,
                csrf,
                current,
                file=edit.audit,
                page=page,
                audit=True,
                notice=came_back if back else None,
            )

        if op == "save_new":
            # A new audit file of the audit's name, the changes checked as the draft holds them
            # (keys and comments the form does not show kept): written only where no file is; one
            # there (back again meanwhile) is shown beside the changes, never written over.
            try:
                refused = save_edit(
                    form,
                    values,
                    csrf,
                    edit.audit,
                    audit_now(edit)[0],
                    "",
                    common,
                    on_conflict=lambda current: on_conflict(current, back=True),
                    invalid=invalid,
                )
            except Refused as exc:
                return render_form(
                    form, values, csrf, status=403, notice=f"{exc} The draft is kept.", **common
                )
            return refused or saved_from_draft(edit.audit, relative, base)
        _, problem = audit_now(edit)
        if problem is not None:
            return render_form(
                form, values, csrf, status=409, notice="Your changes were not saved. " + problem, **common
            )
        audit_raw: bytes | None
        audit_text: str | None
        try:
            audit_raw, audit_text, _ = open_file(edit.audit)
        except _Denied:  # changed meanwhile into a file the form cannot open: both are shown
            audit_raw, audit_text = audit_now(edit)[0], None
        # Checked as an edit of the audit checks it: written into the file as it is now.
        common["outcome"] = check_page(form, values, audit=edit.audit, base_text=audit_text)
        if audit_raw is None:  # gone in the instant since it was looked at: never written as new
            return on_conflict(None)
        try:
            refused = save_edit(
                form,
                values,
                csrf,
                edit.audit,
                audit_raw,
                edit.base,
                common,
                on_conflict=on_conflict,
                invalid=invalid,
            )
        except Refused as exc:
            return render_form(form, values, csrf, status=403, notice=f"{exc} The draft is kept.", **common)
        return refused or saved_from_draft(edit.audit, relative, base)

    async def delete_draft_form(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        try:
            raw = drafts.read(relative)
        except Refused as exc:
            raise _Denied(404, "Cannot open that draft", str(exc)) from None
        return page(
            "delete.html.j2",
            title=f"Delete the draft {relative}?",
            file=relative,
            base=digest(raw),
            action=f"/drafts-delete/{quote(relative)}",
            csrf=csrf,
        )

    async def delete_draft(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        values = await form_values(request, None, csrf)
        try:
            drafts.remove(relative, _base(values))
        except Conflict:
            raise _Denied(
                409,
                "Not deleted",
                f"The draft {relative} changed after you asked to delete it (or it is no longer there), "
                "so it was not deleted. Go back to the list and look at it again.",
            ) from None
        except Refused as exc:
            raise _Denied(403, "Not deleted", str(exc)) from None
        return RedirectResponse("/?deleted=1", status_code=303, headers=_HEADERS)

    def live(form: Form, outcome: Outcome) -> Response:
        panel = panel_view(outcome, config.options().today, form)
        fields: dict[str, list[dict[str, Any]]] = {}
        for name, found in outcome.by_input.items():
            ident = form.inputs[name].id if name in form.inputs else "f-" + name.replace(".", "-")
            fields[ident] = [finding_view(d) for d in found]
        html = render_page("qaimpact.web", "panel.html.j2", {"panel": panel})
        return JSONResponse({"panel": html, "fields": fields, "status": _status(panel)}, headers=_HEADERS)

    async def static(request: Request) -> Response:
        try:
            check_host(request)
        except _Denied as exc:
            return denied(exc)
        name = request.path_params["name"]
        if name == "report.css":
            return Response(report_css(), media_type="text/css; charset=utf-8", headers=_HEADERS)
        if name not in _STATIC:
            return Response("Not found", status_code=404, headers=_HEADERS)
        body = files("qaimpact.web").joinpath("static", name).read_bytes()
        return Response(body, media_type=_STATIC[name], headers=_HEADERS)

    async def not_found(request: Request, csrf: str) -> Response:
        raise _Denied(404, "Not found", "There is no such page. Go back to the list of audits.")

    routes = [
        Route("/", guard(home)),
        Route("/new", guard(choose)),
        Route("/new/{framework}", guard(new_form), methods=["GET"]),
        Route("/new/{framework}", guard(new_post, write=True), methods=["POST"]),
        Route("/edit/{path:path}", guard(edit_form), methods=["GET"]),
        Route("/edit/{path:path}", guard(edit_post, write=True), methods=["POST"]),
        Route("/drafts/{path:path}", guard(draft_form), methods=["GET"]),
        Route("/drafts/{path:path}", guard(draft_post, write=True), methods=["POST"]),
        Route("/drafts-delete/{path:path}", guard(delete_draft_form), methods=["GET"]),
        Route("/drafts-delete/{path:path}", guard(delete_draft, write=True), methods=["POST"]),
        Route("/static/{name}", static),
        Route("/{path:path}", guard(not_found), methods=["GET", "POST"]),
    ]
    return Starlette(routes=routes)


async def _read_body(request: Request) -> tuple[bytearray | None, int | None, bool]:
    """A request's body, or ``None`` where it is longer than :data:`MAX_READ`; its length
    (``None``: more than :data:`MAX_DRAIN`, how much more unknown); and whether it was all read.

    Up to :data:`MAX_DRAIN` the body is read to its end, the part past :data:`MAX_READ` counted
    and thrown away chunk by chunk: a server that answers before the browser has sent all of it
    closes the connection with the rest unread, and the browser, still sending, shows "connection
    reset" instead of the page saying what was too long. A longer body is left unread: at once
    where ``Content-Length`` says so (its length is then the one said), else as soon as what was
    read passes :data:`MAX_DRAIN`; its connection is to be closed (:class:`_Denied`'s ``close``).
    Only a signed-in page of serve's own gets this far (the session cookie is ``SameSite=Strict``
    and the origin was checked)."""
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > MAX_DRAIN:
        return None, int(declared), False
    body = bytearray()
    read = 0
    async for chunk in request.stream():
        read += len(chunk)
        if read > MAX_DRAIN:
            return None, None, False
        if read <= MAX_READ:
            body += chunk
        elif body:
            body.clear()  # too long: the rest is only counted
    return (body if read <= MAX_READ else None), read, True


#: The pages of a form, and the form's mode on each.
_FORM_PAGES = (("/new/", "new"), ("/edit/", "edit"), ("/drafts/", "draft"))


def _mb(size: int) -> str:
    """A size in megabytes as people read them: "1 MB", "1.3 MB"."""
    return f"{size / 1_000_000:,.1f}".removesuffix(".0") + " MB"


#: The bytes a form sends as they are (application/x-www-form-urlencoded, as browsers encode it;
#: a space is sent as "+"): every other byte takes three ("%C3").
_SENT_AS_IS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._ "


def _sent(text: str) -> int:
    """The bytes ``text`` takes in a form as a browser sends it (and form.js counts them)."""
    raw = text.encode("utf-8", errors="replace")
    return len(raw) + 2 * len(raw.translate(None, _SENT_AS_IS))


def _longest(form: Form, pairs: list[tuple[str, str]], size: int) -> list[tuple[str, int, int]]:
    """The longest answers of a form of ``size`` bytes, longest first, as many as together make
    it too long (at most five): each field's name, its length in characters and the characters
    to cut from it (each character as many bytes as it takes on average in that answer). Only
    the form's answers are named (not its hidden fields, nor a field it does not have); none,
    where emptying every answer would still leave it too long."""
    left = size - MAX_BODY
    given: Values = dict(pairs)
    answers = {inp.name for inp in form.all_inputs(action_count(given))}
    filled = sorted(((_sent(v), k, v) for k, v in pairs if v and k in answers), key=lambda t: (-t[0], t[1]))
    if sum(sent for sent, _, _ in filled) < left:
        return []
    longest: list[tuple[str, int, int]] = []
    for sent, name, value in filled:
        if left <= 0 or len(longest) == 5:
            break
        chars = len(value.replace("\r\n", "\n"))  # a line break is one character to the auditor
        per_char = sent / chars
        cut = min(chars, math.ceil(left / per_char))
        left -= sent if cut == chars else math.ceil(cut * per_char)
        longest.append((name, chars, cut))
    return longest


def _too_long_notice(form: Form, size: int, longest: list[tuple[str, int, int]]) -> str:
    """What a page's form too long says when it comes back."""
    came_to = _mb(size) if _mb(size) != _mb(MAX_BODY) else f"just over {_mb(MAX_BODY)}"
    if not longest:
        return (
            f"Nothing was saved: the form is too large to save. It came to {came_to}, and serve takes "
            f"at most {_mb(MAX_BODY)} in one form. None of your answers is long enough to be the cause: "
            "something is wrong with the form that was sent. Everything you typed is still in the form "
            "below. Copy anything you need to keep, then open the form again from the list of audits. "
            "If this happens again, ask whoever set up qaimpact for help."
        )
    shorten = "; ".join(
        f"{_context(form, name)} ({chars:,} characters: shorten it by at least {cut:,})"
        for name, chars, cut in longest
    )
    return (
        f"Nothing was saved: the form is too long to send. It came to {came_to}, and serve takes at "
        f"most {_mb(MAX_BODY)} in one form ({_IN_LETTERS}). Everything you typed is still in the "
        f"form below. Shorten {'this answer' if len(longest) == 1 else 'these answers'}, then save "
        f"again: {shorten}."
    )


#: The limit in the units an auditor knows.
_IN_LETTERS = (
    "about a million letters and spaces; a line break, an accented letter or a punctuation mark "
    "takes the room of two to six"
)


def _too_long(size: int | None) -> str:
    """What a form too long to send is told first, however it was sent: its size (``None``: more
    than serve reads, :data:`MAX_DRAIN`), and the limit."""
    came_to = _mb(size) if size is not None else f"more than {_mb(MAX_DRAIN)}"
    return (
        f"the form is too long to send. It came to {came_to}, and serve takes at most "
        f"{_mb(MAX_BODY)} in one form ({_IN_LETTERS})."
    )


def _far_too_long(size: int | None) -> str:
    """What a form far too long (or a live check of one too long sent without the page's script)
    is told: no form comes back."""
    return (
        f"Nothing was saved: {_too_long(size)} What you typed should still be in the form: press your "
        "browser's Back button to go back to it. Then shorten the longest answers (text pasted in "
        "from a case record, say) and save again."
    )


def _too_long_to_check(size: int | None) -> str:
    """What the live check of a form too long is told (the page's script shows it as the check's
    status): nothing was sent to be saved, and typing on checks again."""
    return (
        f"The live check stopped: {_too_long(size)} Shorten the longest answers (text pasted in from "
        "a case record, say); the check starts again as you type."
    )


def _op(values: Values) -> str:
    op = values.get("op", "check")
    return op if isinstance(op, str) else "check"


def _base(values: Values, name: str = "base") -> str:
    """The digest of the file as the form was given it (empty when the form sent none); ``name``:
    a digest the form carries besides (``draft_base``, ``audit_base``)."""
    base = values.get(name)
    return base if isinstance(base, str) else ""


def _digest_of(current: bytes | None) -> str:
    """The digest of a file as it is now, for the form's base ("" where it is gone)."""
    return digest(current) if current is not None else ""


def _taking(folder: AuditsFolder, file_name: str) -> str | None:
    """The file that keeps a new audit from being saved as ``file_name`` (:meth:`AuditsFolder.taking`);
    a name the folder refuses, a link's, is Save's to refuse in its own words."""
    try:
        return folder.taking(file_name)
    except Refused:
        return None


def _file_name(values: Values) -> tuple[str | None, dict[str, list[str]]]:
    """The file name the audit id gives (``None`` without one), and the problem of an id that
    cannot name a file, beside the audit id's box."""
    audit_id = values.get("audit_id")
    if not isinstance(audit_id, str) or not audit_id.strip():
        return None, {}
    problem = file_name_problem(audit_id.strip())
    if problem is not None:
        return None, {"audit_id": [problem]}
    return f"{audit_id.strip()}.yaml", {}


def _shown(value: str | list[str]) -> str:
    return ", ".join(value) if isinstance(value, list) else value


def _context(form: Form, name: str) -> str:
    """An input's label with where it is: 'Child seen: Rating'."""
    for section in form.sections:
        for std in section.standards:
            if name in (std.rating.name, std.evidence.name, *(f.name for f in std.facts)):
                inp = next(i for i in (std.rating, std.evidence, *std.facts) if i.name == name)
                return f"{std.title}: {inp.label}"
        for block in section.blocks:
            for inp in block.inputs:
                if inp.name == name:
                    return f"{block.title}: {inp.label}"
        for inp in section.inputs:
            if inp.name == name:
                return f"{section.title}: {inp.label}"
    if name.startswith("remedial_actions."):
        _, row, key = name.split(".")
        return f"Remedial action {int(row) + 1}: {key.replace('_', ' ')}"
    return name


def _status(panel: dict[str, Any]) -> str:
    """One line for screen readers after each live check."""
    if panel["graded"]:
        line = f"Grade: {panel['grade']['label']}."
        if panel["escalation"]:
            line += " This audit must be escalated."
    else:
        line = "No grade yet."
        if panel.get("ahead"):
            line += " When the problems are put right, this audit must be escalated."
    if panel["errors"]:
        line += f" {panel['errors']} problem{'s' if panel['errors'] != 1 else ''} to put right."
    return line


def serve_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers that name serve: the address it binds, and the loopback names."""
    names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
    if host in ("::1", "[::1]"):
        names = {"[::1]", "localhost"}
    return frozenset(f"{name}:{port}".lower() for name in names)
