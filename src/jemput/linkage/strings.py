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
    "linkage.waiting": {"id": "Menunggu tinjauan", "en": "Waiting for review"},
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
    "nav.roster_schools": {"id": "Siswa", "en": "Students"},
    "nav.roster_voters": {"id": "Pemilih", "en": "Voters"},
    "answers.date": {"id": "Tanggal sesi", "en": "Session date"},
    "answers.minutes": {"id": "Menit per orang", "en": "Minutes per person"},
    "answers.show": {"id": "Tampilkan", "en": "Show"},
    "answers.schools": {"id": "Siswa per sekolah dan pesantren", "en": "Students per school and pesantren"},
    "answers.schools_intro": {
        "id": "Siswa yang pada tanggal sesi sudah 16 tahun dan belum rekam, menurut daftar "
              "sekolah yang tertaut ke penduduk; dan siswa yang sudah rekam pada usia 16 tahun "
              "dan kartunya menunggu ulang tahun ke-17.",
        "en": "Students who are 16 or older on the session date and not recorded, from the "
              "school rosters linked to residents; and students recorded at 16 whose card "
              "waits for their 17th birthday.",
    },
    "answers.not_recorded": {"id": "Belum rekam", "en": "Not recorded"},
    "answers.session": {"id": "Lama sesi", "en": "Session length"},
    "answers.minutes_unit": {"id": "menit", "en": "minutes"},
    "answers.waiting": {"id": "Sudah rekam, kartu menunggu usia 17", "en": "Recorded, card waits for 17"},
    "answers.card_from": {"id": "Kartu sejak", "en": "Card from"},
    "answers.class": {"id": "Kelas", "en": "Class"},
    "answers.name": {"id": "Nama", "en": "Name"},
    "answers.age": {"id": "Usia", "en": "Age"},
    "answers.none": {"id": "Tidak ada data untuk ditampilkan.", "en": "Nothing to show."},
    "answers.voters": {"id": "Pemilih per desa dan TPS", "en": "Voters per desa and TPS"},
    "answers.voters_intro": {
        "id": "Pemilih di DPT yang tertaut ke penduduk tetapi belum rekam KTP-el, dan pemilih "
              "yang tidak dikenal di data SIAK.",
        "en": "Voters on the list linked to a resident who has no KTP-el recording, and "
              "voters the registry does not know.",
    },
    "answers.tps": {"id": "TPS", "en": "Polling station"},
    "answers.voter_count": {"id": "Pemilih", "en": "Voters"},
    "answers.unknown": {"id": "Tidak dikenal SIAK", "en": "Unknown to the registry"},
    "answers.in_review": {"id": "Sedang ditinjau", "en": "In review"},
    "answers.total": {"id": "Jumlah", "en": "Total"},
    "answers.out_of_school": {"id": "Usia 16–17 di luar sekolah", "en": "Aged 16–17 out of school"},
    "answers.out_of_school_intro": {
        "id": "Penduduk berusia 16–17 tahun yang tidak ada di daftar sekolah atau pesantren "
              "mana pun: perlu dijangkau lewat jalur lain.",
        "en": "Residents aged 16–17 on no school or pesantren roster: they need another route.",
    },
    "answers.export": {"id": "Unduh XLSX", "en": "Download XLSX"},
    "answers.too_large": {
        "id": "Daftar ini terlalu besar untuk satu berkas. Pilih tanggal lain atau minta "
              "kantor memecahnya per kecamatan.",
        "en": "This list is too large for one file. Ask the office to split it by kecamatan.",
    },
    "answers.recorded": {"id": "Sudah rekam", "en": "Recorded"},
    "answers.make_list": {"id": "Jadikan daftar sasaran", "en": "Make a target list"},
    "answers.list_not_recorded": {"id": "Daftar belum rekam", "en": "List: not recorded"},
    "answers.list_unmatched": {"id": "Daftar tidak dikenal SIAK",
                               "en": "List: unknown to the registry"},
}

STRINGS.update(_LINKAGE_STRINGS)
