"""Privacy: what a report may show about people and small numbers.

- :mod:`.disclosure`: counts and shares as reports show them, with disclosure control for
  published reports (counts 1 to 4 hidden, and any count that subtraction would give away);
- :mod:`.redaction`: stable pseudonyms for people's names and case identifiers (``--redact``).

Every report and every step of the cycle builds its figures and pseudonyms here, so a privacy
rule changed here holds everywhere.

May import: :mod:`qaimpact.audits` and below.
"""
