"""``qaimpact serve``: the audit form in a browser, for a folder of audits."""

from __future__ import annotations

import ipaddress
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer

from qaimpact.base.errors import UsageError
from qaimpact.cli.errors import handle_errors
from qaimpact.cli.options import StandardsDirs, Today, load_registry, parse_date, whole_number_option

#: What a missing web stack tells the user: the one line that installs it.
INSTALL_HINT = (
    "qaimpact serve needs the web extra, which is not installed. Install it with: "
    "pip install 'qaimpact[serve]'  (then run qaimpact serve again)."
)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@handle_errors
def serve(
    audits: Annotated[
        Path,
        typer.Option(
            "--audits", help="The folder of audits to list, edit and save new audits in.", metavar="DIR"
        ),
    ] = Path("audits"),
    drafts: Annotated[
        Path | None,
        typer.Option(
            "--drafts",
            help="The folder to keep drafts (unfinished audits) in, outside the audits folder "
            "[default: .qaimpact-drafts beside the audits folder].",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            help="The address to listen on. Keep the default, 127.0.0.1: only this computer can connect.",
            metavar="ADDRESS",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        whole_number_option(
            "--port",
            help="The port to listen on (0: any free port).",
            metavar="N",
            what="a whole number",
            note="0 picks any free port",
            example="8000",
            min=0,
            max=65535,
        ),
    ] = 8000,
    standards: StandardsDirs = None,
    today: Today = None,
) -> None:
    """Fill in and edit audits in a browser: a form from the framework, checked as you type."""
    try:
        import uvicorn

        from qaimpact.web.app import ServeConfig, create_app, serve_hosts
        from qaimpact.web.store import drafts_folder_for, is_inside
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    from qaimpact.cli import console
    from qaimpact.cli.outcome import free_as_commands_end

    # It runs until it is stopped: nothing it reads is kept for an exit that never comes.
    free_as_commands_end()
    if not audits.is_dir():
        raise UsageError(
            f"The audits folder '{audits}' does not exist. Create it, or give the folder with --audits DIR."
        )
    drafts = drafts or drafts_folder_for(audits)
    if is_inside(drafts, audits):
        raise UsageError(
            f"The drafts folder '{drafts}' is inside the audits folder, where validate and the reports "
            "would read drafts as audits. Give a folder outside it with --drafts DIR, or leave --drafts "
            "out to keep drafts in .qaimpact-drafts beside the audits folder."
        )
    if is_inside(audits, drafts):
        # The list of drafts would hold every audit, and deleting a "draft" would delete an audit.
        raise UsageError(
            f"The drafts folder '{drafts}' holds the audits folder, so its audits would be listed as "
            "drafts. Give a folder of its own with --drafts DIR, or leave --drafts out to keep drafts "
            "in .qaimpact-drafts beside the audits folder."
        )
    if not drafts.resolve().name.startswith("."):
        # validate and the reports skip hidden folders: a visible one beside the audits would be
        # read as audits by `qaimpact summary --audits` of the folder above.
        raise UsageError(
            f"The drafts folder '{drafts}' must have a name that starts with a dot (such as "
            "'.drafts'), so that validate and the reports, which skip such folders, never read drafts "
            "as audits. Leave --drafts out to keep drafts in .qaimpact-drafts beside the audits folder."
        )
    if drafts.exists() and not drafts.is_dir():
        raise UsageError(f"The drafts folder '{drafts}' is a file. Give a folder with --drafts DIR.")
    if not _loopback(host):
        console.print_note(
            console.stderr(),
            f"listening on {host}: other computers on the network can reach this form. Anyone with the "
            "address can open it once; audits hold personal data, so prefer the default 127.0.0.1.",
        )
    registry = load_registry(standards)
    # Bind first, so that the printed address has the real port (port 0: any free one).
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"serve cannot listen on {host}:{port}: {exc.strerror or exc}. Another program may be using "
            "the port: choose another with --port, for example --port 8001."
        ) from None
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if family == socket.AF_INET6 else host
    config = ServeConfig(
        folder=audits,
        registry=registry,
        hosts=serve_hosts(shown, bound),
        token=secrets.token_urlsafe(32),
        today=parse_date(today, "--today"),
        drafts=drafts,
    )
    app = create_app(config)
    url = f"http://{shown}:{bound}/?token={config.token}"
    sys.stdout.write(
        f"qaimpact serve: the audit form for {audits.resolve()}\n"
        f"Drafts (unfinished audits) are kept in {drafts.resolve()}\n"
        f"Open this address in your browser (it works once, in one browser):\n\n    {url}\n\n"
        "Stop with Ctrl+C.\n"
    )
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
