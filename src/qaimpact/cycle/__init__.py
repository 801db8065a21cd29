"""The quality assurance and learning cycle over a folder of audits.

One module or package per step a QA manager takes: escalate unsafe cases (:mod:`.escalations`), track
remedial actions (:mod:`.actions`), monitor impact through re-audits (:mod:`.impact`), moderate
grades (:mod:`.moderation`) and choose next month's cases (:mod:`.sampling`). Each turns loaded
audits into a plain, JSON-ready view that the report machinery renders; none prints or exits,
and every age or due date is counted from a ``today`` the caller passes in. All but sampling
also give their section of the quarterly summary (``summary_section``), which
:mod:`qaimpact.reports.summary` puts together. :mod:`.common` holds what the steps share (the
case an audit is of, ages in days, located problems). A new step is a module here with its view,
``rows``, ``COLUMNS`` and ``summary_section``, and a template in ``reports/templates``.

May import: :mod:`qaimpact.authoring` (sampling writes audits with the scaffold),
:mod:`qaimpact.privacy` and below; never :mod:`qaimpact.reports` or :mod:`qaimpact.cli`.
"""
