"""``--redact`` or ``--publish`` given to a command that takes neither: say why, and what does.

Click's own refusal ("No such option: --redact (Possible options: --format)") offers whichever
of the command's options is spelt most like the flag, which has nothing to do with names or
publishing. A QA manager who reaches for ``--redact`` wants names kept out of something; the
message says why this command has no such flag and which reports take it (docs/reports.md,
"Flags by report").
"""

from __future__ import annotations

#: The flags of the reports that keep names out (with their ``--no-`` forms, as click reads them).
FLAGS = frozenset({"--redact", "--no-redact", "--publish", "--no-publish"})

#: Why each command without the flags has none, in words that follow "takes neither ...:".
_WHY = {
    "grade": "it shows an audit's grade, and why, to whoever wrote or checks the audit, and is not "
    "a report to share",
    "validate": "it lists what is wrong in audit files, by file and line, for whoever puts them "
    "right, and is not a report to share",
    "sample": "the plan it writes is the QA team's working list of which case each auditor audits, "
    "never published, so keep it within the QA team. For the programme with a plan's names and "
    "case ids replaced, use `qaimpact programme PLAN.csv --redact`",
    "new": "the blank audit it writes holds no one's name until you fill it in",
    "fmt": "it rewrites audit files in place, and names replaced there would be lost",
    "migrate": "it rewrites audit files in place, and names replaced there would be lost",
    "import": "the audit files it writes from a spreadsheet are the records themselves, and must "
    "keep the real names",
    "export": "the spreadsheet it writes holds the audits themselves, for the QA team, and "
    "`qaimpact import` reads it back, real names included",
    "serve": "the audit form fills in and edits audit files, which must keep the real names",
    "explain": "it explains a code from the documentation, which names no one",
    "schema": "it prints the layout of an audit file, which names no one",
}

#: Said of the frameworks' commands (``standards list``, ``show``, ``diff``, ``check``).
_FRAMEWORKS = "it reads the frameworks (standards files), which name no one"


def refusal(command: str, flag: str) -> str:
    """The message for ``flag`` (``--redact``, ``--no-publish``) given to ``command`` (``qaimpact
    sample``), which takes neither it nor its partner: why, and the reports that do take them."""
    name = command.removeprefix("qaimpact").strip()
    why = _WHY.get(name, _FRAMEWORKS if name.startswith("standards") else "it makes no report")
    return (
        f"{flag} is not an option of {command}, which takes neither --redact nor --publish: {why}. "
        "--redact replaces names and case ids with pseudonyms in a report: report, summary, "
        "quarterly, escalations, programme, impact, actions and moderation take it. --publish "
        "makes the version of the summary or the quarterly report to share outside the QA team."
    )
