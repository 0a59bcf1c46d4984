"""An Agg canvas that shapes each label once and rasterises each glyph once, for ``Chart.to_png``.

Matplotlib (3.11) draws text glyph by glyph: for every letter it resets the font size
(which reruns the font's hinting program) and has FreeType hint and rasterise the outline
again. A chart of ~350 labels draws ~2,000 glyphs, of a few hundred distinct letters, and
that loop was about a third of a chart's drawing time. Here a glyph's bitmap is kept,
keyed by font, size, dpi, glyph and its position's fraction of a pixel (FreeType places
an outline to 1/64 px): a glyph moved by whole pixels gives the same bitmap moved by
those pixels.

Matplotlib also shapes every label twice: once to measure it (``set_text``, for the
layout) and again to draw it (``_layout``), each time loading and hinting every glyph.
Here the measuring shapes it with ``_layout`` and keeps the result for the draw; the
size is what ``set_text`` gives (the advance of the line, the vertical extent of the
glyphs' boxes), from each glyph's box loaded once.

Every picture is the same, pixel for pixel (``tests/test_charts.py`` compares it and
the sizes with matplotlib's own renderer). Rotated, slanted or monochrome text, math,
text set in several fonts, and a matplotlib without these methods are left to matplotlib.
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
_BOXES: dict = {}  # (font, size, dpi, flags, glyph) -> (lowest y, highest y, advance), 1/64 px
CACHES = (
    RenderMode is not None
    and hasattr(FT2Font, "_render_glyph")
    and hasattr(FT2Font, "_set_transform")
    and hasattr(FT2Font, "_layout")
    and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
)


def _keep(store: dict, key, value):
    if len(store) >= _LIMIT:
        store.clear()
    store[key] = value
    return value


class _Renderer(RendererAgg):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shaped: dict = {}  # (font, size, flags, text) -> glyph layout, from measuring to drawing

    def get_text_width_height_descent(self, s, prop, ismath):
        """``set_text``'s size from the layout the draw will use (kept for it)."""
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        font, size, flags = self._prepare_font(prop), prop.get_size_in_points(), get_hinting_flag()
        items = font._layout(s, flags=flags)
        if any(item.ft_object is not font or item.y for item in items):
            return super().get_text_width_height_descent(s, prop, ismath)
        self._shaped[font, size, flags, s] = items
        if not items:
            return 0.0, 0.0, 0.0
        low, high = 32000, -32000
        for item in items:
            key = (font, size, self.dpi, flags, item.glyph_index)
            box = _BOXES.get(key)
            if box is None:
                glyph = font.load_glyph(item.glyph_index, flags)
                box = _keep(_BOXES, key, (glyph.bbox[1], glyph.bbox[3], glyph.horiAdvance))
            low, high = min(low, box[0]), max(high, box[1])
        width = round(items[-1].x * 64) + box[2]
        return width / 64, (high - low) / 64, -low / 64

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """matplotlib's ``draw_text`` with the layout the measuring made, when it made one."""
        plain = mtext is None or (mtext.get_fontfeatures() is None and mtext.get_language() is None)
        font = None if ismath or not plain else self._prepare_font(prop)
        size = prop.get_size_in_points()
        items = self._shaped.get((font, size, get_hinting_flag(), s)) if font is not None else None
        if items is None:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        glyphs = ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items)
        self._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, [])

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
                kept = _keep(_GLYPHS, key, (bitmap.buffer, bitmap.left, bitmap.top))
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
