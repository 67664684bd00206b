"""The built wheel carries the bundled instruments and the schema, and finds them without a checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytest.importorskip("hatchling", reason="building the wheel needs hatchling (the test extra)")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    return next(out.glob("riskmanual-*.whl"))


def test_wheel_contains_instruments_schema_and_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "instruments").glob("*/*"))
    assert bundled
    for path in bundled:
        assert f"riskmanual/{path}" in names
    assert "riskmanual/schemas/instrument.schema.json" in names
    assert "riskmanual/py.typed" in names


def test_installed_package_finds_its_instruments_outside_a_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1])\n"
        "import riskmanual\n"
        "from riskmanual.registry import bundled_dir\n"
        "print(json.dumps({'package': riskmanual.__file__, 'bundled': str(bundled_dir()),"
        " 'ids': sorted({e.id for e in riskmanual.list_instruments()}),"
        " 'loaded': riskmanual.load_instrument('sig-assessment').ref}))"
    )
    run = subprocess.run([sys.executable, "-c", code, str(site)], cwd=tmp_path, capture_output=True, text=True, check=True)
    found = json.loads(run.stdout)
    assert found["package"].startswith(str(site))
    assert found["bundled"] == str(site / "riskmanual" / "instruments")
    assert {"sig-screening", "sig-assessment", "example-actuarial", "example-spj"} <= set(found["ids"])
    assert found["loaded"] == "sig-assessment@2.0.0"  # the newest active version
