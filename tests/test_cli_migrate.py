"""`qaimpact migrate` and `qaimpact standards diff` through the command line."""

from __future__ import annotations

import json
import shutil

from conftest import DATA, EXAMPLES, TODAY
from qaimpact.frameworks.registry import bundled_dir

VERSIONS = DATA / "standards" / "versions"
CCC = EXAMPLES / "ccc-cfa-2026-0311.yaml"


def _copy(tmp_path):
    path = tmp_path / "audit.yaml"
    shutil.copy(CCC, path)
    return path


def _migrate(cli, *args, expect=0):
    return cli("migrate", *args, "--standards", VERSIONS, "--today", TODAY.isoformat(), expect=expect)


def test_dry_run_lists_changes_and_writes_nothing(cli, tmp_path):
    path = _copy(tmp_path)
    out = _migrate(cli, path, "--to", "ccc-practice-standards-2026", "--dry-run")
    assert "practice_standards.visits_and_direct_work -> practice_standards.direct_work" in out.stdout
    assert "Dry run: 1 of 1 audit would change." in out.stdout
    assert path.read_bytes() == CCC.read_bytes()


def test_migration_writes_a_valid_audit_keeping_comments(cli, tmp_path):
    path = _copy(tmp_path)
    _migrate(cli, path, "--to", "ccc-practice-standards-2026")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A monthly case file audit against the council's ten practice standards")
    assert "standards: ccc-practice-standards-2026" in text
    assert "# only for children in care" in text
    out = cli("validate", path, "--standards", VERSIONS, "--today", TODAY.isoformat())
    assert out.stdout == "Checked 1 file: no problems found.\n"


def test_lossy_migration_is_refused_with_what_would_be_lost(cli, tmp_path):
    path = _copy(tmp_path)
    out = _migrate(cli, path, "--to", "ccc-practice-standards-nc", expect=1)
    assert f"{path}:38:3: 'practice_standards.children_in_care' (Children in care) is retired" in " ".join(
        out.stderr.split()
    )
    assert "nothing was written" in out.stderr
    assert path.read_bytes() == CCC.read_bytes()
    _migrate(cli, path, "--to", "ccc-practice-standards-nc", "--force")
    assert "children_in_care" not in path.read_text(encoding="utf-8").split("practice_standards:")[1]


def test_renames_round_trip_to_the_original_bytes(cli, tmp_path):
    path = _copy(tmp_path)
    _migrate(cli, path, "--to", "ccc-practice-standards-r")
    assert path.read_bytes() != CCC.read_bytes()
    _migrate(cli, path, "--to", "ccc-practice-standards")
    assert path.read_bytes() == CCC.read_bytes()


def test_no_migration_between_unrelated_frameworks(cli, tmp_path):
    out = _migrate(cli, _copy(tmp_path), "--to", "cafcass-qiam-2017", expect=2)
    assert "cafcass-qiam-2017" in out.stderr
    assert "Traceback" not in out.stderr


def test_migrate_never_advises_editing_a_bundled_file(cli, tmp_path):
    """The bundled frameworks are files inside the installed package: an upgrade replaces them."""
    out = _migrate(cli, _copy(tmp_path), "--to", "cafcass-qiam-2017", expect=2)
    bundled = bundled_dir() / "cafcass-qiam-2017.yaml"
    assert " ".join(out.stderr.split()) == (
        "error: There is no migration between 'ccc-practice-standards' and 'cafcass-qiam-2017': neither "
        "framework declares one. 'cafcass-qiam-2017' ships with qaimpact, so leave its file as it is (an "
        f"upgrade replaces it): copy {bundled} into a folder of your own standards, add 'migrations: - "
        "from: ccc-practice-standards' to the copy, and pass that folder with --standards DIR."
    )


def test_migrate_advises_adding_the_migration_to_a_teams_own_file(cli, tmp_path):
    path = tmp_path / "audit.yaml"
    shutil.copy(EXAMPLES / "cafcass-qa-2026-0142.yaml", path)
    out = _migrate(cli, path, "--to", "ccc-practice-standards-2026", expect=2)
    declared_in = VERSIONS / "ccc-practice-standards-2026.yaml"
    assert " ".join(out.stderr.split()).endswith(
        f"Add 'migrations: - from: cafcass-qiam-2017' to {declared_in}."
    )


def test_standards_diff_text_and_json(cli):
    args = (
        "standards",
        "diff",
        "ccc-practice-standards",
        "ccc-practice-standards-2026",
        "--standards",
        VERSIONS,
    )
    text = cli(*args).stdout
    assert "> visits_and_direct_work renamed direct_work" in text
    assert "lived_experience, identity_and_relationships -> child_identity_and_voice" in text
    data = json.loads(cli(*args, "--format", "json").stdout)
    assert data["standards"]["renamed"] == [{"old": "visits_and_direct_work", "new": "direct_work"}]
    same = cli("standards", "diff", "cafcass-qiam-2017", "cafcass-qiam-2017").stdout
    assert same == "Changes from cafcass-qiam-2017 to cafcass-qiam-2017: none.\n"
