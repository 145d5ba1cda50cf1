"""Interface strings of the linkage review page, merged into jemput.i18n's table at import."""

from __future__ import annotations

from jemput.i18n import STRINGS

_LINKAGE_STRINGS: dict[str, dict[str, str]] = {
    "linkage.title": {"id": "Tinjau tautan daftar", "en": "Review roster links"},
    "linkage.intro": {
        "id": "Pasangan yang belum pasti: baris daftar (sekolah, pesantren, DPT) di kiri, "
              "penduduk di kanan. Yang berbeda ditandai. Keputusan Anda dipakai lagi setiap "
              "kali daftar yang sama diimpor ulang.",
        "en": "Uncertain pairs: the roster row (school, pesantren, voter list) on the left, "
              "the resident on the right. Differences are marked. Your decision is reused "
              "whenever the same list is imported again.",
    },
    "linkage.none": {"id": "Tidak ada pasangan yang menunggu tinjauan.",
                     "en": "No pairs are waiting for review."},
    "linkage.row": {"id": "Baris daftar", "en": "Roster row"},
    "linkage.resident": {"id": "Penduduk", "en": "Resident"},
    "linkage.line": {"id": "baris", "en": "line"},
    "linkage.score": {"id": "Skor", "en": "Score"},
    "linkage.accept": {"id": "Orang yang sama", "en": "Same person"},
    "linkage.reject": {"id": "Bukan orang yang sama", "en": "Not the same person"},
    "linkage.field.nik": {"id": "NIK", "en": "NIK"},
    "linkage.field.name": {"id": "Nama", "en": "Name"},
    "linkage.field.sex": {"id": "Jenis kelamin", "en": "Sex"},
    "linkage.field.birth_date": {"id": "Tanggal lahir", "en": "Date of birth"},
    "linkage.field.desa_code": {"id": "Desa", "en": "Desa"},
    "linkage.differs": {"id": "berbeda", "en": "differs"},
    "nav.review_links": {"id": "Tinjau tautan", "en": "Review links"},
}

STRINGS.update(_LINKAGE_STRINGS)
