"""The generated pages: Sources and Data, from the dataset descriptors (never typed by hand)."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.data import datasets
from pipeline.figures import registry


@dataclass
class SourceEntry:
    id: str
    meta: dict
    datasets: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)


def figures_using(dataset_id: str) -> list[str]:
    return [f for f in registry.figure_ids() if dataset_id in registry.spec(f).datasets]


def figure_source_ids(all_plotted: dict | None = None) -> dict[str, set[str]]:
    """figure id -> the sources it shows, as its source line names them: a chart's, those of the
    values it plots; a table figure's, those its rows cite."""
    from pipeline.essay.render import plotted, plotted_source_ids

    all_plotted = plotted() if all_plotted is None else all_plotted
    shown = {}
    for figure_id in registry.figure_ids():
        fig = registry.spec(figure_id)
        values = all_plotted.get(figure_id) if fig.is_chart else None
        shown[figure_id] = set(plotted_source_ids(values)) if values else \
            {sid for d in fig.datasets for sid in datasets.cited_source_ids(d)}
    return shown


def source_entries() -> list[SourceEntry]:
    """Every source named by any dataset, with the datasets whose rows cite it and the figures that
    show it."""
    entries: dict[str, SourceEntry] = {}
    shown = figure_source_ids()
    for dataset_id in datasets.dataset_ids():
        cited = datasets.cited_source_ids(dataset_id)
        users = figures_using(dataset_id)  # once per dataset, not per source: each asks every figure module
        for source_id, meta in datasets.sources(dataset_id).items():
            entry = entries.setdefault(source_id, SourceEntry(source_id, meta))
            if source_id in cited:
                entry.datasets.append(dataset_id)
                entry.figures += [f for f in users if f not in entry.figures and source_id in shown[f]]
    return sorted(entries.values(), key=lambda e: (str(e.meta.get("publisher", "")).lower(), e.id))


def sources_by_figure() -> dict[str, list[SourceEntry]]:
    by_figure: dict[str, list[SourceEntry]] = {f: [] for f in registry.figure_ids()}
    for entry in source_entries():
        for figure_id in entry.figures:
            by_figure[figure_id].append(entry)
    return by_figure


@dataclass
class DatasetEntry:
    id: str
    descriptor: dict
    row_count: int
    figures: list[str]
    sources: list[dict]

    @property
    def columns(self) -> list[dict]:
        return self.descriptor["schema"]["fields"]


def dataset_entries() -> list[DatasetEntry]:
    entries = []
    for dataset_id in datasets.dataset_ids():
        rows = datasets.rows(dataset_id)
        cited = datasets.cited_source_ids(dataset_id)
        entries.append(DatasetEntry(
            id=dataset_id,
            descriptor=datasets.descriptor(dataset_id),
            row_count=len(rows),
            figures=figures_using(dataset_id),
            sources=[s for sid, s in datasets.sources(dataset_id).items() if sid in cited],
        ))
    return entries


def constraint_text(column: dict) -> str:
    """Constraints in words, for the Data page's column table."""
    c = column.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        parts.append(f"≤ {c['maximum']}")
    if "enum" in c:
        parts.append("one of: " + ", ".join(map(str, c["enum"])))
    return "; ".join(parts)


def package_download() -> dict:
    """What the Data page says about the one-zip download of data/ (pipeline/data/datapackage.py)."""
    from pipeline.data import datapackage

    size = len(datapackage.zip_bytes())
    return {"zip": datapackage.ZIP_NAME, "json": datapackage.FILE, "kb": max(1, round(size / 1000)),
            "files": len(datapackage.zip_members())}
