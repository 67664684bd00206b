"""Start-up: importing riskmanual and the CLI's scoring path must stay light."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

HEAVY = ("sklearn", "pandas", "matplotlib", "sqlalchemy", "scipy", "numpy", "statsmodels", "jsonschema")

PROBE = """
import json, sys
{setup}
heavy = {heavy!r}
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))
"""


def loaded_after(setup: str) -> list[str]:
    code = PROBE.format(setup=setup, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_riskmanual_is_light() -> None:
    assert loaded_after("import riskmanual") == []


def test_cli_score_path_is_light() -> None:
    setup = (
        "from riskmanual.cli import cli\n"
        "try:\n"
        "    cli(['score', 'example-actuarial', 'instruments/example-actuarial/example-answers.json',"
        " '--format', 'text'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert loaded_after(setup) == []
