"""Interface strings of the care profile and referral pages, merged into jemput.i18n."""

from __future__ import annotations

from jemput.i18n import STRINGS, translate

_CARE_STRINGS: dict[str, dict[str, str]] = {
    "nav.care": {"id": "Penduduk rentan", "en": "Vulnerable residents"},
    "nav.referrals": {"id": "Rujukan", "en": "Referrals"},
    "care.need.disabilitas_1": {"id": "Disabilitas fisik", "en": "Physical disability"},
    "care.need.disabilitas_2": {"id": "Disabilitas netra", "en": "Blind"},
    "care.need.disabilitas_3": {"id": "Disabilitas rungu/wicara", "en": "Deaf or mute"},
    "care.need.disabilitas_4": {"id": "Disabilitas mental/jiwa", "en": "Mental disability"},
    "care.need.disabilitas_5": {"id": "Disabilitas fisik dan mental",
                                "en": "Physical and mental disability"},
    "care.need.disabilitas_6": {"id": "Disabilitas lainnya", "en": "Other disability"},
    "care.need.odgj": {"id": "ODGJ", "en": "Mental illness (ODGJ)"},
    "care.need.terbaring": {"id": "Terbaring sakit", "en": "Bedridden"},
    "care.need.lansia": {"id": "Lanjut usia", "en": "Elderly"},
    "care.need.lainnya": {"id": "Lainnya (laporan desa)", "en": "Other (desa's report)"},
    "care.approach.kunjungan_rumah": {"id": "Kunjungan rumah", "en": "Home visit"},
    "care.approach.dinsos": {"id": "Didampingi Dinas Sosial", "en": "Escort: social services"},
    "care.approach.bhabinkamtibmas": {"id": "Didampingi Bhabinkamtibmas",
                                      "en": "Escort: village police officer"},
    "care.approach.puskesmas": {"id": "Didampingi Puskesmas",
                                "en": "Escort: community health centre"},
    "care.approach.keluarga": {"id": "Didampingi keluarga", "en": "Escort: family"},
    "care.approach.bahasa_isyarat": {"id": "Bahasa isyarat", "en": "Sign language"},
    "care.approach.waktu_tenang": {"id": "Waktu yang tenang", "en": "A calm time of day"},
    "care.consent.belum_ditanya": {"id": "Belum ditanyakan", "en": "Not asked"},
    "care.consent.diberikan": {"id": "Diberikan", "en": "Given"},
    "care.consent.ditolak": {"id": "Ditolak", "en": "Refused"},
    "care.status.menunggu": {"id": "Menunggu tinjauan", "en": "Awaiting review"},
    "care.status.diterima": {"id": "Diterima", "en": "Accepted"},
    "care.status.ditolak": {"id": "Ditolak", "en": "Declined"},
    "care.list_title": {"id": "Penduduk rentan", "en": "Vulnerable residents"},
    "care.list_partner": {
        "id": "Sebagai mitra, Anda hanya melihat warga yang ditugaskan kepada Anda dan belum "
        "terjangkau, serta warga yang Anda rujuk (kecuali rujukannya ditolak).",
        "en": "As a partner agency, you see only the residents given to you and not yet "
        "reached, and those you referred (unless the referral was declined).",
    },
    "care.list_hint": {
        "id": "Daftar ini hanya menunjukkan jenis kebutuhan dan pendekatan. Catatan "
        "pendampingan, kontak wali dan kejadian ada di halaman masing-masing warga, hanya "
        "untuk yang berhak, dan setiap pembacaan tercatat di log audit.",
        "en": "This list shows only the kinds of need and approach. Care notes, the "
        "guardian's contact and incidents are on each resident's page, only for those "
        "entitled to them, and every read is recorded in the audit log.",
    },
    "care.none": {"id": "Belum ada profil penduduk rentan di wilayah Anda.",
                  "en": "No vulnerable resident profiles in your area yet."},
    "care.needs": {"id": "Kebutuhan", "en": "Needs"},
    "care.approaches": {"id": "Pendekatan", "en": "Approach"},
    "care.consent": {"id": "Persetujuan wali/keluarga", "en": "Guardian's or family's consent"},
    "care.consent_on": {"id": "Tanggal persetujuan", "en": "Date of consent"},
    "care.consent_by": {"id": "Ditanyakan oleh", "en": "Asked by"},
    "care.incidents": {"id": "Kejadian", "en": "Incidents"},
    "care.profile_title": {"id": "Profil penduduk rentan", "en": "Vulnerable resident profile"},
    "care.no_profile": {"id": "Belum ada profil untuk warga ini.",
                        "en": "This resident has no profile yet."},
    "care.need_notes": {"id": "Laporan desa tentang kebutuhan", "en": "The desa's report"},
    "care.approach_notes": {"id": "Catatan pendekatan (mis. jam yang tenang)",
                            "en": "Approach notes (e.g. a calm hour)"},
    "care.guardian": {"id": "Wali atau keluarga", "en": "Guardian or family"},
    "care.guardian_name": {"id": "Nama wali", "en": "Guardian's name"},
    "care.guardian_relation": {"id": "Hubungan", "en": "Relation"},
    "care.guardian_phone": {"id": "Telepon", "en": "Phone"},
    "care.safety_notes": {"id": "Catatan keselamatan dari kunjungan sebelumnya",
                          "en": "Safety notes from earlier visits"},
    "care.notes_hidden": {
        "id": "Catatan pendampingan hanya dapat dibaca kepala dinas, operator dan perangkat "
        "desa yang berwenang, serta mitra atau petugas yang ditugaskan.",
        "en": "Care notes can be read only by the head of office, operators and the desa "
        "official in charge, and by a partner or field officer assigned to this person.",
    },
    "care.notes_audited": {"id": "Pembacaan catatan ini tercatat di log audit.",
                           "en": "Reading these notes is recorded in the audit log."},
    "care.save": {"id": "Simpan profil", "en": "Save profile"},
    "care.saved": {"id": "Profil tersimpan.", "en": "Profile saved."},
    "care.attention": {"id": "Perhatian", "en": "Attention"},
    "care.attention_hint": {"id": "Baca sebelum berangkat ke rumah warga ini.",
                            "en": "Read before you go to this resident's home."},
    "care.add_incident": {"id": "Catat kejadian", "en": "Record an incident"},
    "care.happened_on": {"id": "Tanggal kejadian", "en": "Date"},
    "care.what": {"id": "Apa yang terjadi", "en": "What happened"},
    "care.who_present": {"id": "Siapa yang hadir", "en": "Who was there"},
    "care.follow_up": {"id": "Tindak lanjut yang diperlukan", "en": "Follow-up needed"},
    "care.recorded_by": {"id": "Dicatat oleh", "en": "Recorded by"},
    "care.open_profile": {"id": "Profil penduduk rentan", "en": "Vulnerable resident profile"},
    "ref.title": {"id": "Rujukan warga yang perlu dikunjungi",
                  "en": "Referrals of residents who need a visit"},
    "ref.new": {"id": "Rujuk warga", "en": "Refer a resident"},
    "ref.search": {"id": "Cari warga terdaftar (NIK atau nama)",
                   "en": "Find a registered resident (NIK or name)"},
    "ref.choose": {"id": "Pilih", "en": "Choose"},
    "ref.chosen": {"id": "Warga yang dirujuk", "en": "Resident referred"},
    "ref.not_found": {"id": "Tidak ditemukan di data kependudukan? Isi nama, alamat dan "
                      "telepon.", "en": "Not in the registry? Give name, address and phone."},
    "ref.person_name": {"id": "Nama", "en": "Name"},
    "ref.person_address": {"id": "Alamat", "en": "Address"},
    "ref.desa_code": {"id": "Kode desa", "en": "Desa code"},
    "ref.notes": {"id": "Keterangan", "en": "Details"},
    "ref.submit": {"id": "Kirim rujukan", "en": "Send referral"},
    "ref.sent": {"id": "Rujukan terkirim.", "en": "Referral sent."},
    "ref.mine": {"id": "Rujukan saya", "en": "My referrals"},
    "ref.queue": {"id": "Rujukan untuk ditinjau", "en": "Referrals to review"},
    "ref.none": {"id": "Belum ada rujukan.", "en": "No referrals yet."},
    "ref.by": {"id": "Dirujuk oleh", "en": "Referred by"},
    "ref.status": {"id": "Status", "en": "Status"},
    "ref.accept": {"id": "Terima", "en": "Accept"},
    "ref.decline": {"id": "Tolak", "en": "Decline"},
    "ref.reason": {"id": "Alasan", "en": "Reason"},
    "ref.link_resident": {"id": "ID penduduk (bila ternyata terdaftar)",
                          "en": "Resident id (if found in the registry)"},
    "ref.unregistered": {"id": "belum terdaftar", "en": "not registered"},
}
STRINGS.update(_CARE_STRINGS)


def label(table: str, code: str, locale: str) -> str:
    """Return the label of a need, approach, consent or status code in `locale`."""
    return translate(f"care.{table}.{code}", locale)
