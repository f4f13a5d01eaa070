"""Precision and recall of the extractor on the hand-annotated passages of evaluation/."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .extract import Extraction, extract

DATA = Path(__file__).parent / "evaluation"
KINDS = (
    "period",
    "dates",
    "figures",
    "ratios",
    "changes",
    "documents",
    "organisations",
    "people",
    "tasks",
    "warnings",
)


def load_passages(folder: Path = DATA) -> list[dict[str, Any]]:
    passages: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        for passage in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            passage["file"] = path.name
            passages.append(passage)
    return passages


def _num(value: Any) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def keys(found: Extraction) -> dict[str, list[str]]:
    """The extraction in the annotation's words (README.md of evaluation/)."""
    return {
        "period": [found.period.label] if found.period else [],
        "dates": [d.value for d in found.dates],
        "figures": [f"{_num(f.value)} {f.unit}" for f in found.figures],
        "ratios": [
            f"{_num(r.part)}/{_num(r.total)}="
            + ("-" if r.stated_percent is None else _num(r.stated_percent))
            for r in found.ratios
        ],
        "changes": [
            f"{'+' if c.direction == 'increase' else '-'}{_num(c.value)} {c.unit}".strip()
            for c in found.changes
        ],
        "documents": [f"{d.code} {d.date or '-'}" for d in found.documents],
        "organisations": [o.name for o in found.organisations],
        "people": [p.name for p in found.people],
        "tasks": [t.text for t in found.tasks],
        "warnings": [w.kind for w in found.warnings],
    }


def expected_keys(passage: dict[str, Any]) -> dict[str, list[str]]:
    expected = passage.get("expected") or {}
    result: dict[str, list[str]] = {}
    for kind in KINDS:
        value = expected.get(kind)
        if kind == "period":
            result[kind] = [str(value)] if value else []
        else:
            result[kind] = [str(v) for v in (value or [])]
    return result


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def score(passages: list[dict[str, Any]]) -> dict[str, Score]:
    scores = {kind: Score() for kind in KINDS}
    for passage in passages:
        got = keys(extract(passage["text"]))
        want = expected_keys(passage)
        for kind in KINDS:
            g, w = Counter(got[kind]), Counter(want[kind])
            hit = sum((g & w).values())
            s = scores[kind]
            s.tp += hit
            s.fp += sum(g.values()) - hit
            s.fn += sum(w.values()) - hit
            for extra in (g - w).elements():
                s.misses.append(f"{passage['id']}: extra {extra!r}")
            for missing in (w - g).elements():
                s.misses.append(f"{passage['id']}: missing {missing!r}")
    return scores


def time_one_megabyte(passages: list[dict[str, Any]], repeat: int = 3) -> tuple[int, float, float]:
    """Characters, wall seconds and CPU seconds of this process for 1 MB (10^6 characters) of
    the passages read end to end, best of `repeat`. On a shared machine the wall time includes
    waiting for a core; the CPU time is what the extraction itself costs."""
    joined = "\n\n".join(p["text"] for p in passages)
    text = (joined * (1_000_000 // len(joined) + 1))[:1_000_000]
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        extract(text)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return len(text), best_wall, best_cpu
