"""Print pip constraints pinning every direct dependency to the lowest version pyproject.toml allows.

CI installs the project with these once more and runs the suite again, so a minimum that is too
low fails CI instead of a user's fresh install. Transitive dependencies stay at their newest, as
``uv pip install --resolution lowest-direct`` would leave them.

Usage: python .ci/lowest-constraints.py [EXTRA ...] > constraints.txt
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))["project"]
specs = list(project["dependencies"])
for extra in sys.argv[1:]:
    specs += [s for s in project["optional-dependencies"][extra] if not s.startswith(project["name"])]
for spec in specs:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*.*?>=\s*([^,;\s]+)", spec)
    if match is None:
        sys.exit(f"{spec!r} has no lower bound: give every dependency one ('name>=X').")
    print(f"{match.group(1)}=={match.group(2)}")
