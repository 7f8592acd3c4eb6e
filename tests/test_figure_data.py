"""Every chart's numbers as a table: draw() returns what it plotted (charts._common.Plotted), the
build keeps it in build/plotted.json, and the page shows it under the figure in a closed "The data"
disclosure and the PDF in its appendix. The tables hold exactly what draw() recorded, in every
layout and colour; spot checks tie what was recorded to the CSV rows; a figure's source line and
data links name only what it draws."""
from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from pipeline.data import datasets  # noqa: E402
from pipeline.figures import registry as figures  # noqa: E402
from pipeline.figures import style  # noqa: E402
from pipeline.figures.build import checked_plotted  # noqa: E402

CHARTS = figures.chart_ids()


def draw_values(figure_id: str, layout: str, variant: str) -> list[dict]:
    spec = figures.spec(figure_id)
    theme = style.theme_for(variant, figures.LAYOUTS[layout].size)
    with plt.rc_context(style.rc(theme)):
        fig = plt.figure(figsize=spec.sizes[layout], layout="constrained")
        try:
            return checked_plotted(figure_id, spec.draw(fig, figures.frames_for(figure_id), theme, figures.LAYOUTS[layout]))
        finally:
            plt.close(fig)


@pytest.fixture(scope="module")
def plotted(built) -> dict[str, list[dict]]:
    return json.loads((built / "build" / "plotted.json").read_text(encoding="utf-8"))


def values_of(plotted, figure_id, series_part=""):
    return [v for v in plotted[figure_id] if series_part in v["series"]]


# --- what draw() records ------------------------------------------------------------------------


@pytest.mark.parametrize("figure_id", CHARTS)
def test_every_layout_and_colour_plots_the_values_the_build_recorded(figure_id, plotted):
    assert plotted[figure_id], f"{figure_id}: no plotted values"
    for layout in figures.LAYOUTS:
        for variant in figures.VARIANTS:
            assert draw_values(figure_id, layout, variant) == plotted[figure_id], (figure_id, layout, variant)


@pytest.mark.parametrize("figure_id", CHARTS)
def test_plotted_values_come_from_what_the_figure_draws(figure_id, plotted):
    """Each value names datasets the figure declares and sources those datasets list; every
    dataset it declares is drawn; the confidence is one the data knows."""
    spec = figures.spec(figure_id)
    drawn = set()
    for value in plotted[figure_id]:
        assert value["confidence"] in ("exact", "approx", "secondary"), value
        names = value["dataset"].split("; ")
        assert set(names) <= set(spec.datasets), value
        drawn.update(names)
        known = {sid for d in names for sid in datasets.sources(d)}
        assert set(value["source"].split("; ")) <= known, value
        assert value["text"] and (value["value"] is not None or value["low"] is not None), value
    assert drawn == set(spec.datasets), f"{figure_id}: declared but not drawn: {set(spec.datasets) - drawn}"


def test_a_draw_that_returns_nothing_is_refused():
    from pipeline.data.datasets import DataError

    with pytest.raises(DataError, match="draw\\(\\) must return the values it plotted"):
        checked_plotted("closed_models_lead", None)
    with pytest.raises(DataError, match="which DATASETS does not name"):
        checked_plotted("closed_models_lead", [{
            "series": "s", "point": "p", "value": 1.0, "low": None, "high": None, "unit": "count", "text": "1",
            "confidence": "exact", "source": "x", "dataset": "chatgpt_weekly_users", "later": False}])


# --- spot checks against the CSV ----------------------------------------------------------------


def csv_rows(dataset_id):
    return datasets.rows(dataset_id)


def test_figure_1_plots_each_menlo_reading(plotted):
    rows = sorted(csv_rows("enterprise_open_share"), key=lambda r: r["published"])
    values = plotted["closed_models_lead"]
    assert [v["value"] for v in values] == [float(r["open_share"]) for r in rows]
    assert [v["source"] for v in values] == [r["source"] for r in rows]
    assert [v["later"] for v in values] == [r["published"] > "2025-11-30" for r in rows]


def test_figure_2_draws_nothing_from_the_anonymous_compilation(plotted):
    values = plotted["who_enterprises_use"]
    anonymous = [r for r in csv_rows("enterprise_vendor_share") if r["source"] == "github-llm-market-share-note-2026"]
    assert anonymous and all(r["confidence"] == "secondary" for r in anonymous)  # kept in the data, marked
    assert not [v for v in values if "github-llm-market-share-note-2026" in v["source"]]
    assert [v["value"] for v in values if v["series"].startswith("Meta")] == [9.0]        # mid-2025 only
    assert [v["value"] for v in values if v["series"] == "Google"] == [7.0, 20.0, 21.0]
    assert {v["confidence"] for v in values} == {"exact"}  # so no dashed line is left


def test_figure_4_shows_the_before(plotted):
    family = {r["subset"]: r for r in csv_rows("open_model_downloads") if r["scope"] == "model family"}
    before = values_of(plotted, "big_flip", "Before")
    assert [(v["point"], v["value"]) for v in before] == [
        ("China: Qwen 1.5", float(family["early Qwen (Qwen 1.5)"]["downloads_millions"])),
        ("US: Llama 2", float(family["Llama 2"]["downloads_millions"])),
        ("China: Qwen 2.5", float(family["Qwen 2.5"]["downloads_millions"])),
        ("US: Llama 3", float(family["Llama 3"]["downloads_millions"]))]
    assert before[0]["text"] == "10 million" and before[2]["text"].startswith("more than ")
    assert plotted["big_flip"].index(before[0]) == 0  # the first panel


def test_figure_5_lists_the_steps_it_draws(plotted):
    import charts.open_lag as open_lag

    s = open_lag.series(figures.frames_for("open_lag"))
    gap = values_of(plotted, "open_lag", "Gap: the best closed")
    shown = s["gap_percent"].astype(float).round(1)  # drawn to a tenth of a point
    assert [v["value"] for v in gap] == [float(x) for x in shown[shown.ne(shown.shift())]]
    assert len(gap) == len(set(zip([v["point"] for v in gap], [v["text"] for v in gap])))
    lags = values_of(plotted, "open_lag", "own board")
    assert all(v["confidence"] == "exact" for v in lags)  # lower bounds are not drawn
    assert min(v["value"] for v in lags) == float(s[s["own_status"] == "exact"]["own_months"].min())
    claim = next(r for r in csv_rows("original_claims") if r["quantity"] == "open_closed_lag")
    band = values_of(plotted, "open_lag", "Platz's range")
    assert [(v["low"], v["high"]) for v in band] == [(float(claim["low"]), float(claim["high"]))]


def test_figure_6_plots_every_published_estimate(plotted):
    values = values_of(plotted, "close_pursuit", "Published estimates")
    rows = csv_rows("open_closed_lag")
    assert len(values) == len(rows)
    def key(t):
        return [(x is None, x or 0) for x in t]

    got = sorted(((v["value"], v["low"], v["high"]) for v in values), key=key)
    want = sorted(((float(r["lag_months"]) if r["lag_months"] else None,
                    float(r["lag_low"]) if r["lag_low"] else None,
                    float(r["lag_high"]) if r["lag_high"] else None) for r in rows), key=key)
    assert got == want
    assert any(v["text"] == "5\u201322 months" for v in values)


def test_figure_8_draws_the_linux_values_the_essay_cites(plotted):
    linux = [v for v in plotted["open_won_before"] if v["series"].startswith("Linux")]
    rows = {r["date"]: r for r in csv_rows("platform_history") if r["series"] == "linux_top500"}
    assert [v["value"] for v in linux] == [float(rows["2014-11-01"]["value"]), float(rows["2017-11-01"]["value"])]


def test_figure_3_counts_every_release_once(plotted):
    values = plotted["release_flurry"]
    assert sum(v["value"] for v in values) == len(csv_rows("open_releases_2025"))


# --- the tables on the page and in the PDF ------------------------------------------------------


def parse(html_text: str):
    import tinyhtml5

    return tinyhtml5.parse(html_text, namespace_html_elements=False)


def text_of(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


@pytest.fixture(scope="module")
def essay(built):
    return parse((built / "site" / "essay" / "index.html").read_text(encoding="utf-8"))


def figure_element(essay, figure_id):
    return next(f for f in essay.iter("figure") if f.get("id") == figure_id)


def table_rows(table) -> list[tuple[str, str, str, str, set]]:
    """(series, point, value text, source text, value classes) per row of a data table; a series
    whose values share their sources names them once, in its own row."""
    found = []
    for body in table.iter("tbody"):
        rows = list(body.iter("tr"))
        head = list(rows[0])
        series, shared = text_of(head[0]), text_of(head[1]) if len(head) > 1 else ""
        for tr in rows[1:]:
            point, value, source = list(tr)
            assert not (shared and text_of(source)), f"{series}: its sources named twice"
            found.append((series, text_of(point), text_of(value), text_of(source) or shared,
                          {c for el in value.iter() for c in classes(el)}))
    return found


@pytest.mark.parametrize("figure_id", CHARTS)
def test_every_chart_has_its_data_table_closed_under_it_with_the_plotted_values(figure_id, essay, plotted, built):
    """The table waits in a <template> inside the disclosure until it opens (see test_browser)."""
    sources_page = (built / "site" / "sources" / "index.html").read_text(encoding="utf-8")
    fig = figure_element(essay, figure_id)
    data = [d for d in fig.iter("details") if "chart-data-web" in classes(d)]
    assert len(data) == 1, f"{figure_id}: {len(data)} 'The data' disclosures"
    assert data[0].get("open") is None, f"{figure_id}: 'The data' is open"
    assert text_of(data[0].find("summary")).startswith("The data")
    table = next(data[0].iter("table"))
    assert table.find("caption") is not None and [text_of(th) for th in table.find("thead").iter("th")] == \
        ["Point", "Value", "Source"]
    rows = table_rows(table)
    values = plotted[figure_id]
    assert len(rows) == len(values), f"{figure_id}: {len(rows)} rows for {len(values)} plotted values"
    for (series, point, value_text, source_text, marks), v in zip(rows, values):
        assert series == v["series"]
        assert point == v["point"] + (" later data" if v["later"] else ""), (point, v)
        assert v["text"] in value_text, (value_text, v)
        if v["confidence"] == "exact":
            assert not marks & {"num-approx", "num-secondary"}, (value_text, v)
        else:
            assert f"num-{v['confidence']}" in marks, (value_text, v)
        assert source_text == ", ".join(v["source"].split("; ")), (source_text, v)
    # Source ids link to their entries on the Sources page.
    for a in table.iter("a"):
        assert re.fullmatch(r"\.\./sources/#src-[\w.-]+", a.get("href")), a.get("href")
        assert f'id="{a.get("href").split("#")[1]}"' in sources_page, a.get("href")


def test_a_figure_names_only_the_sources_and_datasets_it_draws(essay, plotted):
    from pipeline.essay.render import plotted_source_ids

    for figure_id in CHARTS:
        fig = figure_element(essay, figure_id)
        csv_links = {a.get("href").rsplit("/", 1)[-1] for a in fig.iter("a") if (a.get("href") or "").endswith(".csv")}
        assert csv_links == {f"{d}.csv" for d in figures.spec(figure_id).datasets}, figure_id
        source_line = next(s for s in fig.iter("span") if "chart-source" in classes(s))
        named = {a.get("href") for a in source_line.iter("a") if (a.get("href") or "").startswith("http")}
        spec = figures.spec(figure_id)
        addresses = {datasets.sources(d)[sid]["path"] for d in spec.datasets for sid in datasets.sources(d)
                     if sid in plotted_source_ids(plotted[figure_id])}
        assert named <= addresses, f"{figure_id}: the source line names sources it does not draw: {named - addresses}"
        assert len(list(source_line.iter("a"))) <= 4, f"{figure_id}: the source line runs links together"
    big_flip = text_of(figure_element(essay, "big_flip"))
    assert "chatgpt" not in big_flip.lower() and "OpenAI" not in big_flip


def test_the_pdf_has_every_charts_table_in_its_appendix(built, plotted):
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(built / "site" / "the-future-of-open-models.pdf").pages]
    start = next(i for i, p in enumerate(pages) if p.lstrip().startswith("The data behind the figures"))
    appendix = re.sub(r"\s+", " ", " ".join(pages[start:]))
    from pipeline.essay.render import figure_order

    order = figure_order(built / "docs" / "essay.md")
    for figure_id in CHARTS:
        label = f"Figure {order.index(figure_id) + 1}."
        assert label in appendix, label
        section = appendix.split(label, 1)[1]
        for v in plotted[figure_id][:3] + plotted[figure_id][-2:]:
            assert re.sub(r"\s+", " ", v["text"]) in section, (figure_id, v["text"])
