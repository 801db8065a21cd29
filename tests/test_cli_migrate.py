"""`qaimpact migrate` and `qaimpact standards diff` through the command line."""

from __future__ import annotations

import json
import shutil

import pytest

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


# -- a folder of audits and records (kind: ...): records are migrated as records, never blanked

RECORDS = DATA / "migrate-records"
WITH_RECORDS = DATA / "standards" / "versions-records"
MIGRATED = ("observation.yaml", "follow-through.yaml", "feedback.yaml")


def _service(tmp_path, *names):
    folder = tmp_path / "service"
    folder.mkdir()
    for name in names:
        shutil.copy(RECORDS / name, folder / name)
    return folder


def _run(cli, folder, standards, *args, expect=0):
    return cli(
        "migrate", folder, "--to", "ccc-practice-standards-2026", "--standards", standards,
        "--today", TODAY.isoformat(), *args, expect=expect,
    )  # fmt: skip


def test_a_folder_migrates_its_records_as_records(cli, tmp_path):
    folder = _service(tmp_path, "audit.yaml", *MIGRATED)
    out = _run(cli, folder, WITH_RECORDS)
    assert (
        out.stdout.splitlines()[-1]
        == "Migrated 1 of 1 audit and 3 of 3 records to ccc-practice-standards-2026."
    )
    for name in MIGRATED:
        assert (folder / name).read_text(encoding="utf-8") == (RECORDS / "expected" / name).read_text(
            encoding="utf-8"
        )
    out = cli("validate", folder, "--standards", WITH_RECORDS, "--today", TODAY.isoformat())
    assert out.stdout == "Checked 4 files: no problems found.\n"


@pytest.mark.parametrize("force", [False, True])
def test_records_the_target_does_not_declare_are_never_blanked(cli, tmp_path, force):
    """The reviewer's repro: the target declares no records; forced or not, they stay as they were."""
    folder = _service(tmp_path, "audit.yaml", *MIGRATED)
    out = _run(cli, folder, VERSIONS, *(["--force"] if force else []), expect=1)
    stderr = " ".join(out.stderr.split())
    for name, kind in zip(MIGRATED, ("observation", "follow_through", "feedback"), strict=True):
        assert (folder / name).read_bytes() == (RECORDS / name).read_bytes()
        assert (
            f"error: {folder / name}:2:1: 'ccc-practice-standards-2026' has no records of kind '{kind}' (it "
            "declares no records): the whole record would be lost." in stderr
        )
    assert "rating: TODO" not in "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    if force:
        assert "standards: ccc-practice-standards-2026" in (folder / "audit.yaml").read_text(encoding="utf-8")
        assert out.stdout.splitlines()[-1] == (
            "Migrated 1 of 1 audit and 0 of 3 records to ccc-practice-standards-2026. 3 records could not be "
            "migrated without loss (listed above) and are as they were."
        )
    else:
        assert (folder / "audit.yaml").read_bytes() == (RECORDS / "audit.yaml").read_bytes()
        assert stderr.endswith(
            "error: 3 of 4 files would lose information (listed above); nothing was written. Record what is "
            "needed first, or run again with --force. --force does not migrate the 3 records that would lose "
            "something: they stay as they are."
        )


def test_a_record_field_the_target_lacks_is_refused_and_the_rest_migrated_when_forced(cli, tmp_path):
    folder = _service(tmp_path, "audit.yaml", "feedback.yaml", "feedback-channel.yaml")
    out = _run(cli, folder, WITH_RECORDS, "--force", expect=1)
    assert (
        f"error: {folder / 'feedback-channel.yaml'}:8:1: 'channel' is not a field of "
        "'ccc-practice-standards-2026' feedback records: its value 'survey' and comment "
        "'# the annual survey' would be lost."
    ) in " ".join(out.stderr.split())
    assert (folder / "feedback-channel.yaml").read_bytes() == (RECORDS / "feedback-channel.yaml").read_bytes()
    assert (folder / "feedback.yaml").read_bytes() == (RECORDS / "expected" / "feedback.yaml").read_bytes()
    assert out.stdout.splitlines()[-1] == (
        "Migrated 1 of 1 audit and 1 of 2 records to ccc-practice-standards-2026. 1 record could not be "
        "migrated without loss (listed above) and is as it was."
    )


RECORD_KEYS = DATA / "standards" / "versions-record-keys"


@pytest.mark.parametrize("force", [False, True])
def test_a_migrations_keys_and_drop_reach_the_records_of_a_folder(cli, tmp_path, force):
    """Regression: keys and drop were applied to audits only, so these records were refused."""
    folder = _service(tmp_path, "audit.yaml", "observation.yaml", "feedback-channel.yaml")
    out = _run(cli, folder, RECORD_KEYS, *(["--force"] if force else []), expect=0 if force else 1)
    stderr = " ".join(out.stderr.split())
    assert (
        f"{folder / 'feedback-channel.yaml'}:8:1: 'records.feedback.channel' is dropped in "
        "'ccc-practice-standards-2026': its value 'survey' and comment '# the annual survey' would be lost."
    ) in stderr
    if not force:
        for name in ("audit.yaml", "observation.yaml", "feedback-channel.yaml"):
            assert (folder / name).read_bytes() == (RECORDS / name).read_bytes()
        return
    assert out.stdout.splitlines()[-1] == (
        "Migrated 1 of 1 audit and 2 of 2 records to ccc-practice-standards-2026."
    )
    for name in ("observation.yaml", "feedback-channel.yaml"):
        assert (folder / name).read_text(encoding="utf-8") == (RECORDS / "expected-keys" / name).read_text(
            encoding="utf-8"
        )
    out = cli("validate", folder, "--standards", RECORD_KEYS, "--today", TODAY.isoformat())
    assert out.stdout == "Checked 3 files: no problems found.\n"
