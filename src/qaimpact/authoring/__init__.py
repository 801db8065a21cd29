"""Authoring: writing and rewriting audit files, keeping what people wrote.

- :mod:`.scaffold`: a blank audit with every standard's guidance (``qaimpact new``);
- :mod:`.fmt`: the comment-preserving normal form (``qaimpact fmt``);
- :mod:`.migrate`: moving audits to another framework as it declares (``qaimpact migrate``).

Every write is atomic and refuses to lose a user's file or comment.

May import: :mod:`qaimpact.audits` and below.
"""
