"""Interface strings of the campaign pages, merged into jemput.i18n's table at import."""

from __future__ import annotations

from jemput.i18n import STRINGS

_OUTREACH_STRINGS: dict[str, dict[str, str]] = {
    "nav.campaigns": {"id": "Kampanye", "en": "Campaigns"},
    "outreach.title": {"id": "Kampanye jemput bola", "en": "Outreach campaigns"},
    "outreach.resources": {"id": "Sumber daya dan kalender", "en": "Resources and calendar"},
    "outreach.new": {"id": "Buat kampanye", "en": "New campaign"},
    "outreach.name": {"id": "Nama", "en": "Name"},
    "outreach.area": {"id": "Kode wilayah", "en": "Area code"},
    "outreach.period": {"id": "Periode", "en": "Period"},
    "outreach.starts": {"id": "Mulai", "en": "Starts"},
    "outreach.ends": {"id": "Selesai", "en": "Ends"},
    "outreach.status": {"id": "Status", "en": "Status"},
    "outreach.programmes": {"id": "Program", "en": "Programmes"},
    "outreach.teams": {"id": "Tim", "en": "Teams"},
    "outreach.lists": {"id": "Daftar sasaran", "en": "Target lists"},
    "outreach.create": {"id": "Simpan", "en": "Save"},
    "outreach.kind": {"id": "Jenis", "en": "Kind"},
    "outreach.weekdays": {"id": "Hari operasi (0=Senin … 6=Minggu)",
                          "en": "Operating weekdays (0=Monday … 6=Sunday)"},
    "outreach.setup": {"id": "Persiapan per singgahan (menit)", "en": "Setup per stop (min)"},
    "outreach.minutes": {"id": "Menit per orang (kategori=menit, dipisah koma)",
                         "en": "Minutes per person (category=minutes, comma-separated)"},
    "outreach.members": {"id": "Anggota (dipisah koma)", "en": "Members (comma-separated)"},
    "outreach.skills": {"id": "Keahlian/pendamping", "en": "Skills/escorts"},
    "outreach.kits": {"id": "Alat rekam", "en": "Recording kits"},
    "outreach.vehicle": {"id": "Kendaraan", "en": "Vehicle"},
    "outreach.base": {"id": "Pangkalan", "en": "Base"},
    "outreach.lat": {"id": "Lintang", "en": "Latitude"},
    "outreach.lng": {"id": "Bujur", "en": "Longitude"},
    "outreach.unavailable": {"id": "Tim tidak tersedia", "en": "Teams unavailable"},
    "outreach.unavailable_help": {
        "id": "Tim (atau satu anggotanya) yang cuti atau bertugas lain pada tanggal ini. Tim "
        "tanpa anggota yang tersedia tidak dijadwalkan hari itu. Alat rekam dihitung per "
        "hari: tim yang berangkat bersamaan tidak membawa lebih dari alat rekam kantor.",
        "en": "A team (or one member) on leave or on another assignment on these dates. A "
        "team with no member available is not planned that day. Kits are counted per day: "
        "the teams out together carry no more than the office's recording kits."},
    "outreach.member": {"id": "Anggota", "en": "Member"},
    "outreach.whole_team": {"id": "seluruh tim", "en": "whole team"},
    "outreach.available_again": {"id": "Tersedia lagi", "en": "Available again"},
    "outreach.contacts": {"id": "Kontak tempat sesi", "en": "Session site contacts"},
    "outreach.contacts_help": {
        "id": "Siapa yang dihubungi tim untuk sesi di balai desa (perangkat desa) atau di "
        "sekolah (koordinator). Dicetak di lembar kerja. Kosongkan nama untuk menghapus.",
        "en": "Whom the team calls about a session at the balai desa (a village official) "
        "or at a school (its coordinator). Printed on the day sheet. Empty the name to "
        "remove it."},
    "outreach.phone": {"id": "Telepon", "en": "Phone"},
    "outreach.calendar": {"id": "Kalender kerja", "en": "Work calendar"},
    "outreach.office_hours": {"id": "Jam kantor", "en": "Office hours"},
    "outreach.school_hours": {"id": "Jam sekolah", "en": "School hours"},
    "outreach.friday_break": {"id": "Istirahat salat Jumat", "en": "Friday prayer break"},
    "outreach.ramadan": {"id": "Ramadan (mulai, selesai, Jumat selesai pukul)",
                         "en": "Ramadan (start, end, Friday ends at)"},
    "outreach.queue": {"id": "Ambang antrean kantor (orang/hari)",
                       "en": "Office queue threshold (people/day)"},
    "outreach.queue_weeks": {"id": "Minggu pembanding", "en": "Weeks compared"},
    "outreach.queue_help": {
        "id": "Hari lapangan tidak dijadwalkan bila perkiraan antrean kantor di atas ambang. "
        "Perkiraan = rata-rata jumlah layanan pada hari yang sama dalam minggu-minggu "
        "sebelumnya.",
        "en": "No field day is planned when the office's expected queue is above the "
        "threshold. Expected = mean of the counts on the same weekday in the weeks before."},
    "outreach.holidays": {"id": "Hari libur", "en": "Public holidays"},
    "outreach.day": {"id": "Tanggal", "en": "Date"},
    "outreach.counts": {"id": "Jumlah layanan kantor per hari", "en": "Office daily counts"},
    "outreach.counts_help": {"id": "Tempel CSV: tanggal,jumlah (satu hari per baris)",
                             "en": "Paste CSV: date,count (one day per line)"},
    "outreach.plan": {"id": "Susun rencana", "en": "Make the plan"},
    "outreach.replan": {"id": "Rancang ulang (pertahankan yang sudah dikerjakan)",
                        "en": "Replan (keep what was done)"},
    "outreach.job": {"id": "Penyusunan rencana", "en": "Plan job"},
    "outreach.job_replan": {"id": "rancang ulang", "en": "replan"},
    "outreach.job_waiting": {"id": "Menunggu giliran di antrean pekerjaan latar...",
                             "en": "Waiting in the background job queue..."},
    "outreach.job_autorefresh": {
        "id": "Halaman ini diperbarui sendiri; rencananya tampil begitu selesai disusun.",
        "en": "This page updates itself; the plan appears as soon as it is ready."},
    "outreach.approve": {"id": "Setujui rencana", "en": "Approve the plan"},
    "outreach.no_plan": {"id": "Belum ada rencana.", "en": "No plan yet."},
    "outreach.version": {"id": "Rencana versi", "en": "Plan version"},
    "outreach.served": {"id": "Bobot terlayani", "en": "Weight served"},
    "outreach.planned": {"id": "orang terjadwal", "en": "people planned"},
    "outreach.left_out": {"id": "Belum masuk rencana", "en": "Left out"},
    "outreach.reason": {"id": "Alasan", "en": "Reason"},
    "outreach.arrives": {"id": "Tiba", "en": "Arrives"},
    "outreach.place": {"id": "Tempat", "en": "Place"},
    "outreach.escort": {"id": "Pendamping", "en": "Escort"},
    "outreach.people": {"id": "Warga", "en": "People"},
    "outreach.outcome": {"id": "Hasil", "en": "Outcome"},
    "outreach.record": {"id": "Catat", "en": "Record"},
    "outreach.category": {"id": "Kategori", "en": "Category"},
    "outreach.weight": {"id": "Bobot", "en": "Weight"},
    "outreach.notes": {"id": "Catatan perencana", "en": "Planner notes"},
    "outreach.json": {"id": "Rencana sebagai JSON", "en": "The plan as JSON"},
    "outreach.invitation": {"id": "Daftar undangan sesi", "en": "Session invitation list"},
    "outreach.my_routes": {"id": "Rute tim saya", "en": "My team's routes"},
    "outreach.all_sheets": {"id": "Semua lembar kerja (PDF)", "en": "All day sheets (PDF)"},
    "outreach.day_sheets": {"id": "Lembar kerja hari ini (PDF)", "en": "This day's sheets (PDF)"},
    "outreach.day_sheet": {"id": "Lembar kerja (PDF)", "en": "Day sheet (PDF)"},
    "outreach.plan_xlsx": {"id": "Rencana (XLSX)", "en": "Plan (XLSX)"},
    "outreach.no_routes": {"id": "Belum ada rute yang disetujui untuk tim Anda.",
                           "en": "No approved routes for your team yet."},
    "outreach.leaves": {"id": "Berangkat", "en": "Leaves"},
    "outreach.returns": {"id": "Kembali", "en": "Returns"},
    "plan_map.title": {"id": "Peta rencana", "en": "Plan map"},
    "plan_map.help": {"id": "Garis berwarna: rute satu tim satu hari, dari pangkalan melalui "
                      "singgahan berurutan (angka) lalu kembali. Klik singgahan untuk jam, jenis "
                      "dan jumlah warga.",
                      "en": "Coloured lines: one team's day, from its base through its stops in "
                      "order (numbers) and back. Click a stop for its time, kind and head count."},
    "plan_map.all_days": {"id": "Semua hari", "en": "All days"},
    "plan_map.all_teams": {"id": "Semua tim", "en": "All teams"},
    "plan_map.show": {"id": "Tampilkan", "en": "Show"},
    "plan_map.planned_here": {"id": "orang terjadwal di desa ini",
                              "en": "people planned in this desa"},
    "plan_map.base": {"id": "Pangkalan", "en": "Base of"},
    "plan_map.stops": {"id": "singgahan", "en": "stops"},
    "plan_map.people": {"id": "orang", "en": "people"},
    "plan_map.kind.sesi": {"id": "Sesi kolektif di balai desa",
                           "en": "Collective session at the balai desa"},
    "plan_map.kind.sekolah": {"id": "Sesi sekolah/pesantren", "en": "School/pesantren session"},
    "plan_map.kind.rumah": {"id": "Kunjungan rumah", "en": "Home visit"},
}

STRINGS.update(_OUTREACH_STRINGS)
