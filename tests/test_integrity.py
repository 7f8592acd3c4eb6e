"""Living-essay integrity: claims check themselves, markup in data stays text, reviewers see a data diff."""
from __future__ import annotations

import re
import subprocess

from pypdf import PdfReader

from conftest import run

SCRIPT = '<script>alert("owned")</script>'


def pdf_text(root) -> str:
    reader = PdfReader(root / "site" / "the-future-of-open-models.pdf")
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_markup_in_data_is_shown_as_text_on_every_page_and_in_the_pdf(built_copy):
    descriptor = built_copy / "data" / "enterprise_open_share.resource.yaml"
    text = descriptor.read_text()
    text = text.replace("publisher: Menlo Ventures", f"publisher: 'Menlo Ventures {SCRIPT}'", 1)
    text = re.sub(r"^title: (.*)$", lambda m: f"title: '{m.group(1)} {SCRIPT}'", text, count=1, flags=re.M)
    descriptor.write_text(text)
    guide = built_copy / "data" / "decision_guide.csv"
    guide.write_text(guide.read_text().replace("is the quickest way", f"is the quickest way {SCRIPT}", 1))

    run(["-m", "pipeline.build"], cwd=built_copy)

    pages = {p.relative_to(built_copy / "site").as_posix(): p.read_text() for p in (built_copy / "site").rglob("*.html")}
    assert not [name for name, html in pages.items() if SCRIPT in html], "raw markup from the data reached a page"
    escaped = "&lt;script&gt;alert("
    for page in ("sources/index.html", "data/index.html", "essay/index.html"):
        assert escaped in pages[page], f"{page} does not show the data's text (escaped)"
    printed = pdf_text(built_copy)
    assert 'alert("owned")' in printed or "alert(“owned”)" in printed


def _break_the_eightfold_claim(built_copy):
    csv = built_copy / "data" / "chatgpt_weekly_users.csv"
    csv.write_text(csv.read_text().replace("2025-10-06,day,800,", "2025-10-06,day,1500,"))


def test_a_data_edit_that_breaks_a_claim_stops_the_build_and_names_claim_data_and_sentence(built_copy):
    before = (built_copy / "site" / "essay" / "index.html").read_bytes()
    _break_the_eightfold_claim(built_copy)

    result = run(["-m", "pipeline.build"], cwd=built_copy, check=False)

    assert result.returncode == 1 and "Traceback" not in result.stderr
    message = result.stderr
    assert "Claim 'chatgpt-eightfold' no longer holds" in message
    assert "n.big_flip.chatgpt_multiple = 15×" in message
    assert re.search(r"sentence in docs/essay\.md: “[^”]{20,}”", message), message
    assert (built_copy / "site" / "essay" / "index.html").read_bytes() == before

    check = run(["-m", "pipeline.check"], cwd=built_copy, check=False)
    assert check.returncode == 1 and "chatgpt-eightfold" in check.stderr


def test_marking_the_claim_superseded_renders_an_update_on_the_page_and_in_the_pdf(built_copy):
    _break_the_eightfold_claim(built_copy)
    claims = built_copy / "data" / "claims.yaml"
    text = claims.read_text()
    marker = "- id: chatgpt-eightfold\n"
    block = text[text.index(marker):]
    end = block.find("\n- id:", 1)
    block = block if end == -1 else block[:end]
    note = "New statements put weekly users far higher than an eightfold rise."
    new_block = re.sub(r"  now: >-\n(    .*\n)+", f"  now: {note}\n", block.rstrip("\n") + "\n")
    claims.write_text(text.replace(block, new_block + "  superseded: {date: 2026-12-01}\n"))

    run(["-m", "pipeline.build"], cwd=built_copy)

    html = (built_copy / "site" / "essay" / "index.html").read_text()
    block = re.search(r'<div class="([^"]*)"[^>]*id="claim-chatgpt-eightfold"', html)
    assert block and "claim-superseded" in block.group(1).split(), "the claim block is not marked superseded"
    assert "Update, 2026-12-01" in html and note in html
    printed = pdf_text(built_copy)
    assert "Update, 2026-12-01" in printed and note in printed


def test_data_diff_names_moved_numbers_redrawn_figures_and_claim_changes(built_copy):
    def git(*args):
        subprocess.run(["git", *args], cwd=built_copy, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    _break_the_eightfold_claim(built_copy)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "new data")

    out = run(["scripts/data_diff.py", "HEAD~1", "HEAD"], cwd=built_copy).stdout

    assert "| `big_flip.chatgpt_last` | 800 million | 1.5 billion | yes |" in out
    assert "- `big_flip`: inputs changed: data/chatgpt_weekly_users.csv" in out
    assert "- `chatgpt-eightfold`: holds → broken" in out
    assert "- `closed_models_lead`" not in out
