"""Linkage quality on generated rosters with known truth: precision, recall, review share.

A registry of residents (names from the demo generator, NIKs built as SIAK builds them,
twins included) and a school roster drawn from its teenagers with the noise real
rosters carry: missing and mistyped NIKs, old spellings, vowel variants, typos,
day/month swaps, a wrong birth year, and students who live outside the regency. The
roster is linked by jemput.linkage (Splink) and, as the baseline, by exact NIK alone,
in the same run.

    .venv/bin/python benchmarks/linkage.py                 # writes benchmarks/results/linkage.json
    .venv/bin/python benchmarks/linkage.py --markdown      # … and prints the table
    .venv/bin/python benchmarks/linkage.py --rosters 10 --out benchmarks/results/linkage-10.json
                                                           # ten lists linked in one run
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from jemput.demo.population import person_name
from jemput.linkage.people import Person
from jemput.linkage.service import Thresholds, link_people

REFERENCE = date(2026, 7, 1)
RESULTS = Path(__file__).parent / "results" / "linkage.json"

# Share of roster rows given each kind of noise (independently).
NOISE = {
    "nik_missing": 0.30,  # pesantren-like rows and Dapodik rows left blank
    "nik_mistyped": 0.04,  # of the rows that have one: a digit changed or two swapped
    "old_spelling": 0.08,  # Djoko, Soesanto, Tjahja
    "vowel_variant": 0.08,  # Rahmat/Rohmat, Wijaya/Wijoyo
    "typo": 0.08,  # a letter dropped, doubled or changed
    "day_month_swap": 0.03,
    "date_typo": 0.02,  # one digit of the date
    "year_wrong": 0.01,
    "sex_missing": 0.02,
    "desa_missing": 0.40,  # schools often do not say where a student lives
}
OUTSIDERS = 0.05  # rows for students who live outside the regency: no resident


@dataclass(frozen=True)
class Row:
    person: Person
    truth: int | None  # the resident's id, None for a student from elsewhere
    noise: tuple[str, ...]


def _nik(kecamatan: str, born: date, sex: int, serial: int) -> str:
    day = born.day + (40 if sex == 2 else 0)
    return f"{kecamatan}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def registry(rng: random.Random, size: int) -> list[Person]:
    """Residents spread over 10 kecamatan of 12 desa each; about 1.5% of births are twins."""
    desas = [f"33.06.{k:02d}.{2000 + d}" for k in range(1, 11) for d in range(1, 13)]
    serials: Counter[str] = Counter()
    people: list[Person] = []
    while len(people) < size:
        born = REFERENCE - timedelta(days=rng.randrange(0, 80 * 365))
        desa = rng.choice(desas)
        births = 2 if rng.random() < 0.015 else 1
        for _ in range(births):
            sex = rng.choice((1, 2))
            name = person_name(rng, sex, born.year)
            kecamatan = "33" + desa[3:5] + desa[6:8]
            prefix = _nik(kecamatan, born, sex, 0)[:12]
            serials[prefix] += 1
            people.append(Person(len(people) + 1, _nik(kecamatan, born, sex, serials[prefix]),
                                 name, sex, born, desa))
    return people


_OLD = (("u", "oe"), ("j", "dj"), ("c", "tj"), ("y", "j"), ("kh", "ch"))
_VOWELS = (("a", "o"), ("o", "a"), ("u", "o"), ("i", "e"))


def _old_spelling(rng: random.Random, name: str) -> str:
    lower = name.lower()
    options = [(new, old) for new, old in _OLD if new in lower]
    if not options:
        return name
    new, old = rng.choice(options)
    return lower.replace(new, old, 1).upper()


def _vowel_variant(rng: random.Random, name: str) -> str:
    lower = name.lower()
    spots = [(i, b) for i, ch in enumerate(lower) for a, b in _VOWELS if ch == a and i > 0]
    if not spots:
        return name
    i, b = rng.choice(spots)
    return (lower[:i] + b + lower[i + 1:]).upper()


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(letters)
    kind = rng.choice(("drop", "double", "change"))
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    return text[:i] + rng.choice(string.ascii_uppercase) + text[i + 1:]


def _nik_typo(rng: random.Random, nik: str) -> str:
    i = rng.randrange(6, 16)
    if rng.random() < 0.5 and i < 15:
        return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]
    return nik[:i] + str((int(nik[i]) + rng.randrange(1, 10)) % 10) + nik[i + 1:]


def _date_typo(rng: random.Random, born: date) -> date:
    for _ in range(20):
        text = born.strftime("%Y%m%d")
        i = rng.choice((3, 5, 7))
        text = text[:i] + str(rng.randrange(10)) + text[i + 1:]
        try:
            changed = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if changed != born:
            return changed
    return born


def roster(rng: random.Random, people: list[Person], size: int) -> list[Row]:
    """Students aged 14-18 (twins both on it when both are), noised; plus outsiders."""
    young = [p for p in people if p.birth_date and 14 <= (REFERENCE - p.birth_date).days // 365
             <= 18]
    chosen = rng.sample(young, min(size, len(young)))
    rows: list[Row] = []
    for person in chosen:
        applied = [kind for kind, share in NOISE.items() if rng.random() < share]
        nik: str | None = person.nik
        name, born, sex, desa = person.name, person.birth_date, person.sex, person.desa_code
        assert born is not None
        if "nik_missing" in applied:
            nik = None
        elif "nik_mistyped" in applied and nik:
            nik = _nik_typo(rng, nik)
        if "old_spelling" in applied:
            name = _old_spelling(rng, name)
        if "vowel_variant" in applied:
            name = _vowel_variant(rng, name)
        if "typo" in applied:
            name = _typo(rng, name)
        if "day_month_swap" in applied and born.day <= 12 and born.day != born.month:
            born = date(born.year, born.day, born.month)
        if "date_typo" in applied:
            born = _date_typo(rng, born)
        if "year_wrong" in applied:
            born = born.replace(year=born.year + rng.choice((-1, 1)))
        if "sex_missing" in applied:
            sex = None
        if "desa_missing" in applied:
            desa = None
        rows.append(Row(Person(0, nik, name, sex, born, desa), person.id, tuple(applied)))
    for _ in range(round(len(chosen) * OUTSIDERS)):
        sex = rng.choice((1, 2))
        born = REFERENCE - timedelta(days=rng.randrange(14 * 365, 18 * 365))
        # A NIK from a neighbouring regency (Kebumen, 33.05) half the time.
        nik = _nik("330501", born, sex, rng.randrange(1, 30)) if rng.random() < 0.5 else None
        rows.append(Row(Person(0, nik, person_name(rng, sex, born.year), sex, born, None),
                        None, ("outsider",)))
    rng.shuffle(rows)
    return [Row(Person(100_000_000 + i, r.person.nik, r.person.name, r.person.sex,
                       r.person.birth_date, r.person.desa_code), r.truth, r.noise)
            for i, r in enumerate(rows)]


def measure(rows: list[Row], links: dict[int, tuple[int | None, str]]) -> dict[str, float]:
    auto = [(r, links[r.person.id][0]) for r in rows if links[r.person.id][1] == "auto"]
    correct = sum(1 for r, resident in auto if resident == r.truth)
    linkable = sum(1 for r in rows if r.truth is not None)
    review = sum(1 for r in rows if links[r.person.id][1] == "review")
    return {
        "precision": round(correct / len(auto), 4) if auto else 1.0,
        "recall": round(correct / linkable, 4) if linkable else 1.0,
        "review_share": round(review / len(rows), 4),
        "auto_links": len(auto),
        "wrong_auto_links": len(auto) - correct,
        "review": review,
    }


def _renumbered(rows: list[Row], list_number: int) -> list[Row]:
    # Row ids unique across lists: list k's rows are numbered from k million on.
    return [Row(Person(r.person.id + list_number * 1_000_000, r.person.nik, r.person.name,
                       r.person.sex, r.person.birth_date, r.person.desa_code), r.truth, r.noise)
            for r in rows]


def run(*, seed: int, residents: int, students: int, thresholds: Thresholds,
        rosters: int = 1) -> dict[str, object]:
    """Link `rosters` lists of `students` each (drawn apart, so a person may be on several)
    in one run, as `jemput rosters link --all` does; the first list is the same for any
    number of lists."""
    rng = random.Random(seed)
    people = registry(rng, residents)
    lists = [_renumbered(roster(rng, people, students), k) for k in range(rosters)]
    rows = [row for rows_of_list in lists for row in rows_of_list]
    list_of = {row.person.id: k for k, rows_of_list in enumerate(lists) for row in rows_of_list}
    by_nik = {p.nik: p.id for p in people}
    baseline = {r.person.id: ((by_nik[r.person.nik], "auto") if r.person.nik in by_nik
                              else (None, "none")) for r in rows}
    started = time.perf_counter()
    outcomes = link_people(rows=[r.person for r in rows], residents=people,
                           thresholds=thresholds, lists=list_of)
    seconds = time.perf_counter() - started
    splink = {o.row_id: (o.resident_id, o.decision) for o in outcomes}
    # Where the model still goes wrong, by the noise the row carried.
    misses: Counter[str] = Counter()
    for r in rows:
        resident, decision = splink[r.person.id]
        if decision == "auto" and resident != r.truth:
            misses["wrong_auto:" + "+".join(r.noise or ("clean",))] += 1
        elif r.truth is not None and decision != "auto":
            misses[decision + ":" + "+".join(r.noise or ("clean",))] += 1
    return {
        "seed": seed,
        "residents": len(people),
        "rosters": rosters,
        "roster_rows": len(rows),
        "outsiders": sum(1 for r in rows if r.truth is None),
        "noise": NOISE,
        "thresholds": {"auto": thresholds.auto, "review": thresholds.review},
        "splink": measure(rows, splink),
        "exact_nik_only": measure(rows, baseline),
        "link_seconds": round(seconds, 1),
        "not_auto_linked_by_noise": dict(misses.most_common(25)),
    }


def markdown(result: dict[str, object]) -> str:
    lines = ["| linkage | precision | recall | to review | auto links (wrong) |",
             "|---|---|---|---|---|"]
    for label, key in (("Splink (jemput.linkage)", "splink"),
                       ("exact NIK only (baseline)", "exact_nik_only")):
        m = result[key]
        assert isinstance(m, dict)
        lines.append(f"| {label} | {m['precision']:.4f} | {m['recall']:.4f} | "
                     f"{m['review_share']:.2%} | {m['auto_links']} ({m['wrong_auto_links']}) |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--residents", type=int, default=60_000)
    parser.add_argument("--students", type=int, default=3_000)
    parser.add_argument("--rosters", type=int, default=1,
                        help="lists of --students each, linked together in one run")
    parser.add_argument("--auto", type=float, default=Thresholds().auto)
    parser.add_argument("--review", type=float, default=Thresholds().review)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    result = run(seed=args.seed, residents=args.residents, students=args.students,
                 thresholds=Thresholds(auto=args.auto, review=args.review),
                 rosters=args.rosters)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    json.dump({k: result[k] for k in ("splink", "exact_nik_only", "link_seconds")},
              sys.stdout, indent=2)
    print()
    if args.markdown:
        print(markdown(result))


if __name__ == "__main__":
    main()
