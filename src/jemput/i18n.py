"""Indonesian-first interface strings with English as the second locale.

Templates call `t("key")`; the locale comes from the template context (the signed-in
user's choice, Indonesian otherwise). A key missing from English falls back to
Indonesian, and a key missing altogether shows itself, so a gap is visible, not fatal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from jemput import clock

DEFAULT_LOCALE = "id"
LOCALES = ("id", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app.name": {"id": "Jemput", "en": "Jemput"},
    "app.tagline": {
        "id": "Jemput bola perekaman KTP-el",
        "en": "KTP-el outreach recording",
    },
    "nav.dashboard": {"id": "Dasbor", "en": "Dashboard"},
    "nav.map": {"id": "Peta", "en": "Map"},
    "nav.residents": {"id": "Cari penduduk", "en": "Find residents"},
    "nav.import": {"id": "Impor", "en": "Import"},
    "nav.rosters": {"id": "Daftar siswa & pemilih", "en": "Rosters & voter lists"},
    "nav.users": {"id": "Pengguna", "en": "Users"},
    "nav.devices": {"id": "Perangkat", "en": "Devices"},
    "nav.audit": {"id": "Audit", "en": "Audit"},
    "nav.account": {"id": "Akun saya", "en": "My account"},
    "nav.logout": {"id": "Keluar", "en": "Sign out"},
    "nav.language": {"id": "Bahasa", "en": "Language"},
    "login.title": {"id": "Masuk", "en": "Sign in"},
    "login.username": {"id": "Nama pengguna", "en": "Username"},
    "login.password": {"id": "Kata sandi", "en": "Password"},
    "login.submit": {"id": "Masuk", "en": "Sign in"},
    "dashboard.title": {"id": "Dasbor", "en": "Dashboard"},
    "dashboard.welcome": {"id": "Selamat datang", "en": "Welcome"},
    "dashboard.placeholder": {
        "id": "Ringkasan cakupan perekaman akan tampil di sini.",
        "en": "The recording coverage summary will appear here.",
    },
    # The landing page of roles whose own pages are still to come: say what Jemput will
    # do for them (ARCHITECTURE.md, Users) instead of pointing at a menu with nothing in it.
    "landing.soon": {"id": "Segera hadir untuk Anda", "en": "Coming for you"},
    "landing.petugas": {
        "id": "Sebagai petugas perekaman, Anda akan menerima daftar kunjungan tim Anda di "
        "laptop lapangan. Daftar itu tetap bisa dibuka tanpa sinyal; hasil tiap kunjungan "
        "(terekam, tidak di rumah, pindah, meninggal, perlu pendamping) dicatat di tempat "
        "lalu disinkronkan ke kantor ketika ada sinyal, tanpa ada yang hilang atau tercatat "
        "dua kali.",
        "en": "As a field officer, you will get your team's visit lists on the field laptop. "
        "They open without a signal; you record each visit's outcome (recorded, not home, "
        "moved, died, needs an escort) on the spot, and it syncs with the office when there "
        "is a signal, with nothing lost and nothing counted twice.",
    },
    "landing.sekolah": {
        "id": "Sebagai koordinator sekolah atau pesantren, Anda akan melihat daftar siswa "
        "lembaga Anda yang berusia 16 tahun atau menjelang 17 tahun beserta status "
        "perekaman KTP-el mereka, jadwal sesi perekaman di lembaga Anda, dan kartu yang siap "
        "diserahkan kepada siswa.",
        "en": "As a school or pesantren coordinator, you will see the students of your "
        "institution who are 16 or about to turn 17 with their KTP-el recording status, the "
        "dates of recording sessions at your institution, and the cards ready to hand over.",
    },
    "landing.mitra": {
        "id": "Sebagai mitra (Dinas Sosial, Bhabinkamtibmas, Puskesmas), Anda akan menerima "
        "permintaan pendampingan yang ditujukan kepada lembaga Anda, misalnya warga "
        "terbaring sakit atau ODGJ yang perlu didampingi saat petugas merekam di rumah, "
        "lengkap dengan jadwalnya, dan dapat mencatat bahwa pendampingan sudah dilakukan.",
        "en": "As a partner agency (social services, village police, community health "
        "centre), you will receive the escort requests addressed to your agency, such as a "
        "bedridden resident or a person with a mental illness who needs someone with them "
        "while officers record at home, with their dates, and record that the escort took "
        "place.",
    },
    "landing.not_yet": {
        "id": "Fitur ini belum tersedia di Jemput. Sampai saat itu Disdukcapil menghubungi "
        "Anda langsung seperti biasa.",
        "en": "This is not in Jemput yet. Until it is, the population office contacts you "
        "directly, as it does today.",
    },
    "landing.now": {
        "id": "Yang sudah bisa Anda lakukan sekarang: mengganti kata sandi dan bahasa di",
        "en": "What you can already do: change your password and language under",
    },
    # Breadcrumbs and links name areas, not codes.
    "report.trail": {"id": "Letak wilayah", "en": "Where this area sits"},
    "report.area_page": {"id": "Rincian dan daftar nama", "en": "Details and named lists of"},
    "level.kabupaten": {"id": "Kabupaten", "en": "Regency"},
    "level.kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "level.desa": {"id": "Desa", "en": "Desa"},
    # Kemendagri numbers kelurahan 1xxx and desa 2xxx inside a kecamatan.
    "level.kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "account.title": {"id": "Akun saya", "en": "My account"},
    "account.role": {"id": "Peran", "en": "Role"},
    "account.scope": {"id": "Wilayah/lingkup", "en": "Scope"},
    "account.change_password": {"id": "Ganti kata sandi", "en": "Change password"},
    "account.current_password": {"id": "Kata sandi saat ini", "en": "Current password"},
    "account.new_password": {"id": "Kata sandi baru", "en": "New password"},
    "account.repeat_password": {"id": "Ulangi kata sandi baru", "en": "Repeat new password"},
    "account.password_changed": {
        "id": "Kata sandi diganti. Silakan masuk lagi.",
        "en": "Password changed. Please sign in again.",
    },
    "account.must_change": {
        "id": "Kata sandi Anda sementara (dibuat oleh orang lain). Ganti dulu di sini sebelum "
              "memakai Jemput.",
        "en": "Your password is temporary (someone else chose it). Change it here before "
              "using Jemput.",
    },
    "common.save": {"id": "Simpan", "en": "Save"},
    "common.name": {"id": "Nama", "en": "Name"},
    "common.status": {"id": "Status", "en": "Status"},
    "common.active": {"id": "Aktif", "en": "Active"},
    "common.inactive": {"id": "Nonaktif", "en": "Disabled"},
    "common.filter": {"id": "Saring", "en": "Filter"},
    "common.created": {"id": "Dibuat", "en": "Created"},
    "common.actions": {"id": "Tindakan", "en": "Actions"},
    "common.none": {"id": "Tidak ada data.", "en": "No data."},
    "common.back": {"id": "Kembali", "en": "Back"},
    "users.title": {"id": "Pengguna", "en": "Users"},
    "users.create": {"id": "Tambah pengguna", "en": "Add user"},
    "users.full_name": {"id": "Nama lengkap", "en": "Full name"},
    "users.institution": {"id": "Kode lembaga (NPSN)", "en": "Institution id (NPSN)"},
    "users.team": {"id": "Tim", "en": "Team"},
    "users.region": {"id": "Kode wilayah", "en": "Region code"},
    "users.disable": {"id": "Nonaktifkan", "en": "Disable"},
    "users.reset_password": {"id": "Atur ulang sandi", "en": "Reset password"},
    "users.locked": {"id": "Terkunci", "en": "Locked"},
    "devices.title": {"id": "Perangkat & token API", "en": "Devices & API tokens"},
    "devices.create": {"id": "Buat token", "en": "Create token"},
    "devices.revoke": {"id": "Cabut", "en": "Revoke"},
    "devices.revoked": {"id": "Dicabut", "en": "Revoked"},
    "devices.last_used": {"id": "Terakhir dipakai", "en": "Last used"},
    "devices.owner": {"id": "Pemilik", "en": "Owner"},
    "secret.title": {"id": "Simpan sekarang", "en": "Save it now"},
    "secret.once": {
        "id": "Nilai ini hanya ditampilkan sekali. Catat dan serahkan dengan aman.",
        "en": "This value is shown only once. Note it down and hand it over safely.",
    },
    "audit.title": {"id": "Log audit", "en": "Audit log"},
    "audit.at": {"id": "Waktu", "en": "Time"},
    "audit.actor": {"id": "Pelaku", "en": "Actor"},
    "audit.action": {"id": "Tindakan", "en": "Action"},
    "audit.object": {"id": "Objek", "en": "Object"},
    "audit.since": {"id": "Dari tanggal", "en": "From"},
    "audit.until": {"id": "Sampai tanggal", "en": "Until"},
    "audit.region": {"id": "Wilayah", "en": "Region"},
    "audit.scoped": {
        "id": "Hanya entri tentang wilayah {scope} dan tindakan pengguna di dalamnya.",
        "en": "Only entries about region {scope} and actions by its users.",
    },
    "audit.chain_ok": {"id": "Rantai hash utuh", "en": "Hash chain intact"},
    "audit.chain_bad": {"id": "Rantai hash RUSAK pada entri", "en": "Hash chain BROKEN at entry"},
    "error.not_found": {"id": "Tidak ditemukan", "en": "Not found"},
    "error.forbidden": {"id": "Tidak berwenang", "en": "Not allowed"},
    "error.csrf": {
        "id": "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
        "en": "The form expired or is invalid. Reload the page and try again.",
    },
    "error.server": {"id": "Terjadi kesalahan pada server", "en": "Server error"},
}


def translate(key: str, locale: str = DEFAULT_LOCALE) -> str:
    """Return the string for `key` in `locale`, falling back to Indonesian, then the key."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(locale) or entry.get(DEFAULT_LOCALE) or key


@pass_context
def t(context: Context, key: str) -> str:
    """Jinja global: translate `key` into the locale in the template context."""
    locale: Any = context.get("locale", DEFAULT_LOCALE)
    return translate(key, locale if locale in LOCALES else DEFAULT_LOCALE)


def format_number(number: int | float, locale: str = DEFAULT_LOCALE, decimals: int = 2) -> str:
    """Group digits the way the locale writes them: 770.000 in Indonesian, 770,000 in English.

    Whole numbers are written whole; others with `decimals` places (1.234,5 with 1).
    """
    text = f"{number:,}" if isinstance(number, int) else f"{number:,.{decimals}f}"
    if locale == "id":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(percent: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """Write a percentage with two decimals: 97,55% in Indonesian, 97.55% in English."""
    if percent is None:
        return "–"
    return f"{format_number(float(percent), locale)}%"


_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def format_date(value: date | str | None, locale: str = DEFAULT_LOCALE) -> str:
    """Write a date as people read it: 30 Juni 2026 (ISO text is accepted too)."""
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    months = _MONTHS.get(locale, _MONTHS[DEFAULT_LOCALE])
    return f"{day.day} {months[day.month - 1]} {day.year}"


@pass_context
def date_filter(context: Context, value: date | str | None) -> str:
    """Jinja filter `tanggal`: a date in the reader's locale."""
    return format_date(value, context.get("locale", DEFAULT_LOCALE))


def format_datetime(
    value: datetime | None, locale: str = DEFAULT_LOCALE, *, seconds: bool = False
) -> str:
    """Write a stored timestamp on the office's clock: 1 Juli 2026 03.00 WIB."""
    if value is None:
        return ""
    if value.tzinfo is None:
        # SQLite hands DateTime(timezone=True) columns back naive; every one holds UTC.
        value = value.replace(tzinfo=UTC)
    local = clock.to_local(value)
    # Indonesian writes 03.00 (PUEBI), English 03:00.
    pattern = "%H.%M" if locale == "id" else "%H:%M"
    if seconds:
        pattern += ".%S" if locale == "id" else ":%S"
    return f"{format_date(local.date(), locale)} {local.strftime(pattern)} {local.tzname()}"


@pass_context
def datetime_filter(context: Context, value: datetime | None, seconds: bool = False) -> str:
    """Jinja filter `waktu`: a timestamp in the office's time zone and the reader's locale."""
    return format_datetime(value, context.get("locale", DEFAULT_LOCALE), seconds=seconds)


@pass_context
def number_filter(context: Context, value: int | float) -> str:
    """Jinja filter `angka`: a number grouped the way the reader's locale writes it."""
    return format_number(value, context.get("locale", DEFAULT_LOCALE))
