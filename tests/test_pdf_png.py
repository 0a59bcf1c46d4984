"""Charts reach the PDF as their own PNG data (report/pdf_png): the same bytes as WeasyPrint's
re-encoding for a Pillow-made chart, WeasyPrint's own way for anything else."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from cchc_lib.report import pdf, pdf_png


def _png(mode: str = "RGB", size=(120, 80)) -> bytes:
    image = Image.new(mode, size)
    for x in range(size[0]):  # a gradient: rows that the PNG filters differently
        for y in range(size[1]):
            v = (x * 2 + y * 3) % 256
            image.putpixel((x, y), v if mode in ("L", "I;16") else (v, 255 - v, (x * y) % 256, 200)[: len(mode)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _weasyprint_encoding():
    """WeasyPrint's own step, installed over or not."""
    from weasyprint.images import RasterImage

    step = RasterImage.__dict__["_get_png_data"].__func__
    return getattr(step, "__wrapped__", step)


def test_a_pillow_png_gives_the_idat_weasyprint_would_write():
    data = _png()
    assert pdf_png.png_idat(data, "RGB") == _weasyprint_encoding()(Image.open(io.BytesIO(data)))


def _interlaced(data: bytes) -> bytes:
    """The same file with IHDR's interlace byte set (Pillow does not write interlaced PNGs)."""
    at = data.index(b"IHDR") + 4 + 12
    return data[:at] + b"\x01" + data[at + 1 :]


@pytest.mark.parametrize(
    ("mode", "shown", "interlaced"),
    [("RGBA", "RGBA", False), ("RGB", "RGB", True), ("I;16", "I;16", False), ("RGB", "L", False)],
)
def test_other_pngs_are_left_to_weasyprint(mode, shown, interlaced):
    """Alpha, interlaced, 16-bit, or a colour type that is not the mode WeasyPrint describes."""
    data = _interlaced(_png(mode)) if interlaced else _png(mode)
    assert pdf_png.png_idat(data, shown) is None
    assert pdf_png.png_idat(b"GIF89a", "RGB") is None


def _page(data: bytes) -> str:
    src = "data:image/png;base64," + base64.b64encode(data).decode()
    return f'<h1>Biểu đồ</h1><figure><img src="{src}" alt="biểu đồ"></figure><p>Tiếng Việt.</p>'


def test_the_pdf_is_the_same_as_with_weasyprints_own_encoding(monkeypatch):
    from weasyprint.images import RasterImage

    page = _page(_png())
    made = pdf.html_to_pdf(page)  # installs the pass-through
    step = RasterImage.__dict__["_get_png_data"].__func__
    assert step.cchc_as_is
    calls = []
    monkeypatch.setattr(pdf_png, "png_idat", lambda data, mode: calls.append(mode) or None)  # never as it is
    assert pdf.html_to_pdf(page) == made and calls == ["RGB"]


@pytest.mark.slow
def test_the_child_process_writes_the_same_bytes_with_a_chart(tmp_path):
    page = _page(_png())
    child = pdf.start_pdf(page, tmp_path / "a.pdf")
    assert child.wait().read_bytes() == pdf.html_to_pdf(page)


def test_the_charts_are_lifted_out_of_the_html_weasyprint_parses():
    data = _png()
    page = (
        _page(data) + _page(data) + '<img src="chart.png"><p style="background:url(data:image/png;base64,AA==)">x</p>'
    )
    lifted, images = pdf_png.lift_images(page)
    assert "data:image/png;base64,iVBOR" not in lifted and len(images) == 1  # the same chart twice: once
    ((url, (mime, body)),) = images.items()
    assert url.startswith("cchc-image:") and lifted.count(f'src="{url}"') == 2
    assert mime == "image/png" and body == data
    assert 'src="chart.png"' in lifted and "url(data:image/png;base64,AA==)" in lifted  # only data: src


def test_a_lifted_chart_prints_the_same_pixels(monkeypatch):
    from pypdf import PdfReader

    page = _page(_png())
    lifted = PdfReader(io.BytesIO(pdf.html_to_pdf(page))).pages[0].images
    monkeypatch.setattr(pdf_png, "lift_images", lambda html: (html, {}))  # the data: URL as it is
    inline = PdfReader(io.BytesIO(pdf.html_to_pdf(page))).pages[0].images
    assert len(lifted) == len(inline) == 1
    assert lifted[0].image.tobytes() == inline[0].image.tobytes() == Image.open(io.BytesIO(_png())).tobytes()
