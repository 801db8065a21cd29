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
   (``Origin``), come from serve's own address.
4. **Files.** Paths are checked by :class:`~qaimpact.web.store.AuditsFolder`: nothing outside
   the audits folder (or, for drafts, the drafts folder), no links.
5. **Pages.** Rendered by the reports' sandboxed, autoescaping Jinja environment, user text as
   data only; a Content-Security-Policy allows only serve's own style sheet and script.
"""

from __future__ import annotations

import datetime as dt
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
    Outcome,
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
    Refused,
    digest,
    drafts_folder_for,
    file_name_for,
)

COOKIE = "qaimpact_session"
MAX_BODY = 1_000_000
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


class _Denied(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def create_app(config: ServeConfig) -> Starlette:
    """The application serving ``config.folder``."""
    folder = AuditsFolder(config.folder)
    drafts = DraftsFolder(config.drafts or drafts_folder_for(config.folder))
    state = _State()

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("folder", str(folder.root))
        return HTMLResponse(render_page("qaimpact.web", name, context), status_code=status, headers=_HEADERS)

    def denied(exc: _Denied) -> HTMLResponse:
        return page("message.html.j2", exc.status, title=exc.title, message=exc.message, csrf="")

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
                return await handler(request, csrf)
            except _Denied as exc:
                return denied(exc)

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
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise _Denied(413, "Too much", "The form sent more than a megabyte; nothing was saved.")
        pairs = parse_qsl(
            body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=20_000
        )
        sent = request.headers.get("x-csrf-token") or next((v for k, v in pairs if k == "csrf"), "")
        if not secrets.compare_digest(sent, csrf):
            raise _Denied(
                403,
                "Refused",
                "This form is out of date (serve was restarted, or it did not come from serve). "
                "Nothing was saved. Go back, reload the page and enter the changes again.",
            )
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
        """Each draft: its file, audit id, framework and when it was last saved (newest first)."""
        titles = {f.id: f.spec.title for f in config.registry.frameworks()}
        rows: list[dict[str, Any]] = []
        for entry in drafts.entries():  # nothing while the folder is not made yet
            row: dict[str, Any] = {
                "file": entry.relative,
                "link": entry.link,
                "audit_id": "",
                "framework": "",
            }
            try:
                changed = os.lstat(drafts.root / entry.relative).st_mtime
            except OSError:  # pragma: no cover - deleted since it was listed
                continue
            row["changed"] = dt.datetime.fromtimestamp(changed).strftime("%Y-%m-%d %H:%M")
            row["order"] = changed
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
            rows.append(row)
        return sorted(rows, key=lambda r: (-r["order"], r["file"]))

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
    ) -> Response:
        """The form page; ``unsaved``: what it shows is not on disk (every page a POST renders)."""
        fw = form.framework
        by_input = {
            name: [finding_view(d) for d in found]
            for name, found in (outcome.by_input if outcome else {}).items()
        }
        for name, messages in (problems or {}).items():
            by_input.setdefault(name, [])[:0] = [
                {"error": True, "code": "", "message": m, "hint": "", "where": ""} for m in messages
            ]
        panel = panel_view(outcome, config.options().today) if outcome else None
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
            "draft": f"Draft {relative}: {fw.spec.title}",
        }.get(mode, f"Audit {relative}")
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
        )

    async def new_form(request: Request, csrf: str) -> Response:
        form = framework_of(request.path_params["framework"])
        options = config.options()
        values: Values = {"review_date": options.today.isoformat()}
        return render_form(form, values, csrf, mode="new", outcome=None, unsaved=False)

    async def new_post(request: Request, csrf: str) -> Response:
        form = framework_of(request.path_params["framework"])
        values = await form_values(request, form, csrf)
        op = _op(values)
        name, problems = _file_name(values)
        outcome = check_values(form, values, config.registry, config.options(), name=name or "new-audit.yaml")
        if op == "live":
            return live(form, outcome)
        if op == "add_action":
            return render_form(form, values, csrf, mode="new", outcome=outcome, extra_rows=1)
        if op == "draft":
            return new_draft(form, values, csrf, outcome, name)
        if op != "save":
            return render_form(form, values, csrf, mode="new", outcome=outcome, problems=problems)
        if not outcome.check.valid or name is None:
            return render_form(
                form,
                values,
                csrf,
                mode="new",
                outcome=outcome,
                status=422,
                problems=problems,
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

    async def edit_form(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        raw, text, form = open_file(relative)
        data = load_bytes(raw, relative).data
        values = values_from_data(form, data)
        outcome = check_values(form, values, config.registry, config.options(), name=relative, base=text)
        notice = f"Saved to {relative}." if request.query_params.get("saved") else None
        draft = request.query_params.get("draft")
        if notice and draft == "removed":
            notice += " Its draft was deleted."
        elif notice and draft == "kept":
            notice += (
                " Its draft was kept (it changed meanwhile, or could not be deleted): delete it from "
                "the list of drafts once you no longer need it."
            )
        return render_form(
            form,
            values,
            csrf,
            mode="edit",
            outcome=outcome,
            relative=relative,
            base=digest(raw),
            notice=notice,
            unsaved=False,
        )

    async def edit_post(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        raw, text, form = open_file(relative)
        values = await form_values(request, form, csrf)
        op = _op(values)
        base = _base(values)
        outcome = check_values(form, values, config.registry, config.options(), name=relative, base=text)
        if op == "live":
            return live(form, outcome)
        common: dict[str, Any] = {"mode": "edit", "outcome": outcome, "relative": relative, "base": base}
        if op == "add_action":
            return render_form(form, values, csrf, extra_rows=1, **common)
        if op != "save":
            return render_form(form, values, csrf, **common)
        if digest(raw) != base:
            return conflict(form, values, csrf, relative, raw, outcome)
        if not outcome.check.valid:
            notice = "Your changes were not saved: put right the problems listed, then save again."
            return render_form(form, values, csrf, status=422, notice=notice, **common)
        formatted = canonical_text(outcome.text, relative, config.registry, config.options())
        new_text = formatted.new_text
        original = raw.decode("utf-8", errors="replace")
        # The file keeps its own conventions, as fmt keeps them: a byte-order mark, Windows line ends.
        if "\r\n" in original:
            new_text = new_text.replace("\n", "\r\n")
        if original.startswith("\ufeff"):
            new_text = "\ufeff" + new_text
        try:
            if new_text.encode("utf-8") != raw:
                folder.replace(relative, new_text, base)
        except Conflict as exc:
            return conflict(form, values, csrf, relative, exc.current or b"", outcome)
        except Refused as exc:
            raise _Denied(403, "Not saved", str(exc)) from None
        return RedirectResponse(f"/edit/{quote(relative)}?saved=1", status_code=303, headers=_HEADERS)

    def conflict(
        form: Form,
        values: Values,
        csrf: str,
        relative: str,
        current: bytes,
        outcome: Outcome,
        mode: str = "edit",
    ) -> Response:
        try:
            theirs = load_bytes(current, relative).data if current else None
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
            "gone": not current,
        }
        notice = (
            f"{relative} was changed by someone else (or in another window) after you opened it, so your "
            "version was not saved over theirs. Both versions are below."
        )
        return render_form(
            form,
            values,
            csrf,
            mode=mode,
            outcome=outcome,
            relative=relative,
            base=digest(current) if current else "",
            status=409,
            notice=notice,
            conflict=info,
        )

    # -- drafts --------------------------------------------------------------------------------

    def new_draft(form: Form, values: Values, csrf: str, outcome: Outcome, name: str | None) -> Response:
        """Keep a new audit as a draft, unchecked: named after its id, else ``draft-<time>``."""

        def refused(message: str, on_id: bool) -> Response:
            return render_form(
                form,
                values,
                csrf,
                mode="new",
                outcome=outcome,
                status=409,
                problems={"audit_id": [message]} if on_id else None,
                notice="The draft was not saved." + ("" if on_id else " " + message),
            )

        if name is not None and folder.taken(name):
            return refused(
                f"An audit file named {name} is already in the audits folder, so this draft cannot "
                "take its name. Give this audit another id, or open that audit from the list to change it.",
                True,
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
        raw, _, form = open_file(relative, drafts)
        values = values_from_data(form, load_bytes(raw, relative).data)
        name, _ = _file_name(values)
        outcome = check_values(form, values, config.registry, config.options(), name=name or relative)
        notice = (
            f"Saved as a draft: {relative}, in the drafts folder. It is not an audit yet, and no report "
            "counts it: save the audit once it is complete."
            if request.query_params.get("drafted")
            else None
        )
        return render_form(
            form,
            values,
            csrf,
            mode="draft",
            outcome=outcome,
            relative=relative,
            base=digest(raw),
            notice=notice,
            unsaved=False,
        )

    async def draft_post(request: Request, csrf: str) -> Response:
        relative = request.path_params["path"]
        raw, _, form = open_file(relative, drafts)
        values = await form_values(request, form, csrf)
        op = _op(values)
        base = _base(values)
        name, problems = _file_name(values)
        outcome = check_values(form, values, config.registry, config.options(), name=name or relative)
        if op == "live":
            return live(form, outcome)
        common: dict[str, Any] = {"mode": "draft", "outcome": outcome, "relative": relative, "base": base}
        if op == "add_action":
            return render_form(form, values, csrf, extra_rows=1, **common)
        if op not in ("save", "draft"):
            return render_form(form, values, csrf, problems=problems, **common)
        if digest(raw) != base:
            return conflict(form, values, csrf, relative, raw, outcome, mode="draft")
        if op == "draft":
            try:
                drafts.replace(relative, outcome.text, base)
            except Conflict as exc:
                return conflict(form, values, csrf, relative, exc.current or b"", outcome, mode="draft")
            except Refused as exc:
                raise _Denied(403, "Not saved", str(exc)) from None
            return RedirectResponse(f"/drafts/{quote(relative)}?drafted=1", status_code=303, headers=_HEADERS)
        if not outcome.check.valid or name is None:
            notice = (
                "The audit was not saved: put right the problems listed, then save again. To stop for "
                "now, save it as a draft."
            )
            return render_form(form, values, csrf, status=422, problems=problems, notice=notice, **common)
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
        try:
            drafts.remove(relative, base)
            kept = "removed"
        except (Conflict, Refused):
            kept = "kept"
        return RedirectResponse(
            f"/edit/{quote(name)}?saved=1&draft={kept}", status_code=303, headers=_HEADERS
        )

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
        panel = panel_view(outcome, config.options().today)
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


def _op(values: Values) -> str:
    op = values.get("op", "check")
    return op if isinstance(op, str) else "check"


def _base(values: Values) -> str:
    """The digest of the file as the form was given it (empty when the form sent none)."""
    base = values.get("base")
    return base if isinstance(base, str) else ""


def _file_name(values: Values) -> tuple[str | None, dict[str, list[str]]]:
    """The file name the audit id gives (``None`` without one), and the problem of an id that
    cannot name a file, beside the audit id's box."""
    audit_id = values.get("audit_id")
    if not isinstance(audit_id, str) or not audit_id.strip():
        return None, {}
    name = file_name_for(audit_id.strip())
    if name is not None:
        return name, {}
    return None, {
        "audit_id": [
            "The audit id names the file, so it may hold only letters, digits and . _ - "
            "(for example QA-2026-0142)."
        ]
    }


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
    if panel["errors"]:
        line += f" {panel['errors']} problem{'s' if panel['errors'] != 1 else ''} to put right."
    return line


def serve_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers that name serve: the address it binds, and the loopback names."""
    names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
    if host in ("::1", "[::1]"):
        names = {"[::1]", "localhost"}
    return frozenset(f"{name}:{port}".lower() for name in names)
