"""The cache of compiled instruments: keys, JSON only, atomic writes, silent failures, shipped entries."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from riskmanual import compile_cache
from riskmanual.compile_cache import entry_name, entry_text, file_sha256, load_cached, shipped_entry, store
from riskmanual.compiled import FORMAT_VERSION, compile_instrument
from riskmanual.loading import read_instrument
from riskmanual.registry import bundled_dir

from .conftest import DATA

BUNDLED = sorted(bundled_dir().glob("*/*.yaml"))


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(compile_cache.ENV_VAR, str(folder))
    return folder


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}@{p.stem}")
def test_shipped_compiled_instruments_are_fresh(path: Path) -> None:
    """Run ``make precompile`` when this fails (a bundled instrument or the engine version changed)."""
    raw = path.read_bytes()
    shipped = shipped_entry(path)
    assert shipped.read_text(encoding="utf-8") == entry_text(file_sha256(raw), compile_instrument(read_instrument(path)))


def test_no_stale_shipped_files() -> None:
    assert {p.name for p in compile_cache.precompiled_dir().glob("*.json")} == {shipped_entry(p).name for p in BUNDLED}


def test_bundled_instruments_never_miss(cache: Path) -> None:
    for path in BUNDLED:
        assert load_cached(path, path.read_bytes()) == compile_instrument(read_instrument(path))
    assert not cache.exists()


def test_store_then_load_and_key(cache: Path) -> None:
    path = DATA / "full.yaml"
    raw = path.read_bytes()
    assert load_cached(path, raw) is None
    compiled = compile_instrument(read_instrument(path))
    store(raw, compiled)
    [entry] = list(cache.iterdir())
    assert entry.name == entry_name(file_sha256(raw))
    assert f"-f{FORMAT_VERSION}.json" in entry.name and compile_cache.__version__ in entry.name
    data = json.loads(entry.read_text(encoding="utf-8"))  # JSON, never pickle
    assert data["source_sha256"] == file_sha256(raw)
    assert load_cached(path, raw) == compiled
    assert load_cached(path, raw + b"\n# changed\n") is None  # another file content is another key


@pytest.mark.parametrize("garbage", [b"", b"{", b"\x80\x81", b"[]", b'{"source_sha256": "x"}', b"\x00" * 10])
def test_corrupt_entry_is_ignored_and_rebuilt(cache: Path, garbage: bytes) -> None:
    path = DATA / "full.yaml"
    raw = path.read_bytes()
    cache.mkdir()
    (cache / entry_name(file_sha256(raw))).write_bytes(garbage)
    assert load_cached(path, raw) is None
    store(raw, compile_instrument(read_instrument(path)))
    assert load_cached(path, raw) is not None


def test_entry_of_another_engine_version_is_ignored(cache: Path) -> None:
    path = DATA / "full.yaml"
    raw = path.read_bytes()
    store(raw, compile_instrument(read_instrument(path)))
    entry = cache / entry_name(file_sha256(raw))
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["engine_version"] = "0.0.0-old"
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert load_cached(path, raw) is None


def test_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(compile_cache.ENV_VAR, str(blocker / "cache"))
    path = DATA / "full.yaml"
    store(path.read_bytes(), compile_instrument(read_instrument(path)))  # no error
    assert load_cached(path, path.read_bytes()) is None


def test_write_is_atomic_and_leaves_no_temporary_files(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = DATA / "full.yaml"
    raw = path.read_bytes()
    calls = []
    real = os.replace

    def spy(src: str, dst: Path) -> None:
        calls.append((Path(src).parent, Path(dst)))
        real(src, dst)

    monkeypatch.setattr(compile_cache.os, "replace", spy)
    store(raw, compile_instrument(read_instrument(path)))
    assert calls and calls[0][0] == cache
    assert [p.name for p in cache.iterdir()] == [entry_name(file_sha256(raw))]


def test_default_folder_is_the_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(compile_cache.ENV_VAR, raising=False)
    assert compile_cache.cache_dir() == Path(platformdirs.user_cache_dir("riskmanual", appauthor=False)) / "compiled"
