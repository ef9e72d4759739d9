"""The analysis's writes: the coordinator's texts (a stale form refused, nothing
overwritten), publishing with versions (unchanged content makes none), withdrawing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from analysis.models import AnalysisDocument, WeakPointNote
from analysis.selectors import public_analysis_url
from analysis.services import (
    StaleNoteError,
    document_for,
    publish_analysis,
    save_note,
    withdraw_analysis,
)
from analysis.tests.conftest import EIT6, IIT3
from catalogue.models import FiscalYear
from testing.pdftext import pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def fy2566(seed):
    return FiscalYear.objects.get(year=2566)


def _note(org, fy, user, key=IIT3, seen=0, found="พบว่า", proposed="เสนอว่า"):
    return save_note(
        organization=org,
        fiscal_year=fy,
        user=user,
        key=key,
        found=found,
        proposed=proposed,
        seen_version=seen,
    )


def test_a_note_saved_over_a_newer_one_is_refused(org, coordinator, scored, fy2566):
    first = _note(org, fy2566, coordinator, found="บุคลากรไม่ทราบขั้นตอน")
    assert first.version == 1
    second = _note(org, fy2566, coordinator, seen=1, found="บุคลากรไม่ทราบขั้นตอนการใช้อำนาจ")
    assert second.version == 2
    with pytest.raises(StaleNoteError) as stale:
        _note(org, fy2566, coordinator, seen=1, found="ข้อความจากแท็บเก่า")
    assert stale.value.current.found == "บุคลากรไม่ทราบขั้นตอนการใช้อำนาจ"
    assert WeakPointNote.objects.get().found == "บุคลากรไม่ทราบขั้นตอนการใช้อำนาจ"


def test_only_weak_indicators_and_only_the_coordinator(org, coordinator, staff, scored, fy2566):
    with pytest.raises(ValidationError, match="ไม่ใช่จุดอ่อน"):
        _note(org, fy2566, coordinator, key=("IIT", "1"))  # 90.50: not weak
    with pytest.raises(ValidationError, match="ยาวได้ไม่เกิน 5,000"):
        _note(org, fy2566, coordinator, found="ก" * 5001)
    with pytest.raises(PermissionDenied):
        _note(org, fy2566, staff)
    assert not WeakPointNote.objects.exists()


def test_publish_twice_unchanged_then_changed_then_withdraw(org, coordinator, scored, fy2566):
    _note(org, fy2566, coordinator, key=EIT6, found="ผู้รับบริการรอนาน", proposed="ลดขั้นตอน")
    document = AnalysisDocument.objects.get()
    first = publish_analysis(document=document, user=coordinator)
    assert (first.version, first.is_new) == (1, True)
    with first.pdf.open("rb") as stored:
        text = squash(pdf_text(stored.read()))
    assert squash("ผู้รับบริการรอนาน") in text and "ฉบับร่าง" not in text
    again = publish_analysis(document=document, user=coordinator)
    assert (again.pk, again.is_new) == (first.pk, False)
    _note(org, fy2566, coordinator, key=EIT6, seen=1, found="ผู้รับบริการรอนานเกินไป")
    second = publish_analysis(document=document, user=coordinator)
    assert (second.version, second.is_new) == (2, True)
    assert second.sha256 != first.sha256 and len(second.sha256) == 64
    assert public_analysis_url(org, 2566) == "/p/ubon-pao/2566/analysis.pdf"
    withdraw_analysis(publication=second, user=coordinator, reason="พิมพ์ผิด")
    assert public_analysis_url(org, fy2566) == "/p/ubon-pao/2566/analysis.pdf"  # v1 still live
    withdraw_analysis(publication=first, user=coordinator, reason="ข้อมูลคะแนนผิด")
    assert public_analysis_url(org, fy2566) is None
    with pytest.raises(ValidationError, match="ถอนการเผยแพร่แล้ว"):
        withdraw_analysis(publication=first, user=coordinator, reason="อีกครั้ง")
    with pytest.raises(ValidationError, match="กรุณาระบุเหตุผล"):
        withdraw_analysis(publication=second, user=coordinator, reason="  ")


def test_only_the_coordinator_publishes(org, staff, coordinator, scored, fy2566):
    document = document_for(organization=org, fiscal_year=fy2566, user=coordinator)
    with pytest.raises(PermissionDenied):
        publish_analysis(document=document, user=staff)
