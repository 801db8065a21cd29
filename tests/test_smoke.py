from conftest import HEADLINE


def test_examples_grade_as_stated(cli):
    # Only the two headline examples at the top of examples/: examples/service holds the larger
    # invented data set, checked in test_examples.py.
    out = cli("grade", "--format", "json", "--today", "2026-11-22", *HEADLINE)
    import json

    grades = {item["audit_id"]: item["grade"] for item in json.loads(out.stdout)}
    assert grades == {"QA-2026-0142": "good", "CFA-2026-0311": "requires_improvement"}
