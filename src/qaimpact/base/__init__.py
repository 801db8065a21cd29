"""What every layer may use: located diagnostics and safe file input and output.

- :mod:`.codes`: the catalogue of diagnostic codes (``QA101``...) and :func:`~.codes.diagnostic`,
  which builds one;
- :mod:`.loader`: reads YAML safely (hostile input refused) and keeps the line and column of
  every key and value;
- :mod:`.yaml12`: the second reader (ruamel.yaml's round trip, which keeps comments) made to read
  exactly as the loader does;
- :mod:`.diagnose`: turns pydantic's validation errors into located, plain-English diagnostics;
- :mod:`.escaping`: text made safe for where it is shown (terminal, CI log, XML, CSV, JSON), the
  one place every renderer takes its rules from;
- :mod:`.errors`: the few exceptions the core raises, each with its exit code;
- :mod:`.fileio`: writes files atomically, so a failure never leaves a partial or lost file.

Standards files and audits are both YAML, checked the same way, so these sit below both.

May import: :mod:`qaimpact.models` (and the standard library, PyYAML, ruamel.yaml, pydantic).
"""
