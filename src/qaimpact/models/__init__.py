"""Plain data: what every layer passes around.

- :mod:`.location`: a place in a file (``path:line:col``);
- :mod:`.findings`: diagnostics (severity, code, message, hint), rendered by the reports;
- :mod:`.standard`: the standards format (pydantic, unknown keys refused) and :class:`Framework`;
- :mod:`.audit`: audit models built from a framework, and the predicates on audit data.

A new record kind's model, or a new section of the standards format, starts here.

May import: nothing in qaimpact (pydantic and the standard library only).
"""
