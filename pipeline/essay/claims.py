"""Claims that check themselves: the 2025 argument's claims, scored against the data on every build.

Each claim in data/claims.yaml scores one sentence of the essay this site began from (quoted
exactly in data/original_claims.csv, by id):

    - id: open-share-steady
      original: O3                  # the sentence it scores (data/original_claims.csv)
      claim: Open models' share of enterprise LLM use holds steady.      # what is checked, plainly
      check: abs(n.closed_models_lead.open_share_2024 - n.closed_models_lead.open_share_end_2025) <= 3
      now: What the data says now, a template ({{ n.<figure>.<number> }}).
      link: closed_models_lead      # the figure or dataset that shows it
      superseded: {date: 2026-11-30}   # the author's answer once the data broke the claim

Its state is derived, never typed: **holds** when the check is true; **superseded** when it is
false and the author has marked it so; **unresolved** when the claim has no check (the data
cannot settle it; `now` says why). A false check that is not marked superseded is **broken**: the
build stops and names the claim, the numbers that broke it (values and sources) and the sentences
that cite it. The scorecard "How the 2025 argument has held up" lists every claim with its state.

The essay may cite a claim around a sentence of its own:

    {% call claim("open-share-steady") %}The sentence that makes the claim.{% endcall %}

and when the claim is superseded an Update callout (the `now` text) follows the sentence, on the
page and in the PDF.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

import yaml

from pipeline.figures.numbers import Number
from pipeline.paths import DATA, DOCS, ROOT

CLAIMS_FILE = DATA / "claims.yaml"
STATES = ("holds", "superseded", "unresolved")
REQUIRED = ("id", "original", "claim", "now", "link")
_NAME = re.compile(r"\bn\.(\w+)\.(\w+)")
_CALL = re.compile(r"""\{%-?\s*call\s+claim\(\s*["']([\w-]+)["']\s*\)\s*-?%\}(.*?)\{%-?\s*endcall\s*-?%\}""", re.S)


class ClaimsFileError(ValueError):
    """data/claims.yaml itself is wrong (a claim lacks a key), or the essay cites a claim it does not
    declare: said in one line, like a data problem."""


class ClaimError(Exception):
    def __init__(self, broken: list["ClaimResult"]):
        self.broken = broken
        super().__init__("\n\n".join(r.failure_message() for r in broken))


@dataclass
class ClaimResult:
    id: str
    original: str
    claim: str
    check: str | None
    holds: bool | None               # None: no check (unresolved)
    superseded: dict | None
    now: str
    link: str
    used: dict[str, Number] = field(default_factory=dict)
    sentences: list[tuple[str, str]] = field(default_factory=list)  # (page, sentence)
    error: str | None = None

    @property
    def state(self) -> str:
        if self.check is None:
            return "unresolved"
        if self.error:  # a check that cannot be evaluated proves nothing, whatever its marking
            return "broken"
        if self.holds:
            return "holds"
        return "superseded" if self.superseded else "broken"

    def failure_message(self) -> str:
        lines = [f"Claim '{self.id}' no longer holds: {self.claim}",
                 f"  check: {self.check}" + (f"  ({self.error})" if self.error else "")]
        for name, num in self.used.items():
            lines.append(f"  data: {name} = {num.text} (source {num.source}, {num.confidence})")
        for page, sentence in self.sentences or [("(no page)", "no sentence of the essay cites this claim")]:
            lines.append(f"  sentence in {page}: \u201c{_one_line(sentence)}\u201d")
        lines.append(f"  Fix the sentence, or mark the claim superseded in {_shown(CLAIMS_FILE)} "
                     "(superseded: {date: YYYY-MM-DD}) and say in `now` what the data shows.")
        return "\n".join(lines)


def _shown(path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def declared() -> list[dict]:
    """The claims in data/claims.yaml, read afresh on every call (`mkdocs serve` must see edits);
    parsing is cached on the file's content."""
    if not CLAIMS_FILE.exists():
        return []
    return [dict(spec) for spec in _parsed(CLAIMS_FILE.read_text(encoding="utf-8"))]


@cache
def _parsed(text: str) -> tuple[dict, ...]:
    specs = yaml.safe_load(text) or []
    for spec in specs:
        missing = [key for key in REQUIRED if key not in spec]
        if missing:
            raise ClaimsFileError(f"{CLAIMS_FILE.name}: claim {spec.get('id', '?')!r} lacks {', '.join(missing)}")
    return tuple(specs)


def sentences_by_claim(pages=None) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for page in pages or sorted(DOCS.glob("*.md")):
        for claim_id, body in _CALL.findall(page.read_text(encoding="utf-8")):
            found.setdefault(claim_id, []).append((str(page.relative_to(ROOT)), body))
    return found


def _namespace(numbers: dict[str, dict[str, Number]]) -> SimpleNamespace:
    return SimpleNamespace(**{fig: SimpleNamespace(**{k: v.value for k, v in nums.items()})
                              for fig, nums in numbers.items()})


def evaluate(numbers: dict[str, dict[str, Number]]) -> list[ClaimResult]:
    from simpleeval import EvalWithCompoundTypes

    sentences = sentences_by_claim()
    evaluator = EvalWithCompoundTypes(names={"n": _namespace(numbers)},
                                      functions={"abs": abs, "min": min, "max": max, "round": round})
    results = []
    for spec in declared():
        check = spec.get("check")
        used = {f"n.{fig}.{name}": numbers[fig][name] for fig, name in _NAME.findall(check or "")
                if fig in numbers and name in numbers[fig]}
        holds, error = None, None
        if check is not None:
            try:
                holds = bool(evaluator.eval(check))
            except Exception as exc:  # an unknown name is a broken claim, said plainly
                holds, error = False, f"{type(exc).__name__}: {exc}"
        results.append(ClaimResult(spec["id"], spec["original"], spec["claim"], check, holds,
                                   spec.get("superseded"), spec["now"], spec["link"], used,
                                   sentences.get(spec["id"], []), error))
    return results


def check(numbers: dict[str, dict[str, Number]]) -> list[ClaimResult]:
    """Evaluate every claim; raise ClaimError for those that are broken."""
    results = evaluate(numbers)
    broken = [r for r in results if r.state == "broken"]
    undeclared = set(sentences_by_claim()) - {r.id for r in results}
    if undeclared:
        raise ClaimsFileError(f"the essay cites claims not declared in {CLAIMS_FILE.name}: {', '.join(sorted(undeclared))}")
    if broken:
        raise ClaimError(broken)
    return results
