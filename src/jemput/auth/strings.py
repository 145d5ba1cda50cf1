"""Interface strings of the auth pages and messages, merged into jemput.i18n's table."""

from __future__ import annotations

from jemput.i18n import STRINGS

_AUTH_STRINGS: dict[str, dict[str, str]] = {
    # Password policy: one message per rule, so the user knows what to change.
    "password.length": {
        "id": "Kata sandi minimal {min} karakter.",
        "en": "The password needs at least {min} characters.",
    },
    "password.repetitive": {
        "id": "Kata sandi berulang atau berurutan (mis. aaaa…, abcd…, katakata); pilih yang lain.",
        "en": "The password repeats or runs in sequence (e.g. aaaa…, abcd…, wordword); "
        "choose another.",
    },
    "password.digits_only": {
        "id": "Kata sandi tidak boleh hanya angka.",
        "en": "The password cannot be digits only.",
    },
    "password.username": {
        "id": "Kata sandi tidak boleh memuat nama pengguna.",
        "en": "The password cannot contain the username.",
    },
    "password.context": {
        "id": "Kata sandi tidak boleh memuat “{word}” (nama orang, aplikasi, dinas atau wilayah).",
        "en": "The password cannot contain “{word}” (a name of the person, the app, the "
        "office or the region).",
    },
    "password.common": {
        "id": "Kata sandi terlalu umum (ada di daftar kata sandi yang sering dipakai); "
        "pilih yang lain.",
        "en": "The password is too common (it is on the list of often-used passwords); "
        "choose another.",
    },
    "password.guessable": {
        "id": "Kata sandi mudah ditebak (kata umum, tanggal, urutan papan ketik); tambahkan "
        "beberapa kata yang tidak berhubungan.",
        "en": "The password is easy to guess (common words, dates, keyboard runs); add a few "
        "unrelated words.",
    },
    # Sign-in throttling.
    "login.throttled": {
        "id": "Terlalu banyak percobaan masuk yang gagal dari alamat ini. Coba lagi dalam "
        "{wait}.",
        "en": "Too many failed sign-in attempts from this address. Try again in {wait}.",
    },
    "login.seconds": {"id": "{n} detik", "en": "{n} seconds"},
    "login.minutes": {"id": "{n} menit", "en": "{n} minutes"},
    # Sessions and the user's own tokens.
    "sessions.title": {"id": "Sesi & token saya", "en": "My sessions & tokens"},
    "sessions.active": {"id": "Sesi aktif", "en": "Active sessions"},
    "sessions.started": {"id": "Mulai", "en": "Started"},
    "sessions.last_seen": {"id": "Terakhir aktif", "en": "Last active"},
    "sessions.browser": {"id": "Peramban", "en": "Browser"},
    "sessions.this_one": {"id": "Sesi ini", "en": "This session"},
    "sessions.end": {"id": "Akhiri", "en": "End"},
    "sessions.end_all": {"id": "Keluar dari semua perangkat", "en": "Sign out everywhere"},
    "sessions.end_all_hint": {
        "id": "Mengakhiri semua sesi peramban Anda, termasuk yang ini. Token API tidak "
        "terpengaruh; cabut di bawah.",
        "en": "Ends every browser session of yours, this one too. API tokens are not "
        "affected; revoke them below.",
    },
    "sessions.link": {"id": "Sesi & token", "en": "Sessions & tokens"},
    "tokens.mine": {"id": "Token API saya", "en": "My API tokens"},
    "tokens.hint": {
        "id": "Token bertindak atas nama Anda, dengan peran dan wilayah Anda; setiap "
        "tindakannya tercatat atas nama Anda.",
        "en": "A token acts as you, with your role and region; everything it does is "
        "logged under your name.",
    },
    "tokens.minted_by": {"id": "Dibuat oleh", "en": "Made by"},
    # Sign-in attempts (admin, auditor).
    "attempts.title": {"id": "Percobaan masuk", "en": "Sign-in attempts"},
    "attempts.username": {"id": "Nama pengguna yang dicoba", "en": "Username tried"},
    "attempts.outcome": {"id": "Hasil", "en": "Outcome"},
    "users.edit": {"id": "Ubah", "en": "Edit"},
    "devices.own_only": {
        "id": "Token dibuat untuk akun Anda sendiri. Pengguna lain membuat tokennya sendiri "
        "di Akun › Sesi & token; di sini Anda dapat mencabut token pengguna di wilayah Anda.",
        "en": "A token is made for your own account. Other users make their own under "
        "Account › Sessions & tokens; here you can revoke the tokens of users in your area.",
    },
}

STRINGS.update(_AUTH_STRINGS)
