"""The rules a target list can select its people by: a registry, one entry per kind.

Each rule is a condition over `residents` built only from residents.eligibility (never
restated here), plus the words that say why a person is on the list. A rule that
selects roster rows instead (the unmatched of a school roster or voter list) plugs in
the same way: `Rule.source` says which table its members come from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from jemput.residents import eligibility as e
from jemput.residents.codes import KTP_STATUS_LABELS_ID


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


def _parse_date(text: str) -> date:
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


def _unmatched_words(c: Candidate | None, p: dict[str, Any], on: date) -> Words:
    return ("Tercantum di daftar sekolah/pemilih, tidak ditemukan di SIAK",
            "On the school or voter list, not found in the registry")


RULES: dict[str, Rule] = {rule.key: rule for rule in (
    Rule("belum-rekam", ("Wajib KTP belum rekam", "Wajib KTP, not recorded"),
         lambda on, p: e.not_recorded_sql(on=on),
         _age_words(("Wajib KTP belum rekam", "Wajib KTP, not recorded"))),
    Rule("rekam-16", ("Boleh rekam (16+) dan belum rekam", "May record (16+), not recorded"),
         lambda on, p: _recordable_not_recorded(on),
         _age_words(("Boleh rekam, belum rekam", "May record, not recorded"))),
    Rule("pemula-sebelum", ("Pemula berumur 17 sebelum tanggal",
                            "First-timers turning 17 before a date"),
         _pemula_before, _pemula_before_words, params={"before": _parse_date}),
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
    # The unmatched of a roster or voter list: roster rows no link places in the registry.
    # TODO(linkage): the links (roster_links) are built on the linkage branch; once merged,
    # its service supplies the rows with no accepted link (register_unmatched_rows) and
    # this rule selects them. Until then creating such a list is refused with a message.
    Rule("belum-padan", ("Di daftar sekolah/pemilih, tidak ada di SIAK",
                         "On a school or voter list, not in the registry"),
         None, _unmatched_words, source="roster_rows"),
)}

# Supplied by the linkage domain, called with keyword arguments session, area_code and
# institution_npsn: the (roster_row id, desa_code) of the current rosters' rows of that
# area or institution that no link places in the registry. A hook, so targets never reads
# linkage's tables itself.
UnmatchedRows = Callable[..., list[tuple[int, str | None]]]
_unmatched_rows: list[UnmatchedRows] = []


def register_unmatched_rows(provider: UnmatchedRows) -> None:
    """Let the linkage domain say which roster rows have no resident (idempotent)."""
    if provider not in _unmatched_rows:
        _unmatched_rows.append(provider)


def unregister_unmatched_rows(provider: UnmatchedRows) -> None:
    """Withdraw a provider (a test's, or linkage's when it is switched off)."""
    if provider in _unmatched_rows:
        _unmatched_rows.remove(provider)


def unmatched_provider() -> UnmatchedRows | None:
    return _unmatched_rows[0] if _unmatched_rows else None


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
            raise RuleError(f"aturan {rule.key} perlu parameter {name}")
        parsed[name] = parse(given[name])
    return parsed


def dump_params(params: dict[str, Any]) -> dict[str, str]:
    return {key: value.isoformat() if isinstance(value, date) else str(value)
            for key, value in params.items()}
