"""Frameworks: the standards files that say what an audit records and how it is graded.

Finding them (``--standards``, ``QAIMPACT_STANDARDS_PATH``, the bundled ones), checking them,
resolving ids, their JSON Schemas, the differences between two of them and the migrations one
declares from another. The bundled frameworks ship as package data in ``qaimpact/standards/``
(a link to the repository's ``standards/``), which is why this package is not called standards.

May import: :mod:`qaimpact.base`, :mod:`qaimpact.models`. Never the audits, grading or anything
above.
"""
