"""The ``qaimpact`` command line: parse options, call the core, print, exit with a documented code.

May import anything in qaimpact; nothing but ``python -m qaimpact`` imports it.
"""

from qaimpact.cli.app import app, main

__all__ = ["app", "main"]
