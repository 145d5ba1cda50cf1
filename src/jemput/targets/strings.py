"""Interface strings of the target-list pages, merged into jemput.i18n's table at import."""

from __future__ import annotations

from jemput.i18n import STRINGS

_TARGET_STRINGS: dict[str, dict[str, str]] = {
    "nav.targets": {"id": "Sasaran", "en": "Targets"},
    "targets.title": {"id": "Daftar sasaran", "en": "Target lists"},
    "targets.new": {"id": "Buat daftar sasaran", "en": "New target list"},
    "targets.name": {"id": "Nama daftar", "en": "List name"},
    "targets.rule": {"id": "Aturan", "en": "Rule"},
    "targets.area": {"id": "Kode wilayah", "en": "Area code"},
    "targets.institution": {"id": "NPSN sekolah (opsional)", "en": "School NPSN (optional)"},
    "targets.before": {"id": "Tanggal (untuk pemula)", "en": "Date (for first-timers)"},
    "targets.session_date": {"id": "Tanggal sesi (siswa 16+, luar sekolah)",
                             "en": "Session date (students 16+, out of school)"},
    "targets.tps": {"id": "TPS (opsional)", "en": "Polling station (optional)"},
    "targets.roster_kind": {"id": "Jenis daftar (belum padan)",
                            "en": "Roster kind (unmatched)"},
    "targets.create": {"id": "Buat", "en": "Create"},
    "targets.members": {"id": "orang", "en": "people"},
    "targets.reason": {"id": "Alasan", "en": "Reason"},
    "targets.state": {"id": "Status tindak lanjut", "en": "Follow-up state"},
    "targets.assigned": {"id": "Ditugaskan ke", "en": "Assigned to"},
    "targets.refresh": {"id": "Perbarui", "en": "Refresh"},
    "targets.refreshed": {"id": "Diperbarui", "en": "Refreshed"},
    "targets.assign": {"id": "Tugaskan", "en": "Assign"},
    "targets.assign_help": {
        "id": "Tugaskan anggota yang dicentang, atau bila tidak ada yang dicentang, semua "
        "anggota terbuka yang cocok dengan desa/dusun/RT, kepada satu pengguna (desa, "
        "sekolah, mitra) atau satu tim petugas.",
        "en": "Assign the ticked members or, with none ticked, every open member matching "
        "the desa/dusun/RT, to one user (desa, school, partner) or one field team.",
    },
    "targets.username": {"id": "Nama pengguna", "en": "Username"},
    "targets.team": {"id": "Tim petugas", "en": "Field team"},
    "targets.move": {"id": "Ubah", "en": "Update"},
    "targets.outcome": {"id": "Hasil/alasan", "en": "Outcome/reason"},
    "targets.note": {"id": "Catatan", "en": "Note"},
    "targets.xlsx": {"id": "Unduh XLSX", "en": "Download XLSX"},
    "targets.pdf": {"id": "Cetak daftar (PDF)", "en": "Print list (PDF)"},
    "targets.my_work": {"id": "Tugas Anda", "en": "Your assignments"},
    "targets.no_work": {
        "id": "Belum ada warga yang ditugaskan kepada Anda. Kantor Disdukcapil akan "
        "menugaskan daftar sasaran; daftar itu akan tampil di sini.",
        "en": "No one has been assigned to you yet. When the Disdukcapil office assigns a "
        "target list, it appears here.",
    },
    "targets.dusun": {"id": "Dusun", "en": "Dusun"},
    "targets.rt": {"id": "RT", "en": "RT"},
    "targets.open_list": {"id": "Buka daftar lengkap", "en": "Open the full list"},
    "targets.desa_page": {"id": "Halaman desa Anda", "en": "Your desa's page"},
}

STRINGS.update(_TARGET_STRINGS)
