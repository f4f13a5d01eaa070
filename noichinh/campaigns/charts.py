"""The campaigns' charts (core.charts), drawn from what the pages already computed with
`campaigns.progress` (one source: no figure is computed here): a registration's progress against
its targets at a review, and a cluster's ranking at a review. Templates call them with
`{% chart_of "noichinh.campaigns.charts.progress_chart" rows object review %}`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from noichinh.core import charts
from noichinh.core.charts import Chart

from .progress import ClusterTable, ProgressRow


def progress_chart(
    rows: Sequence[ProgressRow], registration: Any = None, review: Any = None
) -> Chart | None:
    """Each criterion with a target: the actual against the target and the % that
    `progress.unit_progress` computed (None when no criterion has a target)."""
    with_target = [r for r in rows if r.target]
    if not with_target:
        return None
    unit = getattr(registration, "unit", "") or ""
    at = str(review) if review is not None else _("whole period")
    title = _("Progress against the targets")
    return charts.progress(
        title,
        [
            (f"{r.criterion.number}. {r.criterion.name}", r.actual, r.target, r.percent)
            for r in rows
        ],
        description=_("%(title)s: %(unit)s, %(at)s; the dashed line is 100 %%.")
        % {"title": title, "unit": unit, "at": at},
        labels=("", _("Actual"), _("Target"), _("Percentage")),
        met_labels=(_("Met"), _("Not met")),
        key="progress",
    )


def cluster_ranking(
    table: ClusterTable | None, cluster: Any = None, review: Any = None
) -> Chart | None:
    """The cluster's members in the table's own order and rank, by their score (the weighted
    average of the percentages, `progress.cluster_table`)."""
    if table is None or not any(r.score is not None for r in table.rows):
        return None
    title = _("Ranking of the cluster")
    items = [(row.name or str(row.unit), row.score, row.rank) for row in table.rows]
    return charts.ranking(
        title,
        items,
        description=_("%(title)s: %(cluster)s, %(review)s, by score.")
        % {"title": title, "cluster": cluster or "", "review": review or ""},
        labels=(_("Rank"), _("Committee"), _("Score")),
        key="ranking",
    )
