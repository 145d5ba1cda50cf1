"""Link a roster's rows to residents, keep the links, and apply reviewers' decisions.

Order of authority, strongest first: a reviewer's decision on (row_key, resident)
(link_decisions: reused on every re-import and re-run, never overturned); an exact NIK
that agrees with the row's sex and birth date (decoded from the NIK); Splink's score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from jemput.linkage.models import Decision, LinkDecision, RosterLink
from jemput.linkage.people import Candidate, Person, probabilities
from jemput.residents.models import Resident
from jemput.residents.nik import NikError, parse_nik
from jemput.rosters.models import Roster, RosterRow


class Verdict:
    """A reviewer's answer on the review page (link_decisions.decision)."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"

    ALL = (ACCEPTED, REJECTED)


AUTO_THRESHOLD = 0.95
REVIEW_THRESHOLD = 0.30


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where a score becomes a decision (documented in README, Linkage).

    score >= auto: linked without a person looking. review <= score < auto: the review
    page. Below review: no link. Chosen on benchmarks/linkage.py.
    """

    auto: float = AUTO_THRESHOLD
    review: float = REVIEW_THRESHOLD

    def decide(self, score: float) -> str:
        if score >= self.auto:
            return Decision.AUTO
        if score >= self.review:
            return Decision.REVIEW
        return Decision.NONE


@dataclass(frozen=True, slots=True)
class Outcome:
    """What linkage decided for one row, before it is stored."""

    row_id: int
    resident_id: int | None
    score: float
    decision: str
    decided_by: str | None = None


@dataclass(frozen=True, slots=True)
class LinkSummary:
    roster_id: int
    rows: int
    auto: int
    review: int
    none: int
    by_reviewer: int


class RosterMissing(LookupError):
    """No roster has that id."""

    def __init__(self, roster_id: int) -> None:
        super().__init__(roster_id)
        self.roster_id = roster_id


# A few hundred ids per IN (...): SQLite and PostgreSQL both take that in one statement.
CHUNK = 500


def nik_agrees(*, nik: str, sex: int | None, birth_date: date | None) -> bool:
    """Whether a roster row's NIK encodes the sex and birth date the row states."""
    try:
        parsed = parse_nik(nik, today=date(2099, 12, 31))
    except NikError:
        return False
    if sex is not None and parsed.sex != sex:
        return False
    if birth_date is None:
        return sex is not None
    decoded = parsed.birth_date
    return (decoded.day, decoded.month, decoded.year % 100) == (
        birth_date.day, birth_date.month, birth_date.year % 100)


def link_people(
    *, rows: list[Person], residents: list[Person], thresholds: Thresholds,
    accepted: dict[int, int] | None = None, rejected: set[tuple[int, int]] | None = None,
    train: bool = True, lists: Mapping[int, int] | None = None,
) -> list[Outcome]:
    """Decide a link for every row; `accepted`/`rejected` are reviewers' verdicts by row id.

    `lists`: the list (roster id) each row id is on, when rows of several lists are
    linked in one run; None: all rows are one list. Pure: the benchmark calls it on
    generated people, the service on the database's.
    """
    # Splink (with pandas and DuckDB) loads here, on a linkage run, not with the app.
    from jemput.linkage.model import score_pairs

    accepted = accepted or {}
    rejected = rejected or set()
    by_nik = {person.nik: person.id for person in residents if person.nik}
    settled: dict[int, Outcome] = {}
    for row in rows:
        resident_id = by_nik.get(row.nik or "")
        if (resident_id is not None and (row.id, resident_id) not in rejected
                and nik_agrees(nik=row.nik or "", sex=row.sex, birth_date=row.birth_date)):
            settled[row.id] = Outcome(row.id, resident_id, 1.0, Decision.AUTO)
    open_rows = [row for row in rows if row.id not in settled]
    candidates: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in score_pairs(rows=open_rows, residents=residents, train=train):
        if (candidate.row_id, candidate.resident_id) not in rejected:
            candidates[candidate.row_id].append(candidate)
    outcomes: list[Outcome] = []
    for row in rows:
        if row.id in settled:
            outcome = settled[row.id]
        else:
            found = candidates.get(row.id, [])
            scores = probabilities([c.match_weight for c in found])
            if found:
                best, score = found[0], round(scores[0], 6)
                decision = thresholds.decide(score)
                outcome = Outcome(row.id, None if decision == Decision.NONE
                                  else best.resident_id, score, decision)
            else:
                outcome = Outcome(row.id, None, 0.0, Decision.NONE)
        outcomes.append(outcome)
    outcomes = _one_resident_one_row(outcomes, lists or {})
    # A reviewer's yes is final, whatever the model says today.
    return [
        Outcome(o.row_id, accepted[o.row_id], o.score if o.resident_id == accepted[o.row_id]
                else 1.0, Decision.AUTO, "reviewer")
        if o.row_id in accepted else o
        for o in outcomes
    ]


def _one_resident_one_row(outcomes: list[Outcome], lists: Mapping[int, int]) -> list[Outcome]:
    # Two rows of one list that both link to one resident cannot both be right (a twin,
    # a duplicated row): neither is linked without a person looking. Across lists it is
    # no conflict: a student of 17 is on the school's roster and on the voter list.
    claims: dict[tuple[int, int], int] = defaultdict(int)
    for o in outcomes:
        if o.decision == Decision.AUTO and o.resident_id is not None:
            claims[(lists.get(o.row_id, 0), o.resident_id)] += 1
    return [
        Outcome(o.row_id, o.resident_id, o.score, Decision.REVIEW)
        if o.decision == Decision.AUTO
        and claims.get((lists.get(o.row_id, 0), o.resident_id or 0), 0) > 1 else o
        for o in outcomes
    ]


@dataclass(frozen=True, slots=True)
class _Row:
    """What linking needs of one roster row: who it says it is, its list, its key."""

    person: Person
    roster_id: int
    row_key: str


def _reviewers_verdicts(
    session: Session, rows: list[_Row]
) -> tuple[dict[int, int], set[tuple[int, int]], dict[int, tuple[str, datetime]]]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_key[row.row_key].append(row.person.id)
    accepted: dict[int, int] = {}
    deciders: dict[int, tuple[str, datetime]] = {}
    rejected: set[tuple[int, int]] = set()
    keys = list(by_key)
    for start in range(0, len(keys), CHUNK):
        verdicts = session.scalars(
            select(LinkDecision).where(LinkDecision.row_key.in_(keys[start:start + CHUNK]))
            .order_by(LinkDecision.decided_at, LinkDecision.id)
        ).all()
        for verdict in verdicts:
            for row_id in by_key[verdict.row_key]:
                if verdict.decision == Verdict.ACCEPTED:
                    accepted[row_id] = verdict.resident_id
                    deciders[row_id] = (verdict.decided_by, verdict.decided_at)
                else:
                    rejected.add((row_id, verdict.resident_id))
                    if accepted.get(row_id) == verdict.resident_id:
                        del accepted[row_id]
    return accepted, rejected, deciders


def current_roster_ids(*, session: Session) -> list[int]:
    """Every roster not replaced by a newer import of the same list, oldest first."""
    return list(session.scalars(
        select(Roster.id).where(Roster.replaced_by_id.is_(None)).order_by(Roster.id)))


def _rows_of(session: Session, roster_ids: list[int]) -> list[_Row]:
    rows: list[_Row] = []
    for start in range(0, len(roster_ids), CHUNK):
        found = session.execute(
            select(RosterRow.id, RosterRow.roster_id, RosterRow.row_key, RosterRow.nik,
                   RosterRow.name, RosterRow.sex, RosterRow.birth_date, RosterRow.desa_code)
            .where(RosterRow.roster_id.in_(roster_ids[start:start + CHUNK]))
            .order_by(RosterRow.roster_id, RosterRow.line))
        rows += [_Row(Person(id=id_, nik=nik, name=name or "", sex=sex, birth_date=born,
                             desa_code=desa), roster_id, key)
                 for id_, roster_id, key, nik, name, sex, born, desa in found]
    return rows


def _residents(session: Session) -> list[Person]:
    return [
        Person(id=r.id, nik=r.nik, name=r.name, sex=r.sex, birth_date=r.birth_date,
               desa_code=r.desa_code)
        for r in session.execute(select(Resident.id, Resident.nik, Resident.name, Resident.sex,
                                        Resident.birth_date, Resident.desa_code))
    ]


def _store(session: Session, roster_ids: list[int], outcomes: list[Outcome],
           deciders: dict[int, tuple[str, datetime]], at: datetime) -> None:
    """Replace the rosters' links with the run's, in bulk (a regency's lists: 100,000s)."""
    for start in range(0, len(roster_ids), CHUNK):
        session.execute(delete(RosterLink).where(RosterLink.roster_row_id.in_(
            select(RosterRow.id).where(RosterRow.roster_id.in_(roster_ids[start:start + CHUNK])))))
    values = []
    for o in outcomes:
        # A reviewer's link keeps the reviewer's name and time; the linker's carry the run's.
        by, when = deciders[o.row_id] if o.decided_by else (None, at)
        values.append({"roster_row_id": o.row_id, "resident_id": o.resident_id,
                       "score": o.score, "decision": o.decision, "decided_by": by,
                       "decided_at": when})
    for start in range(0, len(values), 5_000):
        session.execute(insert(RosterLink), values[start:start + 5_000])


def link_rosters(
    *, session: Session, roster_ids: Sequence[int], thresholds: Thresholds | None = None,
    now: datetime | None = None, progress: Callable[[str], None] | None = None,
) -> list[LinkSummary]:
    """Link every row of these rosters in one run and store the links; one summary each.

    One run, not one per roster: the residents are read and Splink is set up (its u
    probabilities estimated) once, and the rows of all lists are scored together. Each
    roster's earlier automatic links are replaced; reviewers' decisions are kept.
    RosterMissing (nothing written) if an id is no roster.
    """
    ids = list(dict.fromkeys(roster_ids))
    known: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        known.update(session.scalars(select(Roster.id).where(Roster.id.in_(chunk))))
    for roster_id in ids:
        if roster_id not in known:
            raise RosterMissing(roster_id)
    say = progress or (lambda _message: None)
    thresholds = thresholds or Thresholds()
    say("Membaca baris daftar dan penduduk")
    rows = _rows_of(session, ids)
    residents = _residents(session) if rows else []
    accepted, rejected, deciders = _reviewers_verdicts(session, rows)
    list_of = {row.person.id: row.roster_id for row in rows}
    say("Menilai pasangan baris-penduduk (Splink)")
    outcomes = link_people(rows=[row.person for row in rows], residents=residents,
                           thresholds=thresholds, accepted=accepted, rejected=rejected,
                           lists=list_of)
    say("Menyimpan tautan")
    _store(session, ids, outcomes, deciders, now or datetime.now(UTC))
    session.flush()
    counts: dict[int, dict[str, int]] = {roster_id: defaultdict(int) for roster_id in ids}
    for outcome in outcomes:
        tally = counts[list_of[outcome.row_id]]
        tally[outcome.decision] += 1
        tally["rows"] += 1
        tally["by_reviewer"] += bool(outcome.decided_by)
    return [LinkSummary(roster_id=roster_id, rows=tally["rows"], auto=tally[Decision.AUTO],
                        review=tally[Decision.REVIEW], none=tally[Decision.NONE],
                        by_reviewer=tally["by_reviewer"])
            for roster_id, tally in counts.items()]


def link_roster(
    *, session: Session, roster_id: int, thresholds: Thresholds | None = None,
    now: datetime | None = None,
) -> LinkSummary:
    """Link every row of one roster and store the links, replacing the linker's earlier ones."""
    (summary,) = link_rosters(session=session, roster_ids=[roster_id], thresholds=thresholds,
                              now=now)
    return summary


def total(summaries: Sequence[LinkSummary]) -> LinkSummary:
    """The counts of several rosters' summaries added up (roster_id 0: no one roster)."""
    return LinkSummary(roster_id=0, rows=sum(s.rows for s in summaries),
                       auto=sum(s.auto for s in summaries),
                       review=sum(s.review for s in summaries),
                       none=sum(s.none for s in summaries),
                       by_reviewer=sum(s.by_reviewer for s in summaries))


def roster_links(*, session: Session, roster_id: int) -> list[dict[str, object]]:
    """Return one entry per roster row: line, linked NIK (or ""), score, decision."""
    if session.get(Roster, roster_id) is None:
        raise RosterMissing(roster_id)
    found = session.execute(
        select(RosterRow.line, RosterLink.decision, RosterLink.score, Resident.nik)
        .select_from(RosterRow)
        .outerjoin(RosterLink, RosterLink.roster_row_id == RosterRow.id)
        .outerjoin(Resident, Resident.id == RosterLink.resident_id)
        .where(RosterRow.roster_id == roster_id)
        .order_by(RosterRow.line)
    ).all()
    return [
        {
            "line": line,
            # A review candidate is not a link: its NIK is not the row's yet.
            "nik": nik if decision == Decision.AUTO and nik else "",
            "score": round(score, 6) if score is not None else 0.0,
            "decision": decision or Decision.NONE,
        }
        for line, decision, score, nik in found
    ]
