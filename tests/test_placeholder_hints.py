"""The hint for a placeholder left in (QA210) says what to write where the field's kind is known:
true or false for a yes/no field, the choices of a choice, the form of a date."""

from __future__ import annotations

import pytest

from conftest import DATA, TODAY
from qaimpact.audits.checker import CheckOptions, check_text
from qaimpact.authoring.scaffold import scaffold_audit

RATINGS = "one of outstanding, good, requires_improvement, inadequate"
DATE = "a date written YYYY-MM-DD (year, month, day)"

#: (where in a blank ccc-practice-standards audit, the message, the hint).
CASES = [
    pytest.param(
        "14:18",
        "'case.child_in_care' still holds the placeholder TODO.",
        "Replace TODO with the real value (Child in care): true or false.",
        id="yes-no",
    ),
    pytest.param(
        "9:13",
        "'audit_type' still holds the placeholder TODO.",
        "Replace TODO with the real value: one of case_file, themed, dip_sample.",
        id="audit-type",
    ),
    pytest.param(
        "35:13",
        "'practice_standards.risk_management.rating' still holds the placeholder TODO.",
        f"Replace TODO with the real value (Risk management): {RATINGS}.",
        id="rating",
    ),
    pytest.param(
        "25:14",
        "'review_date' still holds the placeholder TODO.",
        f"Replace TODO with the real value: {DATE}.",
        id="review-date",
    ),
    pytest.param(
        "26:25",
        "'period_reviewed.from' still holds the placeholder TODO.",
        f"Replace TODO with the real value: {DATE}.",
        id="date-range-end",
    ),
    pytest.param(
        "13:9",
        "'case.team' still holds the placeholder TODO.",
        "Replace TODO with the real value (Team).",
        id="text-says-no-form",
    ),
]


@pytest.mark.parametrize(("where", "message", "hint"), CASES)
def test_placeholder_hint_says_what_to_write_cli(cli, tmp_path, where, message, hint):
    audit = tmp_path / "CFA-2026-0900.yaml"
    cli("new", "--standards", "ccc-practice-standards", "-o", audit)
    out = cli("validate", audit, "--today", TODAY.isoformat(), expect=1).stdout
    assert f"{audit}:{where}: error QA210 {message}\n    hint: {hint}\n" in out


@pytest.mark.parametrize(("where", "message", "hint"), CASES)
def test_placeholder_hint_says_what_to_write(registry, where, message, hint):
    text = scaffold_audit(registry.get("ccc-practice-standards"))
    check = check_text(text, "new.yaml", registry, CheckOptions(today=TODAY))
    line, column = map(int, where.split(":"))
    line -= 1  # `new` writes the editor schema's line first
    found = [d for d in check.diagnostics if (d.location.line, d.location.column) == (line, column)]
    assert [(d.code, d.message, d.hint) for d in found] == [("QA210", message, hint)]


OUTSIDE_FIELDS = DATA / "placeholders" / "ccc-todo-outside-fields.yaml"
GRADES = "one of outstanding, good, requires_improvement, inadequate"


def test_the_audit_model_says_what_to_write_beyond_the_field_tables(cli):
    # The hints knew only the standards file's field tables, the review date and the audit type
    # (named by key beside them): a due date, an action's status, the grade and a moderation's
    # grade and date got none. What to write now comes from the model that reads the audit.
    out = cli("validate", OUTSIDE_FIELDS, "--today", TODAY.isoformat(), expect=1).stdout
    assert out == (
        f"{OUTSIDE_FIELDS}:53:10: error QA210 'due' of remedial action 1 still holds the placeholder TODO.\n"
        f"    hint: Replace TODO with the real value (remedial action 1): {DATE}.\n"
        f"{OUTSIDE_FIELDS}:54:13: error QA210 'status' of remedial action 1 still holds the placeholder "
        "TODO.\n"
        "    hint: Replace TODO with the real value (remedial action 1): one of open, done.\n"
        f"{OUTSIDE_FIELDS}:65:20: error QA210 'overall_judgement' still holds the placeholder TODO.\n"
        f"    hint: Replace TODO with the real value: {GRADES}.\n"
        f"{OUTSIDE_FIELDS}:69:20: error QA210 'moderation.moderated_grade' still holds the placeholder "
        "TODO.\n"
        f"    hint: Replace TODO with the real value: {GRADES}.\n"
        f"{OUTSIDE_FIELDS}:70:17: error QA210 'moderation.moderated_on' still holds the placeholder TODO.\n"
        f"    hint: Replace TODO with the real value: {DATE}.\n"
        "Checked 1 file: 5 errors and 0 warnings in 1 file.\n"
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (["review_date"], "date"),
        (["audit_type"], "Literal"),
        (["case", "child_in_care"], "bool"),
        (["period_reviewed", "from"], "date"),
        (["remedial_actions", 0, "due"], "date"),
        (["case", "team"], "str"),
        (["case", "no_such_field"], "None"),
        (["remedial_actions", "due"], "None"),
    ],
)
def test_the_type_of_a_value_is_the_audit_model_s(registry, path, kind):
    from qaimpact.models.audit import audit_model, value_type

    found = value_type(audit_model(registry.get("ccc-practice-standards")), path)
    name = "None" if found is None else getattr(found, "__name__", None) or str(found)
    assert name.removeprefix("typing.").startswith(kind)
