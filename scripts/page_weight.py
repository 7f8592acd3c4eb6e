"""Page weight and Lighthouse scores of the essay page, measured in Debian's chromium.

    .venv/bin/python scripts/page_weight.py [--site site] [--page essay/] [--no-lighthouse] [--json FILE]

Not a test (timings vary from machine to machine): it serves the built site (`make build` first) on
127.0.0.1 under the path of site_url, gzipped as GitHub Pages serves it, loads the page at phone
size, scrolls every figure into view so that every lazy image is fetched, and reports the bytes
transferred (raw and gzip), the request count and the largest resources, in light and in dark
mode. Then it runs Lighthouse (npm, offline, mobile preset) on the same page.

Budget: the page with every figure loaded under 200 kB gzip. Lighthouse goals: performance 95 or
more, accessibility, best practices and SEO 100. Exits 1 when the budget or a goal is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # pipeline (browser_support reads mkdocs.yml with it)

from browser_support import CHROMIUM, CHROMIUM_FLAGS, chromium_available, launch, offline_flags, serve, site_path  # noqa: E402

BUDGET_GZIP = 200_000                    # bytes, the page with every figure loaded
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PHONE = {"width": 412, "height": 823}   # Lighthouse's mobile viewport (Moto G Power)
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"


def measure(base: str, page: str, scheme: str) -> dict:
    """Load `page`, bring every figure into view; return what was transferred."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport=PHONE, color_scheme=scheme, device_scale_factor=1)
        page_obj = context.new_page()
        responses = []
        page_obj.on("requestfinished", lambda request: responses.append(request))
        page_obj.goto(base + page, wait_until="load")
        # Every figure image that this colour scheme shows, scrolled into view so it loads.
        for img in page_obj.locator("figure.chart img").all():
            if img.is_visible():
                img.scroll_into_view_if_needed()
        page_obj.wait_for_function(
            "() => [...document.querySelectorAll('figure.chart img')]"
            ".filter(i => i.checkVisibility()).every(i => i.complete && i.naturalWidth > 0)")
        page_obj.wait_for_load_state("networkidle")
        rows = []
        for request in responses:
            response = request.response()
            if response is None:
                continue
            sizes = request.sizes()
            raw = len(response.body()) if response.status != 304 else 0
            rows.append({
                "url": request.url.removeprefix(base),
                "type": request.resource_type,
                "status": response.status,
                "raw": raw,
                "gzip": sizes["responseBodySize"],
                "headers": sizes["responseHeadersSize"],
            })
        browser.close()
    return {
        "scheme": scheme,
        "requests": len(rows),
        "raw": sum(r["raw"] for r in rows),
        "gzip": sum(r["gzip"] for r in rows),
        "resources": sorted(rows, key=lambda r: -r["gzip"]),
    }


def lighthouse_median(url: str, runs: int) -> dict:
    """Lighthouse's own advice: scores vary from run to run, report the median run (by performance)."""
    results = sorted((lighthouse(url) for _ in range(runs)), key=lambda r: r["categories"]["performance"]["score"] or 0)
    median = results[len(results) // 2]
    median["runs"] = [r["categories"]["performance"]["score"] for r in results]
    return median


def lighthouse(url: str) -> dict:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `npm ci` (or `make setup-test`)")
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS, *offline_flags()])
    result = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"Lighthouse failed ({result.returncode}):\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse: {report['runtimeError']}")
    audits = report["audits"]
    categories = {}
    for cid, cat in report["categories"].items():
        failing = [ref["id"] for ref in cat["auditRefs"]
                   if ref.get("weight", 0) > 0 and audits[ref["id"]].get("score") not in (None, 1)
                   and audits[ref["id"]].get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")]
        categories[cid] = {"score": round(cat["score"] * 100) if cat["score"] is not None else None,
                           "below_full_marks": failing}
    metrics = {key: audits[key]["displayValue"] for key in (
        "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
        "cumulative-layout-shift", "speed-index") if key in audits}
    return {"url": url, "lighthouse": report["lighthouseVersion"], "categories": categories, "metrics": metrics,
            "form_factor": report["configSettings"]["formFactor"]}


def kb(n: int) -> str:
    return f"{n / 1000:.1f} kB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--page", default="essay/", help="page path under the site (default: essay/)")
    parser.add_argument("--no-lighthouse", action="store_true", help="measure the weight only")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs; the median is reported (default 3)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)

    if not (args.site / "index.html").exists():
        raise SystemExit(f"{args.site}/index.html is missing: run `make build` first")
    if problem := chromium_available():
        raise SystemExit(problem)
    ok = True
    out = {}
    with serve(args.site, site_path(ROOT / "mkdocs.yml")) as base:
        for scheme in ("light", "dark"):
            m = measure(base, args.page, scheme)
            out[scheme] = m
            within = m["gzip"] < BUDGET_GZIP
            ok &= within
            print(f"{args.page} ({scheme} mode, every figure loaded): {m['requests']} requests, "
                  f"{kb(m['raw'])} raw, {kb(m['gzip'])} gzip "
                  f"({'within' if within else 'OVER'} the {kb(BUDGET_GZIP)} gzip budget)")
            if scheme == "light":
                print(f"  {'gzip':>9} {'raw':>9}  resource")
                for r in m["resources"][:8]:
                    print(f"  {kb(r['gzip']):>9} {kb(r['raw']):>9}  {r['url']}")
        if not args.no_lighthouse:
            lh = lighthouse_median(base + args.page, args.runs)
            out["lighthouse"] = lh
            print(f"Lighthouse {lh['lighthouse']} ({lh['form_factor']}, simulated throttling) on {args.page}, "
                  f"median of {len(lh['runs'])} runs (performance {', '.join(map(str, lh['runs']))}):")
            for cid, goal in GOALS.items():
                cat = lh["categories"][cid]
                met = cat["score"] is not None and cat["score"] >= goal
                ok &= met
                extra = f"; below full marks: {', '.join(cat['below_full_marks'])}" if cat["below_full_marks"] else ""
                print(f"  {cid:<15} {cat['score']:>3}  (goal {goal}: {'met' if met else 'NOT MET'}){extra}")
            print("  " + ", ".join(f"{k.replace('-', ' ')} {v}" for k, v in lh["metrics"].items()))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
