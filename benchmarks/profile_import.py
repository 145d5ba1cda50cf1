"""Profile one SIAK import into a fresh SQLite database with cProfile.

Only the import (`import_file` and its commit) is profiled, not the file generation
or the migrations, so the top of the cumulative list is the import's own cost: Python
reading and validating rows versus SQL in the staging inserts and the merge. The
profile is written for `python -m pstats` or snakeviz.

    .venv/bin/python benchmarks/profile_import.py [--scale 0.13] [--out /tmp/imp.prof]

Scale 0.13 is ≈100k rows. cProfile slows Python-heavy code far more than time spent in
SQLite, so read the profile for its proportions within Python, and the phase split in
registry.py's results for Python versus SQL.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

from registry import REFERENCE_DATE, ensure_demo_file, use_database

from jemput import db, migrate
from jemput.regions import service as regions
from jemput.residents.importer import import_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.13, help="0.13 = ±100,000 rows")
    parser.add_argument("--out", type=Path, default=Path("/tmp/imp.prof"))  # noqa: S108
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)

    demo = ensure_demo_file(label=f"scale-{args.scale:g}", scale=args.scale)
    with tempfile.TemporaryDirectory(prefix="jemput-profile-") as tmp:
        work_dir = Path(tmp)
        url = f"sqlite:///{work_dir / 'jemput.sqlite'}"
        use_database(url, work_dir)
        migrate.upgrade(url)
        with db.unit_of_work(url) as session:
            regions.load_packaged_regions(session=session)
        profiler = cProfile.Profile()
        profiler.enable()
        with db.unit_of_work(url) as session:
            result = import_file(session=session, path=demo.path, data_date=REFERENCE_DATE,
                                 report_dir=work_dir)
        profiler.disable()
        db.dispose_engines()
    profiler.dump_stats(args.out)
    print(f"{result.rows_read:,} rows, {result.outcome}; profile written to {args.out}")
    stats = pstats.Stats(str(args.out))
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
