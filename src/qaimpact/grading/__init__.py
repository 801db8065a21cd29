"""Grading: pure functions from an audit's ratings and facts to a grade.

- :mod:`.engine`: the threshold engine (a framework's ``thresholds:`` rules), the rationale, the
  lift to the next grade, and one engine per framework;
- :mod:`.escalation_triggers`: which of a framework's ``escalations:`` rules an audit triggers, and the
  state of its escalation record.

Nothing here reads a file, the clock or the registry: it works on models and plain data.

May import: :mod:`qaimpact.models` (and :mod:`qaimpact.base`).
"""
