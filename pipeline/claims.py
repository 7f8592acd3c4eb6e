"""Claims that check themselves: the essay's qualitative statements, declared beside the data in
data/claims.yaml as named checks over the computed numbers, evaluated on every build.

A claim in data/claims.yaml:

    - id: open-share-steady
      claim: Open models' share of enterprise use held roughly steady.   # what the essay asserts
      check: abs(n.closed_models_lead.open_share_2024 - n.closed_models_lead.open_share_end_2025) <= 3
      superseded:                     # optional: the author's answer once the data broke the claim
        date: 2026-11-30
        note: What changed, in the author's words (rendered as an "Update" callout).

The essay makes the claim inside a block, so the build knows which sentence makes which claim:

    {% call claim("open-share-steady") %}The sentence that makes the claim.{% endcall %}

When a check is false and the claim is not superseded, the build stops and names the claim, the
numbers that broke it (with their values and sources) and the sentence that makes it. A superseded
claim is never deleted: the sentence stays and an Update callout follows it, on the page and in the PDF.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

import yaml

from pipeline.numbers import Number
from pipeline.paths import DATA, DOCS, ROOT

CLAIMS_FILE = DATA / "claims.yaml"
_NAME = re.compile(r"\bn\.(\w+)\.(\w+)")
_CALL = re.compile(r"""\{%-?\s*call\s+claim\(\s*["']([\w-]+)["']\s*\)\s*-?%\}(.*?)\{%-?\s*endcall\s*-?%\}""", re.S)


class ClaimError(Exception):
    def __init__(self, broken: list["ClaimResult"]):
        self.broken = broken
        super().__init__("\n\n".join(r.failure_message() for r in broken))


@dataclass
class ClaimResult:
    id: str
    claim: str
    check: str
    holds: bool
    superseded: dict | None
    used: dict[str, Number] = field(default_factory=dict)
    sentences: list[tuple[str, str]] = field(default_factory=list)  # (page, sentence)
    error: str | None = None

    @property
    def state(self) -> str:
        if self.holds:
            return "holds"
        return "superseded" if self.superseded else "broken"

    def failure_message(self) -> str:
        lines = [f"Claim '{self.id}' no longer holds: {self.claim}",
                 f"  check: {self.check}" + (f"  ({self.error})" if self.error else "")]
        for name, num in self.used.items():
            lines.append(f"  data: {name} = {num.text} (source {num.source}, {num.confidence})")
        for page, sentence in self.sentences or [("(no page)", "no sentence cites this claim")]:
            lines.append(f"  sentence in {page}: \u201c{_one_line(sentence)}\u201d")
        lines.append(f"  Fix the sentence, or mark the claim superseded in {CLAIMS_FILE.relative_to(ROOT)} "
                     "with a date and an update note.")
        return "\n".join(lines)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def _declared(path=CLAIMS_FILE) -> tuple[dict, ...]:
    if not path.exists():
        return ()
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def declared() -> list[dict]:
    return list(_declared())


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
        used = {f"n.{fig}.{name}": numbers[fig][name] for fig, name in _NAME.findall(spec["check"])
                if fig in numbers and name in numbers[fig]}
        try:
            holds, error = bool(evaluator.eval(spec["check"])), None
        except Exception as exc:  # an unknown name is a broken claim, said plainly
            holds, error = False, f"{type(exc).__name__}: {exc}"
        results.append(ClaimResult(spec["id"], spec["claim"], spec["check"], holds, spec.get("superseded"),
                                   used, sentences.get(spec["id"], []), error))
    return results


def check(numbers: dict[str, dict[str, Number]]) -> list[ClaimResult]:
    """Evaluate every claim; raise ClaimError for those that are broken and not superseded."""
    results = evaluate(numbers)
    broken = [r for r in results if r.state == "broken" or (r.error and not r.superseded)]
    undeclared = set(sentences_by_claim()) - {r.id for r in results}
    if undeclared:
        raise KeyError(f"the essay cites claims not declared in {CLAIMS_FILE.name}: {', '.join(sorted(undeclared))}")
    if broken:
        raise ClaimError(broken)
    return results
