"""The register's records as the rules' plain history (docgen.rules.history.Earlier)."""

from __future__ import annotations

import sqlite3

from docgen.rules.history import Earlier, History
from docgen.workspace.model import Workspace

from .records import AwardRecord, all_awards, name_key


def earlier(record: AwardRecord) -> Earlier:
    d = record.decision
    return Earlier(
        award_id=record.award_id,
        award_name=record.award_name,
        award_kind=record.award_kind,
        period=record.period,
        first_year=record.first_year,
        last_year=record.last_year,
        decision=d.reference,
        authority=d.authority,
        round_id=d.round_id,
        number=d.number,
    )


def workspace_history(conn: sqlite3.Connection | None, ws: Workspace) -> History:
    """Each unit's and person's earlier awards, newest first: rows with their id, and rows of
    past years known only by the same name (imported without an id)."""
    if conn is None:
        return {}
    by_key: dict[tuple[str, str], list[AwardRecord]] = {}
    for record in all_awards(conn):
        by_key.setdefault((record.kind, record.awardee_key), []).append(record)
    out: dict[tuple[str, str], list[Earlier]] = {}
    owners = [("collective", u.id, u.name) for u in ws.units.values()]
    owners += [("person", p.id, p.name) for p in ws.people.values()]
    for kind, ident, name in owners:
        found = by_key.get((kind, ident), []) + by_key.get((kind, name_key(name)), [])
        if found:
            found.sort(key=lambda r: (r.decision.date, r.decision.id), reverse=True)
            out[(kind, ident)] = [earlier(r) for r in found]
    return out
