"""Authoring: writing and rewriting audit files, keeping what people wrote.

- :mod:`.scaffold`: a blank audit with every standard's guidance (``qaimpact new``);
- :mod:`.fmt`: the comment-preserving normal form (``qaimpact fmt``);
- :mod:`.migrate`: moving audits to another framework as it declares (``qaimpact migrate``),
  with :mod:`.migrator` (the rewrite of one audit);
- :mod:`.roundtrip`: ruamel.yaml's round trip, with the comment handling both rewrites need.

A spreadsheet importer or any other tool that writes audits belongs here.

Every write is atomic and refuses to lose a user's file or comment.

May import: :mod:`qaimpact.audits` and below.
"""
