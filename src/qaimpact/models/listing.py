"""Lists in words, as a sentence lists them: ``a, b and c``, ``a, b or c``.

Every message that lists roles, choices, columns or files says them so. It is its own module,
with no pydantic, because the command line's own messages (``--format 'pfd' is not one of ...``)
use it too, and ``qaimpact --help`` must not wait for the standards models to load.
"""

from __future__ import annotations

from collections.abc import Iterable


def and_list(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: roles, or anything a message lists, as a sentence lists
    them (the one definition: every layer above the models uses it)."""
    return _listed(items, "and")


def or_list(choices: Iterable[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``: the choices a message offers, as a sentence lists them."""
    return _listed(choices, "or")


def _listed(items: Iterable[str], last: str) -> str:
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + f" {last} " + listed[-1]
