"""Datasets: a CSV under data/ with a Frictionless resource descriptor beside it.

`data/<id>.csv` holds the rows; `data/<id>.resource.yaml` describes them (Table Schema with
types, units and constraints, the primary key, the sources, version and changelog). Frictionless
validates the Table Schema; the few rules it has no keyword for (a row's source id must be one of
the dataset's sources, no row dated in the future) are checked here, after it.

Importing this module is cheap: frictionless and pandas are imported only when data must be
validated or loaded, so a build with nothing changed never pays for them.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from pipeline.paths import DATA, ROOT

DESCRIPTOR_SUFFIX = ".resource.yaml"
# Columns that cite sources by id: the row's own source, the study it reports, other outlets that
# report the same value. All must name a source in the dataset's descriptor.
CITATION_COLUMNS = ("source", "study", "also_reported_by")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, said so that the analyst can find and fix it."""

    file: str
    row: int | None  # line number in the file (the header is line 1); None for file-level problems
    column: str | None
    value: object
    rule: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{', '.join(where)}{value}: {self.rule}"


class DataError(Exception):
    """Raised with every problem found, so one run shows them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):  # raised in a worker process, it arrives with its problems, not its message's letters
        return type(self), (self.problems,)

    def report(self, consequence: str) -> str:
        """The message every command prints: a count, what did not happen, one line per problem."""
        lines = "\n".join(f"  {p}" for p in self.problems)
        return f"The data has {len(self.problems)} problem(s); {consequence}:\n{lines}"


def dataset_ids(data_dir: Path = DATA) -> list[str]:
    return sorted(p.name[: -len(DESCRIPTOR_SUFFIX)] for p in data_dir.glob(f"*{DESCRIPTOR_SUFFIX}"))


def descriptor_path(dataset_id: str, data_dir: Path = DATA) -> Path:
    return data_dir / f"{dataset_id}{DESCRIPTOR_SUFFIX}"


def csv_path(dataset_id: str, data_dir: Path = DATA) -> Path:
    return data_dir / descriptor(dataset_id, data_dir)["path"]


def descriptor(dataset_id: str, data_dir: Path = DATA) -> dict:
    """The dataset's descriptor, read from the file on every call (a long `mkdocs serve` must see
    an edit); parsing is cached on the file's content. The dict is shared: do not change it."""
    path = descriptor_path(dataset_id, data_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError([Problem(_shown(path), None, None, None, "no such dataset descriptor")]) from None
    return _parsed_descriptor(text, _shown(path))


@functools.lru_cache(maxsize=128)
def _parsed_descriptor(text: str, shown: str) -> dict:
    try:
        # libyaml's loader when present: several times faster, and every build reads every descriptor.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise DataError([Problem(shown, mark.line + 1 if mark else None, None, None,
                                 f"not valid YAML: {getattr(err, 'problem', err)}")]) from None


def sources(dataset_id: str, data_dir: Path = DATA) -> dict[str, dict]:
    """The dataset's sources by id."""
    return {s["id"]: s for s in descriptor(dataset_id, data_dir).get("sources", [])}


def input_files(dataset_id: str, data_dir: Path = DATA) -> list[Path]:
    """The files a figure drawn from this dataset depends on."""
    return [csv_path(dataset_id, data_dir), descriptor_path(dataset_id, data_dir)]


# --- validation ---------------------------------------------------------------------------------


def validate(ids: list[str] | None = None, data_dir: Path = DATA, today: date | None = None) -> None:
    """Raise DataError naming every problem in the given datasets (all when ids is None)."""
    problems: list[Problem] = []
    for dataset_id in ids if ids is not None else dataset_ids(data_dir):
        problems += problems_in(dataset_id, data_dir, today or date.today())
    if problems:
        raise DataError(problems)


def problems_in(dataset_id: str, data_dir: Path, today: date) -> list[Problem]:
    desc = descriptor(dataset_id, data_dir)
    csv_file = data_dir / desc.get("path", f"{dataset_id}.csv")
    shown_csv = _shown(csv_file)
    # 1. The file as text: encoding, delimiter, quoting, row lengths. Frictionless would guess its
    #    way past some of these (it sniffs the delimiter), so they are checked first, strictly.
    problems = _structure_problems(shown_csv, csv_file, [f["name"] for f in desc["schema"]["fields"]])
    if problems:
        return problems
    # 2. The Table Schema: types, constraints, primary key, header labels. A large dataset may ask
    #    for the fast checker (`x-validation: fast`), which applies Frictionless' own rules for the
    #    keywords it supports in one pass and refuses a schema that uses any other.
    if desc.get("x-validation") == "fast":
        problems, rows = _fast_schema_problems(shown_csv, csv_file, desc["schema"])
        if problems:
            return problems
    else:
        from frictionless import Resource  # heavy; only when something must be validated

        # The descriptor as already parsed (by libyaml): given its file, Frictionless would parse
        # it again with the pure-Python loader, a third of the time validation takes.
        resource = Resource(copy.deepcopy(desc), basepath=str(data_dir))
        report = resource.validate()
        errors = report.tasks[0].errors if report.tasks else report.errors
        problems = [_problem_from_frictionless(shown_csv, e, resource.schema) for e in errors]
        if problems:
            return problems
        rows = _read_rows(resource)
    # 3. Rules the standard has no keyword for.
    fields = desc["schema"]["fields"]
    return (_source_entry_problems(dataset_id, data_dir)
            + _source_problems(dataset_id, shown_csv, rows, data_dir)
            + _future_date_problems(shown_csv, rows, fields, today)
            + _non_finite_problems(shown_csv, rows, fields)
            + _sum_problems(shown_csv, rows, desc.get("x-sums", []))
            + _reference_problems(shown_csv, rows, desc.get("x-references", []), data_dir))


def _structure_problems(shown_csv: str, csv_file: Path, field_names: list[str]) -> list[Problem]:
    import csv
    import io

    if not csv_file.exists():
        return [Problem(shown_csv, None, None, None, "file not found")]
    raw = csv_file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return [Problem(shown_csv, line, None, raw[err.start:err.start + 4],
                        "bytes that are not UTF-8; save the file as UTF-8")]
    if not text.strip():
        return [Problem(shown_csv, None, None, None, "the file is empty; it needs a header and at least one row")]
    header_line = text.splitlines()[0]
    header = next(csv.reader([header_line]))
    if header != field_names:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if next(csv.reader([header_line], delimiter=delimiter)) == field_names:
                return [Problem(shown_csv, 1, None, None,
                                f"wrong delimiter: the columns are separated by {name}; use commas")]
        missing = [name for name in field_names if name not in header]
        unexpected = [name for name in header if name not in field_names]
        problems = [Problem(shown_csv, 1, name, None, "missing column: the schema requires it")
                    for name in missing]
        problems += [Problem(shown_csv, 1, name, None, "unexpected column: not in the schema "
                             "(add it to the descriptor, or remove it)") for name in unexpected]
        if not problems:
            problems.append(Problem(shown_csv, 1, None, None,
                                    f"columns out of order: the schema has {', '.join(field_names)}"))
        return problems
    problems, start = [], 2
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        next(reader)
        for row in reader:
            if len(row) != len(header) and any(cell.strip() for cell in row):
                problems.append(Problem(shown_csv, start, None, None,
                                        f"ragged row: {len(row)} cells, the header has {len(header)}"))
            start = reader.line_num + 1
    except csv.Error as err:
        return problems + [Problem(shown_csv, start, None, None,
                                   f"a quoted cell is never closed (unterminated quote): {err}")]
    if start == 2 and not problems:
        problems.append(Problem(shown_csv, None, None, None, "the file has a header but no data rows"))
    return problems


def _non_finite_problems(shown_csv: str, rows, fields: list[dict]) -> list[Problem]:
    import math

    numeric = [f["name"] for f in fields if f["type"] in ("number", "integer")]
    return [
        Problem(shown_csv, n, name, row[name], "must be a finite number (not NaN or infinity)")
        for n, row in rows
        for name in numeric
        if row.get(name) is not None and not math.isfinite(float(row[name]))
    ]


def _sum_problems(shown_csv: str, rows, rules: list[dict]) -> list[Problem]:
    """`x-sums` in a descriptor: shares within a group that must add up to a total (e.g. 100)."""
    problems = []
    for rule in rules:
        groups: dict[tuple, list[tuple[int, float]]] = {}
        for n, row in rows:
            if all(str(row.get(k)) == str(v) for k, v in rule.get("where", {}).items()):
                key = tuple(str(row[c]) for c in rule["group_by"])
                groups.setdefault(key, []).append((n, float(row[rule["column"]] or 0)))
        for key, members in groups.items():
            total = sum(v for _, v in members)
            if abs(total - rule["total"]) > rule.get("tolerance", 0):
                lines = ", ".join(str(n) for n, _ in members)
                problems.append(Problem(
                    shown_csv, members[0][0], rule["column"], round(total, 4),
                    f"the {rule['column']} values for {', '.join(key)} (lines {lines}) add up to "
                    f"{round(total, 4)}, not {rule['total']} (tolerance {rule.get('tolerance', 0)})"))
    return problems


_CONSTRAINT_RULES = {
    "required": "must not be empty",
    "minimum": "must be at least {}",
    "maximum": "must be at most {}",
    "enum": "must be one of {}",
    "pattern": "must match the pattern {}",
    "unique": "must be unique in its column",
    "minLength": "must be at least {} characters long",
    "maxLength": "must be at most {} characters long",
}


def _problem_from_frictionless(shown_csv: str, error, schema) -> Problem:
    """Turn a frictionless error into our Problem, with the rule said in plain words."""
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None) or getattr(error, "label", None) or None
    value = getattr(error, "cell", None)
    rule = f"{error.title.rstrip('.').lower()} ({error.note})" if error.note else error.title.rstrip(".").lower()
    if error.type == "type-error":
        field = schema.get_field(column)
        rule = f"not a valid {field.type}" + (" (YYYY-MM-DD)" if field.type == "date" else "")
    elif error.type == "constraint-error":
        name, _, limit = error.note.partition('" is "')
        name = name.replace('constraint "', "")
        template = _CONSTRAINT_RULES.get(name)
        if template:
            rule = template.format(limit.rstrip('"'))
    elif error.type == "primary-key":
        key = schema.primary_key
        column = ", ".join(key)
        cells = dict(zip([f.name for f in schema.fields], getattr(error, "cells", []) or []))
        value = ", ".join(str(cells.get(k)) for k in key)
        if error.note.startswith("cells composing"):
            rule = "the primary key's cells are all empty"
        else:
            rule = "duplicate primary key " + error.note.replace("the same as in the row at position", "(same as line") + ")"
    return Problem(shown_csv, row, column, value, rule)


def _read_rows(resource) -> list[tuple[int, dict]]:
    with resource:
        return [(row.row_number, row.to_dict()) for row in resource.row_stream]


def cited_ids(row: dict) -> list[tuple[str, str]]:
    """(column, source id) for every citation in a row; several ids in one cell are split on ';'."""
    return [(column, part.strip()) for column in CITATION_COLUMNS if row.get(column)
            for part in str(row[column]).split(";") if part.strip()]


def rows(dataset_id: str, data_dir: Path = DATA) -> list[dict]:
    """The CSV's rows as text (csv.DictReader), for what needs no types: pages, quotations, tables."""
    import csv

    with csv_path(dataset_id, data_dir).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def cited_source_ids(dataset_id: str, data_dir: Path = DATA) -> frozenset[str]:
    """Which of its sources a dataset's rows cite (in any citation column); cached on the CSV's
    content, so an edit is seen at once."""
    path = csv_path(dataset_id, data_dir)
    return _cited_in(path.read_bytes())


@functools.lru_cache(maxsize=64)
def _cited_in(content: bytes) -> frozenset[str]:
    import csv
    import io

    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return frozenset(sid for row in reader for _, sid in cited_ids(row))


# What every source in a descriptor says: who published what, where and when, when we read it, and
# the terms its publisher states (or "not stated", with where we looked: licence_checked).
SOURCE_KEYS = ("id", "publisher", "title", "path", "published", "accessed", "licence", "licence_checked")


def _source_entry_problems(dataset_id: str, data_dir: Path) -> list[Problem]:
    shown = _shown(descriptor_path(dataset_id, data_dir))
    problems = []
    for i, source in enumerate(descriptor(dataset_id, data_dir).get("sources") or []):
        where = f"sources[{i}] ({source.get('id', '?')})"
        problems += [Problem(shown, None, f"{where}.{key}", None, "required: every source says this")
                     for key in SOURCE_KEYS if not str(source.get(key) or "").strip()]
        url = source.get("licence_url")
        if url is not None and not str(url).startswith(("https://", "http://")):
            problems.append(Problem(shown, None, f"{where}.licence_url", url,
                                    "must be an address (http or https), or left out"))
    return problems


def _source_problems(dataset_id: str, shown_csv: str, rows, data_dir: Path) -> list[Problem]:
    known = sources(dataset_id, data_dir)
    return [
        Problem(shown_csv, n, column, source_id,
                f"unknown source id; the dataset's sources are {', '.join(sorted(known))}")
        for n, row in rows
        for column, source_id in cited_ids(row)
        if source_id not in known
    ]


def _future_date_problems(shown_csv: str, rows, fields: list[dict], today: date) -> list[Problem]:
    date_fields = [f["name"] for f in fields if f["type"] == "date"]
    return [
        Problem(shown_csv, n, name, row[name].isoformat(), f"date is in the future (today is {today.isoformat()})")
        for n, row in rows
        for name in date_fields
        if row.get(name) is not None and row[name] > today
    ]


def _reference_problems(shown_csv: str, rows, references: list[dict], data_dir: Path) -> list[Problem]:
    """`x-references` in a descriptor: every value of a column must be a value of a column in
    another dataset (a licence string in the licence table, a snapshot in the snapshots table)."""
    import csv

    problems = []
    for ref in references:
        with csv_path(ref["dataset"], data_dir).open(encoding="utf-8", newline="") as f:
            known = {row[ref["field"]] for row in csv.DictReader(f)}
        for n, row in rows:
            value = row.get(ref["column"])
            text = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
            if text not in known:
                problems.append(Problem(shown_csv, n, ref["column"], text,
                                        f"not in data/{ref['dataset']}.csv (column '{ref['field']}')"))
    return problems


def validation_inputs(dataset_id: str, data_dir: Path = DATA) -> list[Path]:
    """The files whose content decides whether a dataset is valid: its own, and the CSVs it refers to."""
    refs = descriptor(dataset_id, data_dir).get("x-references", [])
    return [*input_files(dataset_id, data_dir),
            *(csv_path(d, data_dir) for d in sorted({r["dataset"] for r in refs}))]


# --- the fast checker, for large datasets -------------------------------------------------------
# Frictionless reads about 30,000 rows a second and, with the rules above, reads them twice; a
# dataset of 16,000 rows took 0.9 s. The fast checker applies the same Table Schema rules, written
# as Frictionless 5 applies them (missing values, type readers, constraint checks, primary key),
# in one pass with the csv module, and returns the typed rows for the rules above. It supports only
# what it implements; tests/test_lmarena_data.py checks that it finds what Frictionless finds.

FAST_TYPES = {"string", "integer", "date"}
FAST_LIMIT_ERRORS = 1000
FAST_CONSTRAINTS = {"required", "minimum", "maximum", "enum", "pattern", "minLength", "maxLength"}


def _fast_readers():
    import re
    from datetime import datetime

    def integer(cell):
        try:
            return int(cell.strip())
        except ValueError:
            return None

    @functools.lru_cache(maxsize=4096)  # a long table repeats few dates; strptime is slow
    def day(cell):
        try:
            return datetime.strptime(cell, "%Y-%m-%d").date()
        except ValueError:
            return None

    return {"string": lambda cell: cell, "integer": integer, "date": day}, re


def _fast_schema_problems(shown_csv: str, csv_file: Path, schema: dict) -> tuple[list[Problem], list]:
    import csv

    readers, re = _fast_readers()
    fields = schema["fields"]
    unsupported = [f"{f['name']}: type {f['type']}" for f in fields if f["type"] not in FAST_TYPES]
    unsupported += [f"{f['name']}: {c}" for f in fields for c in f.get("constraints", {}) if c not in FAST_CONSTRAINTS]
    unsupported += [f"{f['name']}: format {f['format']}" for f in fields if f.get("format", "default") != "default"]
    if unsupported:
        return [Problem(shown_csv, None, None, None, "x-validation: fast does not check "
                        + "; ".join(unsupported) + " (remove x-validation to let Frictionless check it)")], []
    missing = set(schema.get("missingValues", [""]))
    checks = []
    for f in fields:
        read, tests = readers[f["type"]], []
        for name, limit in f.get("constraints", {}).items():
            rule = _CONSTRAINT_RULES[name].format(limit)
            if name == "required":
                if limit:
                    tests.append((rule, lambda v: v is not None))
            elif name in ("minimum", "maximum"):
                bound = read(str(limit))
                ok = (lambda b: lambda v: v is None or v >= b)(bound) if name == "minimum" else \
                     (lambda b: lambda v: v is None or v <= b)(bound)
                tests.append((rule, ok))
            elif name == "enum":
                allowed = [read(str(x)) for x in limit]
                tests.append((rule, lambda v, a=allowed: v is None or v in a))
            elif name == "pattern":
                tests.append((rule, lambda v, p=re.compile(f"^{limit}$"): v is None or bool(p.match(v))))
            elif name == "minLength":
                tests.append((rule, lambda v, n=limit: v is None or len(v) >= n))
            elif name == "maxLength":
                tests.append((rule, lambda v, n=limit: v is None or len(v) <= n))
        type_rule = f"not a valid {f['type']}" + (" (YYYY-MM-DD)" if f["type"] == "date" else "")
        checks.append((f["name"], read, tests, type_rule))
    key = schema.get("primaryKey", [])
    names = [f["name"] for f in fields]
    problems, rows, seen = [], [], {}
    with csv_file.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        number = 1
        for cells in reader:
            number += 1  # an empty line is a (blank) row too, as Frictionless counts them
            raw = dict(zip(names, cells))
            row, found = {}, []
            for (name, read, tests, type_rule), cell in zip(checks, cells):
                value = None if cell in missing else read(cell)
                if value is None and cell not in missing:
                    found.append(Problem(shown_csv, number, name, cell, type_rule))
                elif tests:
                    found += [Problem(shown_csv, number, name, cell, rule) for rule, ok in tests if not ok(value)]
                row[name] = value
            if all(row.get(name) is None for name in names) and not any(p.rule.startswith("not a valid") for p in found):
                found = [Problem(shown_csv, number, None, None, "blank row")]
            if key:
                cells_key = tuple(row.get(k) for k in key)
                shown_key = ", ".join(str(raw.get(k)) for k in key)
                if set(cells_key) == {None}:
                    found.append(Problem(shown_csv, number, ", ".join(key), shown_key, "the primary key's cells are all empty"))
                else:
                    if cells_key in seen:
                        found.append(Problem(shown_csv, number, ", ".join(key), shown_key,
                                             f"duplicate primary key (same as line {seen[cells_key]})"))
                    seen[cells_key] = number
            problems += found
            rows.append((number, row))
            if len(problems) >= FAST_LIMIT_ERRORS:  # as Frictionless stops: the first thousand
                return problems[:FAST_LIMIT_ERRORS], rows
    return problems, rows


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- loading --------------------------------------------------------------------------------------


def load(dataset_id: str, data_dir: Path = DATA):
    """The dataset as a pandas DataFrame, typed by its schema. Call after validate()."""
    import pandas as pd

    fields = descriptor(dataset_id, data_dir)["schema"]["fields"]
    dates = [f["name"] for f in fields if f["type"] == "date"]
    strings = {f["name"]: "string" for f in fields if f["type"] == "string"}
    frame = pd.read_csv(csv_path(dataset_id, data_dir), dtype=strings, keep_default_na=False,
                        na_values={f["name"]: [""] for f in fields if f["type"] != "string"})
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame
