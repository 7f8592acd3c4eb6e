"""The site's posts besides the essay: one short data-update post per changelog date.

    .venv/bin/python -m pipeline.essay.posts        # write docs/posts/updates/*.md (the build does it too)

Every changelog entry of data/*.resource.yaml (version, date, change, why, sources) is grouped by
date; each date becomes one post, a plain Markdown file in docs/posts/updates/ (generated and
gitignored, like docs/figures/). The posts are written before the site generator runs, so that
MkDocs with Material's blog plugin and Zensical, which implements that plugin natively but runs no
MkDocs hooks, read the same files. The home page lists them after the essay (docs/index.md) and
feed.xml carries the same posts (pipeline/site/previews.py collects every page with a `date:`).

Which numbers and claims a change moved is recorded in the changelog entry itself when the change
is made, under two optional keys (`python -m pipeline.changelog` and `python -m pipeline.refresh`
write them, from the same comparison as scripts/data_diff.py: pipeline/diff.py):

    numbers_moved:  [{number: figure.name, before: "text", after: "text", cited: true}, ...]
    claims_changed: [{claim: id, before: state, after: state, text: "the claim"}, ...]

An empty list means "recorded: nothing moved"; a missing key means "not recorded" (entries made
before the record existed), and a post says so rather than guessing. A dataset's first version
moves nothing: every number drawn from it is new.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from pipeline.data import datasets
from pipeline.paths import DATA, DOCS, ESSAY_PAGE, ROOT

POSTS_DIR = DOCS / "posts"                  # Material's blog plugin: post_dir "{blog}/posts"
UPDATES_DIR = POSTS_DIR / "updates"         # ours alone: written here, stale files removed
URL_FORMAT = "updates/{slug}/"              # the blog's post_url_format in mkdocs.yml (a test compares)
ESSAY = ESSAY_PAGE                          # the first post: its own page and address, /essay/
MARK = "Written by pipeline/essay/posts.py from the changelog in data/*.resource.yaml; edits are overwritten."

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(ROOT / "pipeline" / "essay" / "templates"),
    autoescape=False,  # Markdown; every text from the data goes through the `text` filter
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _text(value) -> str:
    """Changelog text as Markdown-safe inline text: no HTML, and no template syntax for the
    site's macros (mkdocs-macros and Zensical render every page)."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("{", "&#123;").replace("}", "&#125;")


_TEMPLATES.filters["text"] = _text
_TEMPLATES.filters["sentence"] = lambda value: (lambda t: t if t.endswith((".", "!", "?", ")")) or not t else t + ".")(_text(value))
# A claim's state, as the scorecard words it; "broken" is what the data said when the change was
# recorded (the build then stops until the sentence is rewritten or the claim marked superseded).
_TEMPLATES.globals["STATE_WORDS"] = {"holds": "holds", "superseded": "superseded", "unresolved": "unresolved",
                                     "broken": "no longer holds", "not declared": "not declared"}


def date_text(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


# --- the changelog, grouped by date -------------------------------------------------------------


@dataclass
class Entry:
    dataset: str
    title: str
    version: str
    date: date
    change: str
    why: str
    sources: list[str]
    first: bool                                  # the dataset's first version
    numbers_moved: list[dict] | None = None      # None: not recorded
    claims_changed: list[dict] | None = None


@dataclass
class Update:
    date: date
    entries: list[Entry] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.date.isoformat()

    @property
    def title(self) -> str:
        return f"Data update: {date_text(self.date)}"

    @property
    def datasets(self) -> list[str]:
        return list(dict.fromkeys(e.dataset for e in self.entries))

    @property
    def first_versions(self) -> list[Entry]:
        return [e for e in self.entries if e.first]

    @property
    def revisions(self) -> list[Entry]:
        return [e for e in self.entries if not e.first]

    @property
    def recorded(self) -> bool:
        """Every revision says what it moved (first versions move nothing)."""
        return all(e.numbers_moved is not None for e in self.revisions)

    @property
    def unrecorded(self) -> list[Entry]:
        """Revisions made before moved numbers were recorded: the post says so, and guesses nothing."""
        return [e for e in self.revisions if e.numbers_moved is None]

    @property
    def numbers_moved(self) -> list[dict]:
        """Each moved number once, from its earliest 'before' to its latest 'after' that day."""
        moved: dict[str, dict] = {}
        for entry in self.entries:
            for row in entry.numbers_moved or []:
                key = str(row["number"])
                if key in moved:
                    moved[key] = {**moved[key], "after": row["after"], "cited": moved[key]["cited"] or row.get("cited")}
                else:
                    moved[key] = {"number": key, "before": row["before"], "after": row["after"],
                                  "cited": bool(row.get("cited"))}
        return [m for m in moved.values() if m["before"] != m["after"]]

    @property
    def claims_changed(self) -> list[dict]:
        changed: dict[str, dict] = {}
        for entry in self.entries:
            for row in entry.claims_changed or []:
                key = str(row["claim"])
                changed[key] = {**row, "before": changed[key]["before"]} if key in changed else dict(row)
        return [c for c in changed.values() if c["before"] != c["after"]]

    @property
    def description(self) -> str:
        """One sentence: what the post is about (the standfirst, the feed's summary)."""
        parts = []
        if self.first_versions:
            n = len({e.dataset for e in self.first_versions})
            parts.append(f"first versions of {n} dataset{'s' * (n != 1)}")
        if self.revisions:
            n, titles = len(self.revisions), list(dict.fromkeys(e.title for e in self.revisions))
            named = " and ".join(titles) if len(titles) <= 2 else f"{len(titles)} datasets"
            parts.append(f"{'a revision' if n == 1 else f'{n} revisions'} to {named}")
        what = " and ".join(parts)
        what = what[0].upper() + what[1:]
        if self.revisions and self.recorded:
            cited = sum(1 for m in self.numbers_moved if m["cited"])
            claims = len(self.claims_changed)
            moved = (f"{cited} number{'s' * (cited != 1)} the essay cites moved" if cited
                     else "no number the essay cites moved")
            moved += f" and {claims} claim{'s' * (claims != 1)} changed state" if claims else ", no claim changed state"
            return f"{what}; {moved}."
        return f"{what}, from which the essay, its figures and the PDF were rebuilt."


def entries(data_dir: Path = DATA) -> list[Entry]:
    """Every changelog entry (read by pipeline.data.changelog, the one reader), typed for the posts."""
    from pipeline.data import changelog

    return [Entry(dataset=e["dataset"], title=datasets.descriptor(e["dataset"], data_dir).get("title", e["dataset"]),
                  version=str(e["version"]), date=date.fromisoformat(e["date"]), change=e.get("change", ""),
                  why=e.get("why", ""), sources=list(e.get("sources") or []), first=e["first"],
                  numbers_moved=e.get("numbers_moved"), claims_changed=e.get("claims_changed"))
            for e in changelog.entries(data_dir)]


def updates(data_dir: Path = DATA) -> list[Update]:
    """One Update per changelog date, newest first; entries by dataset, then version."""
    by_date: dict[date, Update] = {}
    for entry in sorted(entries(data_dir), key=lambda e: (e.dataset, tuple(int(x) for x in e.version.split(".")))):
        by_date.setdefault(entry.date, Update(entry.date)).entries.append(entry)
    return sorted(by_date.values(), key=lambda u: u.date, reverse=True)


# --- the posts ---------------------------------------------------------------------------------


def _claim_anchors() -> dict[str, str]:
    """claim id -> its entry in the essay's scorecard (#score-O3), for links from a post."""
    from pipeline.essay import claims

    return {str(c["id"]): f"score-{c['original']}" for c in claims.declared() if c.get("original")}


def markdown(update: Update) -> str:
    """The post as Markdown with front matter (Material's blog plugin reads `date` and `slug`).
    Links are Markdown links to the source files, which MkDocs and Zensical both resolve."""
    from pipeline.figures import registry as figures
    from pipeline.essay.render import reading_minutes

    def render(minutes: int) -> str:
        return _TEMPLATES.get_template("update_post.md.j2").render(
            u=update, mark=MARK, date_text=date_text, figure_ids=set(figures.figure_ids()),
            claim_anchors=_claim_anchors(), minutes=minutes)

    # Counted as the essay's reading time is (pipeline/essay/render.py), link targets left out.
    return render(reading_minutes(re.sub(r"\]\([^)]*\)", "]", render(1))))


def write(posts_dir: Path = UPDATES_DIR, data_dir: Path = DATA, say=None) -> list[Path]:
    """Write every update post whose text changed and remove posts whose date is gone.

    Files are rewritten only when their bytes change, so `mkdocs serve` (which watches docs/) does
    not rebuild in a loop. Returns the posts' paths, newest first."""
    posts_dir.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for update in updates(data_dir):
        wanted[posts_dir / f"{update.slug}.md"] = markdown(update)
    changed = []
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for stale in sorted(set(posts_dir.glob("*.md")) - set(wanted)):
        stale.unlink()
        changed.append(stale)
    if say and changed:
        say(f"{len(changed)} update post(s) written or removed in {posts_dir.relative_to(ROOT)}/")
    return list(wanted)


@dataclass
class Post:
    path: str                   # URL path under site_url: "essay/", "updates/2026-11-30/"
    title: str
    description: str
    published: date
    source: Path                # the Markdown file


def listed(data_dir: Path = DATA) -> list[Post]:
    """The posts as the home page lists them, and as the feed should carry them: the essay first,
    then the data-update posts, newest first."""
    from pipeline.essay.render import split_front_matter

    meta, _ = split_front_matter(ESSAY.read_text(encoding="utf-8"))
    essay_date = meta["date"] if isinstance(meta["date"], date) else date.fromisoformat(str(meta["date"]))
    found = [Post("essay/", str(meta["title"]), str(meta.get("description", "")), essay_date, ESSAY)]
    for update in updates(data_dir):
        found.append(Post(URL_FORMAT.format(slug=update.slug), update.title, update.description, update.date,
                          UPDATES_DIR / f"{update.slug}.md"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    for path in write(say=print):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
