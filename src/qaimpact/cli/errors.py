"""The one error handler: every exception becomes a plain message and an exit code, never a traceback.

Each command is wrapped in :func:`handle_errors`; the codes are in :mod:`qaimpact.cli.exitcodes`.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from qaimpact.base.errors import QaImpactError, StandardsError
from qaimpact.cli import exitcodes

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn every exception into a plain message and an exit code: never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except StandardsError as exc:
            from qaimpact.cli import console

            console.print_problem(console.stderr(), exc.message, exc.diagnostics, exc.details)
            raise typer.Exit(exitcodes.STANDARDS) from None
        except QaImpactError as exc:
            from qaimpact.cli import console

            console.print_problem(console.stderr(), exc.message, details=exc.details)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from qaimpact.cli import console

            console.print_problem(console.stderr(), "interrupted.")
            raise typer.Exit(exitcodes.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`qaimpact summary | head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(exitcodes.OK) from None
        except OSError as exc:
            from qaimpact.cli import console

            where = f" '{exc.filename}'" if exc.filename else ""
            console.print_problem(
                console.stderr(),
                f"the file system refused{where}: {exc.strerror or exc}. Nothing else was changed; "
                "check the path, its permissions and the free space.",
            )
            raise typer.Exit(exitcodes.USAGE) from None
        except Exception as exc:
            if os.environ.get("QAIMPACT_DEBUG"):
                raise
            from qaimpact.cli import console

            console.print_problem(
                console.stderr(),
                # Never the exception's text: it can quote an audit (a KeyError of a name did).
                f"qaimpact hit an internal error ({exc.__class__.__name__}). This is a bug in "
                "qaimpact, not in your files. Run again with QAIMPACT_DEBUG=1 to see the details "
                "(they may quote your audits, names included), and report them.",
            )
            raise typer.Exit(exitcodes.INTERNAL) from None
        finally:
            # read_audits moves the audits out of the collector's reach until finish(); a command
            # stopped by an error in between (a bad narrative, a bad plan) never gets there, and
            # a process that goes on (a test, the audit form) would keep them frozen.
            gc.unfreeze()

    return wrapper  # type: ignore[return-value]
