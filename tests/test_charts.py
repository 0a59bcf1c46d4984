"""Charts: right figure, right words, numbers written the Vietnamese way, and a PNG that renders.

Every expected count or value is computed from the assessment in the test, never copied
from the sample data, so the tests hold when the sample generator changes.
"""

from __future__ import annotations

import dataclasses
import io
import re
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from cchc_lib.assessment.engine import assess, rating_for
from cchc_lib.assessment.tthc import KPI_LABELS
from cchc_lib.core import periods
from cchc_lib.core.periods import quarters_until
from cchc_lib.i18n import fmt, vocab
from cchc_lib.report import charts

PERIOD = "2024-Q2"
CUTOFF = "nd09"
PNG_MAGIC = b"\x89PNG"
CHART_NAMES = ("status_by_area", "actual_vs_target", "tthc_by_month", "task_timeline", "area_heatmap", "unit_scorecard")


# --- fixtures and helpers ------------------------------------------------------------------


def history_until(plan, progress, period, cutoff: str = CUTOFF) -> pd.DataFrame:
    """Area scores of every quarter of the year up to ``period``: the input of area_heatmap."""
    frames = []
    for q in quarters_until(period):
        a = assess(plan, progress, q, cutoff)
        frames.append(a.areas[["area_id", "name", "score"]].rename(columns={"name": "area_name"}).assign(period=q.code))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def sample(plan, sample_progress):
    return plan, sample_progress


@pytest.fixture(scope="module")
def a(sample):
    plan, progress = sample
    return assess(plan, progress, PERIOD, cutoff=CUTOFF)


@pytest.fixture(scope="module")
def history(sample):
    plan, progress = sample
    return history_until(plan, progress, PERIOD)


@pytest.fixture(scope="module")
def vi(a, history):
    return dict(zip(CHART_NAMES, charts.all_charts(a, history, "vi")))


@pytest.fixture(scope="module")
def en(a, history):
    return dict(zip(CHART_NAMES, charts.all_charts(a, history, "en")))


@pytest.fixture(scope="module")
def empty(a):
    """The same assessment with nothing in it: no targets, tasks, units, areas, dossier log."""
    return dataclasses.replace(
        a,
        targets=a.targets.iloc[0:0],
        tasks=a.tasks.iloc[0:0],
        units=a.units.iloc[0:0],
        areas=a.areas.iloc[0:0],
        tthc=None,
    )


def texts(fig: Figure) -> list[str]:
    """Every piece of text in the figure after a layout pass (tick labels only exist then)."""
    fig.draw_without_rendering()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def joined(fig: Figure) -> str:
    return "\n".join(texts(fig))


def plot_axes(fig: Figure) -> list:
    """Axes that hold data (a heatmap's colour bar is not one of them)."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def render(chart: charts.Chart) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = chart.to_png()
    return data, [str(w.message) for w in caught]


def ytick_labels(ax) -> list[str]:
    ax.figure.draw_without_rendering()
    return [t.get_text() for t in ax.get_yticklabels()]


def percent_targets(a) -> pd.DataFrame:
    t = a.targets
    keep = t["measurable"] & t["unit"].eq("percent").fillna(False) & t["actual"].notna() & t["target_value"].notna()
    return t[keep.astype(bool)]


def conflict_values(a) -> list[str]:
    c = a.targets[a.targets["conflict_with"].notna()]
    return [fmt.value(v, "percent", "vi") for v in c["target_value"].drop_duplicates()]


def deadline_tasks(a) -> pd.DataFrame:
    return a.tasks[~a.tasks["recurring"] & a.tasks["deadline"].notna()]


# --- theme, Chart object, housekeeping ------------------------------------------------------


def test_theme_font_size_dpi():
    charts.set_theme()
    charts.set_theme()  # idempotent
    assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert matplotlib.rcParams["savefig.dpi"] == 150
    assert tuple(matplotlib.rcParams["figure.figsize"])[0] == pytest.approx(7.5)


@pytest.mark.slow
def test_every_chart_is_a_chart_a4_wide_with_title_and_caption(vi, en):
    for name in CHART_NAMES:
        for chart in (vi[name], en[name]):
            assert isinstance(chart, charts.Chart)
            assert isinstance(chart.figure, Figure)
            assert chart.figure.get_figwidth() == pytest.approx(charts.WIDTH)
            assert chart.title and chart.caption
            assert chart.title in joined(chart.figure).replace("\n", " ")


@pytest.mark.slow
def test_chart_is_frozen(vi):
    with pytest.raises(dataclasses.FrozenInstanceError):
        vi["status_by_area"].title = "x"


@pytest.mark.slow
def test_no_figures_pile_up_in_pyplot(a, history):
    before = set(plt.get_fignums())
    charts.all_charts(a, history, "vi")
    assert set(plt.get_fignums()) == before


@pytest.mark.slow
def test_png_bytes_file_and_notebook_display(vi, tmp_path):
    chart = vi["unit_scorecard"]
    out = tmp_path / "unit.png"
    data = chart.to_png(out)
    assert data.startswith(PNG_MAGIC) and out.read_bytes() == data
    assert chart._repr_png_().startswith(PNG_MAGIC)
    formatters = pytest.importorskip("IPython.core.formatters")
    assert formatters.PNGFormatter()(chart).startswith(PNG_MAGIC)  # what display(chart) embeds


def test_png_encoder_keeps_every_pixel_and_the_dpi():
    """to_png writes the PNG itself (unfiltered rows, zlib): Pillow reads back exactly the
    Agg pixels as RGB with the dpi, and the same figure gives the same bytes twice."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(2, 1), layout="constrained")
    fig.add_subplot().bar([0, 1, 2], [3, 1, 2], color=["#0072B2", "#E69F00", "#009E73"])
    fig.text(0.5, 0.5, "Tỷ lệ đúng hạn 42,3%")
    chart = charts.Chart(fig, "t", "c")
    data = chart.to_png(dpi=80)
    assert data == chart.to_png(dpi=80)
    fig.set_dpi(80)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    expected = np.asarray(canvas.buffer_rgba())[..., :3]
    with Image.open(io.BytesIO(data)) as img:
        assert img.mode == "RGB" and img.size == (160, 80)
        assert img.info["dpi"] == pytest.approx((80, 80), abs=0.01)
        assert np.array_equal(np.asarray(img), expected)


@pytest.mark.slow
def test_glyph_keeping_canvas_draws_matplotlibs_pixels(a, history):
    """to_png's canvas rasterises each glyph once and reuses the bitmap: the picture is
    matplotlib's own, pixel for pixel, on an empty glyph store and on a full one (upright
    labels; the heat map's colour-bar label is rotated, drawn by matplotlib)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from cchc_lib.report.charts import agg

    def stock(chart):
        fig = chart.figure
        fig.set_dpi(charts.DPI)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3]

    def ours(chart):
        with Image.open(io.BytesIO(chart.to_png())) as img:
            return np.asarray(img)

    for make in (lambda: charts.actual_vs_target(a, "vi"), lambda: charts.area_heatmap(history, "en")):
        agg._GLYPHS.clear()
        expected = stock(make())
        assert np.array_equal(ours(make()), expected)  # every glyph rendered here
        assert np.array_equal(ours(make()), expected)  # every glyph from the store
    assert len(agg._GLYPHS) > 0 or not agg.CACHES


def test_glyph_keeping_canvas_measures_text_as_matplotlib():
    """The canvas measures a label from the layout it keeps for drawing it: the same width,
    height and descent as matplotlib's own measure, for marks above and below the line,
    kerning, spaces, a dash that stays above the baseline, bold and an empty string."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    from cchc_lib.report.charts import agg

    charts.set_theme()
    words = ["", " ", "Tỷ lệ hồ sơ giải quyết đúng hạn", "AVATAR Tg", "ỆỸ gỵ", "—", "42,3% … T1/2024", "a  b "]
    for dpi in (charts.DPI, 96):
        ours = agg.Canvas(Figure(dpi=dpi)).get_renderer()
        theirs = RendererAgg(100, 100, dpi)
        for prop in (FontProperties(size=8), FontProperties(size=11, weight="bold")):
            for word in words:
                assert ours.get_text_width_height_descent(word, prop, False) == pytest.approx(
                    theirs.get_text_width_height_descent(word, prop, False), abs=1e-9
                ), (word, prop, dpi)


def content_outside(chart: charts.Chart, dpi: float = charts.DPI) -> list[str]:
    """Sides of the picture that some drawn artist sticks out of, measured as ``to_png`` draws
    it (what a crop to the tight box would have kept is cut off the PNG)."""
    chart.to_png(dpi=dpi)
    fig = chart.figure
    kept = fig.dpi
    fig.set_dpi(dpi)
    try:
        box = fig.get_tightbbox(fig.canvas.get_renderer()).transformed(fig.dpi_scale_trans)
    finally:
        fig.set_dpi(kept)
    width, height = fig.get_size_inches() * dpi
    slack = 0.5  # pixels
    sides = {"left": box.x0 < -slack, "bottom": box.y0 < -slack, "right": box.x1 > width + slack}
    sides["top"] = box.y1 > height + slack
    return [side for side, out in sides.items() if out]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_png_is_the_whole_figure_with_nothing_cut_off(a, history, empty, lang):
    """One draw of the figure as laid out (no tight crop): every label lies inside the
    picture on the first draw (fresh charts: a report draws each once), its pixel size is
    its size times the dpi, and the figure keeps its own dpi for the notebook."""
    fresh = charts.all_charts(a, history, lang) + [charts.status_by_area(empty, lang)]
    for chart in fresh:
        fig = chart.figure
        dpi_before = fig.dpi
        assert content_outside(chart) == [], chart.title
        for dpi in (charts.DPI, 96):
            with Image.open(io.BytesIO(chart.to_png(dpi=dpi))) as img:
                assert img.mode == "RGB", chart.title
                assert img.size == (int(fig.get_figwidth() * dpi), int(fig.get_figheight() * dpi)), (chart.title, dpi)
        assert fig.dpi == dpi_before, chart.title


def test_content_outside_sees_a_label_past_the_edge():
    """The check above can fail: a figure text placed past the right edge is reported."""
    chart = charts.Chart(Figure(figsize=(4, 2), layout="constrained"), "t", "c")
    chart.figure.add_subplot().plot([0, 1])
    assert content_outside(chart, dpi=50) == []
    chart.figure.text(0.98, 0.5, "Tỷ lệ hồ sơ giải quyết đúng hạn")
    assert content_outside(chart, dpi=50) == ["right"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_png_renders_without_missing_glyphs(vi, en, lang):
    for name, chart in (vi if lang == "vi" else en).items():
        data, messages = render(chart)
        assert data.startswith(PNG_MAGIC), name
        assert not [m for m in messages if "missing from" in m or "Glyph" in m], (name, messages)


@pytest.mark.slow
def test_all_charts_in_report_order_with_numbered_captions(vi, en, a):
    assert [c.caption.split(".")[0] for c in vi.values()] == [f"Hình {i}" for i in range(1, 7)]
    assert [c.caption.split(".")[0] for c in en.values()] == [f"Figure {i}" for i in range(1, 7)]
    assert charts.all_charts(a, None, "vi", start=3)[0].caption.startswith("Hình 3. ")
    label = periods.label(PERIOD, "vi")
    assert all(label in c.caption for c in vi.values())
    assert all(periods.label(PERIOD, "en") in c.caption for c in en.values())


@pytest.mark.slow
def test_unknown_language_is_refused(a):
    with pytest.raises(fmt.FormatError):
        charts.status_by_area(a, "fr")


# --- 1. status by area -------------------------------------------------------------------


@pytest.mark.slow
def test_status_by_area_two_panels_vietnamese_words(vi, a):
    fig = vi["status_by_area"].figure
    assert len(plot_axes(fig)) == 2
    words = [w.replace("\n", " ") for w in texts(fig)]  # long area names are wrapped
    for expected in ("Đạt", "Có nguy cơ không đạt", "Chỉ tiêu", "Nhiệm vụ"):
        assert expected in words
    ii2 = a.areas.loc[a.areas["name"] == "Cải cách thủ tục hành chính", "area_id"].iloc[0]
    assert f"{ii2} Cải cách thủ tục hành chính" in words


@pytest.mark.slow
def test_status_by_area_legends_skip_statuses_never_seen(vi, a):
    ax_t, ax_k = plot_axes(vi["status_by_area"].figure)
    seen_t = [vocab.target_status(c) for c in vocab.TARGET_ORDER if (a.targets["status"] == c).any()]
    seen_k = [vocab.task_status(c) for c in vocab.TASK_ORDER if (a.tasks["status"] == c).any()]
    assert [t.get_text() for t in ax_t.get_legend().get_texts()] == seen_t
    assert [t.get_text() for t in ax_k.get_legend().get_texts()] == seen_k


def test_status_by_area_bars_add_up_to_the_tables(vi, a):
    ax_t, ax_k = plot_axes(vi["status_by_area"].figure)
    assert sum(p.get_width() for p in ax_t.patches) == len(a.targets)
    assert sum(p.get_width() for p in ax_k.patches) == len(a.tasks)
    assert all(p.get_width() > 0 for p in ax_t.patches + ax_k.patches)  # no empty segment (its edge showed)
    assert len(ax_t.get_yticklabels()) == len(a.areas)
    met = vocab.STATUS_COLORS["met"]
    met_total = sum(p.get_width() for p in ax_t.patches if to_hex(p.get_facecolor()).lower() == met.lower())
    assert met_total == (a.targets["status"] == "met").sum()


@pytest.mark.slow
def test_status_by_area_caption_counts(vi, en, a):
    cap = vi["status_by_area"].caption
    for code, n in a.targets["status"].value_counts().items():
        assert f"{n} {vocab.target_status(code).lower()}" in cap
    for code, n in a.tasks["status"].value_counts().items():
        assert f"{n} {vocab.task_status(code)[:1].lower()}{vocab.task_status(code)[1:]}" in cap
    assert f"{len(a.targets)} chỉ tiêu" in cap and f"{len(a.tasks)} nhiệm vụ" in cap
    text = joined(en["status_by_area"].figure)
    assert "Met" in text and "At risk" in text
    assert f"{(a.targets['status'] == 'met').sum()} met" in en["status_by_area"].caption


# --- 2. actual vs target -------------------------------------------------------------------


@pytest.mark.slow
def test_actual_vs_target_one_row_per_percent_target(vi, a):
    fig = vi["actual_vs_target"].figure
    (ax,) = plot_axes(fig)
    rows = percent_targets(a)
    labels = ytick_labels(ax)
    assert len(labels) == len(rows) > 0
    assert all(len(x) <= charts.LABEL_CHARS for x in labels)
    assert any(x.endswith("…") for x in labels)
    assert {x.split(" ")[0] for x in labels} == set(rows["target_id"])
    online = rows[rows["kpi"].eq("online_rate").fillna(False)].iloc[0]
    assert f"{online['target_id']} {online['indicator']}"[: charts.LABEL_CHARS - 1] in "\n".join(labels)
    assert fig.get_figheight() == pytest.approx(1.9 + charts.ROW_HEIGHT * len(rows))


@pytest.mark.slow
def test_actual_vs_target_percent_axis_and_decimal_comma(vi, a):
    words = texts(vi["actual_vs_target"].figure)
    assert {"0%", "50%"} <= set(words) or {"0%", "20%", "100%"} <= set(words)
    decimals = [w for w in words if re.fullmatch(r"\d{1,3},\d%", w)]
    assert decimals, "measured values are written with a decimal comma"
    some = percent_targets(a)["actual"].iloc[0]
    assert fmt.percent(some, 1, "vi") in words


@pytest.mark.slow
def test_actual_vs_target_shows_both_conflicting_thresholds(vi, en, a):
    values = conflict_values(a)
    assert len(values) >= 2, "the sample plan has conflicting online-dossier targets"
    text = joined(vi["actual_vs_target"].figure)
    for v in values:
        assert v in text
    assert f"mâu thuẫn: {' / '.join(values)}" in text
    assert "conflict:" in joined(en["actual_vs_target"].figure)
    conflicted = a.targets.loc[a.targets["conflict_with"].notna(), "target_id"]
    for tid in conflicted:
        assert tid in vi["actual_vs_target"].caption


def test_actual_vs_target_caption_counts_measurable_targets(vi, a):
    cap = vi["actual_vs_target"].caption
    counts = a.targets.loc[a.targets["measurable"], "status"].value_counts()
    first = True
    for code in vocab.TARGET_ORDER:
        if counts.get(code, 0):
            noun = "chỉ tiêu " if first else ""
            assert f"{counts[code]} {noun}{vocab.target_status(code).lower()}" in cap
            first = False
    assert f"{len(percent_targets(a))} chỉ tiêu" in cap


# --- 3. one-stop KPIs by month ----------------------------------------------------------------


def test_tthc_by_month_lines_labels_and_months(vi, a):
    fig = vi["tthc_by_month"].figure
    (ax,) = plot_axes(fig)
    text = joined(fig)
    for kpi in charts.MONTHLY_KPIS:
        assert KPI_LABELS["vi"][kpi] in text
    assert "Tỷ lệ hồ sơ nộp trực tuyến" in text
    months = a.tthc.by_month.drop_duplicates("month")
    assert len(ax.get_xticks()) == len(months)
    assert "T1/2024" in text
    assert ax.get_ylim() == pytest.approx((0, 105))


def test_tthc_by_month_partial_months_are_hollow(vi, a):
    (ax,) = plot_axes(vi["tthc_by_month"].figure)
    n_partial = int(a.tthc.by_month.drop_duplicates("month")["partial"].sum())
    hollow = [
        ln
        for ln in ax.get_lines()
        if ln.get_marker() not in ("None", "", None) and to_hex(ln.get_markerfacecolor()) == "#ffffff"
    ]
    assert sum(len(ln.get_xdata()) for ln in hollow) == n_partial * len(charts.MONTHLY_KPIS)
    assert "tháng cắt theo mốc số liệu" in vi["tthc_by_month"].caption


def test_tthc_by_month_draws_every_plan_target_including_conflicts(vi, a):
    (ax,) = plot_axes(vi["tthc_by_month"].figure)
    refs = a.targets[a.targets["kpi"].isin(charts.MONTHLY_KPIS) & a.targets["target_value"].notna()]
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert sorted(ln.get_ydata()[0] for ln in dashed) == sorted(
        refs[["kpi", "target_value"]].drop_duplicates()["target_value"]
    )
    text = joined(vi["tthc_by_month"].figure)
    for v in conflict_values(a):
        assert v in text
    for tid in refs["target_id"]:
        assert tid in text


@pytest.mark.slow
def test_tthc_by_month_english_months(en):
    text = joined(en["tthc_by_month"].figure)
    assert "Jan 2024" in text and "Dossiers submitted online" in text


def test_tthc_without_dossier_log_says_so(a):
    chart = charts.tthc_by_month(dataclasses.replace(a, tthc=None))
    assert "Chưa có sổ hồ sơ một cửa" in joined(chart.figure)
    assert "Chưa có sổ hồ sơ một cửa" in chart.caption
    assert render(chart)[0].startswith(PNG_MAGIC)


# --- 4. task timeline -----------------------------------------------------------------------


def test_task_timeline_one_row_per_deadline_task(vi, a):
    fig = vi["task_timeline"].figure
    (ax,) = plot_axes(fig)
    tasks = deadline_tasks(a)
    labels = ytick_labels(ax)
    assert len(labels) == len(tasks) > 0
    assert [x.split(" ")[0] for x in labels] == list(tasks["task_id"])
    assert all(len(x) <= charts.LABEL_CHARS for x in labels)


@pytest.mark.slow
def test_task_timeline_cutoff_line_and_month_ticks(vi, en, a):
    text = joined(vi["task_timeline"].figure)
    assert fmt.date_short(a.window.end) in text  # "14/06/2024"
    for m in (1, 6, 12):
        assert f"T{m}" in texts(vi["task_timeline"].figure)
    assert "Jun" in texts(en["task_timeline"].figure)
    overdue = deadline_tasks(a)
    overdue = overdue[overdue["status"] == "overdue"]
    for days in overdue["days_late"]:
        assert f"+{int(days)} ngày" in text


def test_task_timeline_caption_counts(vi, a):
    cap = vi["task_timeline"].caption
    tasks = deadline_tasks(a)
    assert f"{len(tasks)} nhiệm vụ có thời hạn" in cap
    for code, n in tasks["status"].value_counts().items():
        word = vocab.task_status(code)
        assert f"{n} {word[:1].lower()}{word[1:]}" in cap or f"{n} nhiệm vụ {word.lower()}" in cap


@pytest.mark.slow
def test_task_timeline_parts_share_axis_and_legend_and_cover_every_task(vi, a):
    whole = vi["task_timeline"]
    tasks = deadline_tasks(a)
    size = -(-len(tasks) // 2)
    parts = charts.task_timeline_parts(a, "vi", number=4, max_rows=size)
    assert len(parts) == 2 and [c.title for c in parts] == [f"{whole.title} (phần {k}/2)" for k in (1, 2)]
    assert parts[0].caption == whole.caption and "Hình 4." in whole.caption  # every count, once
    assert parts[1].caption.startswith("Hình 4. ") and "phần 2/2, tiếp theo" in parts[1].caption
    labels = [ytick_labels(plot_axes(c.figure)[0]) for c in parts]
    assert [x.split(" ")[0] for x in labels[0] + labels[1]] == list(tasks["task_id"])
    assert len(labels[0]) == size and len(labels[1]) == len(tasks) - size
    limits = [plot_axes(c.figure)[0].get_xlim() for c in (whole, *parts)]
    assert limits[0] == limits[1] == limits[2]  # one time axis
    legend = [[t.get_text() for t in c.figure.legends[0].get_texts()] for c in (whole, *parts)]
    assert legend[0] == legend[1] == legend[2]
    assert parts[0].figure.get_figheight() == pytest.approx(2.0 + charts.ROW_HEIGHT * size)
    assert charts.task_timeline_parts(a, "vi", max_rows=None)[0].title == whole.title


def test_task_timeline_without_deadline_tasks(a):
    only_recurring = dataclasses.replace(a, tasks=a.tasks[a.tasks["recurring"]])
    chart = charts.task_timeline(only_recurring)
    assert "không có nhiệm vụ nào có thời hạn" in joined(chart.figure)
    assert render(chart)[0].startswith(PNG_MAGIC)


# --- 5. area heatmap -----------------------------------------------------------------------


def test_area_heatmap_cells_periods_and_scale(vi, history):
    fig = vi["area_heatmap"].figure
    (ax,) = plot_axes(fig)
    assert len(fig.axes) == 2  # heatmap + colour bar
    words = texts(fig)
    for code in history["period"].unique():
        assert periods.label(code, "vi") in words
    for score in history["score"].dropna():
        assert fmt.number(score, 1, "vi") in words
    assert any("," in w and re.fullmatch(r"\d{1,3},\d", w) for w in words)
    assert ax.collections[0].get_clim() == (0, 100)
    assert "Cải cách thủ tục hành chính" in "\n".join(words).replace("\n", " ")


@pytest.mark.slow
def test_area_heatmap_accepts_name_column_gaps_and_english(history, a):
    h = history.rename(columns={"area_name": "name"}).copy()
    h.loc[h.index[0], "score"] = np.nan
    chart = charts.area_heatmap(h, "vi")
    assert fmt.DASH in texts(chart.figure)
    assert "Cải cách thể chế" in joined(chart.figure).replace("\n", " ")
    chart_en = charts.area_heatmap(history, "en", plan=a.plan)
    assert "Q1 2024" in texts(chart_en.figure)
    assert a.plan.area_name(history["area_id"].iloc[0], "en").split()[0] in joined(chart_en.figure)


def test_area_heatmap_empty_history():
    chart = charts.area_heatmap(pd.DataFrame(columns=["area_id", "area_name", "period", "score"]))
    assert "Chưa có điểm" in joined(chart.figure)
    assert charts.area_heatmap(None).caption


# --- 6. unit scorecard -----------------------------------------------------------------------


def test_unit_scorecard_one_bar_per_unit_coloured_by_rating(vi, a):
    (ax,) = plot_axes(vi["unit_scorecard"].figure)
    bars = ax.containers[0]
    assert len(bars) == len(a.units)
    units = a.units.sort_values("score", ascending=False, kind="stable")
    for bar, score in zip(bars, units["score"]):
        code = rating_for(score, a.rules)[0]  # None for a unit without a score: grey, and no bar
        assert to_hex(bar.get_facecolor()).lower() == vocab.RATING_COLORS.get(code, "#DDDDDD").lower()
    assert ax.get_xlim() == (0, 100)


def test_unit_scorecard_labels_and_counts(vi, en, a):
    text = joined(vi["unit_scorecard"].figure).replace("\n", " ")
    for _, u in a.units.iterrows():
        head = {"not_graded": "không chấm điểm (đơn vị cấp trên)", "insufficient_evidence": "chưa đủ căn cứ đánh giá"}
        score = head.get(u["grading"], fmt.number(u["score"], 1))
        assert f"{score} · {u['tasks']} nhiệm vụ, {u['targets']} chỉ tiêu" in text
        assert u["name"] in text
    if (a.units["level"] == "city").any():
        assert "(cấp thành phố)" in text
        assert "(city level)" in joined(en["unit_scorecard"].figure).replace("\n", " ")
    for code in ("tot", "kha"):
        assert vocab.rating(code) in text


# --- empty assessment -------------------------------------------------------------------------


@pytest.mark.slow
def test_empty_assessment_gives_explanatory_charts(empty):
    made = charts.all_charts(empty, None, "vi")
    assert len(made) == 6
    for chart in made:
        assert isinstance(chart, charts.Chart)
        words = joined(chart.figure)
        assert re.search(r"Chưa|không có|chưa", words), words
        data, messages = render(chart)
        assert data.startswith(PNG_MAGIC)
        assert not [m for m in messages if "missing from" in m]
