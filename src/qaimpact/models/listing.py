"""Lists in words, as a sentence lists them: ``a, b and c``, ``a, b or c``; and the choice a
mistyped word was meant for.

Every message that lists roles, choices, columns or files says them so. It is its own module,
with no pydantic, because the command line's own messages (``--format 'pfd' is not one of ...
Did you mean 'pdf'?``) use it too, and neither ``qaimpact --help`` nor a usage error may wait
for the standards models to load.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


def and_list(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: roles, or anything a message lists, as a sentence lists
    them (the one definition: every layer above the models uses it)."""
    return _listed(items, "and")


def or_list(choices: Iterable[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``: the choices a message offers, as a sentence lists them."""
    return _listed(choices, "or")


#: How alike a mistyped word and a choice must be (difflib's ratio) for the choice to be offered.
CLOSE_ENOUGH = 0.6


def suggest(word: str, choices: Sequence[str]) -> str | None:
    """The closest choice to a mistyped word, if any is close enough."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=CLOSE_ENOUGH)
    return found[0] if found else None


def close_choices(word: str, choices: Sequence[str]) -> list[str]:
    """Every choice close enough to a mistyped word to be offered for it, the closest first: the
    first is the one :func:`suggest` offers. More than one: which was meant is not known."""
    return difflib.get_close_matches(word, list(choices), n=max(len(choices), 1), cutoff=CLOSE_ENOUGH)


def _listed(items: Iterable[str], last: str) -> str:
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + f" {last} " + listed[-1]
