import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import BALEARJOSARI, SUKUN_KELURAHAN
from naikkelas.catalog.tests.conftest import image_upload
from naikkelas.core.errors import FieldErrors, Forbidden, InvalidTransition
from naikkelas.engagement import services
from naikkelas.engagement.models import Complaint, ComplaintStatus, Office, Visit
from naikkelas.programs.models import Bank, Programme
from naikkelas.regions.models import Region

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(db: Any) -> Office:
    return Office.objects.create(
        name="Dinas Koperasi, Perindustrian dan Perdagangan", short_name="Diskopindag"
    )


def _complaint(actor: Any, text: str = "Butuh modal untuk oven", **data: Any) -> Complaint:
    village = Region.objects.get(code=data.pop("kelurahan", BALEARJOSARI))
    return services.record_complaint(
        actor,
        {"category": "permodalan", "text": text, "kelurahan": village},
        business=data.get("business"),
    )


def test_it_lists_an_assigned_complaint_as_overdue_after_its_due_date(
    client: Any, curator: Any, volunteer: Any, office: Office
) -> None:
    complaint = _complaint(volunteer)
    services.assign(curator, complaint, office, TODAY + datetime.timedelta(days=3))
    unassigned = _complaint(volunteer, "Izin PIRT lama sekali")
    client.force_login(curator)

    assert not Complaint.objects.overdue(TODAY).exists()
    assert not Complaint.objects.overdue(TODAY + datetime.timedelta(days=3)).exists()
    late = Complaint.objects.overdue(TODAY + datetime.timedelta(days=4))
    assert list(late) == [complaint]
    assert unassigned not in late

    Complaint.objects.filter(pk=complaint.pk).update(due_on=TODAY - datetime.timedelta(days=1))
    page = client.get(reverse("complaint_overdue")).content.decode()
    assert "Butuh modal untuk oven" in page
    assert "Izin PIRT lama sekali" not in page

    services.follow_up(curator, complaint, ComplaintStatus.IN_PROGRESS, "Dihubungi")
    services.follow_up(curator, complaint, ComplaintStatus.DONE, "Dapat bantuan alat")
    assert not Complaint.objects.overdue().exists()


def test_it_follows_baru_ditindaklanjuti_selesai_with_notes(curator: Any, volunteer: Any) -> None:
    complaint = _complaint(volunteer)
    with pytest.raises(InvalidTransition):
        services.follow_up(curator, complaint, ComplaintStatus.DONE, "Lompat")
    with pytest.raises(FieldErrors):
        services.follow_up(curator, complaint, ComplaintStatus.IN_PROGRESS, "  ")
    services.follow_up(curator, complaint, ComplaintStatus.IN_PROGRESS, "Dijadwalkan")
    done = services.follow_up(curator, complaint, ComplaintStatus.DONE, "Selesai")
    assert done.status == ComplaintStatus.DONE and done.closed_at is not None
    assert [f.note for f in done.follow_ups.all()] == ["Dijadwalkan", "Selesai"]
    with pytest.raises(Forbidden):
        services.follow_up(volunteer, complaint, ComplaintStatus.DONE, "Saya tutup")


def test_it_keeps_a_volunteer_to_the_own_kelurahan(
    client: Any, volunteer: Any, sukun_volunteer: Any
) -> None:
    sukun = _complaint(sukun_volunteer, "Keluhan dari Sukun", kelurahan=SUKUN_KELURAHAN)
    with pytest.raises(FieldErrors):
        _complaint(volunteer, kelurahan=SUKUN_KELURAHAN)
    client.force_login(volunteer)
    assert client.get(reverse("complaint_detail", args=[sukun.pk])).status_code == 404
    assert "Keluhan dari Sukun" not in client.get(reverse("complaint_list")).content.decode()
    visit = services.record_visit(
        sukun_volunteer,
        {"kind": "sahabat", "held_on": TODAY, "kelurahan": sukun.kelurahan,
         "place": "Balai RW 2", "visitors": "Sahabat UMKM"},
    )  # fmt: skip
    assert client.get(reverse("visit_detail", args=[visit.pk])).status_code == 404


def test_it_escapes_complaint_texts_and_notes(client: Any, curator: Any, volunteer: Any) -> None:
    complaint = _complaint(volunteer, "<script>alert('x')</script>")
    services.follow_up(curator, complaint, ComplaintStatus.IN_PROGRESS, "<img src=x onerror=1>")
    client.force_login(curator)
    for url in (reverse("complaint_detail", args=[complaint.pk]), reverse("complaint_list")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_it_records_a_visit_with_businesses_and_a_photo_on_the_web(
    client: Any, volunteer: Any, make_business: Any
) -> None:
    business = make_business()
    client.force_login(volunteer)
    response = client.post(
        reverse("visit_create"),
        {"kind": "sahabat", "held_on": TODAY.isoformat(), "kelurahan": BALEARJOSARI,
         "place": "Rumah produksi", "visitors": "Sahabat UMKM", "businesses": str(business.pk),
         "notes": "Butuh mesin spinner", "photo": image_upload()},
    )  # fmt: skip
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert list(visit.businesses.all()) == [business]
    assert visit.photos.count() == 1


def test_it_starts_an_enrolment_and_a_referral_from_a_need(
    manager: Any,
    volunteer: Any,
    make_business: Any,
    packaging_training: Programme,
    bank_jatim: Bank,
) -> None:
    business = make_business()
    programme, bank = packaging_training, bank_jatim
    need = _complaint(volunteer, business=business)

    need = services.start_enrolment(manager, need, programme)
    assert need.enrolment is not None and need.enrolment.business == business
    assert need.status == ComplaintStatus.IN_PROGRESS
    need = services.start_referral(manager, need, bank, "kur_micro", 25_000_000)
    assert need.referral is not None and need.referral.amount_requested == 25_000_000
