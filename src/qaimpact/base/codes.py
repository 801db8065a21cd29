"""The catalogue of diagnostic codes.

Codes are a public contract: CI configurations, suppressions and people's notes refer to them,
so a code is never reused for another meaning. ``docs/diagnostics.md`` is generated from this
catalogue (``python -m qaimpact.docgen``) and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from qaimpact.base.escaping import MAX_MESSAGE, clip
from qaimpact.models.findings import Diagnostic, Severity
from qaimpact.models.location import Location


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code: its id, short name, default severity and documentation."""

    code: str
    name: str
    severity: Severity
    title: str
    explanation: str
    example: str = ""


E = Severity.ERROR
W = Severity.WARNING

_CODES = [
    # -- Input: the file itself -------------------------------------------------------------
    Code(
        "QA101",
        "yaml-syntax",
        E,
        "The file is not valid YAML",
        "The YAML parser stopped at this position. The most common causes are wrong "
        "indentation, a tab used for indentation, text containing `: ` or `#` that is "
        "not in quotes, or text that starts with a character YAML reserves (`@`, a backtick, `%`, "
        "or `*` with no anchor of that name) or uses to mark out lists and blocks (`[`, `{`, `]`, "
        "`}` or a comma; `- ` or `? ` on the key's line; `|` or `>` followed by text on its line, as "
        "in `> 5 visits`), or that starts with a word in quotes and goes on after the closing quote "
        '(`"Fine" was the word Mum used`: the text in quotes ends at that quote): put the whole text '
        "in quotes, as the hint writes it. For a `[` or `{` that nothing closes, the hint also says how "
        "to end the list. The same goes for such a text over lines, as Word breaks a pasted paragraph "
        "(`[see note` with more on the lines below, or a word in quotes that closes on a later line): "
        "the hint writes the whole text in quotes on one line, to put in place of its lines, or, for a "
        "text too long to write out or with an empty line in it, says where each quotation mark goes. "
        "A comment right after the `[` (`[ # see notes` with the text below) is part of that text. "
        "Lines of a text pasted flush left (`evidence: The child said` with `she felt safe at home.` "
        "at the left edge of the line below, or the lines of a `>` or `|` block) are read as keys: the "
        "finding is at the first of them, and the hint says how many spaces to indent them by and, "
        "for a short text, writes it on one line with its key. In double quotes a backslash starts a "
        'special character (`\\n`, a line break), so a Windows path such as `"C:\\Users\\jo\\notes.docx"` '
        "cannot be read: the finding is at the opening quote, and the hint writes the line with the "
        "text in single quotes, in which a backslash is just a backslash, or the path with forward "
        'slashes. A path whose every backslash starts a special character (`"C:\\new\\tom.docx"`) '
        "is read, holding them: that is the warning QA415.",
        "evidence: Seen at: school\n",
    ),
    Code(
        "QA102",
        "not-utf8",
        E,
        "The file is not UTF-8 text",
        "Audit files must be saved as UTF-8 text. This usually happens when a file is saved "
        "from a word processor in another encoding; save it again as UTF-8. The hint names the "
        "character the byte is in Windows' own encoding ('ANSI': a curly quotation mark or an "
        "accent typed in Word), and a file saved as UTF-16 (Notepad's 'Unicode') is named so. A file "
        "that is no text at all (a Word document, an Excel workbook, a PDF or an image saved with a "
        ".yaml name) is said to look like what it is, and the hint says how to start an audit, or to "
        "import a spreadsheet's audits with qaimpact import.",
        "(bytes that are not UTF-8)\n",
    ),
    Code(
        "QA103",
        "empty-file",
        E,
        "The file is empty",
        "The file contains no YAML document (it is empty or holds only comments).",
        "# nothing here yet\n",
    ),
    Code(
        "QA104",
        "not-a-mapping",
        E,
        "The file is not a set of `key: value` lines",
        "An audit or standards file must be a mapping at the top level, such as "
        "`standards: cafcass-qiam-2017`, not a list or a single value.",
        "- just a list\n",
    ),
    Code(
        "QA105",
        "duplicate-key",
        E,
        "A key appears twice in the same block",
        "YAML would silently keep only the last of two equal keys, losing the first. "
        "qaimpact refuses the file instead so no evidence is lost.",
        "rating: good\nrating: met\n",
    ),
    Code(
        "QA106",
        "forbidden-tag",
        E,
        "A YAML tag that qaimpact does not allow",
        "Tags such as `!!python/object` can make some YAML readers run code. qaimpact never "
        "constructs them; it refuses the file. Remove the tag. Text typed after a `!` and a space "
        "(`! Daniel`) is the tag `!` on the rest of the text, which YAML reads without the `!` (and "
        "`! 12` as a number): put the whole text in quotes. The tag `!` is refused wherever it is: "
        'on quoted text (`! "12"`, which YAML readers read as the number 12), a list or a key.',
        "evidence: !!python/object/apply:os.system [ls]\n",
    ),
    Code(
        "QA107",
        "alias-limit",
        E,
        "YAML aliases expand too far or refer to themselves",
        "Anchors (`&name`) and aliases (`*name`) may be used, but a file whose aliases expand "
        "to more than the limit of values (a 'billion laughs' file) or refer to themselves is "
        "refused, so a hostile file cannot exhaust memory.",
        "a: &a [x, x]\nb: &b [*a, *a]\n# ... many more levels\n",
    ),
    Code(
        "QA108",
        "file-too-large",
        E,
        "The file is larger than the size limit",
        "Audit files are a few kilobytes. A file over the limit (1 MiB unless "
        "`--max-file-size` says otherwise) is not read, to protect the tool and CI.",
        "",
    ),
    Code(
        "QA109",
        "multiple-documents",
        E,
        "The file holds more than one YAML document",
        "Each audit goes in a file of its own. A `---` line starts a second document; split "
        "the file in two or remove the extra `---`.",
        "audit_id: A-1\n---\naudit_id: A-2\n",
    ),
    Code(
        "QA110",
        "unreadable-file",
        E,
        "The file could not be read",
        "The operating system refused to read the file (for example it is not readable by "
        "you, or it is a folder or a broken link), or it is not an ordinary file: a named pipe, "
        "or a link to a device such as `/dev/zero`, is never read, since reading it could wait "
        "or run forever. The message names the kind of file (an audit, a standards file, an "
        "import mapping, a quarter's narrative), and the hint how to put it right.",
        "",
    ),
    Code(
        "QA111",
        "unsupported-yaml",
        E,
        "A YAML feature that audit files do not use",
        "Merge keys (`<<`), keys that are lists or mappings, an anchor (`&name`) on a plain "
        "text or key (text typed after an `&`: YAML reads `&Daniel Okafor` as the anchor `Daniel` on "
        "the text `Okafor`, `&Mum` alone as an empty value, and `&a reviewer:` as the key "
        "`reviewer`) and very deep nesting are refused: "
        "write plain `key: value` lines instead, and put text that starts with `&` in quotes. An "
        "anchor on a list, a block or a quoted text, repeated by an alias (`*name`), is read.",
        "<<: *defaults\n",
    ),
    Code(
        "QA112",
        "number-too-long",
        E,
        "A number too long to read",
        "A value written as a number with more than 100 characters cannot be meant as a "
        "number (Python itself refuses to read integers of more than 4,300 digits), and reading "
        "it could stall the tool. If the value is text, put it in quotes.",
        "practitioner: 0xffffffffffffffff...  # thousands of digits\n",
    ),
    Code(
        "QA113",
        "too-many-findings",
        E,
        "More findings in one file than are shown",
        "Each file shows at most its first 100 findings, in file order, in every output format "
        "(text, JSON, JUnit, SARIF, GitHub), so that one broken or hostile file cannot flood a "
        "terminal or a CI log. This closing finding counts the rest; the summary line counts "
        "every finding. It is an error when any finding not shown is an error, else a warning.",
        "",
    ),
    Code(
        "QA114",
        "rewrite-would-differ",
        E,
        "A value that would read differently once the file is rewritten",
        "`fmt` and `migrate` rewrite files keeping their comments, with a second YAML reader. Both "
        "readers follow the same rules, and `validate` refuses what only one of them can read (a "
        "tab used as a space outside quotes, a byte-order mark inside the file); should they "
        "still read a value differently, the file is not rewritten and this finding says where. "
        "Putting the value in quotes makes it text to both; please report the file.",
        "",
    ),
    Code(
        "QA115",
        "name-not-read",
        E,
        "An audit in a file whose name is not read",
        "Only files whose names end in `.yaml` or `.yml`, in small letters, are read as audits. "
        "A file in an audits folder named otherwise but plainly meant as YAML (`AUDIT.YAML`, or "
        "`audit.yaml.txt` as Windows Notepad saves it) that holds an audit, or cannot be read to "
        "tell, is reported with this error, so that the audit is not left out of every report and "
        "its escalation missed with no more than a note. Rename the file; other such files (not "
        "audits) are named in a note.",
        "",
    ),
    # -- Shape: keys, types and values ---------------------------------------------------------
    Code(
        "QA201",
        "unknown-standards",
        E,
        "Unknown or missing `standards:` framework id",
        "Every audit names the framework it was recorded against in `standards:`. The id must "
        "be one of the frameworks qaimpact knows (`qaimpact standards list`); teams can add "
        "their own with `--standards DIR`.",
        "standards: cafcass-2017\n",
    ),
    Code(
        "QA202",
        "missing-key",
        E,
        "A required key is missing",
        "The framework requires this key: for example every professional standard must be "
        "rated, and every audit needs an id, a practitioner, a reviewer and a review date. A "
        "key present but written as its label or another way (`Risk management:`), or misspelt "
        "(`Planing:`), is reported as QA203 instead, once.",
        "impact:\n  child_seen:\n    rating: good\n# child_experience, enabled_to_choose and "
        "impact_analysis are missing\n",
    ),
    Code(
        "QA203",
        "unknown-key",
        E,
        "A key the framework does not define",
        "The key is not part of the audit format for this framework. It is often a typing "
        "mistake: the message suggests the closest known key. A key written as the label of a "
        "key allowed there (`Risk management:` for a standard whose id is `risk_management`), or "
        "as its id in capitals or with spaces (`Case planning:`), is reported once, here, saying "
        "which key to write; the key meant is not reported again as missing (QA202), while any "
        "other standard missing still is. So is a misspelt key whose closest known key is a "
        "required one the block lacks (`Planing:` for a missing `planning:`): the message says "
        "that key is missing, and the hint which key to write.",
        "evidnce: Seen at school.\n",
    ),
    Code(
        "QA204",
        "invalid-rating",
        E,
        "A rating that is not on the framework's scale",
        "Each standard is rated on the framework's own scale (`qaimpact standards show ID` "
        "lists it). For example the Cafcass model rates standards good, met or "
        "requires_improvement; `outstanding` is only an overall grade. The hint lists the ratings "
        "valid for that standard, `not_applicable` only where the standard does not apply to the "
        "case, and names the rating meant by its label, in any case (`Requires Improvement`), or "
        "by the label's initials when only one rating has them (`RI`, `N/A`), quoting the label "
        "from the standards file. A misspelt rating is offered the rating it is closest to "
        "(`inadequte`: \"Did you mean 'inadequate'?\"), but a rating with a negating word or prefix "
        "taken away or added is another word, maybe the opposite, and is offered none (`adequate`, "
        "an old Ofsted grade, or `not inadequate`, is never offered inadequate). Two ratings "
        "written in one place (`outstanding/inadequate`, `good or requires improvement`) are both "
        "named, and neither is offered: the closer by its spelling may not be the one meant.",
        "rating: outstanding\n",
    ),
    Code(
        "QA205",
        "invalid-choice",
        E,
        "A value that is not one of the allowed choices",
        "The value must be one of a fixed list (a law type, an indicator of a domain, a "
        "learning area, an added-value category, an audit type, ...). The hint lists the "
        "choices, and names the one meant by its label or the label's initials, or the one a "
        "misspelling is closest to (never one it negates), as for QA204. "
        "For a learning point it lists the points of the learning action's area only, and says "
        "so when the point meant belongs to another area.",
        "law_type: family\n",
    ),
    Code(
        "QA206",
        "wrong-type",
        E,
        "A value of the wrong kind",
        "The key expects another kind of value: text, `true`/`false`, a number, a list or a "
        "block of `key: value` lines.",
        "seen: perhaps\n",
    ),
    Code(
        "QA207",
        "invalid-date",
        E,
        "A date that is not a real date in YYYY-MM-DD form",
        "Dates are written as year-month-day, for example `2026-10-14`. The hint gives the same "
        "date in that form for a date written day first (`14/10/2026`, `3/11/26` is 3 November "
        "2026), with the month in words (`3 Nov 2026`, `November 3, 2026`) or year first with "
        "slashes (`2026/11/03`), with a day of the week before or after it (`Tue, 03/11/2026`: a "
        "day that does not match the date is pointed out); for a day that does not exist "
        "(`2026-11-31`) it says how many days the month has; for a date without its year "
        "(`3 November`) it asks for the year rather than guess it.",
        "review_date: 14/10/2026\n",
    ),
    Code(
        "QA208",
        "empty-value",
        E,
        "A required value is empty",
        "The key is present but has no value. Fill it in or, where the format allows it, remove the key.",
        "practitioner:\n",
    ),
    Code(
        "QA209",
        "invalid-value",
        E,
        "A value that breaks a rule of the format",
        "The value has the right kind but breaks a rule of the file format, such as the form "
        "of an id or a number that must not be negative. The message says which rule.",
        "max_points: -1\n",
    ),
    Code(
        "QA210",
        "placeholder",
        E,
        "A placeholder that has not been filled in",
        "`qaimpact new` writes `TODO` wherever the auditor must write something, so that an "
        "unfinished audit can never pass. Replace each `TODO` with the real value: the hint says "
        "what to write wherever the value has a kind of its own (`true` or `false`, the choices, "
        "a date as YYYY-MM-DD, a whole number): a field of the standards file, and every key of "
        "an audit or record itself, such as a remedial action's `due` and `status` or the grade.",
        "rating: TODO\n",
    ),
    Code(
        "QA211",
        "framework-broken",
        E,
        "The audit's framework cannot be used: its standards file has errors",
        "The audit names a framework whose standards file (one passed with `--standards DIR`, "
        "say) has errors, so the audit cannot be checked or graded against it. The standards "
        "file's problems are reported once, at their own `file:line:col`, and the command exits "
        "3; audits of other frameworks are checked as usual. Fix the standards file "
        "(`qaimpact standards check FILE` lists every problem) and check the audit again.",
        "standards: our-practice-standards   # whose standards file has an error\n",
    ),
    Code(
        "QA212",
        "unknown-kind",
        E,
        "A record of a kind its framework does not declare",
        "Besides audits, a framework may declare other kinds of record (a practice observation, "
        "say) in its standards file's `records:`. A record names its kind in `kind:`; a file "
        "without `kind:` is an audit. The kind must be one the framework declares: "
        "`qaimpact standards show ID` lists them, and `qaimpact new --standards ID --kind KIND` "
        "writes a blank record of one.",
        "kind: observaton\nstandards: ccc-practice-standards\n",
    ),
    # -- The framework's own rules -------------------------------------------------------------
    Code(
        "QA301",
        "rating-not-allowed",
        E,
        "The rating contradicts the facts recorded for the standard",
        "A standards file can restrict the ratings a standard may have when some facts hold. "
        "In the Cafcass model a child who was not seen, with no defensible decision recorded, "
        'can only be rated requires improvement ("Child not seen/engaged and no defensible '
        'decision recorded").',
        "child_seen:\n  rating: good\n  seen: false\n",
    ),
    Code(
        "QA302",
        "not-applicable-not-allowed",
        E,
        "`not_applicable` where the standard applies",
        "Only a standard with an applicability condition in the standards file (such as the "
        "council's children in care standard, which applies only when `case.child_in_care` is "
        "true) may be rated `not_applicable`, and only when the condition does not hold.",
        "planning:\n  rating: not_applicable\n",
    ),
    Code(
        "QA303",
        "rating-for-inapplicable-standard",
        W,
        "A rating for a standard that does not apply",
        "The standard does not apply to this case (for example children in care when "
        "`case.child_in_care` is false), so its rating is ignored in the grade. Rate it "
        "`not_applicable` or check the case details.",
        "children_in_care:\n  rating: good\n",
    ),
    Code(
        "QA304",
        "learning-point-wrong-area",
        E,
        "A learning point recorded under the wrong area",
        "Each learning point belongs to one learning area of the framework. The message names "
        "the area the point belongs to.",
        "- area: safeguarding\n  points: [case_planning]\n",
    ),
    Code(
        "QA305",
        "exclusive-added-value",
        E,
        "`no_impact` combined with another added value",
        '"No impact" says the service added no value in this case, so it cannot be recorded '
        "together with another added-value category.",
        "added_value: [no_impact, safeguard]\n",
    ),
    Code(
        "QA306",
        "comment-required",
        E,
        "A choice that needs a comment has none",
        'Some choices only make sense with an explanation: added value "other" needs '
        "`added_value_comment` saying what the added value was.",
        "added_value: [other]\n",
    ),
    Code(
        "QA307",
        "safeguarding-actions-undescribed",
        E,
        "Immediate safeguarding actions required but not described",
        "When `required: true`, the `comment` must list the immediate actions required to "
        "ensure the child is safeguarded, so that they can be escalated and tracked.",
        "immediate_safeguarding_actions:\n  required: true\n",
    ),
    Code(
        "QA308",
        "theme-required",
        E,
        "A themed audit without a theme",
        "Audit types such as `themed` exist to explore one theme; record it in `theme:`.",
        "audit_type: themed\ntheme: null\n",
    ),
    Code(
        "QA309",
        "date-range-reversed",
        E,
        "A period that ends before it starts",
        "In a period such as `period_reviewed: {from: ..., to: ...}` the `from` date must not "
        "be after the `to` date. This holds for every field the framework declares `type: "
        "date_range`: at the top level, under `case:` or `characteristics:`, among a standard's "
        "own fields, and in a record.",
        "period_reviewed: {from: 2026-10-31, to: 2026-05-01}\n",
    ),
    Code(
        "QA310",
        "action-closure-incomplete",
        E,
        "A remedial action marked done without its closure",
        "An action with `status: done` needs `closed_on` (the date it was completed) and "
        "`evidence` (how completion was checked), so the tracker can show it was closed. Evidence "
        "that only stands in for it ('TBC', 'N/A', '-') is no evidence.",
        "- action: Update the plan.\n  status: done\n",
    ),
    Code(
        "QA311",
        "rated-standard-missing-rating",
        E,
        "A standard that applies has no rating",
        "A standard with an applicability condition applies to this case and must be rated "
        "on the scale (it cannot be left out or marked `not_applicable`).",
        "case:\n  child_in_care: true\n# children_in_care missing\n",
    ),
    Code(
        "QA312",
        "date-out-of-order",
        E,
        "A date before the date it must follow, or after today",
        "Events after an audit happen in order: an escalation is raised on or after the review "
        "date; each recipient is told, it is acknowledged and the case is confirmed safe "
        "(`outcome.safe_on`) on or after the day it was raised, and it is closed after all of "
        "them; `raised_on` is the day the first recipient was told, not a day before anyone was; "
        "a moderation and an action's `closed_on` come on or after the review date; none "
        "of them is after today. In a record of another kind (a practice observation, say), the "
        "date that dates the record is not after today, no other date of the record is "
        "before it, and none but its due date (`due`) is after today: feedback given, a response or "
        "evidence seen is recorded once it has happened.",
        "review_date: 2026-06-02\nescalation:\n  raised_on: 2026-05-28\n  recipients:\n"
        "    - {role: Head of Service, told_on: 2026-05-28}\n",
    ),
    Code(
        "QA313",
        "reaudit-of-itself",
        E,
        "An audit that says it re-audits itself",
        "`reaudit_of` names the `audit_id` of the earlier audit of the same case; it cannot "
        "be this audit's own id.",
        "audit_id: CFA-2026-0311\nreaudit_of: CFA-2026-0311\n",
    ),
    Code(
        "QA314",
        "self-moderation",
        E,
        "An audit moderated by its own auditor",
        "Moderation is a second, independent look at the grade, so the `moderator` must be "
        "someone other than the `reviewer` who audited the case.",
        "reviewer: Jo Bright\nmoderation:\n  moderator: Jo Bright\n",
    ),
    Code(
        "QA315",
        "escalation-record-incomplete",
        E,
        "An escalation record that misses a step or mixes its two shapes",
        "An escalation is recorded step by step, each with its date and who took it: who was "
        "told (`recipients`, or the one role of the earlier shape, `raised_to`, but not both), "
        "its acknowledgement (`acknowledged_on`, `acknowledged_by`), the outcome for the child "
        "(`outcome`: `action_taken` and `safe_on`, once acknowledged) and its closure "
        "(`closed_on` with `closed_by`, once the outcome is recorded).",
        "escalation:\n  raised_on: 2026-05-28\n  recipients:\n"
        "    - {role: Head of Service, told_on: 2026-05-28}\n  closed_on: 2026-06-10\n",
    ),
    Code(
        "QA316",
        "control-character-in-name",
        E,
        "A name or id holding an invisible control character",
        "Names (the practitioner, reviewer, moderator, action owners, who an escalation was raised "
        "to, and fields marked personal) and ids are matched across audits: an invisible character "
        "(NUL, an escape, a line break, a tab, a zero-width space, a character that reverses the "
        "direction of text) "
        "makes two spellings of one person differ, or one look like another, so it is an error. It "
        "usually comes from pasting; qaimpact shows it as a visible escape such as `\\x1b`.",
        'practitioner: "Amira\\e[2J Hassan"\n',
    ),
    Code(
        "QA317",
        "evidence-required",
        E,
        "A rating without the evidence the framework requires",
        "The framework's `evidence: required_for:` names the ratings that must say, in the "
        "standard's `evidence:`, what on the file led to them, so that the practitioner can learn "
        "from the rating and a moderator can check it. Other ratings below the top of the scale "
        "without evidence are a warning (QA403). Evidence that only stands in for it ('TBC', "
        "'to follow', 'N/A', '-') is no evidence.",
        "management_oversight:\n  rating: requires_improvement\n",
    ),
    Code(
        "QA318",
        "unknown-theme",
        E,
        "A theme that is not in the framework's themes",
        "Remedial actions and escalations may be given a `theme:`, so that the QA team can see "
        "which themes recur and which stay unresolved. A theme must be one of the ids the "
        "framework's standards file lists under `themes:` (`qaimpact standards show` lists them), "
        "or the analysis would count one theme under two names. A framework without `themes:` "
        "takes none: leave `theme` out, or add the themes to a copy of the standards file.",
        "remedial_actions:\n  - action: Rewrite the plan.\n    owner: Ann Example\n    theme: plannning\n",
    ),
    Code(
        "QA319",
        "contradictory-facts",
        E,
        "Two facts of the audit contradict each other",
        "The framework's `agreements:` name facts of an audit that must agree: in the council's "
        "practice standards a legal status of `child_in_care` means `case.child_in_care: true`, "
        "which decides whether practice standard 8 (Children in care) applies. An audit that "
        "records both facts, one contradicting the other, is wrong in one of them, and its grade "
        "may rest on the wrong one: correct whichever is wrong.",
        "case:\n  child_in_care: false\ncharacteristics:\n  legal_status: child_in_care\n",
    ),
    Code(
        "QA320",
        "low-rating-for-inapplicable-standard",
        E,
        "A rating below good for a standard the case details say does not apply",
        "A standard that does not apply is left out of the grade (QA303). A rating below the "
        "framework's 'good' line (`requires_improvement` or `inadequate` in the council's practice "
        "standards) is evidence of poor practice, though: left out, it could let an audit pass as "
        "good and go unescalated. One of the two facts is wrong, so the audit is not graded until "
        "the auditor corrects the case details or rates the standard `not_applicable`. Until then, "
        "an escalation the rating calls for when read as applying is said all the same (in `grade`, "
        "the audit form and the reports' lists of the files left out), with how it was read: "
        "escalating needlessly is the safe error.",
        "case:\n  child_in_care: false\npractice_standards:\n  children_in_care:\n    rating: inadequate\n",
    ),
    # -- Warnings: the audit is valid but something deserves a second look --------------------
    Code(
        "QA401",
        "too-many-learning-points",
        W,
        "More than the suggested number of learning points",
        'The Cafcass guidance asks auditors to "identify up to three critical points" so '
        "that learning stays focused and useful to the practitioner.",
        "",
    ),
    Code(
        "QA402",
        "grade-differs",
        W,
        "The recorded grade differs from the computed grade",
        "The auditor's overall grade does not follow from the ratings under the framework's "
        "threshold rules. Check the ratings, or the grade, and explain a deliberate "
        "difference in the rationale; `qaimpact grade FILE` shows which rule applies.",
        "overall_grade: outstanding  # but a standard is rated met\n",
    ),
    Code(
        "QA403",
        "evidence-missing",
        W,
        "A rating below the top of the scale without evidence",
        "A rating below the best on the scale should say why, so that the practitioner can "
        "learn from it and a moderator can check it. Where the framework requires evidence for "
        "the rating (`evidence: required_for:` in its standards file), it is an error, QA317. "
        "Evidence that only stands in for it ('TBC', 'to follow', 'N/A', '-') is no evidence.",
        "case_planning:\n  rating: met\n",
    ),
    Code(
        "QA404",
        "future-review-date",
        W,
        "A review date in the future",
        "The date of the review is after today, which is usually a typing mistake in the year or month.",
        "review_date: 2062-10-14\n",
    ),
    Code(
        "QA405",
        "duplicate-item",
        W,
        "The same item is listed twice",
        "An indicator, learning point or added-value category is listed more than once; the "
        "repeat adds nothing.",
        "indicators: [risk_analysis, risk_analysis]\n",
    ),
    Code(
        "QA406",
        "escalation-off-route",
        W,
        "An escalation raised to a role that is not on the framework's route",
        "The rules that call for the escalation name the roles to tell (`route:` in the standards "
        "file); the record names someone told in a role that is not one of them. Check that the "
        "right people were told, and record each with the role the route names.",
        "escalation:\n  raised_on: 2026-09-29\n  recipients:\n"
        "    - {role: Service manager, told_on: 2026-09-29}  # the route: Head of Service\n",
    ),
    Code(
        "QA407",
        "escalation-role-not-told",
        W,
        "A role on the framework's route that was not told of the escalation",
        "Every role on the route must be told by the day the rule sets (`within_days`). The "
        "council's framework sends concerns to the case responsible worker and their team "
        'manager "at the time they are identified", and an inadequate audit "also" to the Head '
        "of Service: record each of them under `recipients` with the date they were told.",
        "escalation:\n  raised_to: Head of Service  # the worker and team manager not recorded\n"
        "  raised_on: 2026-09-29\n",
    ),
    Code(
        "QA408",
        "escalation-unacknowledged",
        W,
        "An escalation not acknowledged within the time the framework sets",
        "The rule that calls for the escalation sets how many days after it is raised it must be "
        "acknowledged (`acknowledge_within_days`); that time has passed with no "
        "`acknowledged_on`. Chase it, then record when and by whom it was acknowledged.",
        "escalation:\n  raised_on: 2026-09-10  # acknowledged within 1 day: overdue\n",
    ),
    Code(
        "QA409",
        "escalation-outcome-overdue",
        W,
        "An escalation still open without an outcome past the time the framework sets",
        "The rule sets how many days after it is raised the outcome for the child must be "
        "recorded (`outcome_within_days`): what was done, and the date the case was confirmed "
        "safe. That time has passed with no `outcome`.",
        "escalation:\n  raised_on: 2026-06-01\n  acknowledged_on: 2026-06-02\n"
        "  # no outcome: due within 10 days of raising it\n",
    ),
    Code(
        "QA410",
        "early-review-date",
        W,
        "A review date before 2000",
        "A review date before the year 2000 predates every case-file audit of this kind and is "
        "almost always a typing mistake in the year. It is a warning, as a date in the future is "
        "(QA404): the audit is still read, but check the year.",
        "review_date: 1066-10-14\n",
    ),
    Code(
        "QA411",
        "control-character-in-text",
        W,
        "Free text holding an invisible control character",
        "Evidence, comments and other free text may hold line breaks and tabs, but not other "
        "control characters (NUL, escapes) or characters that reverse the direction of text. They "
        "change nothing in the audit's meaning, so this is a warning: delete the character, which "
        "was probably pasted in by accident.",
        'evidence: "Seen at \\e[31mschool"\n',
    ),
    Code(
        "QA412",
        "untidy-name",
        W,
        "A name in quotation marks or with extra spaces",
        "Names (the team, the practitioner, the reviewer, the moderator, an action's owner) are "
        "matched across audits. One written in quotation marks, which Word and email add around "
        "pasted text, or with spaces before or after it or doubled, is still read as the same name "
        "by the reports, which ignore them (and case); this is a warning so that the audit holds "
        "the name as it is written everywhere else.",
        "team: “Fenland Child in Need 2”\n",
    ),
    Code(
        "QA413",
        "immediate-actions-described-not-required",
        W,
        "Immediate safeguarding actions described, but not marked required",
        "An audit that says immediate actions are required is escalated at once. One whose "
        "`comment:` describes actions while `required:` is false is not, so a child who needs them "
        "could wait for the next review: set `required: true` if the child needs the actions to be "
        "safe now, or delete the comment if none is needed.",
        "immediate_safeguarding_actions:\n  required: false\n  comment: Share the police call-out "
        "with the allocated social worker today.\n",
    ),
    Code(
        "QA414",
        "implausible-year",
        W,
        "A date in a year no audit could mean",
        "A date before 2000, or more than five years after the audit's review date, is almost always "
        "a typing mistake in the year (2062 or 0026 for 2026): a remedial action due then would be "
        "counted as years overdue, or as never due. Every date of an audit is checked so: the due "
        "dates of its remedial actions, the start and end of a period such as `period_reviewed`, and "
        "the date fields its framework declares. In a record of another kind (a practice "
        "observation, say) the date that dates the record is checked against 2000, and its other "
        "dates (a due date, the date feedback was given) against five years after it. The review "
        "date has warnings of its own (QA410, QA404), and the dates of an escalation, a moderation "
        "and an action's closure are put in order between the review date and today (QA312). It is "
        "a warning: the file is still read, but check the year.",
        "review_date: 2026-10-05\nremedial_actions:\n  - action: Update the plan.\n    owner: Sam Patel\n"
        "    due: 2062-10-19\n",
    ),
    Code(
        "QA415",
        "windows-path-escaped",
        W,
        "A Windows path in double quotes read as special characters",
        "In double quotes YAML reads a backslash as the start of a special character: `\\n` is a "
        "line break, `\\t` a tab. A path such as `C:\\new\\tom.docx` whose every backslash "
        "happens to start one loads without an error, holding a line break and a tab where the "
        "path was typed. (A backslash that starts none is a syntax error, QA101.) Put the text in "
        "single quotes, in which a backslash is just a backslash, or write the path with forward "
        "slashes. It is a warning: the audit is read, with the path as YAML read it.",
        'evidence: "Safety plan saved at C:\\new\\tom.docx"\n',
    ),
    # -- Standards files ----------------------------------------------------------------------------
    Code(
        "QA501",
        "duplicate-id",
        E,
        "Two items in a standards file share an id",
        "Ids of groups, standards, grades, ratings, domains, indicators, learning areas and "
        "categories must be unique where audits refer to them, and so must the choices of a "
        "`type: choice` field.",
        "",
    ),
    Code(
        "QA502",
        "unknown-reference",
        E,
        "A standards file refers to something it does not define",
        "A threshold rule, constraint or link names a group, standard, grade, rating or field "
        "that the standards file does not define; or an `equals:` (of a threshold or escalation "
        "condition, an `applies_when` or an agreement) names a value the field cannot hold: a "
        "choice it does not offer, text for a yes/no field, a date not written YYYY-MM-DD. Such a "
        "rule would never hold, and change grades without a word.",
        'applies_when: {field: case.child_in_care, equals: "yes"}\n',
    ),
    Code(
        "QA503",
        "no-threshold-rule",
        E,
        "No threshold rule decides the grade",
        "None of the framework's threshold rules holds for this audit's ratings, so no grade "
        "can be computed. The standards file needs a rule for this combination (a last rule "
        "with `otherwise: true` catches everything). `qaimpact standards check` reports it on "
        "the standards file, with one such combination, where it can find one for certain.",
        "",
    ),
    Code(
        "QA504",
        "duplicate-standards-id",
        W,
        "Two standards files declare the same framework id",
        "When two files in the search path declare the same `id`, the one found first wins "
        "(a team's own folder before the bundled frameworks). The other is ignored.",
        "",
    ),
    Code(
        "QA505",
        "safeguarding-not-escalated",
        W,
        "Immediate safeguarding actions that no escalation rule acts on",
        "The framework's audits record whether immediate safeguarding actions are required, "
        "but none of its escalation rules has a `when` condition on that flag, so an audit "
        "that finds a child unsafe would never be escalated. Add a rule for it.",
        "immediate_actions:\n  key: immediate_safeguarding_actions\n  label: Immediate actions\n"
        "escalations: []\n",
    ),
    Code(
        "QA506",
        "reserved-name",
        E,
        "A name that audits cannot use",
        "Groups, standards, case fields, extra fields, fields of a standard, domains, feedback "
        "keys and the grade and immediate-actions keys all become keys of the audit. qaimpact keeps "
        "some names for its own use in reading audits: every name starting with `model_`, and a few "
        "words such as `copy`, `dict`, `json`, `schema` and `validate`. An audit cannot use one of "
        "them as a key, so the standards file is refused here, with the name to change, rather than "
        "every audit written to it failing `qaimpact validate`.",
        "groups:\n  - id: model_dump\n",
    ),
    Code(
        "QA507",
        "duplicate-label",
        E,
        "Two choices of a field, or two standards, share a label or a short name",
        "A `type: choice` field's choices are offered on the audit form, and counted in the "
        "reports, by their labels (a bare id's label is the id in words: `other_reason` is "
        '"Other reason"). Two choices shown alike, ignoring case and spaces, could not be told '
        "apart on the form, and the summary would count both on one row. Findings and the reasons "
        "for a grade name a standard by its `short` name, else by its title: a short name may not "
        "be another standard's short name, nor the title of a standard that has none.",
        "choices:\n  - other\n  - {id: other_reason, label: Other}\n",
    ),
    Code(
        "QA508",
        "threshold-rule-never-applies",
        E,
        "A threshold rule that can never decide a grade",
        "The first threshold rule that holds decides the grade, so a rule that holds only where an "
        "earlier rule holds too (an `outstanding` rule below a `good` rule that every outstanding "
        "audit also meets), a rule below one with `otherwise: true`, or a rule whose condition no "
        "ratings can meet never decides a grade: every audit it was written for gets another grade. "
        "`qaimpact standards check` grades one audit of every kind the rules can tell apart (every "
        "count of each rating, each value the rules name), so it reports only rules that "
        "certainly never apply. Move the rule above the one that takes its audits, or change the "
        "conditions.",
        "thresholds:\n  - {grade: good, when: {standards: all, rated_at_least: good, count: all}}\n"
        "  - {grade: outstanding, when: {standards: all, rated: outstanding, count: all}}\n",
    ),
    Code(
        "QA509",
        "grade-never-given",
        E,
        "A grade that no threshold rule gives",
        "Every grade of the scale needs a threshold rule that gives it: a grade no rule names is "
        "never computed, so audits that deserve it are graded otherwise and the headline figures "
        "never count it. So is a grade only rules with `otherwise: true` give where the rules "
        "above them grade every audit (a rule without `otherwise` that never decides a grade is "
        "QA508). Add a rule for the grade, or remove it from the scale.",
        "grades:\n  scale: [{id: good, label: Good}, {id: poor, label: Poor}]\n"
        "thresholds:\n  - {grade: poor, otherwise: true}\n",
    ),
    Code(
        "QA510",
        "thresholds-not-analysed",
        W,
        "Threshold rules that tell too many kinds of audit apart to check",
        "`qaimpact standards check` grades one audit of every kind the threshold rules can tell "
        "apart (every count of each rating among the standards the rules treat alike, each value "
        "the rules name) to find an audit no rule grades (QA503) and a rule that never decides a "
        "grade (QA508). Past 20,000 kinds it does not, and says so: neither is then reported, "
        "though either may be there. Nor does it where the fields the rules read (each value they "
        "name, another value, left out) can be filled in more than 20,000 ways, as rules that read "
        "fifteen yes/no fields can, or where grading every kind would evaluate more than a million "
        "conditions (rules naming a thousand values of one field). `validate` and `grade` still "
        "report QA503 on each audit no "
        "rule grades. Rules that name groups, or all standards, rather than single standards tell "
        "fewer kinds apart.",
        "",
    ),
    # -- Importing audits from a spreadsheet (`qaimpact import`) ---------------------------------
    Code(
        "QA601",
        "unreadable-spreadsheet",
        E,
        "The spreadsheet could not be read",
        "`qaimpact import` reads Excel workbooks (`.xlsx`, `.xlsm`) and CSV files. A workbook "
        "that is protected with a password to open is encrypted and cannot be read: open it in "
        "Excel, remove the password (File > Info > Protect Workbook) and save it again, or save "
        "the sheet as CSV. An old `.xls` workbook must be saved as `.xlsx` first. A password that "
        "only protects sheets from editing is no obstacle. A file that is empty, cut short, or a CSV "
        "file renamed `.xlsx` (rename it `.csv`) is said to be so. A workbook whose sheet unpacks to "
        "more than 256 MB (1 GB in all) is not read: a sheet of audits is far smaller, and a few KB "
        "can be made to unpack to gigabytes; nor is one whose merged ranges overlap over and over "
        "(Excel repairs them when it saves the workbook again). A CSV cell longer than 131,072 "
        "characters (Excel holds 32,767) is reported at its row: most often a quote opened and never "
        "closed.",
        "",
    ),
    Code(
        "QA602",
        "merged-cells",
        E,
        "Merged cells in the sheet",
        "A merged cell holds its value in its first cell only. In the header row that leaves "
        "columns without a name, so the import cannot tell which column is which: unmerge the "
        "cells and give each column its own header, or point `header_row:` in the mapping at a "
        "row with one header per column. Cells merged across data rows are a warning: each row "
        "gets the value of the merged cell.",
        "",
    ),
    Code(
        "QA603",
        "formula-without-value",
        E,
        "A formula whose value was never saved",
        "For a cell holding a formula the import uses the value the spreadsheet last calculated "
        "and saved. A workbook written by a program other than Excel (or saved with calculation "
        "turned off) may hold the formula without its value: open it in Excel or LibreOffice "
        "and save it again, so every formula's value is stored.",
        "",
    ),
    Code(
        "QA604",
        "duplicate-header",
        E,
        "Two columns have the same header",
        "The mapping names columns by their header, so a header that appears twice is "
        "ambiguous. Rename one of the columns, or name the column you mean by its letter in the "
        "mapping (`{column: F}`). When the mapping uses neither column this is a warning, and both "
        "columns are kept in the audits' comments under their letters.",
        "columns:\n  audit_id: {column: A}\n",
    ),
    Code(
        "QA605",
        "duplicate-audit-id",
        E,
        "Two rows have the same audit id",
        "Each row becomes the audit file named by its audit id, so two rows with one id would "
        "write the same file. Give each audit its own id (ids that differ only in capitals or in "
        "characters a file name cannot hold, such as `/`, also collide). Neither row is imported "
        "until the ids differ.",
        "",
    ),
    Code(
        "QA606",
        "unknown-word",
        E,
        "A word in the sheet that the mapping does not translate",
        "Ratings, grades and other choices are read from the sheet's own words: each id and "
        "label of the framework (`good`, `Requires improvement`) is understood, and the mapping "
        "adds the sheet's other words (`ratings: {good: [G, 2]}`, `grades:`, `words:` for other "
        "choices, `booleans: {yes: [...], no: [...]}`). Add the word to the mapping, or correct "
        "the cell.",
        'ratings:\n  good: [Good, G, "2"]\n  met: [Met, M, "1"]\n',
    ),
    Code(
        "QA607",
        "unreadable-date",
        E,
        "A date in the sheet that none of the mapping's date formats reads",
        "Dates are read from real date cells, from Excel's day numbers, from YYYY-MM-DD text and "
        "from the formats listed under `dates:` in the mapping (for example `DD/MM/YYYY`). Add "
        "the sheet's format to `dates:`, or correct the cell.",
        "dates: [DD/MM/YYYY, D MMM YYYY]\n",
    ),
    Code(
        "QA608",
        "unknown-column",
        E,
        "The mapping names a column the sheet does not have",
        "Each column named under `columns:` must be a header of the sheet (or a column letter "
        "given as `{column: F}`). The message suggests the closest header. A sheet with none of "
        "the mapping's columns (a list or summary sheet read under `sheets: all`, or a wrong "
        "`header_row:`) gets one finding for the sheet, saying how to leave it out.",
        "columns:\n  practitioner: Practioner\n",
    ),
    Code(
        "QA609",
        "unmapped-key",
        E,
        "The mapping gives no column for a key every audit needs",
        "Every audit needs its id, practitioner, reviewer, review date and a rating for each "
        "standard. Add a column for each key listed to `columns:` (`qaimpact import "
        "--scaffold-mapping` writes a first mapping with every key).",
        "columns:\n  audit_id: Audit ref\n  # no practitioner, reviewer, ...\n",
    ),
    Code(
        "QA610",
        "audit-file-differs",
        W,
        "An audit file for this row exists and says something else",
        "The import never overwrites an audit: a row whose audit file already exists is left "
        "as it is, and this warning names each value that differs (its line and column in the "
        "file, the audit's value and the sheet's). Run the import again with `--update` to "
        "rewrite the values that changed in the sheet since the import wrote them (comments in "
        "the file are kept), or leave the file as it is. `--update` never overwrites a value "
        "changed by hand since the import: it keeps it and lists it with this warning, saying "
        "whether the sheet changed too (a conflict to resolve by hand).",
        "",
    ),
    Code(
        "QA611",
        "text-too-long-for-a-cell",
        E,
        "Text too long for an Excel cell",
        "An Excel cell holds at most 32,767 characters, and a workbook written with longer text "
        "would hold it cut short, so that importing the export again would give other audits. "
        "`qaimpact export` writes no workbook while any text is that long: export to a CSV file, "
        "which holds text of any length, or shorten the text in the audit.",
        "",
    ),
    Code(
        "QA612",
        "audit-id-names-a-skipped-file",
        E,
        "The audit id would name a file the reports skip",
        "An imported audit is written to a file named after its id. Files whose names end "
        "`.mapping.yaml` are import mappings and files whose names end `.narrative.yaml` are the "
        "quarterly report's narratives: `validate` and every report skip them, so an audit "
        "written under such a name (an id such as `CFA-2026-0901.narrative`) would never be "
        "counted or escalated. The row is not imported: take the ending off the audit id.",
        "",
    ),
    Code(
        "QA613",
        "header-far-from-the-others",
        W,
        "A header far to the right of the others",
        "A header that follows more than 64 empty cells of the header row (most often typed in "
        "column XFD, the last of the sheet, where Ctrl+Right on an empty row lands) is read like "
        "any other, but nobody sees it without scrolling thousands of columns. When no row has a "
        "value under it, it was typed there by mistake, it seems: clear the cell. When rows do, "
        "their values are read under this header: move the column next to the others (or delete "
        "it if it does not belong to the tracker), so that the QA team can see what is imported.",
        "",
    ),
    Code(
        "QA614",
        "garbled-text",
        E,
        "Text garbled by a character-set mix-up",
        "A CSV file saved in UTF-8 without a byte order mark, opened in Excel with a double click "
        "and saved again, holds each accented letter and curly quotation mark as two to four "
        "other characters (`ZoÃ« Hart` for `Zoë Hart`, `itâ€™s` for `it’s`): Excel read the file as "
        "Windows-1252. Imported, such a name would be another practitioner's, and the reports "
        "would split one person's audits in two. The row is not imported; the finding says what "
        "the cell most probably said. Correct the cells (Find and Replace), or open the original "
        "CSV file with Data > From Text/CSV and File origin 'Unicode (UTF-8)', save it as a "
        "workbook, and import that. CSV files written by `qaimpact export --bom` open correctly "
        "in Excel.",
        "",
    ),
    Code(
        "QA615",
        "column-read-twice",
        W,
        "Two keys of the mapping read the same column",
        "Each key under `columns:` usually has a column of its own. When two read the same one "
        "(a header copied under the wrong key, or a column letter that is also another key's "
        "header), both take its values: the reviewer would be the practitioner, or one standard's "
        "evidence another's. Check the column given for the key the finding names. If the sheet "
        "really holds both in one column, the warning can be left: the rows are imported.",
        "columns:\n  practitioner: Worker\n  reviewer: Worker   # QA615: the practitioner's column\n",
    ),
    # -- Across records: links between files, found by the commands that read folders ---------
    Code(
        "QA701",
        "case-not-audited",
        E,
        "A record names a case that no audit read is of",
        "Some kinds of record (feedback, say) link to the audits of a case through their case "
        "reference, and the framework asks that the case be one that was audited. The reports, "
        "and `validate` given a folder, read every file of the folders given; none of the valid "
        "audits among them is of this case. Check the reference for a typing mistake, make sure "
        "the audit of the case is among the files read (and valid: `qaimpact validate` shows why "
        "one is left out), or leave the reference out if the record is not about an audited case.",
        "kind: feedback\ncase_reference: LCS-99999   # no audit of LCS-99999 is read\n",
    ),
    Code(
        "QA702",
        "unknown-audit-link",
        E,
        "A learning follow-through names an audit that was not read",
        "A learning follow-through links to the audits whose learning was discussed, by their "
        "`audit_id`. None of the valid audits of the same framework among the files read has "
        "this id. Check the id for a typing mistake, and that the audit's file is among the "
        "files read (and valid: `qaimpact validate` shows why one is left out).",
        "learning:\n  - {audit: CFA-2026-9999, point: timely_recording}\n",
    ),
    Code(
        "QA703",
        "learning-not-in-audit",
        E,
        "A learning follow-through names learning its audit does not record",
        "Each link of a learning follow-through names an audit and the learning discussed: a "
        "learning point the audit records in `learning_actions`, or, for a framework without "
        "learning areas, a standard the audit rated below good. The audit named does not record "
        "this learning: name learning it records, or the audit that records it.",
        "learning:\n  - {audit: CFA-2026-0142, point: court_timescales}   # not in that audit\n",
    ),
    Code(
        "QA704",
        "duplicate-id",
        E,
        "Two files hold the same audit or record",
        "Each audit has its own `audit_id`, and each record of a kind its own `record_id` "
        "(compared ignoring case, spaces and dashes). Two files with the same id are one audit counted "
        "twice, usually a copy left behind when a file was moved into a year folder or imported "
        "again. `validate` given a folder reports every file after the first that holds an id "
        "(files named one by one are not all the audits, so it cannot tell); the reports count "
        "one file of each (for an audit, the one with the most severe grade, so no escalation is "
        "missed) and leave the others out, saying so. Delete the copy, or give the other audit its "
        "own id.",
        "# audits/CFA-2026-0222.yaml and audits/2026/CFA-2026-0222.yaml\naudit_id: CFA-2026-0222\n",
    ),
    Code(
        "QA705",
        "unknown-reaudit-link",
        E,
        "A re-audit names an audit that was not read, or that two files hold",
        "A re-audit names the audit it follows up with `reaudit_of: AUDIT_ID`. None of the "
        "valid audits read has this id (or two of them have, so which one is meant cannot be "
        "told). The impact report leaves the re-audit out of its case until the link holds, so "
        "no improvement is shown for it. `validate` given a folder, and the reports, read every "
        "file of the folders given: check the id for a typing mistake (the hint names the "
        "earlier audits of the same case), that the earlier audit's file is among the files "
        "read, and that it is valid (`qaimpact validate` shows why one is left out).",
        "audit_id: CFA-2026-0611\nreaudit_of: CFA-2026-0510   # no audit has this id\n",
    ),
    Code(
        "QA706",
        "reaudit-before-audit",
        E,
        "A re-audit is dated before the audit it re-audits",
        "A re-audit follows up an earlier audit of the same case, so its `review_date` comes "
        "after that audit's. One of the two dates is wrong, or `reaudit_of` names the wrong "
        "audit. The impact report leaves the re-audit out of its case until it is corrected.",
        "review_date: 2026-05-04\nreaudit_of: CFA-2026-0601   # dated 2026-06-01\n",
    ),
    Code(
        "QA707",
        "reaudit-of-another-case",
        E,
        "A re-audit is of another case than the audit it re-audits",
        "A re-audit follows up an earlier audit of the same case, so both name the same case. "
        "Either the case identifier is mistyped in one of them, or `reaudit_of` names an audit "
        "of another child's case. The impact report leaves the re-audit out of its case until "
        "it is corrected.",
        "case: {case_reference: LCS-300070}\nreaudit_of: CFA-2026-0701   # of case LCS-300007\n",
    ),
    Code(
        "QA708",
        "reaudit-loop",
        E,
        "Re-audit links go round in a loop",
        "Following the `reaudit_of` links from one audit to the next comes back to where it "
        "started, so none of the audits is the first audit of the case. The first audit of a "
        "case has no `reaudit_of`: remove it from that audit, or correct the id it names. The "
        "impact report leaves the audits of the loop out until it is corrected.",
        "audit_id: CFA-2026-0901\nreaudit_of: CFA-2026-0902   # which has reaudit_of: CFA-2026-0901\n",
    ),
    # -- The quarterly report's narrative (`qaimpact quarterly --narrative FILE`) ----------------
    Code(
        "QA801",
        "unknown-narrative-section",
        E,
        "A quarterly narrative has a section the report does not know",
        "The narrative of the quarterly QA report is a small YAML file the QA team writes, with "
        "the sections the council's framework names: `strengths`, `workshops_and_events`, "
        "`research`, `policy_updates`, `compliments_and_complaints` and `analysis`. A key that is "
        "none of them is probably a typing mistake: rename it to the section it belongs to.",
        "strenghts:\n  - Visits are timely and children are seen alone.\n",
    ),
    Code(
        "QA802",
        "narrative-not-text",
        E,
        "A section of a quarterly narrative is not text",
        "Each section of the narrative is text, or a list of items of text (one per line, each "
        "starting with `- `). A nested list or a `key: value` pair inside a section is not "
        "shown in the report: write it as a sentence, in quotes if it holds `: ` or `#`. A "
        "number or `true` on its own is not text either: write a sentence, or put it in quotes.",
        "research:\n  - title: Neglect\n",
    ),
    Code(
        "QA803",
        "narrative-small-count",
        E,
        "A published quarterly narrative gives a count from 1 to 4",
        "A published report (`--publish`) shows no count from 1 to 4, so that no child can be "
        "recognised from it; the narrative is the QA team's own words, published as written, so "
        "`qaimpact quarterly --publish` refuses one that gives such a number ('2 children were "
        "seen late'). Write 'fewer than 5' or leave the number out. A number that names something "
        "rather than counting it ('standard 3', 'section 2', 'phase 1') is allowed, and so are "
        "dates, percentages and numbers of 5 or more. Digits of any script count as ASCII digits "
        "do ('３ complaints', '٣ complaints'). The team's own report (without --publish) shows "
        "the narrative as written.",
        "analysis: 2 children waited more than a month for a visit.\n",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}
BY_NAME: dict[str, Code] = {c.name: c for c in _CODES}


def get(code: str) -> Code:
    """Look a code up by its id (``QA101``) or name (``yaml-syntax``)."""
    key = code.strip()
    if key.isdigit():
        # `explain 204`: the number alone, as people say it.
        key = f"QA{key}"
    found = CODES.get(key.upper()) or BY_NAME.get(key.lower())
    if found is None:
        raise KeyError(code)
    return found


def diagnostic(
    code: str,
    location: Location,
    message: str,
    hint: str = "",
    severity: Severity | None = None,
    *,
    data_path: tuple[str, ...] | None = None,
) -> Diagnostic:
    """Build a :class:`Diagnostic` for a catalogued code (its name and default severity).

    ``data_path`` is the value the finding is about where that is not the value at its place
    (:attr:`~qaimpact.models.findings.Diagnostic.data_path`).

    Messages quote values clipped (:func:`~qaimpact.base.escaping.clip`); as a backstop, a
    message or hint is cut at :data:`~qaimpact.base.escaping.MAX_MESSAGE` characters, so that no
    finding can flood an output.
    """
    entry = CODES[code]
    return Diagnostic(
        location=location,
        severity=severity or entry.severity,
        code=code,
        name=entry.name,
        message=clip(message, MAX_MESSAGE),
        hint=clip(hint, MAX_MESSAGE),
        data_path=data_path,
    )


#: The most findings shown for one file, in every output format (see QA113).
MAX_FINDINGS = 100


def cap_findings(
    diagnostics: list[Diagnostic], limit: int = MAX_FINDINGS, uncounted_errors: int = 0
) -> tuple[list[Diagnostic], int, int]:
    """The first ``limit`` findings in file order, closed by a QA113 finding counting the rest.

    Returns the findings to show and how many errors and warnings were left out.
    ``uncounted_errors`` are errors found but never located, all after the first ``limit``
    (:func:`~qaimpact.base.diagnose.pydantic_findings`). Every report of a file's findings goes
    through here (the audit and the standards checkers), so that the cap is the same in every
    output format.
    """
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    if len(ordered) <= limit:
        return ordered, 0, 0
    shown, rest = ordered[:limit], ordered[limit:]
    errors = sum(1 for d in rest if d.is_error) + uncounted_errors
    warnings = len(rest) + uncounted_errors - errors
    counts = f"{_count(errors, 'error')} and {_count(warnings, 'warning')}"
    closing = diagnostic(
        "QA113",
        rest[0].location,
        f"{len(rest) + uncounted_errors:,} more findings in this file are not shown ({counts}).",
        "Fix the findings shown and run qaimpact again to see the rest; the counts in the summary "
        "include every finding.",
        severity=Severity.ERROR if errors else Severity.WARNING,
    )
    return [*shown, closing], errors, warnings


def _count(n: int, word: str) -> str:
    if n == 0:
        return f"no {word}s"
    return f"{n:,} {word}" + ("" if n == 1 else "s")
