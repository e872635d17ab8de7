import datetime

import pytest

from naikkelas.core.errors import DomainError, FieldErrors, Forbidden, InvalidTransition
from naikkelas.programs import services
from naikkelas.programs.models import Attendance, EnrolmentStatus
from naikkelas.programs.tests.conftest import TODAY
from naikkelas.registry import services as registry

pytestmark = pytest.mark.django_db


def test_it_refuses_a_programme_that_makes_no_sense(manager):
    with pytest.raises(FieldErrors) as refused:
        services.create_programme(
            manager,
            {
                "name": " ", "type": "juggling", "organiser": "", "capacity": 0, "budget": -5,
                "starts_on": TODAY, "ends_on": TODAY - datetime.timedelta(days=1),
                "criteria": ["flying"],
            },
        )  # fmt: skip
    assert set(refused.value.errors) == {
        "name", "type", "organiser", "capacity", "budget", "ends_on", "criteria"
    }  # fmt: skip


def test_it_enforces_capacity_and_frees_a_seat_on_drop(manager, city, make_programme):
    programme = make_programme(capacity=2)
    first = services.nominate(manager, programme, city[0])
    services.nominate(manager, programme, city[1])
    with pytest.raises(DomainError) as refused:
        services.nominate(manager, programme, city[2])
    assert refused.value.code == "programme_full"
    assert programme.enrolments.count() == 2

    services.drop(manager, first, "Sakit")
    services.nominate(manager, programme, city[2])
    # The dropped business may come back once a seat is free again.
    with pytest.raises(DomainError):
        services.nominate(manager, programme, city[0])
    with pytest.raises(DomainError) as refused:
        services.nominate(manager, programme, city[1])
    assert refused.value.code == "already_enrolled"


def test_it_refuses_an_archived_business(admin, manager, city, make_programme):
    registry.archive_business(admin, city[0], "Tutup")
    city[0].refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.nominate(manager, make_programme(), city[0])
    assert refused.value.code == "business_inactive"


def test_it_walks_nominated_enrolled_completed_with_attendance(
    manager, curator, city, make_programme
):
    programme = make_programme()
    enrolment = services.nominate(manager, programme, city[0])
    absent = services.enrol(manager, services.nominate(manager, programme, city[1]))
    with pytest.raises(InvalidTransition):
        services.complete(manager, enrolment, "Selesai")
    enrolment = services.enrol(manager, enrolment)
    session = services.add_session(manager, programme, TODAY, "Desain kemasan")
    assert services.record_attendance(manager, session, [enrolment.pk]) == 1
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        enrolment.pk: True, absent.pk: False
    }  # fmt: skip
    with pytest.raises(FieldErrors):
        services.complete(manager, enrolment, "  ")
    enrolment = services.complete(manager, enrolment, "Kemasan baru siap dicetak")
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_on == TODAY
    with pytest.raises(Forbidden):
        services.drop(curator, absent, "Bukan wewenang")


def test_an_owner_applies_only_for_the_own_business(owner_user, admin, city, make_programme):
    programme = make_programme()
    mine, other = city[0], city[1]
    mine.owner_account = owner_user
    mine.save(update_fields=["owner_account"])
    assert services.nominate(owner_user, programme, mine).status == EnrolmentStatus.NOMINATED
    with pytest.raises(Forbidden):
        services.nominate(owner_user, programme, other)
