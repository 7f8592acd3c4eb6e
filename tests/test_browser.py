"""The reader's experience, checked in a real browser: Debian's chromium driven by Playwright
against the built site, served on 127.0.0.1 under the path of site_url (tests/browser_support.py).

Pages and figures are found in the built site, never listed here, so new pages and figures are
checked as they land. Nothing waits a fixed time: every wait is for a condition.
"""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from browser_support import chromium_available, launch, mkdocs_config, serve, site_path

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCHEMES = ("light", "dark")

# Images that every shown image must have loaded and decoded; lazy images made eager first.
ALL_SHOWN_IMAGES_LOADED = """() => [...document.images]
    .filter(i => i.checkVisibility())
    .every(i => i.complete && i.naturalWidth > 0)"""

# Decodes every image URL the page names (both colour variants, the figures' dialogs, icons) but
# those given (decoded on an earlier page already).
DECODE_EVERY_IMAGE = """async (decoded) => {
    const urls = new Set([...document.images].map(i => i.src));
    document.querySelectorAll('link[rel~="icon"], link[rel="apple-touch-icon"]').forEach(l => urls.add(l.href));
    decoded.forEach(url => urls.delete(url));
    return Promise.all([...urls].map(url => {
        const img = new Image();
        img.src = url;
        return img.decode().then(() => [url, img.naturalWidth], () => [url, 0]);
    }));
}"""


# Images whose width and height attributes (of the <source> the browser chose, in a <picture>)
# have another shape than the image: the page would shift when it arrives.
MISSHAPEN = """() => [...document.querySelectorAll('figure.chart img')]
    .filter(i => i.naturalWidth && i.getAttribute('width') && i.getAttribute('height'))
    .filter(i => {
        const file = url => url.split('#')[0].split('/').pop();
        const chosen = [...(i.closest('picture')?.querySelectorAll('source') || [])]
            .find(s => i.currentSrc && file(i.currentSrc) === file(s.getAttribute('srcset'))) || i;
        return Math.abs((i.naturalWidth / i.naturalHeight) / (chosen.getAttribute('width') / chosen.getAttribute('height')) - 1) > 0.01;
    })
    .map(i => i.currentSrc || i.src)"""

# True when the element is what a tap at its centre would hit.
ON_TOP = """e => { const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (e.contains(hit) || hit.contains(e)); }"""

# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built / "site"


@pytest.fixture(scope="module")
def base(built, site):
    with serve(site, site_path(built / "mkdocs.yml")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if problem := chromium_available():
        pytest.fail(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page_paths(site) -> list[str]:
    """Every page of the site, as paths under the base URL ('' for the home page)."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        paths.append(rel.removesuffix("index.html"))
    assert "" in paths and "essay/" in paths, paths
    return paths


@pytest.fixture(scope="module")
def site_url(built) -> str:
    return mkdocs_config(built / "mkdocs.yml")["site_url"]


class Session:
    """A browser context that records every request and every console error of the pages a test
    opens in it.

    Tests that ask for the same context options share one context (`contexts`): a new one cost
    chromium about 0.6 s of CPU a test (a new renderer, Material's scripts compiled again). A test
    leaves it as a new one would be: its pages closed, the site's storage and cookies cleared. A
    test that counts what the browser fetches asks for a fresh context (fresh=True): in a shared
    one, the renderer kept alive may answer from its memory cache, unseen by the recorder."""

    def __init__(self, browser, base: str, contexts: dict | None, axe: bool = False, **options):
        self.base = base
        self.host = urlsplit(base).netloc
        self._requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        key = (axe, json.dumps(options, sort_keys=True))
        # Reused when one with these options exists and no other session of this test holds it.
        self.reused = contexts is not None and key in contexts and id(contexts[key]) not in _recording
        if self.reused:
            self.context = contexts[key]
        else:
            self.context = browser.new_context(**options)
            self.context.set_default_timeout(10_000)  # a local page that takes longer has a problem
            if axe:  # in every page before its own scripts: injecting it per page cost 0.2-0.4 s each time
                self.context.add_init_script(path=str(AXE))
            if contexts is not None and key not in contexts:
                contexts[key] = self.context
            context = self.context
            context.on("request", lambda request: _seen(context, request))
        self.in_pool = contexts is not None and contexts.get(key) is self.context
        _recording[id(self.context)] = self
        if self.in_pool and not self.reused:
            # A page of the site kept open between tests keeps chromium's renderer for the site alive:
            # half of what a page load cost was starting it again.
            _keepers[id(self.context)] = self.context.new_page()
            _keepers[id(self.context)].goto(base + "sitemap.xml")

    @property
    def requests(self) -> list[str]:
        assert not self.in_pool, "count requests in a fresh context: session(fresh=True, ...)"
        return self._requests

    def record(self, url: str) -> None:
        self._requests.append(url)
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != self.host:
            self.foreign.append(url)  # and never sent: the browser has no way out (browser_support.launch)

    def new_page(self):
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"{page.url}: {m.text} {m.location}"))
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: uncaught {e}"))
        page.on("websocket", lambda ws: self.record(ws.url))  # a WebSocket fires no request event
        return page

    def open(self, path: str, page=None, status: int = 200):
        page = page or self.new_page()
        response = page.goto(self.base + path)
        assert response is not None and response.status == status, f"{path}: HTTP {response and response.status}"
        page.wait_for_load_state("load")
        return page

    def close(self):
        try:
            if self.in_pool:  # the next test finds it as new: no page of its own, no stored palette
                keeper = _keepers[id(self.context)]
                for page in self.context.pages:
                    if page != keeper:
                        page.close()
                keeper.evaluate("() => localStorage.clear()")  # the site's origin: its storage
                self.context.clear_cookies()
            else:
                self.context.close()
        finally:
            del _recording[id(self.context)]
        self.check()

    def check(self) -> None:
        assert not self.foreign, f"requests to other hosts than 127.0.0.1: {self.foreign}"
        assert not self.errors, "console errors:\n" + "\n".join(self.errors)


_recording: dict[int, Session] = {}  # context -> the session whose test uses it now
_keepers: dict[int, object] = {}     # context in the pool -> its page kept open on the site


def _seen(context, request) -> None:
    """Every request of a context goes to the session using it (none between tests: the kept page)."""
    if (session := _recording.get(id(context))) is not None:
        session.record(request.url)


@pytest.fixture(scope="module")
def contexts(browser):
    pool: dict = {}
    yield pool
    for context in pool.values():
        _keepers.pop(id(context), None)
        context.close()


@pytest.fixture
def session(browser, base, contexts):
    """Open sessions with session(**context options); each is checked for foreign requests and
    console errors when the test ends. session(fresh=True, ...) gets a context of its own;
    session(axe=True, ...) one whose pages have axe-core loaded."""
    opened = []

    def make(fresh: bool = False, **options) -> Session:
        s = Session(browser, base, None if fresh else contexts, **options)
        opened.append(s)
        return s

    yield make
    failed = []
    for s in opened:  # every session closed, even after one's check failed
        try:
            s.close()
        except AssertionError as err:
            failed.append(str(err))
    assert not failed, "\n".join(failed)


def load_all_images(page) -> None:
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    page.wait_for_function(ALL_SHOWN_IMAGES_LOADED)


def chart_figures(page) -> list[str]:
    """Ids of the figures on the page that are drawn images (not table figures)."""
    return page.evaluate("() => [...document.querySelectorAll('figure.chart')]"
                         ".filter(f => f.querySelector('img.chart-image')).map(f => f.id)")


def luminance(png: bytes) -> float:
    """Mean luminance of a screenshot, 0 (black) to 1 (white)."""
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0] / 255


# --- every page loads, every image decodes, nothing leaves 127.0.0.1 --------------------------


def test_every_page_loads_its_images_and_links_with_no_errors_or_foreign_requests(session, page_paths, base):
    s = session(fresh=True, viewport=DESKTOP)  # every request seen (it counts them)
    page = s.new_page()
    status: dict[str, int] = {}
    ids_on: dict[str, set] = {}
    anchors: set[tuple[str, str, str]] = set()
    decoded: set[str] = set()
    for path in page_paths:
        name = path or "home"
        s.open(path, page)
        load_all_images(page)
        tried = page.evaluate(DECODE_EVERY_IMAGE, sorted(decoded))
        broken = [url for url, width in tried if width == 0]
        assert not broken, f"{name}: images that do not decode: {broken}"
        decoded.update(url for url, _ in tried)
        # The width and height attributes reserve the figure's space before it loads: the same shape
        # (a <picture>'s narrow <source> carries its own).
        misshapen = page.evaluate(MISSHAPEN)
        assert not misshapen, f"{name}: width/height attributes of another shape than the image (layout shift): {misshapen}"
        # Every link within the site answers (pages, CSV files, the PDF), and every #anchor exists.
        links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        ids_on[base + path] = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
        for url in links:
            if not url.startswith(base):
                continue
            target, _, fragment = url.partition("#")
            target = target.split("?")[0]
            if fragment:
                anchors.add((name, target, unquote(fragment)))
            if target not in status:
                status[target] = s.context.request.head(target).status
            assert status[target] < 400, f"{name}: {url} answers {status[target]}"
    missing = [f"{name}: {target}#{fragment}" for name, target, fragment in sorted(anchors)
               if target in ids_on and fragment not in ids_on[target]]
    assert not missing, "links to anchors that the target page lacks:\n" + "\n".join(missing)
    assert len(s.requests) > len(page_paths)  # the recorder saw the pages and their resources


def test_a_request_to_another_host_is_recorded_and_never_leaves_the_machine(session):
    """The net under the test above: what a page asks of another host (a web font, a CDN script, an
    address by IP, a link-local one, which chromium would send around a proxy, a WebSocket) is
    recorded as foreign and fails at once, unsent."""
    s = session(viewport=DESKTOP)
    page = s.open("essay/")
    failed = {}
    page.on("requestfailed", lambda request: failed.update({request.url: request.failure}))
    asked = ["https://fonts.googleapis.com/css2?family=Roboto", "http://93.184.216.34/cdn.js",
             "http://169.254.169.254/latest/meta-data/"]
    page.evaluate("async (urls) => { for (const u of urls) { try { await fetch(u, {mode: 'no-cors'}) } catch {} } }", asked)
    assert s.foreign == asked
    page.evaluate("() => new Promise(done => { const ws = new WebSocket('wss://example.com/live'); ws.onerror = ws.onclose = done; })")
    assert s.foreign == [*asked, "wss://example.com/live"]
    assert all(failed.get(url, "").startswith("net::ERR_PROXY") for url in asked), failed
    with pytest.raises(AssertionError, match="requests to other hosts"):  # as the test ends
        s.check()
    s.foreign.clear()  # seen; and the console's errors for them
    s.errors = [e for e in s.errors if "ERR_PROXY_CONNECTION_FAILED" not in e]


# --- accessibility: axe-core, light and dark --------------------------------------------------


def axe_violations(page, within: str | None = None) -> list[str]:
    """What axe-core finds on the page, or only within the element that `within` selects."""
    if not page.evaluate("typeof axe !== 'undefined'"):  # a session(axe=True) loads it in every page
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (within) => await axe.run(within || document, {resultTypes: ['violations']})", within)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:5]]}"
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations_on_any_page(session, page_paths, scheme):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make setup-test)"
    s = session(viewport=DESKTOP, color_scheme=scheme, axe=True)
    page = s.new_page()
    found = {}
    for path in [*page_paths, "no-such-page/"]:
        s.open(path, page, status=404 if path == "no-such-page/" else 200)
        if path == "no-such-page/":
            s.errors = [e for e in s.errors if "404 (Not Found)" not in e]  # the page's own status
        assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        if path == "essay/":
            open_every_figures_notes_and_data(page)
        if violations := axe_violations(page):
            found[path or "home"] = violations
        if path == "essay/":  # a figure opened larger is a modal dialog: check it open (the page behind was checked)
            page.locator("figure.chart .chart-enlarge").first.click()
            page.wait_for_selector("dialog.chart-dialog[open]")
            if violations := axe_violations(page, within="dialog.chart-dialog[open]"):
                found["essay/ with a figure dialog open"] = violations
    assert not found, json.dumps(found, indent=1)


def open_every_figures_notes_and_data(page) -> None:
    """Open every figure's notes and data (axe then checks them too: the open state shows all the
    closed one does, and more)."""
    page.evaluate("() => document.querySelectorAll('details.chart-details').forEach(d => d.open = true)")
    # Each data table is built from its <template> when its disclosure opens.
    page.wait_for_function("() => !document.querySelector('details.chart-data-web template')"
                           " && document.querySelectorAll('details.chart-data-web table').length > 0")


def test_axe_finds_no_violations_at_phone_width(session, page_paths):
    s = session(viewport=PHONE, is_mobile=True, has_touch=True, axe=True)
    page = s.new_page()
    found = {}
    for path in page_paths:
        s.open(path, page)
        if path == "essay/":
            open_every_figures_notes_and_data(page)
        if violations := axe_violations(page):
            found[path or "home"] = violations
    assert not found, json.dumps(found, indent=1)


def settle(page) -> None:
    """Bring every running CSS transition and animation (search and drawer fade and slide, a link's
    colour and opacity as focus moves) to its end, let two frames pass so what scripts start in
    response (to focus, to scroll) starts, and repeat until nothing runs: the state a reader sees a
    moment later, without waiting 0.25 s a Tab for it. One that would last over a second fails."""
    page.evaluate("""async () => {
        const frame = () => new Promise(r => requestAnimationFrame(r));
        for (let round = 0; round < 10; round++) {
            const running = document.getAnimations().filter(a => a.playState === 'running');
            const slow = running.filter(a => a.effect.getComputedTiming().endTime - a.currentTime > 1000);
            if (slow.length) throw new Error('a transition or animation lasts over a second: ' + slow.map(a =>
                `${a.effect.target?.tagName}.${a.effect.target?.className} ${a.transitionProperty || a.animationName}`).join(', '));
            running.forEach(a => a.finish());
            await frame(); await frame();
            if (!document.getAnimations().some(a => a.playState === 'running')) return;
        }
        throw new Error('transitions keep starting');
    }""")


def wait_for_search_index(page) -> None:
    """Material's search worker has loaded the index: the box says "Type to start searching"."""
    page.wait_for_function("""() => {
        const ready = JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder'];
        return document.querySelector('.md-search-result__meta').textContent.trim() === ready;
    }""")


def tab_to(page, selector: str, limit: int = 20) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


# --- light and dark figures -------------------------------------------------------------------


def shown_variant(page, figure_id: str) -> str:
    """Which variant of a figure is shown, checked in the rendered page: 'light', 'dark', or what's wrong."""
    figure = page.locator(f"figure.chart#{figure_id}")
    light = figure.locator('img.chart-image[src$="#only-light"]')
    dark = figure.locator('img.chart-image[src$="#only-dark"]')
    shown = [name for name, img in (("light", light), ("dark", dark)) if img.is_visible()]
    return shown[0] if len(shown) == 1 else f"{shown or 'neither'} shown"


def figure_luminance(page, figure_id: str) -> float:
    img = page.locator(f"figure.chart#{figure_id} img.chart-image:visible")
    img.scroll_into_view_if_needed()
    page.wait_for_function("(id) => [...document.querySelectorAll(`#${id} img.chart-image`)]"
                           ".filter(i => i.checkVisibility()).every(i => i.complete && i.naturalWidth > 0)", arg=figure_id)
    return luminance(img.screenshot())


def test_dark_mode_shows_dark_figures_and_the_palette_toggle_swaps_them(session):
    s = session(viewport=DESKTOP, color_scheme="dark")
    page = s.open("essay/")
    ids = chart_figures(page)
    assert ids, "the essay shows no figures"
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    for figure_id in ids:
        assert shown_variant(page, figure_id) == "dark", figure_id
        assert figure_luminance(page, figure_id) < 0.35, f"{figure_id}: a light box in dark mode"

    # The toggle, by keyboard: Tab to it (its focus shows), press Enter.
    tab_to(page, "form[data-md-component=palette] input")
    state = page.evaluate(FOCUS_STATE)
    assert state["inView"] and state["ring"], f"the palette toggle's focus does not show: {state}"
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    for figure_id in ids:
        assert shown_variant(page, figure_id) == "light", figure_id
        assert figure_luminance(page, figure_id) > 0.65, f"{figure_id}: a dark box in light mode"

    page.keyboard.press("Enter")  # focus stays on the toggle
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert all(shown_variant(page, f) == "dark" for f in ids)
    # The choice is remembered on the next page.
    s.open("", page)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"


# --- phones -----------------------------------------------------------------------------------


def test_nothing_scrolls_sideways_at_phone_width_and_figures_fit(session, page_paths):
    s = session(viewport=PHONE, is_mobile=True, has_touch=True)
    page = s.new_page()
    for path in page_paths:
        s.open(path, page)
        load_all_images(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path or 'home'}: the page scrolls sideways by {overflow}px at 390px"
        too_wide = page.evaluate("""() => [...document.querySelectorAll('figure.chart img.chart-image, figure.chart')]
            .filter(e => e.checkVisibility())
            .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth + 0.5 })
            .map(e => e.id || e.closest('figure').id)""")
        assert not too_wide, f"{path or 'home'}: figures wider than the screen: {too_wide}"


# Each visible figure's smallest chart text in CSS px: the SVG's font sizes (in its viewBox units)
# times the width the image is shown at, over the viewBox's width. Fetched from the file the
# browser chose (currentSrc), so it measures the layout a reader sees.
CHART_TEXT = """async () => {
    const found = {};
    for (const figure of document.querySelectorAll('figure.chart')) {
        const img = [...figure.querySelectorAll('img.chart-image')].find(i => i.checkVisibility());
        if (!img) continue;
        const svg = new DOMParser().parseFromString(await (await fetch(img.currentSrc)).text(), 'image/svg+xml');
        const sizes = [...svg.querySelectorAll('text')].map(t =>
            parseFloat(((t.getAttribute('style') || '').match(/font-size:\\s*([\\d.]+)px/) || [])[1]));
        const shown = img.getBoundingClientRect().width;
        const viewBox = svg.documentElement.viewBox.baseVal.width;
        found[figure.id] = {src: img.currentSrc.split('/').pop(), texts: sizes.length,
                            unreadable: sizes.filter(x => !(x > 0)).length,
                            smallest: Math.min(...sizes) * shown / viewBox, shown, viewBox};
    }
    return found;
}"""


def assert_chart_text_legible(page, viewport, scheme: str) -> None:
    """Issue 12: every chart text at least 11 CSS px at 390 px and 12 px at 1280 px, as shown: a
    phone gets the narrow layout, a desktop the wide one, in the page's colour scheme."""
    smallest, layout = (11, "narrow") if viewport is PHONE else (12, "wide")
    load_all_images(page)
    measured = page.evaluate(CHART_TEXT)
    assert set(measured) == set(chart_figures(page)) and measured, measured
    misshapen = page.evaluate(MISSHAPEN)  # the chosen <source>'s size reserves the right box
    assert not misshapen, f"width/height of another shape than the image shown: {misshapen}"
    for figure_id, m in measured.items():
        wanted = f"{figure_id}{'.narrow' if layout == 'narrow' else ''}.{scheme}.svg"
        assert m["src"].startswith(wanted), f"{figure_id}: {m['src']} shown at {viewport['width']} px, not {wanted}"
        assert m["texts"] > 3 and not m["unreadable"], m
        assert m["smallest"] >= smallest, f"{figure_id}: chart text of {m['smallest']:.1f} px at {viewport['width']} px: {m}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_chart_text_is_legible_in_dark_mode_at_phone_and_desktop_width(session, viewport):
    """In light mode it is checked where a light page is loaded anyway
    (test_a_reader_loads_one_variant_of_each_figure)."""
    s = session(viewport=viewport, color_scheme="dark", is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    assert_chart_text_legible(s.open("essay/"), viewport, "dark")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reader_loads_one_variant_of_each_figure(session, viewport):
    """Light or dark, wide or narrow: of a figure's four SVGs the page fetches the one it shows;
    its chart text is legible at this width (in dark mode: the test above)."""
    s = session(fresh=True, viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = s.open("essay/")
    for figure_id in chart_figures(page):
        page.locator(f"figure.chart#{figure_id}").scroll_into_view_if_needed()
    page.wait_for_function(ALL_SHOWN_IMAGES_LOADED)
    svgs = [urlsplit(u).path.rsplit("/", 1)[-1] for u in s.requests if urlsplit(u).path.endswith(".svg")
            and "/figures/" in u]
    for figure_id in chart_figures(page):
        fetched = [name for name in svgs if name.split(".")[0] == figure_id]
        narrow = ".narrow" if viewport is PHONE else ""
        assert fetched == [f"{figure_id}{narrow}.light.svg"], f"{figure_id} at {viewport['width']} px: {fetched}"
    assert_chart_text_legible(page, viewport, "light")  # the page at hand: light, at this width


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_chart_has_its_data_closed_under_it_and_it_opens_by_keyboard(session, viewport):
    page = session(viewport=viewport).open("essay/")
    for figure_id in chart_figures(page):
        data = page.locator(f"figure.chart#{figure_id} details.chart-data-web")
        assert data.count() == 1 and data.get_attribute("open") is None, figure_id
        table = data.locator("table.data-table")
        assert not table.is_visible()
        data.locator("summary").focus()
        assert page.evaluate(FOCUS_STATE)["ring"], f"{figure_id}: 'The data' shows no focus"
        page.keyboard.press("Enter")
        table.wait_for(state="visible")  # built from its <template> as the disclosure opens
        assert table.locator("tbody tr:not(.data-series)").count() >= 3, figure_id
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{figure_id}: its open table makes the page scroll sideways"
    # The notes' toggle and the data's line up with the caption (not hanging into the margin).
    lefts = page.evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => [
        f.querySelector('.chart-caption').getBoundingClientRect().left,
        ...[...f.querySelectorAll('details.chart-details > summary')].map(s => s.getBoundingClientRect().left)])""")
    assert all(abs(x - row[0]) < 1 for row in lefts for x in row), lefts


def test_axe_finds_no_violations_at_phone_width_in_dark_mode_with_every_figures_notes_and_data_open(session):
    """The essay's dark phone view (the other views, with the notes and data open, are checked with
    every page above)."""
    s = session(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme="dark", axe=True)
    page = s.open("essay/")
    open_every_figures_notes_and_data(page)
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=1)


def test_print_uses_the_wide_light_figures_even_from_a_phone(session):
    s = session(viewport=PHONE, color_scheme="dark", is_mobile=True, has_touch=True)
    page = s.open("essay/")
    load_all_images(page)
    page.emulate_media(media="print")
    for figure_id in chart_figures(page):
        img = page.locator(f"figure.chart#{figure_id} img.chart-image:visible")
        page.wait_for_function("(id) => [...document.querySelectorAll(`#${id} img.chart-image`)]"
                               ".filter(i => i.checkVisibility()).every(i => i.complete && i.naturalWidth > 0)", arg=figure_id)
        src = img.evaluate("i => i.currentSrc")
        assert src.endswith(f"/{figure_id}.light.svg#only-light"), f"print from a phone: {figure_id} is {src}"
    assert not page.locator("details.chart-data-web").first.is_visible(), "print shows the data disclosure"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_contents_fold_under_the_byline_and_reach_every_section(session, viewport):
    """The essay's contents: a closed disclosure under the byline, at every width below 100em.
    Open it by keyboard, follow the last section's entry: the page scrolls there."""
    s = session(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = s.open("essay/")
    headings = page.evaluate("() => [...document.querySelectorAll('article h2[id]')].map(h => h.id)")
    assert headings, "the essay has no sections"
    contents = page.locator("article details.contents")
    assert contents.count() == 1 and contents.is_visible() and contents.get_attribute("open") is None
    order = page.evaluate("""() => { const at = s => document.querySelector(s);
        const follows = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
        return follows(at('article .byline'), at('article details.contents'))
            && follows(at('article details.contents'), at('article h2')); }""")
    assert order, "the contents are not between the byline and the first section"
    listed = contents.evaluate("d => [...d.querySelectorAll('.toc a')].map(a => a.hash.slice(1))")
    assert set(headings) <= set(listed), f"sections missing from the contents: {set(headings) - set(listed)}"
    contents.locator("summary").focus()
    page.keyboard.press("Enter")
    assert contents.get_attribute("open") is not None
    link = contents.locator(f'.toc a[href="#{headings[-1]}"]')
    link.focus()
    settle(page)
    assert link.evaluate(ON_TOP), "the contents entry is covered"
    state = page.evaluate(FOCUS_STATE)
    assert state["ring"], f"the contents entry shows no focus: {state}"
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#{headings[-1]}'")
    settle(page)
    assert page.locator(f"#{headings[-1]}").evaluate("h => { const r = h.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }")


def test_figures_open_larger_in_a_dialog_and_close_by_keyboard(session):
    for viewport in (DESKTOP, PHONE):
        s = session(viewport=viewport)
        page = s.open("essay/")
        ids = chart_figures(page)
        assert ids, "the essay shows no figures"
        for figure_id in ids if viewport is DESKTOP else ids[:1]:
            button = page.locator(f"figure.chart#{figure_id} .chart-enlarge")
            inline = page.locator(f"figure.chart#{figure_id} img.chart-image:visible")
            inline_width = inline.bounding_box()["width"]
            button.focus()
            page.keyboard.press("Enter")
            dialog = page.locator(f"dialog#{figure_id}-large")
            dialog.wait_for(state="visible")
            large = dialog.locator("img:visible")
            assert large.count() == 1, f"{figure_id}: the dialog shows {large.count()} images"
            page.wait_for_function("(id) => [...document.querySelectorAll(`#${id}-large img`)]"
                                   ".filter(i => i.checkVisibility()).every(i => i.complete && i.naturalWidth > 0)",
                                   arg=figure_id)
            assert large.bounding_box()["width"] > inline_width * 1.15, f"{figure_id}: not larger in the dialog"
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{figure_id}: the dialog makes the page scroll sideways"
            page.keyboard.press("Escape")
            dialog.wait_for(state="hidden")
            assert page.evaluate("document.activeElement.classList.contains('chart-enlarge')"), "focus did not return"


# --- keyboard ---------------------------------------------------------------------------------


FOCUS_STATE = """() => {
    const e = document.activeElement;
    // Material's palette radios are zero-size; what shows focus is the label beside them.
    const shown = e.matches('.md-option') ? e.nextElementSibling : e;
    const r = shown.getBoundingClientRect();
    const cs = getComputedStyle(shown);
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    return {
        what: `${e.tagName.toLowerCase()}.${e.className} "${(e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40)}"`,
        inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
        uncovered: !!hit && (shown.contains(hit) || hit.contains(shown) || !!(e.labels && [...e.labels].some(l => l.contains(hit)))),
        ring,
        inContent: !!e.closest('.md-content'),
    };
}"""


def test_every_page_starts_with_a_skip_link_to_its_content(session, page_paths):
    s = session(viewport=DESKTOP)
    page = s.new_page()
    for path in page_paths:
        s.open(path, page)
        page.keyboard.press("Tab")
        settle(page)
        first = page.evaluate(FOCUS_STATE)
        assert "md-skip" in first["what"] and first["inView"] and first["ring"], f"{path or 'home'}: first Tab: {first}"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        after = page.evaluate(FOCUS_STATE)
        assert after["inContent"], f"{path or 'home'}: after the skip link, Tab went to {after['what']}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_focus_is_visible_at_every_tab_stop(session, viewport):
    """The first 25 Tab stops of the essay (header, search, navigation, the first figures): each in
    view, not covered by anything, with a focus ring."""
    s = session(viewport=viewport)
    page = s.open("essay/")
    wait_for_search_index(page)
    for _ in range(25):
        page.keyboard.press("Tab")
        settle(page)
        state = page.evaluate(FOCUS_STATE)
        assert state["inView"] and state["uncovered"] and state["ring"], state


def test_drawer_opens_from_the_keyboard_at_phone_width(session):
    s = session(viewport=PHONE)
    page = s.open("essay/")
    toggle = page.locator(".md-header__drawer-button")
    tab_to(page, ".md-header__drawer-button")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('__drawer').checked")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_function("!!document.activeElement.closest('.md-sidebar--primary')")
    settle(page)  # the drawer slides in
    state = page.evaluate(FOCUS_STATE)
    assert state["inView"] and state["ring"], state
    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.classList.contains('md-header__drawer-button')")
    page.locator(".md-sidebar--primary").wait_for(state="hidden")


def essay_phrase(page) -> str:
    """A few words of the essay's own text, to search for."""
    text = page.evaluate("""() => [...document.querySelectorAll('article p:not(.standfirst):not(.byline)')]
        .map(p => p.innerText).find(t => t.split(/\\s+/).length > 20)""")
    assert text, "the essay has no paragraph of prose"
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 4]
    return " ".join(words[:3])


def test_search_by_keyboard_finds_a_phrase_from_the_essay(session):
    s = session(viewport=DESKTOP)
    page = s.open("essay/")
    phrase = essay_phrase(page)
    s.open("", page)
    page.keyboard.press("/")  # Material's shortcut to the search box
    assert page.evaluate("document.activeElement.matches('.md-search__input')")
    page.locator(".md-search__input").press_sequentially(phrase)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(state="visible")
    # Results come as the phrase is typed: wait for those of the whole phrase (its last word is
    # among the terms the result links highlight), not of its first word.
    last = phrase.split()[-1].lower()
    page.wait_for_function("last => [...document.querySelectorAll('.md-search-result__item a')]"
                           ".some(a => new URL(a.href).searchParams.get('h')?.split(/[ +]/).includes(last))", arg=last)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "as => as.map(a => a.href)")
    assert any("/essay/" in h for h in hrefs), f"searching {phrase!r} found {hrefs}"
    assert "/essay/" in hrefs[0], f"searching {phrase!r}: the essay is not the first result: {hrefs}"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('.md-search-result__link')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/essay/.*"))
    assert page.locator("article h1").is_visible()


# --- print ------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_print_hides_navigation_and_dark_variants(session, scheme):
    s = session(viewport=DESKTOP, color_scheme=scheme)
    page = s.open("essay/")
    load_all_images(page)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-skip",
                     ".chart-enlarge"):
        hidden = page.evaluate(f"() => [...document.querySelectorAll('{selector}')].every(e => !e.checkVisibility())")
        assert hidden, f"print shows {selector}"
    for figure_id in chart_figures(page):
        assert shown_variant(page, figure_id) == "light", f"print, {scheme} mode: {figure_id}"
    color = page.evaluate("() => getComputedStyle(document.querySelector('article p')).color")
    channels = [int(c) for c in re.findall(r"\d+", color)[:3]]
    assert max(channels) < 100, f"print, {scheme} mode: body text is {color}, not dark on paper"
    # Figure notes fold away on screen but belong on paper.
    assert page.locator(".chart-note").first.is_visible(), "print hides the figure notes"


def test_figure_notes_fold_on_screen_and_open_by_keyboard(session):
    page = session(viewport=PHONE).open("essay/")
    notes = page.locator("details.chart-notes-web").first
    assert not notes.locator(".chart-note").first.is_visible()
    notes.locator("summary").focus()
    page.keyboard.press("Enter")
    assert notes.locator(".chart-note").first.is_visible()


# --- an article, not a manual (issue 12) ------------------------------------------------------

# Characters per full line of the body paragraphs (not the standfirst, byline, captions, callouts or
# the scorecard): characters are grouped into lines by their rendered boxes; the last line of each
# paragraph is left out, it is rarely full.
CHARS_PER_LINE = """() => {
    const paras = [...document.querySelectorAll('article.md-content__inner > p:not(.standfirst):not(.byline)')]
        .filter(p => p.checkVisibility() && p.innerText.split(/\\s+/).length > 25);
    const full = [];
    const range = document.createRange();
    for (const p of paras) {
        const lines = [];
        let line = null;
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                range.setStart(node, i); range.setEnd(node, i + 1);
                const r = range.getClientRects()[0];
                if (!r) continue;
                const middle = (r.top + r.bottom) / 2;
                if (!line || middle > line.bottom) { line = {bottom: r.bottom, chars: 0}; lines.push(line); }
                line.chars++;
            }
        }
        full.push(...lines.slice(0, -1).map(l => l.chars));
    }
    return {paragraphs: paras.length, lines: full.length, mean: full.reduce((a, b) => a + b, 0) / full.length,
            fontSize: parseFloat(getComputedStyle(paras[0]).fontSize), width: paras[0].getBoundingClientRect().width};
}"""

ARTICLE_HEADER = """() => {
    const article = document.querySelector('article.md-content__inner');
    const [h1, standfirst, byline] = [...article.children].filter(e => e.matches('h1, p'));
    return {title: h1.matches('h1') ? h1.textContent.replace(/\u00b6$/, '').trim() : null,
            standfirst: standfirst.matches('.standfirst') ? standfirst.textContent.trim() : null,
            byline: byline.matches('.byline') ? byline.textContent.replace(/\\s+/g, ' ').trim() : null,
            dates: byline.matches('.byline') ? [...byline.querySelectorAll('time')].map(t => t.getAttribute('datetime')) : []};
}"""


def article_header(page) -> dict:
    """The first heading and paragraphs of the page's article: title, standfirst, byline."""
    return page.evaluate(ARTICLE_HEADER)


@pytest.mark.parametrize("viewport, low, high", [(DESKTOP, 60, 80), (PHONE, 35, 55)], ids=["desktop", "phone"])
def test_essay_body_text_runs_60_to_80_characters_a_line_on_desktop(session, viewport, low, high):
    """Measured in the browser. On a phone 60 characters would take type below 12 px; there the
    text keeps at least 16 px and the line runs what the screen holds (35 to 55)."""
    page = session(viewport=viewport).open("essay/")
    measure = page.evaluate(CHARS_PER_LINE)
    assert measure["paragraphs"] > 20 and measure["lines"] > 100, measure
    assert low <= measure["mean"] <= high, f"{measure['mean']:.1f} characters a line at {viewport['width']} px: {measure}"
    assert measure["fontSize"] >= 16, measure


def test_essay_header_has_title_standfirst_dates_and_reading_time(session, built):
    front = front_matter(built / "docs" / "essay.md")
    page = session(viewport=DESKTOP).open("essay/")
    header = article_header(page)
    assert header["title"] == front["title"], header
    assert header["standfirst"] == front["description"], header
    assert len(re.findall(r"[.!?](\s|$)", header["standfirst"])) == 1, f"the standfirst is not one sentence: {header['standfirst']!r}"
    assert len(header["dates"]) == 2 and header["dates"][0] == str(front["date"]), header
    assert header["dates"][1] >= header["dates"][0]
    assert "first published" in header["byline"] and "updated" in header["byline"], header["byline"]
    assert re.search(r"\b\d+ min read\b", header["byline"]), header["byline"]


def test_no_left_navigation_column_the_site_navigation_is_in_the_header(session, page_paths, built):
    """At 1280 px no page shows a navigation column; the header's tabs link every page of the nav.
    The essay shows no table of contents beside it either (it folds under the byline), and its
    figures may be wider than its text."""
    nav_pages = [next(iter(item.values())) for item in mkdocs_config(built / "mkdocs.yml")["nav"]]
    s = session(viewport=DESKTOP)
    page = s.new_page()
    for path in page_paths:
        s.open(path, page)
        assert not page.locator(".md-sidebar--primary").is_visible(), f"{path or 'home'}: a left navigation column"
        tabs = page.locator(".md-tabs")
        assert tabs.is_visible(), f"{path or 'home'}: no navigation in the header"
        assert tabs.locator("a").count() == len(nav_pages)
        if page.locator(".md-content .byline").count():  # an article: its column is the page's centre
            column = page.evaluate("""() => { const r = document.querySelector('.md-content__inner').getBoundingClientRect();
                return [r.left, document.documentElement.clientWidth - r.right]; }""")
            assert abs(column[0] - column[1]) < 2, f"{path or 'home'}: the article's column is not centred: {column}"
    s.open("essay/", page)
    assert not page.locator(".md-sidebar--secondary").is_visible()
    widths = page.evaluate("""() => ({text: document.querySelector('article.md-content__inner > p:not(.standfirst)').getBoundingClientRect().width,
        figures: [...document.querySelectorAll('figure.chart')].map(f => f.getBoundingClientRect().width)})""")
    assert min(widths["figures"]) > widths["text"] * 1.2, widths


# --- sharing ----------------------------------------------------------------------------------


def meta(page) -> dict:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('meta[property], meta[name]')]
        .map(m => [m.getAttribute('property') || m.getAttribute('name'), m.content]))""")


def front_matter(markdown: Path) -> dict:
    text = markdown.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n", text, flags=re.S)
    return yaml.safe_load(match.group(1)) or {} if match else {}


def posts_of(built: Path) -> dict[str, dict]:
    """Every post, URL path (under the site) -> front matter: the essay and each page of the blog's
    post folder (pipeline/essay/posts.py writes the data-update posts there), at the blog's URL format."""
    blog = next(p["blog"] for p in mkdocs_config(built / "mkdocs.yml")["plugins"] if isinstance(p, dict) and "blog" in p)
    posts = {"essay/": front_matter(built / "docs" / "essay.md")}
    post_dir = built / "docs" / blog["post_dir"].replace("{blog}", blog["blog_dir"])
    for md in sorted(post_dir.rglob("*.md")):
        meta_ = front_matter(md)
        posts[blog["post_url_format"].format(slug=meta_["slug"]) + "/"] = meta_
    return posts


def published(meta_: dict) -> str:
    date = meta_["date"]
    return str(date["created"] if isinstance(date, dict) else date)[:10]


def test_home_page_lists_the_posts_and_the_feed_carries_the_same(session, built, site, site_url, base):
    """The home page lists the essay first, then the data-update posts newest first; feed.xml has
    exactly these posts; each post is an article with its title, standfirst and dated byline."""
    posts = posts_of(built)
    assert len(posts) >= 2, f"no data-update posts were written: {posts}"
    updates = sorted((p for p in posts if p != "essay/"), key=lambda p: published(posts[p]), reverse=True)
    s = session(viewport=DESKTOP)
    page = s.open("")
    listed = page.evaluate("""() => [...document.querySelectorAll('.post-card h2 a:not(.headerlink), .md-post--excerpt h2 a')]
        .map(a => a.href)""")
    assert [u.removeprefix(base) for u in listed] == ["essay/", *updates]
    for card in page.locator(".post-card, .md-post--excerpt").all():
        assert card.locator(".standfirst").inner_text().strip(), "a post in the list without its standfirst"
        assert card.locator(".byline time").count() >= 1, "a post in the list without its date"

    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.find("a:link[@rel='self']", ns).get("href") == site_url + "feed.xml"
    entries = {e.find("a:link", ns).get("href"): e for e in feed.findall("a:entry", ns)}
    assert set(entries) == {site_url + p for p in posts}, f"feed entries {sorted(entries)} != posts {sorted(posts)}"
    updated = feed.find("a:updated", ns).text
    for path, meta_ in posts.items():
        entry = entries[site_url + path]
        assert entry.find("a:title", ns).text == meta_["title"]
        assert entry.find("a:published", ns).text.startswith(published(meta_))
        assert entry.find("a:updated", ns).text <= updated
        assert entry.find("a:summary", ns).text == meta_["description"]
        s.open(path, page)
        tags = meta(page)
        assert tags["og:type"] == "article"
        assert tags["article:published_time"] == entry.find("a:published", ns).text
        header = article_header(page)
        assert header["title"] == meta_["title"] and header["standfirst"] == meta_["description"], header
        assert published(meta_) in header["dates"], f"{path}: the byline does not give the date {header}"
        assert re.search(r"\b\d+ min read\b", header["byline"]), f"{path}: no reading time in {header['byline']!r}"


def test_unknown_address_gets_the_404_page_with_working_links(session):
    s = session(viewport=DESKTOP)
    page = s.open("some/old/address/", status=404)
    s.errors = [e for e in s.errors if "404 (Not Found)" not in e]  # the page's own status, nothing else
    assert page.locator("h1").inner_text().strip() == "Page not found"
    assert meta(page).get("robots") == "noindex"
    load_all_images(page)  # the stylesheet and icons load from the absolute site path
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    links = page.locator("article a[href]")
    assert links.count() >= 2
    with page.expect_navigation():
        links.first.click()
    assert page.url.startswith(s.base) and page.locator(".md-content h1").first.is_visible()
