"""``riskmanual score INSTRUMENT --batch IN --out OUT``: streamed, never overwriting, clear errors."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")

from riskmanual import read_instrument  # noqa: E402
from riskmanual.batch import output_columns, output_schema, score_frame  # noqa: E402
from riskmanual.cli import cli  # noqa: E402

DATA = Path(__file__).parent / "data"
FULL = DATA / "full.yaml"
ITEMS = ["prior_offences", "violence", "peers", "gang", "school", "adult", "district"]
ROWS = [
    ["2", "high", "yes", "no", "truant", "yes", "north", "2009-03-02", "2026-11-01"],  # complete
    ["", "hgh", "yes", "no", "truant", "yes", "north", "2009-03-02", "2026-11-01"],  # refused: bad code
    ["1", "unknown", "no", "", "", "yes", "north", "", "2026-11-01"],  # incomplete
    ["0", "low", "no", "", "attending", "no", "south", "2008-01-01", "2026-10-01"],  # complete
]
HEADER = [*ITEMS, "birth_date", "assessment_date"]


def run(*args: Any, lang: str = "en") -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"RISKMANUAL_LANG": lang})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def write_csv(path: Path, rows: list[list[str]] = ROWS, header: list[str] = HEADER) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def frame(rows: list[list[str]] = ROWS) -> Any:
    return pd.DataFrame(rows, columns=HEADER)


def expected(rows: list[list[str]] = ROWS) -> Any:
    instrument = read_instrument(FULL)
    return score_frame(instrument, pa.Table.from_pandas(frame(rows), preserve_index=False), domains=True,
                       today=dt.date.today(), lang="en").to_pandas()


def read_out(path: Path) -> Any:
    if path.suffix == ".csv":
        return pd.read_csv(path, keep_default_na=True)
    return pq.read_table(path).to_pandas()


def same(got: Any, want: Any) -> None:
    assert list(got.columns) == list(want.columns)
    for column in want.columns:
        left = [None if pd.isna(v) else v for v in got[column].tolist()]
        right = [None if pd.isna(v) else v for v in want[column].tolist()]
        assert left == right, column


@pytest.mark.parametrize("suffix_in", [".csv", ".parquet"])
@pytest.mark.parametrize("suffix_out", [".parquet", ".csv"])
def test_scores_a_table(tmp_path: Path, suffix_in: str, suffix_out: str) -> None:
    source = tmp_path / f"in{suffix_in}"
    if suffix_in == ".csv":
        write_csv(source)
    else:
        pq.write_table(pa.Table.from_pandas(frame(), preserve_index=False), source)
    out = tmp_path / f"out{suffix_out}"
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"4 rows: 2 scored, 1 incomplete, 1 refused; wrote {out}"
    got = read_out(out)
    assert list(got.columns) == output_columns(read_instrument(FULL), domains=True)
    same(got, read_out_like(expected(), suffix_out, tmp_path))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def read_out_like(want: Any, suffix: str, tmp_path: Path) -> Any:
    """The expected table as it reads back from a file of that format (CSV loses its types)."""
    if suffix == ".parquet":
        return want
    path = tmp_path / "want.csv"
    want.to_csv(path, index=False)
    return pd.read_csv(path)


def test_streams_in_many_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are scored batch by batch (here 3 rows a batch) with the same result as all at once."""
    import riskmanual.cli.batch as batch_cli

    monkeypatch.setattr(batch_cli, "BATCH_ROWS", 3)
    rows = ROWS * 5
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame(rows), preserve_index=False), source, row_group_size=4)
    out = tmp_path / "out.parquet"
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert "20 rows: 10 scored, 5 incomplete, 5 refused" in result.output
    same(read_out(out), expected(rows))


def test_summary_in_swedish(tmp_path: Path) -> None:
    rows = ROWS * 2500
    source = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "ut.parquet"
    result = run("score", FULL, "--batch", source, "--out", out, "--lang", "sv", lang="sv")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"10\u00a0000 rader: 5000 bedömda, 2500 ofullständiga, 2500 avvisade; skrev {out}"
    errors = read_out(out)["error"].dropna()
    assert errors.str.contains("menade du").all()  # the errors are in Swedish too


def test_never_overwrites(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    out.write_text("keep me", encoding="utf-8")
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 1
    assert "already exists" in result.output and "never overwrites" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    link = tmp_path / "link.csv"
    os.symlink(tmp_path / "nowhere.csv", link)  # a dangling link is a name that exists
    assert run("score", FULL, "--batch", source, "--out", link).exit_code == 1
    assert not (tmp_path / "nowhere.csv").exists()


@pytest.mark.parametrize("args, words", [
    (["--batch", "in.csv"], "--batch needs --out"),
    (["--out", "out.csv"], "--out is for --batch"),
    (["answers.json", "--batch", "in.csv", "--out", "o.csv"], "either ANSWERS or --batch"),
    ([], "give ANSWERS"),
    (["--batch", "in.txt", "--out", "o.csv"], "cannot tell the format of 'in.txt'"),
    (["--batch", "in.csv", "--out", "o.json"], "cannot tell the format of 'o.json'"),
])
def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], words: str) -> None:
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "in.csv")
    result = run("score", FULL, *args)
    assert result.exit_code == 2, result.output
    assert words in result.output


def test_missing_file_and_instrument(tmp_path: Path) -> None:
    result = run("score", FULL, "--batch", tmp_path / "nope.csv", "--out", tmp_path / "o.csv")
    assert result.exit_code == 1 and "nope.csv: no such file" in result.output
    result = run("score", "no-such-instrument", "--batch", write_csv(tmp_path / "in.csv"), "--out", tmp_path / "o.csv")
    assert result.exit_code == 1 and "no-such-instrument" in result.output
    assert not (tmp_path / "o.csv").exists()


def test_unknown_columns_with_did_you_mean(tmp_path: Path) -> None:
    header = ["prior_ofences", *ITEMS[1:], "birth_date", "assessment_date"]
    source = write_csv(tmp_path / "in.csv", header=header)
    result = run("score", FULL, "--batch", source, "--out", tmp_path / "o.csv")
    assert result.exit_code == 1
    assert f"{source}:1:1: prior_offences: no column for this item; did you mean 'prior_ofences'?" in result.output
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("content, words", [
    (b"garbage, not parquet", "not a readable Parquet table"),
    (b"", "not a readable Parquet table"),
])
def test_unreadable_parquet(tmp_path: Path, content: bytes, words: str) -> None:
    source = tmp_path / "in.parquet"
    source.write_bytes(content)
    result = run("score", FULL, "--batch", source, "--out", tmp_path / "o.parquet")
    assert result.exit_code == 1 and words in result.output
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize("content, words", [
    (b"", "the file is empty"),
    (",".join(HEADER).encode() + b"\n1,low,no\n", "expected 9 fields, found 3"),
    (",".join(HEADER).encode() + b"\n1,l\xffw,no,no,ok,no,north,,2026-11-01\n", "not UTF-8 text"),
    (b"\xff\xfe" + ",".join(HEADER).encode("utf-16-le"), "not UTF-8 text"),
])
def test_unreadable_csv(tmp_path: Path, content: bytes, words: str) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    result = run("score", FULL, "--batch", source, "--out", tmp_path / "o.parquet")
    assert result.exit_code == 1, result.output
    assert words in result.output
    assert list(tmp_path.iterdir()) == [source]  # no output, no temporary file


def test_header_only_gives_an_empty_table(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", rows=[])
    out = tmp_path / "o.parquet"
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 0 and "0 rows" in result.output
    table = pq.read_table(out)
    assert table.num_rows == 0 and table.schema == output_schema(read_instrument(FULL), domains=True)


def test_plain_scoring_path_stays_light() -> None:
    """The batch code (numpy, pyarrow) loads only for --batch."""
    import subprocess
    import sys

    code = ("import sys, riskmanual.cli\n"
            "print(sorted(m for m in ('numpy', 'pyarrow', 'pandas', 'riskmanual.batch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_typed_parquet_columns(tmp_path: Path) -> None:
    """Numbers, booleans, dates and midnight timestamps are read as they are typed."""
    table = pa.table({
        "prior_offences": pa.array([2, 0, None], type=pa.int64()),
        "violence": ["high", "low", "moderate"],
        "peers": pa.array([True, False, None]),
        "gang": ["no", None, None],
        "school": ["truant", "attending", "attending"],
        "adult": ["yes", "no", "yes"],
        "district": ["north", "south", "north"],
        "birth_date": pa.array([dt.date(2009, 3, 2), dt.date(2008, 1, 1), None], type=pa.date32()),
        "assessment_date": pa.array([dt.datetime(2026, 11, 1), dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 1)],
                                    type=pa.timestamp("us")),
    })
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    out = tmp_path / "out.parquet"
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 0, result.output
    got = read_out(out)
    want = expected([["2", "high", "yes", "no", "truant", "yes", "north", "2009-03-02", "2026-11-01"],
                     ["0", "low", "no", "", "attending", "no", "south", "2008-01-01", "2026-10-01"],
                     ["", "moderate", "", "", "attending", "yes", "north", "", "2026-10-01"]])
    same(got, want)
    assert got["status"].tolist()[:2] == ["complete", "complete"]


def test_many_distinct_bad_cells(tmp_path: Path) -> None:
    """A column of thousands of different bad codes refuses every row, each with its own message."""
    rows = [[str(i), f"bad{i}", "yes", "no", "truant", "yes", "north", "2009-03-02", "2026-11-01"] for i in range(3000)]
    source = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 0 and "3,000 rows: 0 scored, 0 incomplete, 3,000 refused" in result.output
    errors = read_out(out)["error"]
    assert errors.str.contains("got 'bad2999'").sum() == 1


def test_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal a progress bar is drawn (on stderr; it goes away when done); the result is the same."""
    import riskmanual.cli.batch as batch_cli

    monkeypatch.setattr(batch_cli, "_terminal", lambda: True)
    monkeypatch.setattr(batch_cli, "BATCH_ROWS", 2)
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame(), preserve_index=False), source)
    out = tmp_path / "out.parquet"
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert "4 rows: 2 scored, 1 incomplete, 1 refused" in result.output
    same(read_out(out), expected())


def test_through_the_console_entry_point(tmp_path: Path) -> None:
    """The installed command (its start-up path included) takes --batch, with the exit codes of the CLI."""
    import subprocess
    import sys

    source = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.parquet"
    command = [sys.executable, "-m", "riskmanual.cli", "score", str(FULL), "--batch", str(source), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "RISKMANUAL_LANG": "en"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"4 rows: 2 scored, 1 incomplete, 1 refused; wrote {out}"
    again = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "RISKMANUAL_LANG": "en"})
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr
    usage = subprocess.run(command[:-2], capture_output=True, text=True, env={**os.environ, "RISKMANUAL_LANG": "en"})
    assert usage.returncode == 2 and "--batch needs --out" in usage.stderr


def test_nested_and_odd_column_types(tmp_path: Path) -> None:
    """Lists, structs and numbers where a date belongs are refused row by row, never a traceback."""
    table = pa.table({
        "prior_offences": pa.array([[1, 2], [3]]), "violence": pa.array([{"a": 1}, {"a": 2}]),
        "peers": ["yes", "no"], "gang": ["no", None], "school": ["truant", "attending"], "adult": ["yes", "no"],
        "district": ["north", "south"], "assessment_date": pa.array([1.5, 2.5]),
    })
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    out = tmp_path / "out.csv"
    result = run("score", FULL, "--batch", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert "2 rows: 0 scored, 0 incomplete, 2 refused" in result.output
    assert read_out(out)["error"].str.contains("expected a date written YYYY-MM-DD").all()
    frame = table.to_pandas()
    frame["assessment_date"] = "2026-11-01"
    scored = score_frame(read_instrument(FULL), frame, today=dt.date(2026, 11, 23), lang="en")
    assert scored["error"].str.contains("answers.prior_offences: expected a number").all()


# --- --column and --keep ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_column_map_and_kept_columns(tmp_path: Path, suffix: str) -> None:
    """--column ITEM=COLUMN reads an item from another column; --keep copies columns (a case
    reference, a number) into OUT, first and unchanged; the scores are those of the plain table."""
    header = ["case_ref", "wave", "prior", *ITEMS[1:], "born", "assessment_date"]
    rows = [[f"c-{i}", str(i), *row] for i, row in enumerate(ROWS)]
    source = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        write_csv(source, rows=rows, header=header)
    else:
        table = pd.DataFrame(rows, columns=header).astype({"wave": "int64"})
        pq.write_table(pa.Table.from_pandas(table, preserve_index=False), source)
    out = tmp_path / "out.parquet"
    result = run("score", FULL, "--batch", source, "--out", out, "--column", "prior_offences=prior",
                 "--column", "birth_date=born", "--keep", "case_ref", "--keep", "wave", "--keep", "case_ref")
    assert result.exit_code == 0, result.output
    got = pq.read_table(out).to_pandas()
    assert list(got.columns) == ["case_ref", "wave", *output_columns(read_instrument(FULL), domains=True)]
    assert got["case_ref"].tolist() == ["c-0", "c-1", "c-2", "c-3"]
    assert got["wave"].tolist() == ([0, 1, 2, 3] if suffix == ".parquet" else ["0", "1", "2", "3"])
    same(got.drop(columns=["case_ref", "wave"]), expected())


@pytest.mark.parametrize("args, words", [
    (["--column", "violence"], "'violence' is not ITEM=COLUMN"),
    (["--column", "=x"], "'=x' is not ITEM=COLUMN"),
    (["--column", "violence=a", "--column", "violence=b"], "'violence' is given two columns: 'a' and 'b'"),
    (["--keep", "total"], "'total' is the name of one of OUT's score columns"),
])
def test_column_and_keep_usage_errors(tmp_path: Path, args: list[str], words: str) -> None:
    source = write_csv(tmp_path / "in.csv")
    result = run("score", FULL, "--batch", source, "--out", tmp_path / "o.csv", *args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert not (tmp_path / "o.csv").exists()


def test_column_and_keep_need_batch(tmp_path: Path) -> None:
    result = run("score", FULL, "--keep", "case_ref")
    assert result.exit_code == 2 and "--column and --keep are for --batch" in result.output
    result = run("score", FULL, "--column", "a=b", "--lang", "sv", lang="sv")
    assert result.exit_code == 2 and "--column och --keep hör till --batch" in result.output


def test_unknown_keep_and_column_all_at_once(tmp_path: Path) -> None:
    """Every column problem in one message, each located, with did-you-mean."""
    header = ["case_ref", *HEADER]
    source = write_csv(tmp_path / "in.csv", rows=[["c", *row] for row in ROWS], header=header)
    result = run("score", FULL, "--batch", source, "--out", tmp_path / "o.csv", "--keep", "case_rf",
                 "--column", "violense=violence", "--column", "peers=peer")
    assert result.exit_code == 1, result.output
    assert f"{source}:1:1: case_rf: no column 'case_rf' to keep; did you mean 'case_ref'?" in result.output
    assert "columns.violense: no item 'violense' in test-full@1.2.0; did you mean 'violence'?" in result.output
    assert "columns.peers: no column 'peer' for item 'peers'; did you mean 'peers'?" in result.output
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("spelling", ["twelve", "ten", "plain", "number"])
def test_kept_personnummer_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str,
                                         spelling: str) -> None:
    """A kept column holding a personnummer (synthetic here), in any spelling, stops the run with the
    row located and the number never shown; no OUT and no temporary file, even when earlier batches
    were written already."""
    import riskmanual.cli.batch as batch_cli
    from riskmanual.identity import synthetic_number

    monkeypatch.setattr(batch_cli, "BATCH_ROWS", 2)
    number = synthetic_number(dt.date(2006, 5, 17), 238)
    shown = {"twelve": number, "ten": number[2:], "plain": number.replace("-", ""),
             "number": number.replace("-", "")}[spelling]
    refs: list[Any] = ["c-0", "c-1", "c-2", shown]
    header = ["case_ref", *HEADER]
    source = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        write_csv(source, rows=[[str(r), *row] for r, row in zip(refs, ROWS)], header=header)
    else:
        if spelling == "number":
            refs = [1, 2, 3, int(shown)]
        table = pd.DataFrame([[r, *row] for r, row in zip(refs, ROWS)], columns=header)
        pq.write_table(pa.Table.from_pandas(table, preserve_index=False), source)
    out = tmp_path / "o.parquet"
    result = run("score", FULL, "--batch", source, "--out", out, "--keep", "case_ref")
    assert result.exit_code == 1, result.output
    assert "case_ref: column 'case_ref' holds a personnummer (row 4)" in result.output
    if suffix == ".csv":
        assert f"{source}:5:1: case_ref" in result.output
    for form in (number, number[2:], number.replace("-", ""), number[2:].replace("-", "")):
        assert form not in result.output
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize("lang, shown", [("sv", "12\u00a0000/400\u00a0000"), ("en", "12,000/400,000")])
def test_progress_counts_in_the_number_style(lang: str, shown: str) -> None:
    from types import SimpleNamespace

    from riskmanual.cli.batch import rows_column

    assert rows_column(lang).render(SimpleNamespace(completed=12_000, total=400_000)).plain == shown
    assert rows_column(lang).render(SimpleNamespace(completed=0, total=None)).plain == "0/?"
