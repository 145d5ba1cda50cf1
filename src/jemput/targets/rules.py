"""The rules a target list can select its people by: a registry, one entry per kind.

Each rule is a condition over `residents` built only from residents.eligibility (never
restated here), plus the words that say why a person is on the list. A rule that
selects roster rows instead (the unmatched of a school roster or voter list) plugs in
the same way: `Rule.source` says which table its members come from. The rules about
rosters (a school's session, a TPS's voters, the out-of-school) are the linkage
domain's: it registers them (`register_rule`) with the conditions its pages count by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from jemput.residents import eligibility as e
from jemput.residents.codes import KTP_STATUS_LABELS_ID
from jemput.rosters.models import RosterKind


class RuleError(ValueError):
    """A rule that does not exist, or parameters it cannot use; the message says which."""


@dataclass(frozen=True)
class Candidate:
    """What a rule needs to know about a selected resident to say why, in words."""

    status: str | None
    bedridden: bool
    odgj: bool
    disability: int | None
    birth_date: date


Words = tuple[str, str]  # (Indonesian, English)


@dataclass(frozen=True)
class RosterCandidate:
    """What a roster-row rule knows of a row it selects: which list, which polling station."""

    kind: str
    tps: str | None


# "may": the rule can be narrowed to an institution's students; "must": it is about one
# institution (a school's session); "never": it is about a place (a TPS, a desa).
INSTITUTION_CHOICES = ("may", "must", "never")


@dataclass(frozen=True)
class Rule:
    key: str
    label: Words
    condition: Callable[[date, dict[str, Any]], ColumnElement[bool]] | None
    # Roster-row rules get None: the row is not a resident, there are no facts to read.
    because: Callable[[Any, dict[str, Any], date], Words]
    # Parameters the rule takes: name -> parser of the text a user typed.
    params: dict[str, Callable[[str], Any]] = field(default_factory=dict)
    # "residents", or "roster_rows" for the unmatched of a roster (see UNMATCHED below).
    source: str = "residents"
    # Parameters that may be left out (the others are required).
    optional: frozenset[str] = frozenset()
    institution: str = "may"
    # Who of the residents the list's area holds, when it is not "those who live there"
    # (a TPS's voters: those on its voter list): (area_code, params) -> condition.
    place: Callable[[str, dict[str, Any]], ColumnElement[bool]] | None = None
    # The first words of a list's name when one click builds it; the label otherwise.
    title: str | None = None


def _recordable_not_recorded(on: date) -> ColumnElement[bool]:
    # May record and has not: the wajib who have not (belum rekam) and the pemula who
    # have not, which between them are exactly "may record, status UNREGISTERED".
    return or_(e.not_recorded_sql(on=on), e.pemula_not_recorded_sql(on=on))


def _status_words(c: Candidate) -> Words:
    label = KTP_STATUS_LABELS_ID.get(c.status or "", c.status or "-")
    return label, (c.status or "-").replace("_", " ").lower()


def _home_visit_words(c: Candidate, on: date) -> Words:
    if c.bedridden:
        return "terbaring di tempat tidur", "bedridden"
    if c.odgj:
        return "ODGJ", "psychosocial disability (ODGJ)"
    if c.disability is not None:
        return "penyandang disabilitas", "disability"
    if e.age_on(c.birth_date, on) >= e.HOME_VISIT_AGE:
        return f"lansia {e.HOME_VISIT_AGE}+", f"aged {e.HOME_VISIT_AGE}+"
    return "dinyatakan perlu kunjungan", "stated to need a visit"


def _home_visit(c: Candidate, p: dict[str, Any], on: date) -> Words:
    why_id, why_en = _home_visit_words(c, on)
    return (f"Belum rekam, perlu kunjungan rumah: {why_id}",
            f"Not recorded, needs a home visit: {why_en}")


def parse_date(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise RuleError(f"tanggal tidak valid: {text!r} (format YYYY-MM-DD)") from None
    # Ages are counted back from this day: a year near 1 would leave the calendar.
    if not 1900 <= day.year <= 2200:
        raise RuleError(f"tanggal di luar jangkauan: {text!r} (tahun 1900-2200)")
    return day


def _pemula_before(on: date, p: dict[str, Any]) -> ColumnElement[bool]:
    # Not recorded pemula today who are wajib KTP (17, or married) on the chosen day.
    return and_(e.pemula_not_recorded_sql(on=on), e.wajib_ktp_sql(on=p["before"]))


def _pemula_before_words(c: Candidate, p: dict[str, Any], on: date) -> Words:
    day = p["before"]
    return (f"Pemula belum rekam, berumur 17 sebelum {day:%d-%m-%Y}",
            f"First-timer not recorded, 17 by {day:%d %b %Y}")


def _age_words(prefix: Words) -> Callable[[Candidate, dict[str, Any], date], Words]:
    def because(c: Candidate, p: dict[str, Any], on: date) -> Words:
        age = e.age_on(c.birth_date, on)
        return f"{prefix[0]} (umur {age})", f"{prefix[1]} (age {age})"
    return because


def _status_because(prefix: Words) -> Callable[[Candidate, dict[str, Any], date], Words]:
    def because(c: Candidate, p: dict[str, Any], on: date) -> Words:
        words = _status_words(c)
        return f"{prefix[0]}: {words[0]}", f"{prefix[1]}: {words[1]}"
    return because


def parse_tps(text: str) -> str:
    tps = text.strip().upper()
    if not tps or len(tps) > 10 or not tps.isalnum():
        raise RuleError(f"TPS tidak valid: {text!r} (angka atau huruf, paling panjang 10)")
    # The voter-list import keeps a numbered TPS as three digits (FORMATS.md §4).
    return tps.zfill(3) if tps.isdigit() else tps


# `kind` of the unmatched rule: which rosters' rows (rosters.models.RosterKind values).
ROSTER_KINDS: dict[str, tuple[str, ...]] = {
    "dpt": (RosterKind.DPT,),
    "sekolah": (RosterKind.DAPODIK, RosterKind.PESANTREN),
    "dapodik": (RosterKind.DAPODIK,),
    "pesantren": (RosterKind.PESANTREN,),
}


def _parse_kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in ROSTER_KINDS:
        raise RuleError(f"jenis daftar tidak dikenal: {text!r} (pilih: {', '.join(ROSTER_KINDS)})")
    return kind


def _unmatched_words(c: RosterCandidate | None, p: dict[str, Any], on: date) -> Words:
    if c is not None and c.kind == RosterKind.DPT:
        at_id, at_en = (f" (TPS {c.tps})", f" (TPS {c.tps})") if c.tps else ("", "")
        return (f"Tercantum di DPT{at_id}, tidak ditemukan di SIAK",
                f"On the voter list{at_en}, not found in the registry")
    if c is not None and c.kind == RosterKind.PESANTREN:
        return ("Tercantum di daftar santri pesantren, tidak ditemukan di SIAK",
                "On a pesantren roster, not found in the registry")
    return ("Tercantum di daftar sekolah, tidak ditemukan di SIAK",
            "On a school roster, not found in the registry")


RULES: dict[str, Rule] = {rule.key: rule for rule in (
    Rule("belum-rekam", ("Wajib KTP belum rekam", "Wajib KTP, not recorded"),
         lambda on, p: e.not_recorded_sql(on=on),
         _age_words(("Wajib KTP belum rekam", "Wajib KTP, not recorded"))),
    Rule("rekam-16", ("Boleh rekam (16+) dan belum rekam", "May record (16+), not recorded"),
         lambda on, p: _recordable_not_recorded(on),
         _age_words(("Boleh rekam, belum rekam", "May record, not recorded"))),
    Rule("pemula-sebelum", ("Pemula berumur 17 sebelum tanggal",
                            "First-timers turning 17 before a date"),
         _pemula_before, _pemula_before_words, params={"before": parse_date}),
    Rule("kunjungan-rumah", ("Rentan, perlu kunjungan rumah",
                             "Vulnerable, needs a home visit"),
         lambda on, p: and_(_recordable_not_recorded(on), e.needs_home_visit_sql(on=on)),
         _home_visit),
    Rule("cetak-tindak-lanjut", ("Siap cetak atau perlu tindak lanjut, belum ada kartu",
                                 "Print-ready or follow-up, no card yet"),
         lambda on, p: or_(e.print_ready_sql(on=on), e.follow_up_sql(on=on)),
         _status_because(("Belum ada kartu", "No card yet"))),
    Rule("nonaktif", ("Akan dinonaktifkan (22+ belum rekam)",
                      "Due for deactivation (22+, never recorded)"),
         lambda on, p: e.due_for_deactivation_sql(on=on),
         _age_words(("NIK akan dinonaktifkan, belum rekam", "NIK due for deactivation"))),
    # The unmatched of a roster or voter list: rows of the current rosters (of one kind,
    # optionally one TPS) that no standing link places in the registry. Linkage supplies
    # them through the RosterSource it registers (jemput.domains.connect()).
    Rule("belum-padan", ("Di daftar sekolah/pemilih, tidak ada di SIAK",
                         "On a school or voter list, not in the registry"),
         None, _unmatched_words, params={"kind": _parse_kind, "tps": parse_tps},
         source="roster_rows", optional=frozenset({"kind", "tps"}),
         title="Tidak dikenal SIAK"),
)}

@dataclass(frozen=True)
class RosterSource:
    """What the linkage domain tells target lists about rosters, so targets never reads
    linkage's tables itself. Registered once, from jemput.domains.connect().

    unmatched(session=, area_code=, institution_npsn=, kinds=, tps=): the rows of the
        current rosters of that area or institution (of those kinds, at that TPS) with no
        standing link, as (row id, desa code, roster kind, tps).
    linked(session=, row_ids=): those of `row_ids` a standing link now places in SIAK.
    students(npsn): a SELECT of the resident ids on that institution's current roster.
    """

    unmatched: Callable[..., list[tuple[int, str | None, str, str | None]]]
    linked: Callable[..., set[int]]
    students: Callable[[str], Any]


_sources: list[RosterSource] = []


def register_roster_source(source: RosterSource) -> None:
    """Let the linkage domain answer for rosters (the last registered wins)."""
    _sources[:] = [source]


def roster_source() -> RosterSource:
    if not _sources:
        raise RuntimeError("jemput.domains.connect() was not called: no roster source")
    return _sources[0]


def register_rule(rule: Rule) -> None:
    """Add a rule another domain defines (linkage's roster rules); same key, same rule."""
    if rule.institution not in INSTITUTION_CHOICES:
        raise ValueError(rule.institution)
    RULES[rule.key] = rule


def get_rule(key: str) -> Rule:
    """Return the rule called `key`, or RuleError naming the ones that exist."""
    try:
        return RULES[key]
    except KeyError:
        raise RuleError(f"aturan tidak dikenal: {key!r} (pilih: {', '.join(RULES)})") from None


def parse_params(rule: Rule, given: dict[str, str]) -> dict[str, Any]:
    """Validate the parameters a user gave for `rule`; every required one must be there."""
    unknown = set(given) - set(rule.params)
    if unknown:
        raise RuleError(f"parameter tidak dikenal untuk {rule.key}: {', '.join(sorted(unknown))}")
    parsed = {}
    for name, parse in rule.params.items():
        if not given.get(name):
            if name in rule.optional:
                continue
            raise RuleError(f"aturan {rule.key} perlu parameter {name}")
        parsed[name] = parse(given[name])
    return parsed


def dump_params(params: dict[str, Any]) -> dict[str, str]:
    return {key: value.isoformat() if isinstance(value, date) else str(value)
            for key, value in params.items()}
