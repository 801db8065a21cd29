"""Frameworks: the standards files that say what an audit records and how it is graded.

- :mod:`.registry`: finds frameworks (``--standards``, ``QAIMPACT_STANDARDS_PATH``, the bundled
  ones, first id wins) and resolves ids;
- :mod:`.check`: checks a standards file (shape, unique ids, every reference in its rules);
- :mod:`.schema`: the JSON Schemas of audits and of standards files;
- :mod:`.diff`: what changed from one framework to another;
- :mod:`.migrations`: the migrations one framework declares from another, and their soundness.

The standards format itself is data in :mod:`qaimpact.models.standard`; a new framework rule
(a new section of the format) is a model there, its reference checks in :mod:`.check`, and what
it does to an audit in :mod:`qaimpact.audits.rules` or :mod:`qaimpact.grading`. The bundled
frameworks ship as package data in ``qaimpact/standards/`` (a link to the repository's
``standards/``), which is why this package is not called standards.

May import: :mod:`qaimpact.base`, :mod:`qaimpact.models`. Never the audits, grading or anything
above.
"""
