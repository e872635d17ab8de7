import pytest

from naikkelas.core.errors import DomainError, FieldErrors, Forbidden
from naikkelas.core.models import AuditEntry
from naikkelas.graduation.engine import recompute
from naikkelas.programs import cohorts
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.tests.conftest import LAST_YEAR
from naikkelas.registry import services as registry

pytestmark = pytest.mark.django_db


def test_it_picks_the_top_by_score_within_the_quota_per_kecamatan(manager, city):
    picked = cohorts.candidates(manager, Rule(size=4, quota_per_kecamatan=2))
    assert len(picked) == 4
    kecamatan = [b.kelurahan_id.rsplit(".", 1)[0] for b in picked]
    assert sorted(kecamatan) == ["35.73.01", "35.73.01", "35.73.04", "35.73.04"]
    assert cohorts.candidates(manager, Rule(size=10, kecamatan="35.73.04")) == city[3:]


def test_it_refuses_a_rule_out_of_bounds():
    with pytest.raises(FieldErrors) as refused:
        Rule.from_data({"size": 0, "quota_per_kecamatan": -1})
    assert set(refused.value.errors) == {"size", "quota_per_kecamatan"}


def test_the_frozen_snapshot_stays_identical_after_the_members_data_change(admin, manager, city):
    cohort = cohorts.create_cohort(manager, "Prioritas Uji", Rule(size=5))
    cohorts.freeze_cohort(manager, cohort)
    fields = ["business_id", "rank", "business_name", "kelurahan_code", "sector",
              "size_class", "readiness_score", "ready", "gaps"]  # fmt: skip
    before = list(cohort.members.values(*fields))
    assert before[0]["ready"] and before[0]["size_class"] == "micro"

    first = city[0]
    registry.update_business(
        admin,
        first,
        {"name": "Keripik Ganti Nama", "kbli": "47111"},
        expected_version=first.version,
    )
    registry.save_financial_record(
        admin, first, {"year": LAST_YEAR, "annual_sales": 9_000_000_000}, correct=True
    )
    registry.archive_business(admin, city[1], "Tutup")
    recompute()

    first.standing.refresh_from_db()
    assert first.standing.size_class == "small"
    assert list(cohort.members.values(*fields)) == before


def test_after_freezing_a_change_needs_a_reason_and_is_audited(manager, city, make_ready):
    cohort = cohorts.create_cohort(manager, "Prioritas Uji", Rule(size=3))
    cohorts.remove_member(manager, cohort, cohort.members.get(rank=3))  # a draft: free
    assert cohort.members.count() == 2
    cohorts.freeze_cohort(manager, cohort)
    newcomer = make_ready(name="Keripik Susulan")
    with pytest.raises(FieldErrors):
        cohorts.add_member(manager, cohort, newcomer)
    member = cohorts.add_member(manager, cohort, newcomer, "Menggantikan yang mundur")
    assert member.rank == 3 and member.added_reason == "Menggantikan yang mundur"
    with pytest.raises(FieldErrors):
        cohorts.remove_member(manager, cohort, member)
    cohorts.remove_member(manager, cohort, member, "Pindah ke luar kota")
    member.refresh_from_db()
    assert member.removed_at is not None and cohorts.active_members(cohort).count() == 2
    actions = list(
        AuditEntry.objects.filter(object_type="programs.cohort").values_list("action", flat=True)
    )
    assert actions.count("cohort.member_added") == 1
    assert actions.count("cohort.member_removed") == 2


def test_it_refuses_what_does_not_belong(manager, curator, city):
    with pytest.raises(Forbidden):
        cohorts.create_cohort(curator, "Bukan Wewenang", Rule(size=2))
    cohort = cohorts.create_cohort(manager, "Prioritas Uji", Rule(size=2))
    with pytest.raises(FieldErrors):
        cohorts.create_cohort(manager, "prioritas uji", Rule(size=2))
    with pytest.raises(DomainError) as refused:
        cohorts.add_member(manager, cohort, city[0])
    assert refused.value.code == "already_member"
    cohorts.freeze_cohort(manager, cohort)
    with pytest.raises(DomainError):
        cohorts.freeze_cohort(manager, cohort)
