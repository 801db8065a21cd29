"""Audits: checking audit files against their framework, one at a time or thousands at once.

- :mod:`.checker`: the per-file pipeline (read, pick the framework, validate, apply the
  framework's rules, grade), returning :class:`~.checker.AuditCheck` data;
- :mod:`.rules`: the frameworks' own rules that relate several fields (constraints,
  applicability, learning areas, ...), driven by the standards data;
- :mod:`.batch`: many files on forked workers, results in input order;
- :mod:`.dataset`: a folder of audits loaded as graded records for reports and the cycle;
- :mod:`.records`: what reports and the cycle read from one record (facets, learning items).

A new record kind starts here (its checks) and in :mod:`qaimpact.models` (its model).

May import: :mod:`qaimpact.frameworks`, :mod:`qaimpact.grading`, :mod:`qaimpact.base`,
:mod:`qaimpact.models`.
"""
