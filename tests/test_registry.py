"""Finding instruments: by path, by id (newest active version), by ``id@version``."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskmanual import registry
from riskmanual.errors import InstrumentError, NotFoundError
from riskmanual.registry import bundled_dir, find_instrument, list_instruments, load_instrument

FULL = Path(__file__).parent / "data" / "full.yaml"


def full_version(version: str, status: str) -> str:
    """full.yaml's text as another version (with a changelog entry, so it stays valid)."""
    text = FULL.read_text("utf-8")
    text = text.replace("version: 1.2.0\nstatus: active", f"version: {version}\nstatus: {status}", 1)
    text = text.replace(
        "changelog:\n",
        f'changelog:\n  - {{version: {version}, date: "2026-11-20", changes: {{sv: Test., en: Test.}}}}\n', 1,
    )
    return text


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user"
    folder.mkdir()
    monkeypatch.setenv("RISKMANUAL_PATH", str(folder))
    return folder


def test_bundled_dir_exists_and_holds_the_examples() -> None:
    folder = bundled_dir()
    assert folder.is_dir()
    assert (folder / "example-actuarial" / "1.0.0.yaml").is_file()
    assert (folder / "example-spj" / "1.0.0.yaml").is_file()


def test_find_by_path() -> None:
    assert find_instrument(FULL) == FULL
    assert find_instrument(str(FULL)) == FULL


def test_find_missing_path_raises_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no instrument file"):
        find_instrument(tmp_path / "absent.yaml")


def test_find_by_id() -> None:
    assert find_instrument("example-spj") == bundled_dir() / "example-spj" / "1.0.0.yaml"


def test_find_by_id_and_version() -> None:
    assert find_instrument("example-actuarial@1.0.0") == bundled_dir() / "example-actuarial" / "1.0.0.yaml"


def test_unknown_id_raises_not_found_listing_known_ids() -> None:
    with pytest.raises(NotFoundError) as info:
        find_instrument("no-such-instrument")
    assert "example-actuarial" in str(info.value) and "example-spj" in str(info.value)


def test_unknown_version_raises_not_found_listing_versions() -> None:
    with pytest.raises(NotFoundError, match=r"available: 1\.0\.0"):
        find_instrument("example-spj@2.0.0")


def test_not_found_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        load_instrument("no-such-instrument")


def test_user_instrument_found_by_id(user_dir: Path) -> None:
    (user_dir / "full.yaml").write_text(FULL.read_text("utf-8"), "utf-8")
    instrument = load_instrument("test-full")
    assert instrument.ref == "test-full@1.2.0"


def test_id_alone_prefers_newest_active_over_newer_draft(user_dir: Path) -> None:
    (user_dir / "1.2.0.yaml").write_text(full_version("1.2.0", "active"), "utf-8")
    (user_dir / "1.3.0.yaml").write_text(full_version("1.3.0", "draft"), "utf-8")
    assert load_instrument("test-full").version == "1.2.0"


def test_id_alone_gives_newest_when_both_active(user_dir: Path) -> None:
    (user_dir / "1.2.0.yaml").write_text(full_version("1.2.0", "active"), "utf-8")
    (user_dir / "1.3.0.yaml").write_text(full_version("1.3.0", "active"), "utf-8")
    assert load_instrument("test-full").version == "1.3.0"


def test_newest_is_by_version_number_not_by_text(user_dir: Path) -> None:
    (user_dir / "a.yaml").write_text(full_version("1.10.0", "active"), "utf-8")
    (user_dir / "b.yaml").write_text(full_version("1.9.0", "active"), "utf-8")
    assert load_instrument("test-full").version == "1.10.0"


def test_draft_version_still_reachable_by_id_and_version(user_dir: Path) -> None:
    (user_dir / "1.2.0.yaml").write_text(full_version("1.2.0", "active"), "utf-8")
    (user_dir / "1.3.0.yaml").write_text(full_version("1.3.0", "draft"), "utf-8")
    instrument = load_instrument("test-full@1.3.0")
    assert (instrument.version, instrument.status) == ("1.3.0", "draft")


def test_retired_versions_are_not_chosen_by_id(user_dir: Path) -> None:
    (user_dir / "1.2.0.yaml").write_text(full_version("1.2.0", "draft"), "utf-8")
    (user_dir / "1.3.0.yaml").write_text(full_version("1.3.0", "retired"), "utf-8")
    assert load_instrument("test-full").version == "1.2.0"


def test_list_instruments_marks_origins(user_dir: Path) -> None:
    (user_dir / "full.yaml").write_text(FULL.read_text("utf-8"), "utf-8")
    origins = {(e.id, e.origin) for e in list_instruments()}
    assert {("example-actuarial", "bundled"), ("example-spj", "bundled"), ("test-full", "user")} <= origins


def test_list_instruments_skips_yaml_that_is_not_an_instrument(user_dir: Path) -> None:
    (user_dir / "settings.yaml").write_text("colour: blue\n", "utf-8")
    (user_dir / "list.yml").write_text("- a\n- b\n", "utf-8")
    assert not [e for e in list_instruments() if e.origin == "user"]


def test_list_instruments_reads_several_path_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    (first / "a.yaml").write_text(full_version("1.2.0", "active"), "utf-8")
    (second / "b.yaml").write_text(full_version("1.3.0", "active"), "utf-8")
    monkeypatch.setenv("RISKMANUAL_PATH", f"{first}{os.pathsep}{second}")
    versions = [e.version for e in list_instruments() if e.id == "test-full"]
    assert versions == ["1.2.0", "1.3.0"]


def test_load_by_id_and_version_checks_the_file_content(monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalogue says the file holds test-full@1.0.0, but the file says 1.2.0.
    monkeypatch.setattr(registry, "find_instrument", lambda ref: FULL)
    with pytest.raises(InstrumentError, match=r"test-full@1\.2\.0, not test-full@1\.0\.0"):
        load_instrument("test-full@1.0.0")


def test_load_invalid_user_instrument_raises_instrument_error(user_dir: Path) -> None:
    (user_dir / "broken.yaml").write_text(
        FULL.read_text("utf-8").replace("window_months: 24", "window_months: -1"), "utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument("test-full")
    assert any(issue.json_path == "outcome.window_months" for issue in info.value.issues)


@pytest.mark.parametrize("layout", ["flat", "folder"])
def test_user_copy_of_a_bundled_version_takes_precedence(user_dir: Path, layout: str) -> None:
    bundled = bundled_dir() / "example-spj" / "1.0.0.yaml"
    target = user_dir / "example-spj" / "1.0.0.yaml" if layout == "folder" else user_dir / "my-spj.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(bundled.read_text("utf-8"), "utf-8")
    assert find_instrument("example-spj") == target
    assert find_instrument("example-spj@1.0.0") == target
