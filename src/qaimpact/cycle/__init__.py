"""The quality assurance and learning cycle over a folder of audits.

One module per step a QA manager takes: escalate unsafe cases (:mod:`.escalations`), track
remedial actions (:mod:`.actions`), monitor impact through re-audits (:mod:`.impact`), moderate
grades (:mod:`.moderation`) and choose next month's cases (:mod:`.sampling`). Each turns loaded
audits into a plain, JSON-ready view that the report machinery renders; none prints or exits,
and every age or due date is counted from a ``today`` the caller passes in. Each step also
gives its section of the quarterly summary (``summary_section``), which
:mod:`qaimpact.reports.summary` puts together.
"""
