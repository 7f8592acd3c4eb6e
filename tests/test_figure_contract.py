"""The figure contract is code: one loader (pipeline.figures.registry.spec) returns a fixed spec with
defaults, and refuses a module that lacks a required name or defines an UPPER-CASE name the
contract does not know (a typo such as NOTE or SIZES would otherwise be silently ignored)."""
from __future__ import annotations

import pytest

from pipeline.figures import registry
from pipeline.figures.registry import ContractError

from conftest import run

GOOD = '''
DATASETS = ["chatgpt_weekly_users"]
TITLE = "A title"
ALT = "An alt text"
CAPTION = "A caption"


def numbers(frames):
    return {}


def draw(fig, frames, theme, layout):
    fig.subplots().plot([1, 2], [1, 2])
'''


@pytest.fixture
def charts(tmp_path, monkeypatch):
    """A charts/ folder of our own, so test modules never reach the real registry."""
    folder = tmp_path / "charts"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    monkeypatch.setattr(registry, "CHARTS", folder)
    monkeypatch.syspath_prepend(str(tmp_path))
    import sys

    def forget_charts():
        for name in [n for n in sys.modules if n == "charts" or n.startswith("charts.")]:
            del sys.modules[name]
        registry._loaded.clear()

    forget_charts()
    yield folder
    forget_charts()  # the real charts/ is imported again when next asked for


def write(charts, name, text):
    (charts / f"{name}.py").write_text(text)
    return name


def test_a_module_that_keeps_the_contract_gets_every_default(charts):
    fig = registry.spec(write(charts, "good", GOOD))
    assert (fig.kind, fig.notes, fig.social_card, fig.datasets) == ("chart", (), False, ("chatgpt_weekly_users",))
    assert fig.size == registry.FIGURE_SIZE and fig.table is None


@pytest.mark.parametrize("typo, suggestion", [("NOTE", "NOTES"), ("SIZES", "SIZE"), ("SOCIALCARD", "SOCIAL_CARD")])
def test_an_unknown_upper_case_name_is_refused_with_a_suggestion(charts, typo, suggestion):
    name = write(charts, "typo", GOOD + f"\n{typo} = 1\n")
    with pytest.raises(ContractError) as err:
        registry.spec(name)
    assert f"charts/typo.py, column '{typo}': {typo} is not part of the figure contract; did you mean {suggestion}?" \
        in str(err.value)


def test_a_private_constant_and_an_imported_name_are_fine(charts):
    text = "from pipeline.figures.style import HOLLOW_NOTE\n" + GOOD + "\n_MY_CONSTANT = 3\n"
    assert registry.spec(write(charts, "private", text)).id == "private"


@pytest.mark.parametrize("missing", ["DATASETS", "TITLE", "ALT", "CAPTION", "numbers", "draw"])
def test_a_missing_name_is_refused(charts, missing):
    import re

    text = re.sub(rf"(?m)^{missing} = .*\n|^def {missing}\(.*\n(    .*\n)+", "", GOOD)
    assert text != GOOD
    name = write(charts, f"lacking_{missing.lower()}", text)
    with pytest.raises(ContractError, match=f"the figure contract requires {missing}"):
        registry.spec(name)


def test_a_table_figure_needs_table_not_draw_or_alt(charts):
    table = GOOD.replace('ALT = "An alt text"\n', 'KIND = "table"\n').split("def draw")[0] + \
        "def table(rows):\n    return []\n"
    assert registry.spec(write(charts, "table_fig", table)).kind == "table"
    with pytest.raises(ContractError, match="the figure contract requires table"):
        registry.spec(write(charts, "bad_table", GOOD.replace('ALT = "An alt text"\n', 'KIND = "table"\nALT = "x"\n')))


def test_draw_takes_the_layout(charts):
    name = write(charts, "old_draw", GOOD.replace("def draw(fig, frames, theme, layout):", "def draw(fig, frames, theme):"))
    with pytest.raises(ContractError, match=r"draw\(\) takes 4 argument"):
        registry.spec(name)


def test_the_build_names_the_broken_module_without_a_traceback(project):
    module = project / "charts" / "closed_models_lead.py"
    module.write_text(module.read_text().replace("NOTES = [", "NOTE = [", 1))
    result = run(["build_charts.py"], cwd=project, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "charts/closed_models_lead.py, column 'NOTE': NOTE is not part of the figure contract; did you mean NOTES?" \
        in result.stderr


def test_the_decision_guide_is_a_registered_table_figure():
    fig = registry.spec("decision_guide")
    assert fig.kind == "table" and "decision_guide" in registry.figure_ids() and "decision_guide" not in registry.chart_ids()


def test_sizes_per_layout_and_datasets_only_counted(charts):
    text = GOOD.replace('DATASETS = ["chatgpt_weekly_users"]',
                        'DATASETS = ["chatgpt_weekly_users"]\nNUMBER_DATASETS = ["arena_gap"]\n'
                        'SIZE = {"wide": (6.4, 4.0), "narrow": (3.6, 5.0)}')
    fig = registry.spec(write(charts, "sized", text))
    assert fig.sizes == {"wide": (6.4, 4.0), "narrow": (3.6, 5.0)} and fig.size == (6.4, 4.0)
    assert fig.datasets == ("chatgpt_weekly_users",) and fig.all_datasets == ("chatgpt_weekly_users", "arena_gap")
    # A module that gives only the wide size gets a narrow one at the narrow layout's width.
    assert registry.spec(write(charts, "wide_only", GOOD)).sizes["narrow"][0] == registry.LAYOUTS["narrow"].width


@pytest.mark.parametrize("line, rule", [
    ('SIZE = {"phone": (3, 4)}', "SIZE names the layout 'phone'"),
    ('NUMBER_DATASETS = ["chatgpt_weekly_users"]', "is in DATASETS and NUMBER_DATASETS"),
    ('SOURCE_LINE = "after the list"', "SOURCE_LINE must say where the sources go"),
])
def test_a_wrong_size_dataset_or_source_line_is_refused(charts, line, rule):
    with pytest.raises(ContractError, match=rule):
        registry.spec(write(charts, "wrong", GOOD + "\n" + line + "\n"))


def test_a_name_deleted_from_a_module_is_gone_in_the_same_process(project):
    """A long `make serve` loads an edited module afresh: a name the new source no longer defines
    (a deleted SIZE, numbers renamed) does not survive from the old one, as it would a reload."""
    code = """
from pathlib import Path
from pipeline.figures import registry
from pipeline.figures.registry import ContractError

module = Path("charts/closed_models_lead.py")
original = module.read_text()
module.write_text(original.replace("\\nSIZE = ", "\\n_SIZE = ", 1))
assert registry.spec("closed_models_lead").size == registry.FIGURE_SIZE
module.write_text(original.replace("\\nSIZE = ", "\\n_SIZE = ", 1) + "\\nSIZE = (5.0, 3.0)\\n")
assert registry.spec("closed_models_lead").size == (5.0, 3.0)
module.write_text(original.replace("\\nSIZE = ", "\\n_SIZE = ", 1) + "\\n# SIZE deleted\\n")  # a new source
assert registry.spec("closed_models_lead").size == registry.FIGURE_SIZE, "SIZE survived its deletion"
module.write_text(original.replace("def numbers(", "def number(", 1))
try:
    registry.spec("closed_models_lead")
except ContractError as err:
    assert "the figure contract requires numbers" in str(err), err
else:
    raise AssertionError("a renamed numbers() survived the edit")
print("ok")
"""
    assert run(["-c", code], cwd=project).stdout.strip() == "ok"


TABLE = GOOD.replace('ALT = "An alt text"\n', 'KIND = "table"\n').split("def draw")[0] + \
    "def table(rows):\n    return []\n"


@pytest.mark.parametrize("line, name, rule", [
    ("TITLE = ['A title']", "TITLE", "TITLE must be a str, not list"),
    ("CAPTION = None", "CAPTION", "CAPTION must be a str, not NoneType"),
    ("ALT = 3", "ALT", "ALT must be a str, not int"),
    ('NOTES = "One caveat."', "NOTES", "NOTES must be a list of str, not str (a bare str would be read as its characters)"),
    ('NOTES = ["A caveat", 2]', "NOTES", "NOTES must be a list of str, not list"),
    ('DATASETS = "chatgpt_weekly_users"', "DATASETS", "DATASETS must be a list of str, not str"),
    ("DATASETS = [1]", "DATASETS", "DATASETS must be a list of str"),
    ('NUMBER_DATASETS = "arena_gap"', "NUMBER_DATASETS", "NUMBER_DATASETS must be a list of str, not str"),
    ("SIZE = (6.4,)", "SIZE", "SIZE must be two positive numbers (width, height) in inches, not (6.4,)"),
    ("SIZE = (6.4, -1)", "SIZE", "SIZE must be two positive numbers"),
    ('SIZE = (6.4, "3")', "SIZE", "SIZE must be two positive numbers"),
    ("SIZE = 6.4", "SIZE", "SIZE must be (width, height) in inches or a dict of them by layout, not float"),
    ("SIZE = (7.0, 4.0)", "SIZE", "SIZE is 7.0 in wide, wider than the wide layout's 6.4 in"),
    ('SIZE = {"narrow": (4.0, 5.0)}', "SIZE", "SIZE['narrow'] is 4.0 in wide, wider than the narrow layout's 3.6 in"),
    ('SIZE = {"wide": (0, 4.0)}', "SIZE", "SIZE['wide'] must be two positive numbers"),
    ('SOCIAL_CARD = "yes"', "SOCIAL_CARD", "SOCIAL_CARD must be True or False, not 'yes'"),
    ("SOCIAL_CARD = 1", "SOCIAL_CARD", "SOCIAL_CARD must be True or False, not 1"),
    ("SOURCE_LINE = 3", "SOURCE_LINE", "SOURCE_LINE must be a str, not int"),
])
def test_a_name_of_the_wrong_type_is_refused_naming_the_file_and_the_name(charts, line, name, rule):
    module = write(charts, "typed", GOOD + "\n" + line + "\n")
    with pytest.raises(ContractError) as err:
        registry.spec(module)
    assert f"charts/{module}.py, column '{name}': {rule}" in str(err.value)


@pytest.mark.parametrize("line, name", [("SIZE = (6.4, 3.0)", "SIZE"), ("SOCIAL_CARD = True", "SOCIAL_CARD"),
                                        ('ALT = "An alt text"', "ALT")])
def test_a_chart_only_name_on_a_table_figure_is_refused(charts, line, name):
    module = write(charts, "table_with", TABLE + "\n" + line + "\n")
    with pytest.raises(ContractError) as err:
        registry.spec(module)
    assert f"charts/{module}.py, column '{name}': a table figure does not use {name}" in str(err.value)


@pytest.mark.parametrize("old, new, rule", [
    ("def numbers(frames):", "def numbers():", r"numbers\(\) takes 1 argument\(s\) \(frames\)"),
    ("def numbers(frames):", "def numbers(frames, extra):", r"numbers\(\) takes 1 argument\(s\) \(frames\)"),
    ("def draw(fig, frames, theme, layout):", "def draw(fig, frames, theme, layout, more):",
     r"draw\(\) takes 4 argument\(s\) \(fig, frames, theme, layout\)"),
    ("def numbers(frames):\n    return {}", "numbers = 3", r"numbers must be a function \(frames\)"),
])
def test_a_function_that_cannot_be_called_as_the_pipeline_calls_it_is_refused(charts, old, new, rule):
    assert old in GOOD
    with pytest.raises(ContractError, match=rule):
        registry.spec(write(charts, "called", GOOD.replace(old, new)))


def test_a_function_with_a_defaulted_or_keyword_only_extra_is_accepted(charts):
    text = GOOD.replace("def numbers(frames):", "def numbers(frames, scale=1, *, debug=False):")
    assert registry.spec(write(charts, "extras", text)).id == "extras"
    table = TABLE.replace("def table(rows):", "def table(rows, *args):")
    assert registry.spec(write(charts, "table_extras", table)).kind == "table"


def test_a_table_function_is_described_with_rows(charts):
    with pytest.raises(ContractError, match=r"table\(\) takes 1 argument\(s\) \(rows\)"):
        registry.spec(write(charts, "table_two", TABLE.replace("def table(rows):", "def table(rows, other):")))


def test_every_problem_of_a_module_is_reported_at_once(charts):
    text = GOOD.replace('TITLE = "A title"\n', "").replace('"chatgpt_weekly_users"', '"no_such_dataset"') \
        + '\nNOTES = "A caveat."\nSIZES = (1, 2)\n'
    with pytest.raises(ContractError) as err:
        registry.spec(write(charts, "many", text))
    message = str(err.value)
    for expected in ("column 'TITLE': the figure contract requires TITLE",
                     "column 'DATASETS': DATASETS names 'no_such_dataset'",
                     "column 'NOTES': NOTES must be a list of str",
                     "column 'SIZES': SIZES is not part of the figure contract"):
        assert expected in message, message


ROWS_READ = GOOD.replace("def numbers(frames):\n    return {}", '''from pipeline.figures.numbers import from_row, one_row


def numbers(frames):
    row = one_row(frames["chatgpt_weekly_users"], id="x")
    return {"users": from_row(row, "value", UNIT)}''')


def test_numbers_that_miss_a_row_blame_the_data_without_a_traceback(charts):
    import pandas as pd

    from pipeline.data.datasets import DataError

    name = write(charts, "reads_rows", ROWS_READ.replace("UNIT", '"count"'))
    frame = pd.DataFrame({"id": ["y"], "value": [1], "source": ["s"], "confidence": ["exact"]})
    with pytest.raises(DataError) as err:
        registry.compute_numbers(name, {"chatgpt_weekly_users": frame})
    assert f"charts/{name}.py: numbers() cannot read what the prose cites from chatgpt_weekly_users: " \
        "expected one row with {'id': 'x'}, found 0" in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_a_bug_in_numbers_propagates_with_its_traceback(charts):
    import pandas as pd

    from pipeline.data.datasets import DataError

    name = write(charts, "misspelt_unit", ROWS_READ.replace("UNIT", '"cuont"'))   # a typo, not a data problem
    frame = pd.DataFrame({"id": ["x"], "value": [1], "source": ["s"], "confidence": ["exact"]})
    with pytest.raises(KeyError, match="cuont") as err:
        registry.compute_numbers(name, {"chatgpt_weekly_users": frame})
    assert not isinstance(err.value, DataError)
    assert registry.compute_numbers(write(charts, "right_unit", ROWS_READ.replace("UNIT", '"count"')),
                                    {"chatgpt_weekly_users": frame})["users"]["value"] == 1


SECOND_TABLE = TABLE.replace("def table(rows):\n    return []\n", '''def table(rows):
    return {"columns": [("date", "Date"), ("users", "Weekly users"), ("measure", "Measured as")],
            "rows": [{"date": r["date"], "users": {"text": r["weekly_users_millions"] + "M", "class": "users"},
                      "measure": r["measure"], **({"row_class": "first"} if i == 0 else {})}
                     for i, r in enumerate(rows["chatgpt_weekly_users"])]}
''')


def test_any_table_figure_is_shown_by_the_generic_template(charts):
    """The figure template knows no table's columns: a second table figure shows its own."""
    from pipeline.essay.render import Renderer

    write(charts, "weekly_table", SECOND_TABLE)
    html = Renderer("web", all_numbers={}, all_plotted={}).figure("weekly_table")
    assert '<table class="weekly-table">' in html
    assert '<thead><tr><th scope="col">Date</th><th scope="col">Weekly users</th><th scope="col">Measured as</th></tr></thead>' \
        in html
    assert '<tr class="first"><th scope="row">2023-11-06</th><td><span class="users">100M</span></td>' \
           '<td>weekly users</td></tr>' in html
    assert '<tr><th scope="row">2024-08-29</th><td><span class="users">200M</span></td><td>weekly active users</td></tr>' \
        in html


@pytest.mark.parametrize("returned, rule", [
    ("[]", "must return"),
    ('{"columns": [("date", "Date")], "rows": [{"day": 1}]}', "row 1 has no date"),
    ('{"columns": [("date",)], "rows": []}', r"columns must be \(key, heading\) pairs"),
    ('{"columns": [("date", "Date")], "rows": [{"date": {"text": "x"}}]}', "a cell is text or"),
])
def test_a_table_that_does_not_say_what_it_shows_is_refused_naming_the_figure(charts, returned, rule):
    from pipeline.essay.render import Renderer

    module = write(charts, "bad_rows", TABLE.replace("return []", f"return {returned}"))
    with pytest.raises(ValueError, match=rf"charts/{module}.py: table\(\).*{rule}"):
        Renderer("web", all_numbers={}, all_plotted={}).figure(module)
