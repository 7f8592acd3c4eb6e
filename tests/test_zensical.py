"""The same site built by Zensical (`python -m pipeline.build --generator zensical`): the pipeline
does before and after the generator what MkDocs' hooks do, so the essay has every number and
figure, and every link resolves under site_url's path.

Zensical is found as $ZENSICAL, beside this Python, or on PATH; nothing is installed here.
`make test` installs requirements-zensical.txt into .venv first, so CI runs this test."""
from __future__ import annotations

import json
import os
import re
import sys

import pytest

from conftest import run
from test_site import check_figures, check_no_template_syntax, check_numbers_in_context, check_sitemap, page_text, \
    resolves

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("zensical")]  # one Zensical build


@pytest.fixture(scope="module")
def zensical_site(built, tmp_path_factory):
    from pipeline.site.publish import zensical_command

    command = zensical_command()
    if command is None:
        import os

        if os.environ.get("CI"):  # in CI a skip would pass silently: `make test` installs it there
            pytest.fail("zensical is not installed, and CI must build with it (make test installs it)")
        pytest.skip("zensical is not installed: `pip install -r requirements-zensical.txt` (make test does) "
                    "or set ZENSICAL to its command")
    import shutil

    from pipeline.files import LOCAL, copy_ignoring

    root = shutil.copytree(built, tmp_path_factory.mktemp("zensical") / "p", symlinks=True,
                           ignore=copy_ignoring(built, names=LOCAL))
    result = run(["-m", "pipeline.build", "--generator", "zensical"], cwd=root, env={"ZENSICAL": command})
    assert "site built with zensical" in result.stdout, result.stdout
    return root


def test_the_essay_has_every_number_and_no_template_syntax(zensical_site):
    site = zensical_site / "site"
    check_no_template_syntax(site)
    numbers = json.loads((zensical_site / "build" / "numbers.json").read_text())
    check_numbers_in_context(page_text(site / "essay" / "index.html"),
                             (zensical_site / "docs" / "essay.md").read_text(), numbers)


def test_every_figure_is_on_the_essay_page_with_images_that_resolve(zensical_site):
    check_figures(zensical_site / "site")


def test_every_relative_link_and_image_resolves_under_the_site_path(zensical_site):
    site = zensical_site / "site"
    broken = []
    for html in sorted(site.rglob("index.html")):
        url = html.parent.relative_to(site).as_posix() + "/" if html.parent != site else ""
        for link in re.findall(r'(?:href|src)="([^"#?]+)', html.read_text()):
            if not re.match(r"(https?:|mailto:|data:|//|/)", link) and not resolves(site, url, link):
                broken.append(f"{url or '/'}: {link}")
    assert not broken, broken[:20]


def test_data_files_footer_previews_feed_and_sitemap(zensical_site, built):
    from pipeline.data import datasets
    from pipeline.site.previews import site_config

    site = zensical_site / "site"
    for dataset_id in datasets.dataset_ids():
        for name in (f"{dataset_id}.csv", f"{dataset_id}.resource.yaml"):
            assert (site / "data" / name).read_bytes() == (zensical_site / "data" / name).read_bytes(), name
    essay = (site / "essay" / "index.html").read_text()
    assert re.search(r"Data version \d{4}-\d{2}-\d{2}, built from commit", essay)
    assert 'property="og:image" content="' in essay and 'rel="alternate" type="application/atom+xml"' in essay
    assert (site / "feed.xml").read_bytes() == (built / "site" / "feed.xml").read_bytes()
    check_sitemap(site, site_config(zensical_site / "mkdocs.yml").site_url)
    assert (site / "the-future-of-open-models.pdf").read_bytes() == (built / "site" / "the-future-of-open-models.pdf").read_bytes()
