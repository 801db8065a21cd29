"""Reports: one module per report, and the machinery that renders every view.

Views (pure functions from graded records to JSON-ready dicts):

- :mod:`.feedback`: feedback on one audit (``qaimpact report AUDIT``);
- :mod:`.learning_log`: a practitioner's learning log (``qaimpact report --fca NAME``);
- :mod:`.summary`: the quarterly summary, with a section from each step of the cycle
  (``qaimpact summary``);
- :mod:`.views`: the parts they share.

Output of the other commands: :mod:`.validation` (``validate``: text, JSON, JUnit, SARIF,
GitHub), :mod:`.grades` (``grade --format json``), :mod:`.standards_diff` (``standards diff``).

Rendering: :mod:`.render` (the one sandboxed Jinja environment, Markdown/HTML/JSON/CSV),
:mod:`.charts` (inline SVG) and ``templates/`` (one ``NAME.md.j2`` and ``NAME.html.j2`` per view
kind, overridable by file name with ``--templates DIR``). The cycle's views (in
:mod:`qaimpact.cycle`) are rendered here too.

A new report: a module here returning a view with a ``kind``, and ``templates/KIND.md.j2`` and
``KIND.html.j2``. Only :mod:`.render` imports Jinja, and only when a report is rendered.

May import: :mod:`qaimpact.cycle` and everything below it; never :mod:`qaimpact.cli`.
"""
