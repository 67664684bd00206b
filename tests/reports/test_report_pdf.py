"""The PDF of a full case, drawn by WeasyPrint: its pages turned into images are not blank, and its
text can be read back, with the pseudonym and the Swedish headings and no personnummer."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from riskmanual.case.store import open_store
from riskmanual.privacy import looks_like_personnummer
from riskmanual.reports import gather
from riskmanual.reports.render import pdf

from . import NUMBER, TODAY, build_case



def _weasyprint() -> str | None:
    """Why WeasyPrint cannot draw a PDF here (None when it can)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot be loaded (it needs the system's Pango): {exc}"
    return None


pytestmark = [
    pytest.mark.skipif(shutil.which("pdftoppm") is None,
                       reason="pdftoppm (poppler-utils) is not installed: the PDF's pages cannot be drawn"),
    pytest.mark.skipif(_weasyprint() is not None, reason=str(_weasyprint())),
]


def test_the_pdf_has_drawn_pages_and_readable_swedish_text(tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    store = open_store(str(tmp_path / "cases.sqlite"), key_path=tmp_path / "pseudonym.key", actor="Anna Handläggare")
    case = build_case(store)
    report = gather(store, case.second, lang="sv", fmt="pdf", today=TODAY)
    target = tmp_path / "report.pdf"
    target.write_bytes(pdf(report))
    assert target.read_bytes().startswith(b"%PDF-")

    subprocess.run(["pdftoppm", "-r", "50", "-png", str(target), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(pages) == len(reader.pages) >= 2
    for page in pages:
        image = Image.open(page).convert("L")
        inked = sum(image.histogram()[:200])  # pixels darker than light grey
        assert inked > 0.01 * image.width * image.height, f"{page.name} is (nearly) blank"

    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    flat = re.sub(r"\s+", "", text)
    assert case.pseudonym in flat
    for words in ("Vad bedömningen visar", "Det som talar för att det kan gå bra", "Samtycke återkallat",
                  "Åtgärdsplan", "Förändring sedan förra bedömningen", "Sida 1 av"):
        assert re.sub(r"\s+", "", words) in flat, words
    without_hex = re.sub(r"p-[0-9a-f]{32}|[0-9a-f]{64}", "", flat.replace(report.instrument_sha256, ""))
    without_hex = re.sub(r"[0-9a-f]{20,}", "", without_hex)  # the hash as the page broke it
    assert not looks_like_personnummer(without_hex)
    assert re.sub(r"\D", "", NUMBER)[-10:] not in re.sub(r"\D", "", without_hex)
    store.close()
