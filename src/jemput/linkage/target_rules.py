"""What the linked rosters answer, as target-list rules; imported by domains.connect().

Each rule selects exactly the people its roster page counts (the conditions live in
selections.py and both use them): a school's students to record on its session date,
a desa's or TPS's voters without a recording, the 16-17s on no school roster. The
roster source tells target lists which roster rows no link places, which of them a
link now places, and who a school's students are, so targets never reads our tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement

from jemput.linkage import selections
from jemput.residents.eligibility import age_on
from jemput.residents.models import Resident
from jemput.targets import rules

Words = rules.Words


def _session_words(c: rules.Candidate, p: dict[str, Any], on: date) -> Words:
    day = p["date"]
    age = age_on(c.birth_date, day)
    return (f"Siswa 16+ belum rekam pada sesi {day:%d-%m-%Y} (umur {age})",
            f"Student 16+ not recorded by the session of {day:%d %b %Y} (age {age})")


def _voter_words(c: rules.Candidate, p: dict[str, Any], on: date) -> Words:
    at = f" TPS {p['tps']}" if p.get("tps") else ""
    return (f"Pemilih DPT{at}, belum rekam KTP-el", f"Voter{at}, no KTP-el recording")


def _out_of_school_words(c: rules.Candidate, p: dict[str, Any], on: date) -> Words:
    age = age_on(c.birth_date, p["date"])
    recorded = c.status not in (None, "UNREGISTERED")
    state_id, state_en = ("sudah rekam", "recorded") if recorded else (
        "belum rekam", "not recorded")
    return (f"Umur {age}, tidak ada di daftar sekolah/pesantren mana pun ({state_id})",
            f"Aged {age}, on no school or pesantren roster ({state_en})")


def _voters_place(area_code: str, p: dict[str, Any]) -> ColumnElement[bool]:
    # A voter belongs to the desa and TPS of the voter list, wherever SIAK has them live.
    return Resident.id.in_(selections.voters_in(area_code, p.get("tps")))


RULES = (
    rules.Rule("siswa-16", ("Siswa 16+ pada tanggal sesi, belum rekam",
                            "Students 16+ on the session date, not recorded"),
               lambda on, p: selections.student_to_record_sql(on=p["date"]), _session_words,
               params={"date": rules.parse_date}, institution="must",
               title="Siswa 16+ belum rekam"),
    rules.Rule("pemilih-belum-rekam", ("Pemilih DPT belum rekam KTP-el",
                                       "Voters with no KTP-el recording"),
               lambda on, p: selections.voter_not_recorded_sql(on=on), _voter_words,
               params={"tps": rules.parse_tps}, optional=frozenset({"tps"}),
               institution="never", place=_voters_place, title="Pemilih belum rekam KTP-el"),
    rules.Rule("luar-sekolah", ("Umur 16–17 di luar sekolah", "Aged 16–17, out of school"),
               lambda on, p: selections.out_of_school_sql(on=p["date"]), _out_of_school_words,
               params={"date": rules.parse_date}, institution="never",
               title="Usia 16–17 di luar sekolah"),
)


def connect() -> None:
    """Give target lists the roster rules and the roster source (idempotent)."""
    for rule in RULES:
        rules.register_rule(rule)
    rules.register_roster_source(rules.RosterSource(
        unmatched=selections.unmatched_rows, linked=selections.linked_rows,
        students=selections.students_of))


connect()
