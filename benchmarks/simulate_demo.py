"""Collect `jemput simulate --json` runs on the demo regency into one file and a table.

    export JEMPUT_ENVIRONMENT=development JEMPUT_DATABASE_URL=sqlite:///scratch.sqlite \
           JEMPUT_DATA_DIR=scratch
    jemput demo load --scale 0.2 && jemput users create-demo
    jemput campaigns load-settings --as demo-operator
    jemput simulate --as demo-operator --area 33.06.01 --seed 1 --iterations 500 \
           --max-days 120 --json > run-33.06.01-1.json          # ... per area and seed
    .venv/bin/python benchmarks/simulate_demo.py run-*.json --scale 0.2 \
           --note "load 10-12 on 2 cores" --markdown
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "simulate_demo.json"


def markdown(runs: list[dict]) -> str:
    lines = ["| area | seed | targets | Jemput team-days | naive team-days | fewer | "
             "recorded per team-day (J / n) | km per person (J / n) | left behind (J / n) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in runs:
        ours, naive = run["results"]
        setup = run["setup"]

        def left(r: dict) -> str:
            return ", ".join(f"{k} {v}" for k, v in r["left_behind"].items() if v) or "0"
        lines.append(
            f"| {setup['area_code']} | {setup['seed']} | {setup['people']} | "
            f"{ours['team_days']}{'' if ours['reached'] else ' (not reached)'} | "
            f"{naive['team_days']}{'' if naive['reached'] else ' (not reached)'} | "
            f"{run['fewer_team_days_pct']:.1f} % | {ours['per_team_day']:.2f} / "
            f"{naive['per_team_day']:.2f} | {ours['km_per_person']:.2f} / "
            f"{naive['km_per_person']:.2f} | {left(ours)} / {left(naive)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--note", default="")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    runs = []
    for path in args.runs:
        run = json.loads(path.read_text())
        for result in run["results"]:
            result.pop("log", None)   # per-day logs: in the run files, not the summary
        runs.append(run)
    summary = {"scale": args.scale, "note": args.note, "machine": {
        "platform": platform.platform(), "python": platform.python_version()}, "runs": runs}
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    if args.markdown:
        print(markdown(runs))


if __name__ == "__main__":
    main()
