"""Why a person was left out of a plan, in the words the office reads (Indonesian)."""

from __future__ import annotations

from datetime import date

from jemput.planning.problem import ProgrammeKind, Skill

SKILL_WORDS: dict[Skill, str] = {
    Skill.ESCORT_DINSOS: "pendamping Dinsos",
    Skill.ESCORT_POLICE: "pendamping Bhabinkamtibmas",
    Skill.ESCORT_HEALTH: "pendamping Puskesmas",
    Skill.ODGJ_EXPERIENCE: "pengalaman menangani ODGJ",
    Skill.SIGN_LANGUAGE: "bahasa isyarat",
}

PROGRAMME_WORDS: dict[ProgrammeKind, str] = {
    ProgrammeKind.DOOR_TO_DOOR: "kunjungan rumah",
    ProgrammeKind.MOBILE_UNIT: "layanan keliling (sesi di balai desa)",
    ProgrammeKind.SCHOOL: "sesi sekolah",
}

NO_KIT = "tidak ada tim yang membawa alat perekam"
NO_PROGRAMME = "tidak ada program yang dapat melayaninya (kunjungan rumah atau sesi)"
NO_TIME = "waktu tim tidak cukup dalam periode kampanye (prioritas lain didahulukan)"
TOO_FAR = ("tidak terjangkau dalam satu hari kerja: perjalanan dari markas tim dan "
           "waktu layanan melebihi jam kerja")
SOLVER_DROPPED = "rute yang memuatnya tidak memenuhi batasan dan dibuang"


def no_skill(needs: frozenset[Skill]) -> str:
    return "tidak ada tim dengan keahlian yang dibutuhkan: " + _skills(needs)


def no_skill_day(needs: frozenset[Skill], kind: ProgrammeKind) -> str:
    return (f"tim dengan keahlian {_skills(needs)} tidak bertugas pada hari "
            f"{PROGRAMME_WORDS[kind]}")


def no_work_day(kind: ProgrammeKind) -> str:
    return f"tidak ada hari kerja (atau jam sekolah) untuk {PROGRAMME_WORDS[kind]}"


def _skills(needs: frozenset[Skill]) -> str:
    return ", ".join(SKILL_WORDS[s] for s in sorted(needs))


def no_day_before(deadline: date, kind: ProgrammeKind) -> str:
    return (f"tidak ada hari kerja untuk {PROGRAMME_WORDS[kind]} sampai batas waktunya "
            f"{deadline:%d-%m-%Y} (pemula: harus direkam sebelum hari itu)")


def no_time_before(deadline: date) -> str:
    return (f"waktu tim tidak cukup sampai batas waktunya {deadline:%d-%m-%Y} "
            "(prioritas lain didahulukan)")
