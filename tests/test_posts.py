"""The data-update posts (pipeline/essay/posts.py): one per changelog date, written before the generator,
and the record of which numbers and claims a change moved (pipeline.changelog, pipeline.refresh)."""
from __future__ import annotations

import shutil
from datetime import date

import yaml

from pipeline.data import changelog, datasets
from pipeline import diff
from pipeline.essay import posts


def data_copy(tmp_path, *ids):
    for dataset_id in ids or datasets.dataset_ids():
        for path in datasets.input_files(dataset_id):
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_one_post_per_changelog_date_newest_first():
    dates = {str(e["date"]) for d in datasets.dataset_ids() for e in datasets.descriptor(d)["changelog"]}
    found = posts.updates()
    assert [u.date.isoformat() for u in found] == sorted(dates, reverse=True)
    assert sum(len(u.entries) for u in found) == sum(len(datasets.descriptor(d)["changelog"]) for d in datasets.dataset_ids())


def test_posts_are_plain_markdown_for_the_blog_and_stale_ones_go(tmp_path):
    out = tmp_path / "updates"
    out.mkdir()
    (out / "1999-01-01.md").write_text("a post whose date is gone")
    written = posts.write(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{u.slug}.md" for u in posts.updates())
    for path in written:
        text = path.read_text()
        meta = front_matter(text)
        assert meta["title"].startswith("Data update: ") and meta["description"].endswith(".")
        assert meta["slug"] == path.stem and str(meta["date"]["created"]) == path.stem
        assert f"# {meta['title']}" in text and "<!-- more -->" in text
        assert f'<p class="standfirst">{posts._text(meta["description"])}</p>' in text
        assert "{{" not in text and "{%" not in text
        assert 'href="' not in text, "raw HTML links: Zensical rewrites them (use Markdown links)"
    # Unchanged inputs: nothing is rewritten (mkdocs serve watches docs/).
    stamps = {p: p.stat().st_mtime_ns for p in written}
    posts.write(out)
    assert {p: p.stat().st_mtime_ns for p in written} == stamps


def test_changelog_text_cannot_inject_markup_or_template_syntax(tmp_path):
    data = data_copy(tmp_path, "chatgpt_weekly_users")
    csv = data / "chatgpt_weekly_users.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,801"))
    changelog.record("chatgpt_weekly_users", "A {{ n.x }} <script>alert(1)</script> value", "{% raw %}why",
                     ["webpronews-2025-10-06"], today=date(2031, 1, 2), data_dir=data)
    (update,) = [u for u in posts.updates(data) if u.date == date(2031, 1, 2)]
    text = posts.markdown(update)
    assert "<script>" not in text and "{{" not in text and "{%" not in text
    assert "&lt;script&gt;" in text


def test_a_revision_without_a_record_says_so_and_a_recorded_one_shows_what_moved(tmp_path):
    data = data_copy(tmp_path, "chatgpt_weekly_users")
    csv = data / "chatgpt_weekly_users.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800", "2025-10-06,day,801"))
    changelog.record("chatgpt_weekly_users", "Not measured", "A test", [], today=date(2031, 1, 2), data_dir=data)
    csv.write_text(csv.read_text().replace("2025-10-06,day,801", "2025-10-06,day,820"))
    moved = {"numbers_moved": [{"number": "big_flip.chatgpt_last", "before": "801 million", "after": "820 million", "cited": True}],
             "claims_changed": [{"claim": "chatgpt-eightfold", "before": "holds", "after": "broken", "text": "Eightfold."}]}
    changelog.record("chatgpt_weekly_users", "Measured", "A test", [], today=date(2031, 1, 3), data_dir=data, moved=moved)
    entry = datasets.descriptor("chatgpt_weekly_users", data)["changelog"][-1]
    assert entry["numbers_moved"] == moved["numbers_moved"] and entry["claims_changed"] == moved["claims_changed"]

    by_date = {u.date: u for u in posts.updates(data)}
    unrecorded, recorded = posts.markdown(by_date[date(2031, 1, 2)]), posts.markdown(by_date[date(2031, 1, 3)])
    assert "Not recorded for this change" in unrecorded and "| Number |" not in unrecorded
    assert "| [`big_flip.chatgpt_last`](../../essay.md#big_flip) | 801 million | 820 million | yes |" in recorded
    assert "(../../essay.md#score-O5)): holds → no longer holds" in recorded
    assert "1 number the essay cites moved and 1 claim changed state" in by_date[date(2031, 1, 3)].description

    nothing = {"numbers_moved": [], "claims_changed": []}
    csv.write_text(csv.read_text().replace("2025-10-06,day,820", "2025-10-06,day,821"))
    changelog.record("chatgpt_weekly_users", "Measured, nothing moved", "A test", [], today=date(2031, 1, 4), data_dir=data, moved=nothing)
    text = posts.markdown({u.date: u for u in posts.updates(data)}[date(2031, 1, 4)])
    assert "No number computed from the data moved." in text and "No claim of the essay changed state." in text


def test_first_versions_move_nothing():
    first = [u for u in posts.updates() if u.first_versions and not u.revisions]
    for update in first:
        assert "Nothing moved: these are the datasets' first versions" in posts.markdown(update)


def test_moves_are_the_numbers_of_the_figures_drawn_from_the_dataset():
    before = {"numbers": {"big_flip": {"a": {"text": "1"}, "b": {"text": "2"}}, "open_lag": {"c": {"text": "3"}}},
              "figure_inputs": {"big_flip": {"data/chatgpt_weekly_users.csv": "x"}, "open_lag": {"data/lmarena_text.csv": "y"}},
              "claims": {"chatgpt-eightfold": {"state": "holds", "claim": "Eightfold."}}}
    after = {"numbers": {"big_flip": {"a": {"text": "1"}, "b": {"text": "5"}}, "open_lag": {"c": {"text": "4"}}},
             "figure_inputs": before["figure_inputs"],
             "claims": {"chatgpt-eightfold": {"state": "broken", "claim": "Eightfold."}}}
    moved = diff.moves(before, after, "chatgpt_weekly_users", cited={"big_flip.b"})
    assert moved["numbers_moved"] == [{"number": "big_flip.b", "before": "2", "after": "5", "cited": True}]
    assert moved["claims_changed"] == [{"claim": "chatgpt-eightfold", "before": "holds", "after": "broken", "text": "Eightfold."}]
    assert diff.moves(before, after, "lmarena_text", cited=set())["numbers_moved"] == [
        {"number": "open_lag.c", "before": "3", "after": "4", "cited": False}]


def test_the_listed_posts_are_the_essay_then_the_updates_at_the_blogs_addresses():
    import sys

    sys.path.insert(0, str(posts.ROOT / "tests"))
    from browser_support import mkdocs_config

    blog = next(p["blog"] for p in mkdocs_config(posts.ROOT / "mkdocs.yml")["plugins"] if isinstance(p, dict) and "blog" in p)
    assert blog["post_url_format"] + "/" == posts.URL_FORMAT
    assert posts.UPDATES_DIR.is_relative_to(posts.DOCS / blog["post_dir"].replace("{blog}", blog["blog_dir"]))
    found = posts.listed()
    assert found[0].path == "essay/" and found[0].description
    assert [p.path for p in found[1:]] == [f"updates/{u.slug}/" for u in posts.updates()]
