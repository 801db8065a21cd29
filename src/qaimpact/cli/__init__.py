"""The ``qaimpact`` command line: parse options, call the core, print, exit with a documented code.

- :mod:`.app`: the typer application and every command in ``--help`` order; :func:`main`;
- one module per command group: :mod:`.validate` (and ``explain``), :mod:`.grade`,
  :mod:`.standards`, :mod:`.reports` (``report``, ``summary``), :mod:`.cycle` (``escalations``,
  ``impact``, ``actions``, ``moderation``), :mod:`.sample`, :mod:`.authoring` (``new``, ``fmt``,
  ``migrate``, ``schema``), :mod:`.serve` (the audit form in a browser);
- :mod:`.options`: options several commands share, declared once;
- :mod:`.errors`: the one error handler; :mod:`.exitcodes`: the exit codes;
- :mod:`.output`: the screen or an ``--output`` file; :mod:`.console`: everything printed for
  people, through rich (the only module that imports rich, and only when a command prints).

Commands stay thin: they parse, call the core, and print. Their machinery is imported inside each
command, so ``--help`` imports typer and these small modules only.

May import anything in qaimpact; nothing in qaimpact imports it (``python -m qaimpact`` and the
console script run it).
"""

from qaimpact.cli.app import app, main

__all__ = ["app", "main"]
