"""Bad data cannot ship: each malformed input is refused with one clear line per problem (file,
line, column, value, rule). Each case breaks one real dataset in a copy of data/ and validates it
as every command does first; some cases go through the real command too, which exits 1 with no
traceback and draws nothing."""
from __future__ import annotations

import re
import shutil

import pytest

from pipeline.data.datasets import DataError, validate

from conftest import ROOT, run

DEC_2025 = "2025 report,2025-12-09,day,Anthropic,Anthropic,40,"


def edit_text(dataset, old, new, count=1):
    def apply(data_dir):
        path = data_dir / f"{dataset}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture is stale: {old!r} not in {path.name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return apply


def rewrite(dataset, transform):
    def apply(data_dir):
        path = data_dir / f"{dataset}.csv"
        path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    return apply


def write_bytes(dataset, transform):
    def apply(data_dir):
        path = data_dir / f"{dataset}.csv"
        path.write_bytes(transform(path.read_bytes()))
    return apply


def drop_column(index):
    return lambda text: "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != index)
                                  for line in text.splitlines()) + "\n"


EOS = "enterprise_open_share"   # edition,published,period,open_share,measure,source,confidence,note
USERS = "chatgpt_weekly_users"  # date,date_precision,weekly_users_millions,qualifier,...

# case id -> (how to break the data, what the message must say: file, and regexes for the rest)
CASES = {
    "missing column": (rewrite(EOS, drop_column(2)), EOS, [r"line 1", r"column 'period'", r"missing column"]),
    "unexpected column": (rewrite(EOS, lambda t: "\n".join(l + ",extra" for l in t.splitlines()) + "\n"),
                          EOS, [r"line 1", r"column 'extra'", r"unexpected column"]),
    "wrong type": (edit_text(EOS, ",19,", ",nineteen,"), EOS, [r"line 2", r"'open_share'", r"'nineteen'", r"not a valid number"]),
    "empty required cell": (edit_text(EOS, ",13,", ",,"), EOS, [r"line 3", r"'open_share'", r"must not be empty"]),
    "duplicate key": (edit_text(EOS, "2025 mid-year update", "2024 report"), EOS,
                      [r"line 3", r"'edition'", r"'2024 report'", r"duplicate primary key \(same as line 2\)"]),
    "share above 100": (edit_text(EOS, ",13,", ",113,"), EOS, [r"line 3", r"'open_share'", r"'113'", r"at most 100"]),
    "share below 0": (edit_text(EOS, ",11,", ",-4,"), EOS, [r"line 4", r"'open_share'", r"'-4'", r"at least 0"]),
    "shares do not sum to 100": (edit_text("enterprise_vendor_share", DEC_2025, DEC_2025.replace(",40,", ",45,")),
                                 "enterprise_vendor_share", [r"'share'", r"add up to 105", r"not 100"]),
    "impossible date": (edit_text(EOS, "2025-07-31", "2025-02-30"), EOS, [r"line 3", r"'published'", r"2025-02-30", r"not a valid date"]),
    "negative count": (edit_text(USERS, "2025-03-31,day,500,", "2025-03-31,day,-500,"), USERS,
                       [r"line 7", r"'weekly_users_millions'", r"'-500'", r"at least 0"]),
    "infinity": (edit_text(USERS, "2025-03-31,day,500,", "2025-03-31,day,inf,"), USERS,
                 [r"line 7", r"'weekly_users_millions'", r"inf", r"finite"]),
    "not a number": (edit_text(USERS, "2025-03-31,day,500,", "2025-03-31,day,NaN,"), USERS,
                     [r"line 7", r"'weekly_users_millions'", r"NaN"]),
    "wrong delimiter": (rewrite(EOS, lambda t: t.replace(",", ";")), EOS, [r"line 1", r"wrong delimiter", r"semicolons"]),
    "ragged row": (edit_text(EOS, "exact,\n", "exact,,surplus\n"), EOS, [r"line 3", r"ragged row: 9 cells, the header has 8"]),
    "unterminated quote": (edit_text(EOS, 'December 2025 reports."', 'December 2025 reports.'), EOS, [r"line 2", r"unterminated quote"]),
    "bytes that are not UTF-8": (write_bytes(EOS, lambda b: b.replace(b"Menlo's 2024", "Menlö's 2024".encode("latin-1"))),
                                 EOS, [r"line 2", r"not UTF-8"]),
    "empty file": (rewrite(EOS, lambda t: ""), EOS, [r"the file is empty"]),
    "header only": (rewrite(EOS, lambda t: t.splitlines()[0] + "\n"), EOS, [r"header but no data rows"]),
    "unknown source id": (edit_text(EOS, "menlo-2025-report,exact", "menlo-2099,exact"), EOS,
                          [r"line 4", r"'source'", r"'menlo-2099'", r"unknown source id"]),
    "row dated in the future": (edit_text(EOS, "2025-12-09", "2099-12-09"), EOS,
                                [r"line 4", r"'published'", r"2099-12-09", r"in the future"]),
}


def said_in_one_line(case: str, lines: list[str]) -> None:
    """One line about the broken file says everything its case lists."""
    _, dataset, patterns = CASES[case]
    mine = [line for line in lines if line.startswith(f"data/{dataset}.csv")]
    assert mine, f"{case}: no message names data/{dataset}.csv:\n" + "\n".join(lines)
    assert any(all(re.search(p, line) for p in patterns) for line in mine), \
        f"{case}: no single line says all of {patterns}:\n" + "\n".join(lines)


@pytest.mark.parametrize("case", CASES)
def test_bad_data_is_refused_with_one_clear_line_per_problem(case, tmp_path):
    breaker, dataset, _ = CASES[case]
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    breaker(data)
    with pytest.raises(DataError) as refused:
        validate([dataset], data_dir=data)
    said_in_one_line(case, [str(problem).replace(f"{tmp_path}/", "") for problem in refused.value.problems])


# One case of each kind of check: the file as text, the schema, a rule across rows, across files.
THROUGH_THE_COMMAND = ["ragged row", "wrong type", "shares do not sum to 100", "unknown source id"]


@pytest.mark.parametrize("case", THROUGH_THE_COMMAND)
def test_the_build_command_refuses_bad_data_and_draws_nothing(built_copy, case):
    figures_before = {p.name: p.read_bytes() for p in (built_copy / "docs" / "figures").iterdir()}
    CASES[case][0](built_copy / "data")

    result = run(["build_charts.py", "--force"], cwd=built_copy, check=False)

    assert result.returncode == 1, f"{case}: accepted\n{result.stdout}"
    assert "Traceback" not in result.stderr, result.stderr
    said_in_one_line(case, [line.strip() for line in result.stderr.splitlines()[1:] if line.strip()])
    assert {p.name: p.read_bytes() for p in (built_copy / "docs" / "figures").iterdir()} == figures_before, \
        "a figure was redrawn from bad data"


def test_the_fast_check_refuses_bad_data_too(built_copy):
    CASES["share above 100"][0](built_copy / "data")
    result = run(["-m", "pipeline.check"], cwd=built_copy, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/enterprise_open_share.csv, line 3, column 'open_share': value '113': must be at most 100" in result.stderr
