"""An Agg canvas that rasterises each glyph once per process, for ``Chart.to_png``.

Matplotlib (3.11) draws text glyph by glyph: for every letter it resets the font size
(which reruns the font's hinting program) and has FreeType hint and rasterise the outline
again. A chart of ~350 labels draws ~2,000 glyphs, of a few hundred distinct letters, and
that loop was about a third of a chart's drawing time. Here a glyph's bitmap is kept,
keyed by font, size, dpi, glyph and its position's fraction of a pixel (FreeType places
an outline to 1/64 px): a glyph moved by whole pixels gives the same bitmap moved by
those pixels, so every picture is the same, pixel for pixel (``tests/test_charts.py``
compares it with matplotlib's own renderer). Rotated, slanted or monochrome text, and a
matplotlib without this drawing loop, are left to matplotlib.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

try:
    from matplotlib.ft2font import FT2Font, RenderMode
except ImportError:  # an older matplotlib: nothing to cache, its own renderer is used
    FT2Font = RenderMode = None

_IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])
_LIMIT = 20_000  # glyph bitmaps kept (a few hundred bytes each); cleared when full
_GLYPHS: dict = {}
CACHES = (
    RenderMode is not None
    and hasattr(FT2Font, "_render_glyph")
    and hasattr(FT2Font, "_set_transform")
    and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
)


class _Renderer(RendererAgg):
    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        """matplotlib's loop for upright anti-aliased glyphs, with each bitmap rendered
        at its fraction of a pixel once and moved to its place by whole pixels."""
        if angle or not gc.get_antialiased():
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        flags, dpi, height = get_hinting_flag(), self.dpi, self.height
        draw = self._renderer.draw_text_image
        rest = []
        for glyph in glyphs:
            font, size, index, slant, extend, dx, dy = glyph
            if slant or extend != 1:
                rest.append(glyph)
                continue
            gx, gy = round(0x40 * (x + dx)), round(0x40 * (height - y + dy))  # FreeType's y is upwards
            key = (font, size, dpi, flags, index, gx & 63, gy & 63)
            kept = _GLYPHS.get(key)
            if kept is None:
                font.set_size(size, dpi)
                font._set_transform(_IDENTITY, [gx & 63, gy & 63])
                bitmap = font._render_glyph(index, flags, RenderMode.NORMAL)
                kept = (bitmap.buffer, bitmap.left, bitmap.top)
                if len(_GLYPHS) >= _LIMIT:
                    _GLYPHS.clear()
                _GLYPHS[key] = kept
            buffer, left, top = kept
            draw(buffer, left + (gx >> 6), int(height) - (top + (gy >> 6)) + buffer.shape[0], 0, gc)
        if rest or boxes:
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, rest, boxes)


class Canvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` drawing with the glyph-keeping renderer (when matplotlib has
    the drawing loop it replaces; otherwise exactly ``FigureCanvasAgg``)."""

    def get_renderer(self):
        if not CACHES:
            return super().get_renderer()
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
