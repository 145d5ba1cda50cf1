"""A status change and its history row are written together, or not at all."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from jemput.residents import service
from jemput.residents.codes import KtpStatus
from jemput.residents.models import Resident, StatusChange


def a_resident(session) -> Resident:
    resident = Resident(
        nik="3306010101900001", name="WARGA", sex=1, birth_date=date(1990, 1, 1),
        marital_status=1, desa_code="33.06.01.2001", ktp_status="UNREGISTERED",
        updated_at=datetime.now(UTC),
    )
    session.add(resident)
    session.flush()
    return resident


def test_status_change_writes_its_history_row(session):
    resident = a_resident(session)
    change = service.set_ktp_status(session=session, resident=resident,
                                    status=KtpStatus.BIO_CAPTURED, note="jemput bola")
    assert change is not None
    history = service.status_history(session=session, resident=resident)
    assert [(h.old_status, h.new_status, h.source) for h in history] == [
        ("UNREGISTERED", "BIO_CAPTURED", "manual")
    ]
    assert resident.ktp_status == "BIO_CAPTURED"


def test_setting_the_same_status_writes_nothing(session):
    resident = a_resident(session)
    assert service.set_ktp_status(session=session, resident=resident,
                                  status=KtpStatus.UNREGISTERED) is None
    assert service.status_history(session=session, resident=resident) == []


def test_a_rolled_back_change_leaves_no_history(session):
    resident = a_resident(session)
    savepoint = session.begin_nested()
    service.set_ktp_status(session=session, resident=resident, status=KtpStatus.BIO_CAPTURED)
    savepoint.rollback()
    session.refresh(resident)
    assert resident.ktp_status == "UNREGISTERED"
    assert session.scalars(select(StatusChange)).all() == []


def test_unknown_nik_is_not_found(session):
    with pytest.raises(service.ResidentNotFound):
        service.get_resident_by_nik(session=session, nik="3306010101900009")
