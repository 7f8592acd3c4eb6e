"""The LMArena snapshots as data: the licence decisions hold on the real strings, the names that are
one model count once, the archive's files are read by the stated rules, and the fast checker finds
exactly what Frictionless finds."""
from __future__ import annotations

import csv
import hashlib
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from pipeline.data import datasets, lmarena
from pipeline.figures import registry as figures

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "lmarena"
TODAY = date(2026, 11, 30)


def rows(dataset_id):
    return lmarena.read_rows(dataset_id)


@pytest.fixture(scope="module")
def board():
    from charts import open_lag

    return open_lag.board(figures.frames_for("open_lag"))


# --- which licences count as open weights ------------------------------------------------------


@pytest.mark.parametrize(("licence", "expected"), [
    ("Propretary", "closed"),     # LMArena's misspelling (Claude 3.5 Haiku)
    ("Proprietary", "closed"),
    ("", "unknown"),              # an empty cell
    ("N/A", "unknown"),
    ("CC-BY-NC-4.0", "open"),     # non-commercial, but the weights are published
    ("Apache 2.0", "open"),
    ("Apache-2.0", "open"),
    ("Other", "unknown"),
])
def test_the_licence_table_classes_the_real_strings(licence, expected):
    table = {r["licence"]: r for r in rows(lmarena.LICENCES)}
    used = {r["licence"] for r in rows(lmarena.TEXT)}
    assert licence in used, f"{licence!r} no longer appears in the snapshots: the case is stale"
    assert table[licence]["class"] == expected and len(table[licence]["reason"]) > 20


def test_every_licence_string_in_the_snapshots_has_a_class_and_every_row_is_used():
    table = {r["licence"] for r in rows(lmarena.LICENCES)}
    used = Counter(r["licence"] for r in rows(lmarena.TEXT))
    assert set(used) == table, (set(used) - table, table - set(used))


def test_the_unreleased_experimental_llama_4_counts_for_neither_side(board):
    listed = {r["licence"] for r in rows(lmarena.TEXT) if r["model"] == "Llama-4-Maverick-03-26-Experimental"}
    assert listed == {"", "N/A", "Llama"}, listed  # the file's cell changes; "Llama" alone would make it open
    mine = board[board["key"] == "llama-4-maverick-03-26-experimental"]
    assert len(mine) > 0 and set(mine["cls"]) == {"unknown"}
    released = board[board["key"] == "llama-4-maverick-17b-128e-instruct"]
    assert set(released["cls"]) == {"open"}


def test_an_api_only_model_listed_with_an_open_licence_is_closed(board):
    assert {r["licence"] for r in rows(lmarena.TEXT) if r["model"] == "Qwen-Max-0919"} == {"Qwen"}
    assert set(board[board["key"] == "qwen-max-0919"]["cls"]) == {"closed"}
    assert set(board[board["key"] == "qwen2.5-72b-instruct"]["cls"]) == {"open"}  # same licence string, open


def test_a_model_takes_the_class_of_its_newest_listing(board):
    # LMArena listed Mistral-Large-2407 as Proprietary at first and as Mistral Research later.
    listed = [r["licence"] for r in rows(lmarena.TEXT) if r["model"] == "Mistral-Large-2407"]
    assert listed[0] == "Proprietary" and listed[-1] == "Mistral Research"
    assert set(board[board["key"] == "mistral-large-2407"]["cls"]) == {"open"}


# --- names that are one model -------------------------------------------------------------------


def test_aliases_point_at_models_that_are_not_aliases_themselves():
    table = rows(lmarena.ALIASES)
    aliases = {r["alias"].casefold() for r in table}
    assert not [r["model"] for r in table if r["model"].casefold() in aliases]
    assert all(len(r["reason"]) > 20 for r in table)


def test_names_that_differ_only_in_letter_case_and_aliases_count_as_one_model(board):
    gemma = board[board["key"] == "gemma-2-27b-it"]
    assert len(gemma) == len(set(gemma["snapshot"]))  # one row per snapshot, though two spellings
    assert str(gemma["first_seen"].min().date()) == "2024-07-07"
    llama = board[board["key"] == "meta-llama-3.1-405b-instruct-bf16"]
    # The fp8 and bf16 listings and the earlier plain name are one model: its date is the first
    # appearance of any name, its score the highest of them.
    assert str(llama["first_seen"].iloc[0].date()) == "2024-07-31"
    text = rows(lmarena.TEXT)
    names = {"Meta-Llama-3.1-405B-Instruct-bf16", "Meta-Llama-3.1-405B-Instruct-fp8"}
    listed = [int(r["arena_score"]) for r in text if r["snapshot"] == "2025-08-04" and r["model"] in names]
    assert int(llama[llama["snapshot"] == "2025-08-04"]["score"].iloc[0]) == max(listed) and len(listed) == 2


# --- reading the archive's files -------------------------------------------------------------------


def read(raw: bytes, name="2025-08-04.csv"):
    return lmarena.read_archive_file(raw, name, "2025-08-04", lmarena.known_licences())


def test_a_repeated_line_that_differs_only_in_its_position_is_dropped_and_counted():
    raw = (FIXTURES / "2025-08-04.csv").read_bytes()
    yi = [line for line in raw.decode().splitlines() if ",Yi-34B-Chat," in line]
    assert len(yi) == 2 and yi[0].split(",")[0] != yi[1].split(",")[0]  # the ranks differ
    assert yi[0].split(",")[1:] == yi[1].split(",")[1:]                  # every other cell is equal
    kept, dropped, problems = read(raw)
    assert not problems and dropped == 1
    assert [r["model"] for r in kept].count("Yi-34B-Chat") == 1
    snapshot = {r["snapshot"]: r for r in rows(lmarena.SNAPSHOTS)}["2025-08-04"]
    assert snapshot["duplicates_dropped"] == "1" and int(snapshot["rows"]) == len(kept)


def test_two_different_lines_for_one_model_are_refused_with_file_line_column_and_value():
    text = (FIXTURES / "2025-08-04.csv").read_text()
    lines = text.splitlines()
    second = next(i for i, line in enumerate(lines) if ",Yi-34B-Chat," in line) + 1
    lines[second] = lines[second].replace(",1134,", ",1140,")
    _, _, problems = read(("\n".join(lines) + "\n").encode())
    assert [str(p) for p in problems] == [
        f"2025-08-04.csv, line {second + 1}, column 'model': value 'Yi-34B-Chat': listed twice with different "
        f"values (line {second}; they differ in arena_score); a snapshot lists each model once"]


@pytest.mark.parametrize(("case", "edit", "expected"), [
    ("score not a number", lambda t: t.replace(",1470,+5/-5,", ",14x0,+5/-5,", 1),
     "line 2, column 'arena_score': value '14x0': not a whole number"),
    ("negative votes", lambda t: t.replace(",26019,", ",-3,", 1), "line 2, column 'votes': value '-3': must be at least 0"),
    ("interval", lambda t: t.replace("+5/-5", "±5", 1), "line 2, column '95_pct_ci': value '±5': must be a 95% interval"),
    ("new licence string", lambda t: t.replace(",MIT,", ",WTFPL,", 1),
     "column 'license': value 'WTFPL': a licence string not in data/lmarena_licences.csv"),
    ("empty model", lambda t: t.replace("Gemini-2.5-Pro-Preview-05-06", "", 1), "line 3, column 'model': value '': must not be empty"),
    ("ragged row", lambda t: t.replace("Google,Proprietary,,", "Google,Proprietary,,,", 1), "line 2: ragged row"),
    ("semicolons", lambda t: t.replace(",", ";"), "line 1: wrong delimiter"),
    ("unexpected column", lambda t: t.replace("knowledge_cutoff,url", "knowledge_cutoff,url,price", 1),
     "line 1, column 'price': unexpected column"),
    ("empty", lambda t: "", "the file is empty"),
    ("header only", lambda t: t.splitlines()[0] + "\n", "header but no data rows"),
])
def test_a_malformed_archive_file_is_refused_with_file_line_column_value_and_rule(case, edit, expected):
    _, _, problems = read(edit((FIXTURES / "2025-08-04.csv").read_text()).encode())
    assert any(expected in str(p) for p in problems), (case, [str(p) for p in problems])
    assert all(str(p).startswith("2025-08-04.csv") for p in problems)


def test_bytes_that_are_not_utf8_are_refused():
    _, _, problems = read((FIXTURES / "2025-08-04.csv").read_bytes().replace(b"Alibaba", "Alibabä".encode("latin-1"), 1))
    assert problems and "not UTF-8" in str(problems[0])


def test_each_snapshot_names_its_archive_file_and_its_hash_matches_the_file():
    table = {r["snapshot"]: r for r in rows(lmarena.SNAPSHOTS)}
    counts = Counter(r["snapshot"] for r in rows(lmarena.TEXT))
    assert {d: int(r["rows"]) for d, r in table.items()} == dict(counts)
    for path in sorted(FIXTURES.glob("*.csv")):
        entry = table[path.stem]
        assert entry["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["url"] == lmarena.archive_url(entry["archive_ref"], entry["archive_path"])
        assert lmarena.ref_from_url(entry["url"]) == (entry["archive_ref"], entry["archive_path"])


def test_archive_addresses_name_their_commit_or_release():
    assert lmarena.ref_from_url(f"https://github.com/{lmarena.ARCHIVE}/releases/download/2025.08.04/lmarena_text.csv") \
        == ("2025.08.04", "lmarena_text.csv")
    assert lmarena.ref_from_url(f"https://github.com/{lmarena.ARCHIVE}/releases/latest/download/lmarena_text.csv") is None
    assert lmarena.archive_url("2025.08.04", "lmarena_text.csv").endswith("/releases/download/2025.08.04/lmarena_text.csv")


# --- references between the datasets -------------------------------------------------------------


def _copy_data(tmp_path) -> Path:
    for path in datasets.DATA.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_a_licence_missing_from_the_licence_table_is_named_where_it_is_used(tmp_path):
    data = _copy_data(tmp_path)
    table = data / "lmarena_licences.csv"
    table.write_text("".join(l for l in table.read_text().splitlines(keepends=True) if not l.startswith("Propretary,")))
    with pytest.raises(datasets.DataError) as caught:
        datasets.validate([lmarena.TEXT], data_dir=data, today=TODAY)
    first = next(i for i, r in enumerate(rows(lmarena.TEXT), start=2) if r["licence"] == "Propretary")
    assert str(caught.value.problems[0]).endswith(
        f"lmarena_text.csv, line {first}, column 'licence': value 'Propretary': not in data/lmarena_licences.csv (column 'licence')")


def test_a_change_to_a_referenced_table_revalidates_the_dataset():
    inputs = [p.name for p in datasets.validation_inputs(lmarena.TEXT)]
    assert "lmarena_licences.csv" in inputs and "lmarena_snapshots.csv" in inputs


# --- the fast checker agrees with Frictionless --------------------------------------------------

FIRST = "2024-07-07,GPT-4o-2024-05-13,OpenAI,Proprietary,1287,4,3,55826,"
MUTATIONS = {
    "valid": lambda t: t,
    "not an integer": lambda t: t.replace(FIRST, FIRST.replace(",1287,", ",12x7,"), 1),
    "decimal in an integer": lambda t: t.replace(FIRST, FIRST.replace(",1287,", ",1287.0,"), 1),
    "spaces around an integer": lambda t: t.replace(FIRST, FIRST.replace(",1287,", ", 1287 ,"), 1),
    "below the minimum": lambda t: t.replace(FIRST, FIRST.replace(",1287,", ",-5,"), 1),
    "empty required cell": lambda t: t.replace(FIRST, FIRST.replace(",1287,", ",,"), 1),
    "impossible date": lambda t: t.replace("2024-07-10,", "2024-02-30,", 1),
    "date without leading zeros": lambda t: t.replace("2024-07-10,", "2024-7-10,", 1),
    "not in the enum": lambda t: t.replace("lmarena,exact", "lmarena,certain", 1),
    "duplicate key": lambda t: t + t.splitlines(keepends=True)[5],
    "blank row": lambda t: t + ",,,,,,,,,\n",
    "empty line": lambda t: t.replace("\n", "\n\n", 3),
    "empty key cell": lambda t: t.replace("GPT-4o-2024-05-13", "", 1),
    "several problems in a row": lambda t: t.replace(FIRST, "2024-07-07,GPT-4o-2024-05-13,OpenAI,Proprietary,-1,x,3,-5,", 1),
    "date in the future": lambda t: t.replace("2024-07-10,", "2099-07-10,", 1),
    "unknown source": lambda t: t.replace("lmarena,exact", "lmarenax,exact", 1),
}


def _problems(data_dir, text, fast):
    desc = yaml.safe_load((datasets.DATA / "lmarena_text.resource.yaml").read_text())
    if not fast:
        del desc["x-validation"]
    (data_dir / "lmarena_text.resource.yaml").write_text(yaml.safe_dump(desc))
    (data_dir / "lmarena_text.csv").write_text(text)
    return [str(p) for p in datasets.problems_in(lmarena.TEXT, data_dir, TODAY)]


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    data = _copy_data(tmp_path_factory.mktemp("data"))
    return data, "".join((datasets.DATA / "lmarena_text.csv").read_text().splitlines(keepends=True)[:300])


@pytest.mark.parametrize("case", MUTATIONS)
def test_the_fast_checker_finds_what_frictionless_finds(sample_dir, case):
    data, sample = sample_dir
    text = MUTATIONS[case](sample)
    fast, slow = _problems(data, text, True), _problems(data, text, False)
    assert fast == slow
    assert (case == "valid" or "leading zeros" in case or "spaces" in case) == (not fast), fast


def test_the_fast_checker_refuses_a_schema_it_cannot_check(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "lmarena_text.resource.yaml"
    path.write_text(path.read_text().replace("constraints: {required: true}\n    - name: model",
                                             "constraints: {required: true, unique: true}\n    - name: model", 1))
    problems = datasets.problems_in(lmarena.TEXT, data, TODAY)
    assert len(problems) == 1 and "x-validation: fast does not check snapshot: unique" in str(problems[0])
