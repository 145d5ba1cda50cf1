"""Interface strings of the resident and import pages, merged into jemput.i18n."""

from __future__ import annotations

from jemput.i18n import STRINGS

_RESIDENT_STRINGS: dict[str, dict[str, str]] = {
    "res.search_title": {"id": "Cari penduduk", "en": "Find a resident"},
    "res.search_label": {"id": "NIK (16 digit) atau nama", "en": "NIK (16 digits) or name"},
    "res.search_button": {"id": "Cari", "en": "Search"},
    "res.search_hint": {
        "id": "Nama dicari dengan toleransi ejaan: ejaan lama (Soekarno, Djoko, Jusuf), huruf ganda (Muhammad/Muhamad), h yang hilang (Mochamad/Mohamad), y/i (Sity/Siti), a/o/u (Rahman/Rohman) dan e/i (Arief/Arif).",
        "en": "Names are matched tolerantly: old spelling (Soekarno, Djoko, Jusuf), double letters (Muhammad/Muhamad), a dropped h (Mochamad/Mohamad), y/i (Sity/Siti), a/o/u (Rahman/Rohman) and e/i (Arief/Arif).",
    },
    "res.nik_16": {"id": "NIK harus 16 digit.", "en": "A NIK has 16 digits."},
    "res.too_many": {
        "id": "Terlalu banyak yang cocok; yang tampil hanya sebagian. Tambahkan kata nama lain atau cari dengan NIK.",
        "en": "Too many matches; only some are shown. Add another word of the name or search by NIK.",
    },
    "res.age": {"id": "Umur", "en": "Age"},
    "res.born": {"id": "Tahun lahir", "en": "Born"},
    "res.sex_short": {"id": "L/P", "en": "Sex"},
    "res.dusun_rt": {"id": "Dusun · RT/RW", "en": "Dusun · RT/RW"},
    "res.count_all": {"id": "{total} penduduk cocok.", "en": "{total} residents match."},
    "res.count_some": {
        "id": "{total} penduduk cocok; {shown} yang paling mirip ditampilkan.",
        "en": "{total} residents match; the {shown} closest are shown.",
    },
    "res.desa": {"id": "Desa", "en": "Desa"},
    "res.ktp_status": {"id": "Status KTP-el", "en": "KTP-el status"},
    "res.no_match": {
        "id": "Tidak ada penduduk yang cocok di wilayah Anda.",
        "en": "No resident in your area matches.",
    },
    "common.yes": {"id": "Ya", "en": "Yes"},
    "common.no": {"id": "Tidak", "en": "No"},
    "res.identity": {"id": "Identitas", "en": "Identity"},
    "res.reveal_nik": {"id": "Tampilkan NIK", "en": "Show NIK"},
    "res.audited": {"id": "(tercatat di log audit)", "en": "(recorded in the audit log)"},
    "res.sex": {"id": "Jenis kelamin", "en": "Sex"},
    "res.birth": {"id": "Tempat, tanggal lahir", "en": "Place and date of birth"},
    "res.religion": {"id": "Agama", "en": "Religion"},
    "res.marital": {"id": "Status kawin", "en": "Marital status"},
    "res.relation": {"id": "Hubungan keluarga", "en": "Relationship in the household"},
    "res.citizenship": {"id": "Kewarganegaraan", "en": "Citizenship"},
    "res.life_status": {"id": "Status penduduk", "en": "Resident status"},
    "res.address": {"id": "Alamat", "en": "Address"},
    "res.history": {"id": "Riwayat status", "en": "Status history"},
    "res.when": {"id": "Waktu", "en": "When"},
    "res.from": {"id": "Dari", "en": "From"},
    "res.to": {"id": "Menjadi", "en": "To"},
    "res.source": {"id": "Sumber", "en": "Source"},
    "res.note": {"id": "Catatan", "en": "Note"},
    "res.vulnerability": {"id": "Kerentanan", "en": "Vulnerability"},
    "res.disability": {"id": "Disabilitas", "en": "Disability"},
    "res.bedridden": {"id": "Terbaring sakit", "en": "Bedridden"},
    "res.elderly": {"id": "Lansia (60+)", "en": "Elderly (60+)"},
    "res.home_visit": {"id": "Perlu kunjungan rumah", "en": "Needs a home visit"},
    "res.household": {"id": "Anggota keluarga (KK yang sama)", "en": "Household (same KK)"},
    "res.relation_short": {"id": "Hubungan", "en": "Relationship"},
    "res.wajib": {"id": "Wajib KTP", "en": "Must hold a KTP-el"},
    "res.may_record": {"id": "Boleh direkam (16+)", "en": "May be recorded (16+)"},
    "res.recorded": {"id": "Sudah rekam", "en": "Recorded"},
    "res.pemula": {"id": "Pemula (16–17 tahun)", "en": "First-timer (16–17)"},
    "res.follow_up": {"id": "Perlu tindak lanjut (rekam ganda/gagal enrol)", "en": "Follow-up needed (duplicate/failed enrolment)"},
    "res.due": {
        "id": "Akan dinonaktifkan (22+, belum rekam)",
        "en": "Due for deactivation (22+, never recorded)",
    },
    "res.years": {"id": "tahun", "en": "years"},
    "imp.title": {"id": "Impor data penduduk", "en": "Import residents"},
    "imp.recent": {"id": "Impor terakhir", "en": "Recent imports"},
    "imp.accept_valid": {
        "id": "Muat baris yang benar, sisihkan baris yang salah",
        "en": "Load the good rows, set the bad ones aside",
    },
    "imp.nothing_changes": {
        "id": "Berkas yang salah tidak mengubah data apa pun, kecuali pilihan di atas dicentang.",
        "en": "A file with mistakes changes nothing, unless the option above is ticked.",
    },
    "imp.data_date": {
        "id": "Tanggal data ekspor (kosong: hari ini)",
        "en": "Date of the exported data (empty: today)",
    },
    "imp.autorefresh": {
        "id": "Halaman ini diperbarui sendiri setiap detik.",
        "en": "This page refreshes itself every second.",
    },
    "imp.result": {"id": "Hasil", "en": "Result"},
    "imp.first_problems": {"id": "Masalah pertama", "en": "First problems"},
    "imp.covers": {
        "id": "Berkas ini lengkap untuk wilayah (opsional; kode kecamatan atau desa, pisahkan dengan koma), juga desa tanpa baris",
        "en": "This file is complete for these areas (optional; kecamatan or desa codes, comma-separated), including desas without rows",
    },
    "imp.coverage": {"id": "Cakupan berkas", "en": "Areas the file covers"},
    "imp.coverage_hint": {
        "id": "Penduduk hanya ditandai \"tidak ada lagi di ekspor\" di dalam cakupan ini.",
        "en": "Residents are marked \"no longer in the export\" only within these areas.",
    },
    "imp.scope": {"id": "Wilayah pengimpor", "en": "Importer's area"},
    "imp.download_report": {
        "id": "Unduh laporan galat (CSV)",
        "en": "Download the error report (CSV)",
    },
}

STRINGS.update(_RESIDENT_STRINGS)
