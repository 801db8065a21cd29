"""Grading: pure functions from an audit's ratings and facts to a grade.

- :mod:`.engine`: the threshold engine (a framework's ``thresholds:`` rules), the rationale, the
  lift to the next grade, and one engine per framework;
- :mod:`.escalation_triggers`: which of a framework's ``escalations:`` rules an audit triggers (on the
  most severe of its computed, recorded and moderated grades, and its facts): the one place that
  decides;
- :mod:`.escalation_lifecycle`: how far an escalation has gone (who was told, acknowledgement, the
  outcome for the child, closure), its state, due dates and what is overdue, against a given today.

Nothing here reads a file, the clock or the registry: it works on models and plain data.

May import: :mod:`qaimpact.models` (and :mod:`qaimpact.base`).
"""
