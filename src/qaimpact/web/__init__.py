"""``qaimpact serve``: the audit form, for auditors who never open a YAML file.

A local web application over a folder of audits: the list of audits (framework, people, date,
settled grade, validity, escalation state), a form generated from a framework's standards data,
checked live by the same checker as ``validate``, and saves that write the canonical YAML of
``fmt`` atomically into the folder, keeping comments and keys the form does not show.

- :mod:`.form`: the form of a framework, from its standards data alone; values to data and back;
- :mod:`.pages`: what each page shows (the live check, the grade panel, the list), as plain data;
- :mod:`.store`: the audits folder and the drafts folder (drafts of new audits, and of changes to
  audits): safe paths, reading, and writes that never overwrite a change;
- :mod:`.app`: the Starlette application (routes, the key, CSRF, Host checks, security headers);
- ``templates/`` (rendered by :mod:`qaimpact.reports.render`, the one sandboxed environment) and
  ``static/`` (the style sheet and the small script for the live check). Nothing is fetched
  from elsewhere.

Only :mod:`.app` imports the web stack (Starlette), and only :mod:`qaimpact.cli.serve` imports
:mod:`.app`, inside the command: ``qaimpact --help`` and ``validate`` never load it.

May import: :mod:`qaimpact.reports` and everything below it; never :mod:`qaimpact.cli`.
"""
