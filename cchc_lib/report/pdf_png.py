"""Charts into the PDF without decoding and compressing them a second time.

WeasyPrint writes a PNG's pixels into the PDF by decoding the file with Pillow and encoding
it again as PNG (``RasterImage._get_png_data``), only to take the IDAT chunks back out of
that encoding. For an 8-bit, non-interlaced RGB or grey PNG the file's own IDAT chunks are
already what the PDF reads (Flate with the PNG predictor), so they are taken as they are:
about a twentieth of a second of CPU per chart of the report; the same bytes when Pillow
made the PNG (matplotlib does), the same pixels otherwise. Any other image goes WeasyPrint's
own way. The charts are also kept out of the HTML WeasyPrint parses (:func:`lift_images`).
The PDF child process loads this file by its path: no cchc import here.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import struct

# PNG colour types taken as they are, with the Pillow mode WeasyPrint then describes to the PDF
_AS_IS = {(2, "RGB"), (0, "L")}


def png_idat(data: bytes, mode: str) -> bytes | None:
    """The IDAT chunks of ``data`` joined, when the PDF can read them as they are (8-bit,
    not interlaced, colour type matching ``mode``); None otherwise."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, found = 8, []
    while pos + 8 <= len(data):
        (size,) = struct.unpack("!I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        if kind == b"IHDR" and (len(body) != 13 or body[8] != 8 or body[12] != 0 or (body[9], mode) not in _AS_IS):
            return None
        if kind == b"IDAT":
            found.append(body)
        pos += 12 + size
    return b"".join(found) or None


def install() -> None:
    """Route WeasyPrint's PNG re-encoding through :func:`png_idat` (idempotent); left as it
    is when this WeasyPrint has no such step."""
    try:
        from weasyprint.images import RasterImage
    except ImportError:  # the PDF step says what is missing
        return
    own = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(own, staticmethod) or getattr(own.__func__, "cchc_as_is", False):
        return
    encode = own.__func__

    def get_png_data(pillow_image):
        source = getattr(pillow_image, "fp", None)  # a PNG opened from bytes, not decoded yet
        if getattr(pillow_image, "format", None) == "PNG" and isinstance(source, io.BytesIO):
            idat = png_idat(source.getvalue(), pillow_image.mode)
            if idat is not None:
                return idat
        return encode(pillow_image)

    get_png_data.cchc_as_is, get_png_data.__wrapped__ = True, encode
    RasterImage._get_png_data = staticmethod(get_png_data)


# -- the charts kept out of the HTML WeasyPrint parses --------------------------------------------

# A chart inlined as a data: URL is a few hundred thousand characters of one attribute that
# WeasyPrint's HTML parser reads a character class at a time and its URL handling copies
# again: about a tenth of a second of CPU for the report's charts. The PDF is laid out from
# the HTML with each such URL replaced by a short one of its own scheme, whose bytes
# image_fetcher() serves (the same image, the same pixels in the PDF).
_DATA_IMAGE = re.compile(r'src="data:(image/[A-Za-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]*)"')
SCHEME = "cchc-image"


def lift_images(html: str) -> tuple[str, dict[str, tuple[str, bytes]]]:
    """``html`` with each base64 data: image URL in a ``src`` replaced by ``cchc-image:<sha1>``,
    and those URLs' (media type, bytes)."""
    images: dict[str, tuple[str, bytes]] = {}

    def lift(m: re.Match) -> str:
        url = f"{SCHEME}:{hashlib.sha1(m.group(2).encode('ascii')).hexdigest()}"
        images.setdefault(url, (m.group(1), base64.b64decode(m.group(2))))
        return f'src="{url}"'

    return _DATA_IMAGE.sub(lift, html), images


def image_fetcher(images: dict[str, tuple[str, bytes]]):
    """A WeasyPrint URL fetcher reading local files, data: URLs and ``images``, nothing else."""
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    class Fetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if url in images:
                mime, data = images[url]
                return URLFetcherResponse(url, data, {"Content-Type": mime})
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols=("file", "data", SCHEME))
