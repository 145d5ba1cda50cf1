"""The demo regency's links measured against its truth: precision, recall, review share.

`jemput demo load` writes truth/<kind>.csv (for every roster row, the resident it really
is, or none) and links every roster it imported. This reads both and says, per kind of
list, how many automatic links are right and how many true pairs they find.

    JEMPUT_DATABASE_URL=sqlite:////tmp/demo.sqlite .venv/bin/python benchmarks/demo_links.py \\
        var/demo/truth
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from jemput.db import unit_of_work
from jemput.linkage.models import RosterLink
from jemput.models_registry import import_all_models
from jemput.residents.models import Resident
from jemput.rosters.models import Roster, RosterRow
from jemput.schools.models import School

KINDS = ("dapodik", "pesantren", "dpt")


def read_truth(folder: Path) -> dict[tuple[str, str, int], str]:
    truth: dict[tuple[str, str, int], str] = {}
    for kind in KINDS:
        with (folder / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                truth[(row["kind"], row["owner"], int(row["line"]))] = row["resident_nik"]
    return truth


def measure(truth: dict[tuple[str, str, int], str]) -> dict[str, dict[str, float]]:
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with unit_of_work(read_only=True) as session:
        found = session.execute(
            select(Roster.kind, School.npsn, Roster.desa_code, RosterRow.line,
                   RosterLink.decision, Resident.nik)
            .join(RosterRow, RosterRow.roster_id == Roster.id)
            .outerjoin(School, School.id == Roster.school_id)
            .outerjoin(RosterLink, RosterLink.roster_row_id == RosterRow.id)
            .outerjoin(Resident, Resident.id == RosterLink.resident_id)
            .where(Roster.replaced_by_id.is_(None)))
        for kind, npsn, desa, line, decision, nik in found:
            true_nik = truth[(kind, npsn or desa, line)]
            for key in (kind, "all"):
                counts = tally[key]
                counts["rows"] += 1
                counts["linkable"] += bool(true_nik)
                counts[decision or "unlinked"] += 1
                counts["right"] += decision == "auto" and nik == true_nik
    return {
        key: {"rows": c["rows"], "auto": c["auto"], "review": c["review"], "none": c["none"],
              "unlinked": c["unlinked"], "wrong_auto": c["auto"] - c["right"],
              "precision": round(c["right"] / c["auto"], 4) if c["auto"] else 1.0,
              "recall": round(c["right"] / c["linkable"], 4) if c["linkable"] else 1.0,
              "review_share": round(c["review"] / c["rows"], 4)}
        for key, c in tally.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", type=Path, help="the demo's truth folder (var/demo/truth)")
    args = parser.parse_args()
    import_all_models()
    print(json.dumps(measure(read_truth(args.truth)), indent=2))


if __name__ == "__main__":
    main()
