"""`manage.py evaluate_intake`: precision and recall per kind of fact, and the time for 1 MB."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from noichinh.intake.evaluate import KINDS, load_passages, score, time_one_megabyte


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


class Command(BaseCommand):
    help = "Precision and recall of the intake extractor on the annotated passages."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--verbose-misses", action="store_true", help="List every miss.")
        parser.add_argument("--no-timing", action="store_true", help="Skip the 1 MB timing.")

    def handle(self, *args: Any, **options: Any) -> None:
        passages = load_passages()
        groups = {
            "all": passages,
            "before_tuning": [p for p in passages if p.get("written") == "before_tuning"],
            "after_tuning": [p for p in passages if p.get("written") == "after_tuning"],
        }
        for name, group in groups.items():
            if not group:
                continue
            scores = score(group)
            self.stdout.write(f"\n{name}: {len(group)} passages")
            header = f"{'kind':14} {'expected':>8} {'found':>6} {'precision':>9} {'recall':>7}"
            self.stdout.write(header)
            for kind in KINDS:
                s = scores[kind]
                self.stdout.write(
                    f"{kind:14} {s.tp + s.fn:8d} {s.tp + s.fp:6d} {_pct(s.precision):>9} "
                    f"{_pct(s.recall):>7}"
                )
            if options["verbose_misses"] and name == "all":
                for kind in KINDS:
                    for miss in scores[kind].misses:
                        self.stdout.write(f"  [{kind}] {miss}")
        if not options["no_timing"]:
            size, wall, cpu = time_one_megabyte(passages)
            self.stdout.write(
                f"\n1 MB: {size:,} characters in {wall:.3f} s wall, {cpu:.3f} s CPU (best of 3)"
            )
