"""The kinds of need, the approaches and the consent states a care profile speaks of.

Each code has an i18n key `care.<table>.<code>`; the order of each table is the order
pages show. Disability codes follow SIAK PNYDNG_CCT (residents/codes.py).
"""

from __future__ import annotations

from jemput.residents.codes import Disability

# SIAK disability codes first, then the conditions the registry flags, then the desa's own.
NEEDS: tuple[str, ...] = (
    *(f"disabilitas_{code.value}" for code in Disability),
    "odgj",
    "terbaring",  # bedridden
    "lansia",
    "lainnya",  # what the desa reports; described in need_notes
)
APPROACHES: tuple[str, ...] = (
    "kunjungan_rumah",  # home visit
    "dinsos",  # escort by the social services office
    "bhabinkamtibmas",  # escort by the village police officer
    "puskesmas",  # escort by the community health centre
    "keluarga",  # escort by family
    "bahasa_isyarat",  # sign language
    "waktu_tenang",  # a calm time of day (which one: approach_notes)
)
CONSENT: tuple[str, ...] = ("belum_ditanya", "diberikan", "ditolak")

PENDING, ACCEPTED, DECLINED = "menunggu", "diterima", "ditolak"
REFERRAL_STATUSES: tuple[str, ...] = (PENDING, ACCEPTED, DECLINED)


class CodeRefused(ValueError):
    """A code outside its table."""


def parse_codes(values: list[str], table: tuple[str, ...], what: str) -> str:
    """Return the codes as stored (comma-separated, in table order); refuse unknown ones."""
    chosen = {value.strip() for value in values if value.strip()}
    unknown = sorted(chosen - set(table))
    if unknown:
        raise CodeRefused(f"{what}: kode tidak dikenal {', '.join(u[:30] for u in unknown)}")
    return ",".join(code for code in table if code in chosen)


def split_codes(stored: str | None) -> list[str]:
    """Return the stored codes as a list."""
    return [code for code in (stored or "").split(",") if code]
