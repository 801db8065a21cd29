from conftest import EXAMPLES


def test_examples_grade_as_stated(cli):
    out = cli("grade", "--format", "json", "--today", "2026-11-22", EXAMPLES)
    import json

    grades = {item["audit_id"]: item["grade"] for item in json.loads(out.stdout)}
    assert grades == {"QA-2026-0142": "good", "CFA-2026-0311": "requires_improvement"}
