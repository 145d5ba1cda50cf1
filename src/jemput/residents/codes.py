"""SIAK code tables (FORMATS.md §1) and the labels the exports use instead of codes.

SIAK and OpenSID share the numeric codes for religion, marital status, household
relation and disability; we store those codes and translate labels on import.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Sex(IntEnum):
    LAKI_LAKI = 1
    PEREMPUAN = 2


class MaritalStatus(IntEnum):
    BELUM_KAWIN = 1
    KAWIN = 2
    CERAI_HIDUP = 3
    CERAI_MATI = 4


class Disability(IntEnum):
    """SIAK PNYDNG_CCT; OpenSID adds 7 TIDAK CACAT, which we store as None."""

    FISIK = 1
    NETRA = 2
    RUNGU_WICARA = 3
    MENTAL_JIWA = 4
    FISIK_DAN_MENTAL = 5
    LAINNYA = 6


class KtpStatus(StrEnum):
    """National CURRENT_STATUS_CODE values (DOMAIN.md §4, FORMATS.md §1)."""

    UNREGISTERED = "UNREGISTERED"
    BIO_CAPTURED = "BIO_CAPTURED"
    PROCESSING = "PROCESSING"
    SENT_FOR_ENROLLMENT = "SENT_FOR_ENROLLMENT"
    RECEIVED_AT_CENTRAL = "RECEIVED_AT_CENTRAL"
    ENROLL_FAILURE_AT_CENTRAL = "ENROLL_FAILURE_AT_CENTRAL"
    SEARCH_FAILURE_AT_CENTRAL = "SEARCH_FAILURE_AT_CENTRAL"
    ENROLL_FAILURE_AT_REGIONAL = "ENROLL_FAILURE_AT_REGIONAL"
    ADJUDICATE_RECORD = "ADJUDICATE_RECORD"
    DUPLICATE_RECORD = "DUPLICATE_RECORD"
    PRINT_READY_RECORD = "PRINT_READY_RECORD"
    SENT_FOR_CARD_PRINTING = "SENT_FOR_CARD_PRINTING"
    CARD_PRINTED = "CARD_PRINTED"
    CARD_SHIPPED = "CARD_SHIPPED"
    CARD_ISSUED = "CARD_ISSUED"


# Every status but UNREGISTERED means biometrics were captured at least once.
RECORDED_STATUSES = frozenset(s.value for s in KtpStatus if s is not KtpStatus.UNREGISTERED)
# Deduplicated and waiting for a blank card: the office's *utang cetak*.
PRINT_READY_STATUSES = frozenset(
    {KtpStatus.PRINT_READY_RECORD.value, KtpStatus.SENT_FOR_CARD_PRINTING.value}
)
# Printed but not yet in the owner's hands.
PRINTED_NOT_ISSUED_STATUSES = frozenset(
    {KtpStatus.CARD_PRINTED.value, KtpStatus.CARD_SHIPPED.value}
)

# Recorded, but stuck until the office acts (*perlu tindak lanjut*): a duplicate cannot
# be printed until the resident asks for it to be deleted, a failed enrolment or search
# must be sent again or recorded again (DOMAIN.md §4).
FOLLOW_UP_STATUSES = frozenset({
    KtpStatus.DUPLICATE_RECORD.value,
    KtpStatus.ENROLL_FAILURE_AT_CENTRAL.value,
    KtpStatus.SEARCH_FAILURE_AT_CENTRAL.value,
    KtpStatus.ENROLL_FAILURE_AT_REGIONAL.value,
})

KTP_STATUS_LABELS_ID = {
    "UNREGISTERED": "Belum rekam",
    "BIO_CAPTURED": "Sudah rekam (biometrik)",
    "PROCESSING": "Diproses",
    "SENT_FOR_ENROLLMENT": "Dikirim ke pusat",
    "RECEIVED_AT_CENTRAL": "Diterima pusat",
    "ENROLL_FAILURE_AT_CENTRAL": "Gagal enrol di pusat",
    "SEARCH_FAILURE_AT_CENTRAL": "Gagal pencarian di pusat",
    "ENROLL_FAILURE_AT_REGIONAL": "Gagal enrol di daerah",
    "ADJUDICATE_RECORD": "Adjudikasi",
    "DUPLICATE_RECORD": "Rekam ganda",
    "PRINT_READY_RECORD": "Siap cetak (PRR)",
    "SENT_FOR_CARD_PRINTING": "Dikirim untuk cetak",
    "CARD_PRINTED": "Kartu tercetak",
    "CARD_SHIPPED": "Kartu dikirim",
    "CARD_ISSUED": "Kartu diserahkan",
}

# OpenSID status_rekam (StatusKTPEnum) -> national status. 1 BELUM WAJIB and
# 2 BELUM REKAM both mean no biometrics; 3 SUDAH REKAM says only "captured".
OPENSID_STATUS_REKAM = {
    1: KtpStatus.UNREGISTERED,
    2: KtpStatus.UNREGISTERED,
    3: KtpStatus.BIO_CAPTURED,
    4: KtpStatus.CARD_PRINTED,
    5: KtpStatus.PRINT_READY_RECORD,
    6: KtpStatus.CARD_SHIPPED,
    7: KtpStatus.SENT_FOR_CARD_PRINTING,
    8: KtpStatus.CARD_ISSUED,
}


def _labels(pairs: dict[int, tuple[str, ...]]) -> dict[str, int]:
    """Build an upper-case label -> code table from code -> accepted spellings.

    Each spelling is also entered without its spaces, the form parse_code falls back
    to, so "CACAT NETRA / BUTA" finds "CACAT NETRA/BUTA".
    """
    table: dict[str, int] = {}
    for code, spellings in pairs.items():
        for spelling in spellings:
            table[spelling.upper()] = code
            table.setdefault("".join(spelling.upper().split()), code)
    return table


SEX_LABELS = _labels({1: ("LAKI-LAKI", "LAKI LAKI", "L", "LK", "PRIA"),
                      2: ("PEREMPUAN", "P", "PR", "WANITA")})
MARITAL_LABELS = _labels({
    1: ("BELUM KAWIN", "BK", "B"),
    2: ("KAWIN", "K", "S", "SUDAH KAWIN", "KAWIN TERCATAT", "KAWIN BELUM TERCATAT"),
    3: ("CERAI HIDUP", "CH", "P", "PERNAH KAWIN"),
    4: ("CERAI MATI", "CM"),
})
RELIGION_LABELS = _labels({
    1: ("ISLAM",), 2: ("KRISTEN", "PROTESTAN"), 3: ("KATHOLIK", "KATOLIK"),
    4: ("HINDU", "HINDHU"), 5: ("BUDHA", "BUDDHA"),
    6: ("KONG HUCHU", "KHONGHUCU", "KONGHUCU", "KHONG HU CU"),
    7: ("LAINNYA", "KEPERCAYAAN", "KEPERCAYAAN TERHADAP TUHAN YME",
        "KEPERCAYAAN TERHADAP TUHAN YME / LAINNYA"),  # OpenSID's label
})
RELATION_LABELS = _labels({
    1: ("KEPALA KELUARGA",), 2: ("SUAMI",), 3: ("ISTRI",), 4: ("ANAK",), 5: ("MENANTU",),
    6: ("CUCU",), 7: ("ORANGTUA", "ORANG TUA"), 8: ("MERTUA",), 9: ("FAMILI LAIN",),
    10: ("PEMBANTU",), 11: ("LAINNYA",),
})
DISABILITY_LABELS = _labels({
    1: ("CACAT FISIK", "FISIK"), 2: ("CACAT NETRA", "NETRA", "CACAT NETRA/BUTA"),
    3: ("CACAT RUNGU/WICARA", "RUNGU/WICARA", "CACAT RUNGU", "CACAT WICARA"),
    4: ("CACAT MENTAL/JIWA", "MENTAL/JIWA", "CACAT MENTAL", "CACAT JIWA"),
    5: ("CACAT FISIK DAN MENTAL", "FISIK DAN MENTAL"),
    6: ("CACAT LAINNYA", "LAINNYA"),
})
# Spellings that mean "no disability" in the exports (OpenSID code 7, XLS "-").
NO_DISABILITY = frozenset({"", "0", "7", "-", "TIDAK CACAT", "TIDAK", "NORMAL", "TIDAK ADA"})

# "Status" of the Data Penduduk XLS, SIAK FLAG_STATUS and OpenSID status_dasar.
LIFE_STATUS_LABELS = {
    "HIDUP": "hidup", "MATI": "mati", "MENINGGAL": "mati",
    "PINDAH": "pindah", "PINDAH DALAM NEGERI": "pindah", "PINDAH LUAR NEGERI": "pindah",
    "PERGI": "pindah", "HILANG": "hilang", "TIDAK VALID": "hilang",
}
OPENSID_STATUS_DASAR = {1: "hidup", 2: "mati", 3: "pindah", 4: "hilang", 6: "pindah",
                        9: "hilang"}

# OpenSID's export "with labels" (ekspor/huruf, Ekspor_model::ekspor_huruf) looks its
# status_dasar up in the residency table (TETAP, TIDAK TETAP) and its status_rekam in the
# citizenship table: neither column then says what it is named for. The export with
# codes is right, so a row carrying those labels is refused with that advice.
OPENSID_RESIDENCY_LABELS = frozenset({"TETAP", "TIDAK TETAP"})
CITIZENSHIP_LABELS = frozenset({"WNI", "WNA", "DUA KEWARGANEGARAAN"})
OPENSID_LABEL_EXPORT_REASON = (
    "kolom {column} berisi label dari ekspor huruf OpenSID, yang tidak menyimpan nilai "
    "kolom ini dengan benar; ekspor ulang dari OpenSID dengan kode angka"
)

# What a row's other columns say about age, for a birth year written with two digits.
EVER_MARRIED = frozenset({MaritalStatus.KAWIN, MaritalStatus.CERAI_HIDUP,
                          MaritalStatus.CERAI_MATI})
ADULT_RELATIONS = frozenset({1, 2, 3, 5, 7, 8})  # head, husband, wife, in-law, parent(-in-law)
CHILD_RELATIONS = frozenset({4, 6})  # anak, cucu of the head

DISABILITY_LABELS_ID = {
    1: "Fisik", 2: "Netra", 3: "Rungu/wicara", 4: "Mental/jiwa", 5: "Fisik dan mental",
    6: "Lainnya",
}
