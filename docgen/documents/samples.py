"""The contexts each template would be rendered with for this workspace, by document kind:
what `docgen templates check` holds a user's edited templates against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.documents.decision import decision_jobs
from docgen.documents.dossier import dossier_jobs
from docgen.documents.plan import DEFAULT_PLAN, TEMPLATE, load_plan, plan_context
from docgen.errors import DocgenError
from docgen.i18n import N_
from docgen.workspace.model import Workspace


def sample_contexts(ws: Workspace, base: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Template name → document kind → the contexts the workspace would render it with.

    `base` is the folder of config.yaml, where the default plan file lives.
    """
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}

    def add(template: str, kind: str, context: dict[str, Any]) -> None:
        out.setdefault(template, {}).setdefault(kind, []).append(context)

    for rnd in ws.rounds.values():
        for sub in rnd.submissions:
            for job in dossier_jobs(ws, rnd, sub):
                add(job.template, N_("hồ sơ"), job.context)
        try:
            jobs, _excluded = decision_jobs(ws, rnd)
        except DocgenError:
            continue  # nothing eligible in this round: no decision to check against
        for job in jobs:
            add(job.template, N_("quyết định"), job.context)
    plan_file = base / DEFAULT_PLAN
    if plan_file.is_file():
        add(TEMPLATE, N_("kế hoạch"), plan_context(load_plan(plan_file)))
    return out
