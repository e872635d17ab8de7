"""The demo city: size, status mix, valid and protected identifiers, accounts, reproducibility,
and its calibration to the seeds (227 ready, 100 graduated, 46 exporting per 40,000)."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from naikkelas.accounts.models import Role, User
from naikkelas.core.errors import DomainError
from naikkelas.core.models import AuditEntry
from naikkelas.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from naikkelas.demo.city import ACTION, build_demo_city
from naikkelas.demo.seeds import targets, verified_target
from naikkelas.graduation.engine import recompute
from naikkelas.graduation.models import EvidenceKind, Graduation, GraduationStatus, Standing
from naikkelas.regions.models import Level, Region
from naikkelas.registry.identifiers import clean_nib, clean_nik, clean_phone
from naikkelas.registry.kbli import sector_of
from naikkelas.registry.models import (
    Basis,
    Business,
    FinancialRecord,
    Owner,
    Sentra,
    Status,
)

pytestmark = pytest.mark.django_db

SIZE, SEED = 300, 7


@pytest.fixture
def city():
    return build_demo_city(SIZE, SEED)


def _fingerprint() -> list[tuple[str, str, str, str]]:
    return list(
        Business.objects.order_by("id").values_list(
            "name", "owner__name", "owner__nik_index", "status"
        )
    )


def test_size_and_status_mix(city):
    assert Business.objects.count() == SIZE == city.businesses
    assert verified_target(SIZE) == round(SIZE * 21270 / 40000)
    assert Business.objects.filter(status=Status.VERIFIED).count() == verified_target(SIZE)
    assert city.verified == verified_target(SIZE)
    assert verified_target(40_000) == 21_270
    for status in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
        assert Business.objects.filter(status=status).exists()
    # Returned and archived records say why.
    assert not Business.objects.filter(
        status__in=[Status.RETURNED, Status.ARCHIVED], status_reason=""
    ).exists()
    verified = Business.objects.filter(status=Status.VERIFIED)
    assert not verified.filter(verified_at__isnull=True).exists()
    assert not verified.filter(verified_by__isnull=True).exists()
    assert not verified.exclude(verified_by__username="kurator").exists()


def test_every_business_is_in_a_home_kelurahan(city):
    home = Region.objects.home().kelurahan()
    assert not Business.objects.exclude(kelurahan__in=home).exists()
    assert Business.objects.values("kelurahan").distinct().count() > 20
    assert set(Business.objects.values_list("kelurahan__level", flat=True)) == {Level.VILLAGE}


def test_same_seed_same_city_and_another_seed_another():
    build_demo_city(SIZE, SEED)
    first = _fingerprint()
    build_demo_city(SIZE, SEED)
    assert _fingerprint() == first
    assert Business.objects.count() == SIZE  # rebuilt, not added to
    build_demo_city(SIZE, SEED + 1)
    assert _fingerprint() != first


def test_personal_data_is_valid_and_encrypted(city):
    region_digits = settings.NAIKKELAS_REGION.replace(".", "")
    owners = list(Owner.objects.all())
    assert owners
    for owner in owners:
        nik = owner.nik
        assert clean_nik(nik) == nik
        assert nik.startswith(region_digits)
        assert nik not in owner.nik_encrypted
        assert owner.nik_index and nik not in owner.nik_index
        if owner.phone:
            assert clean_phone(owner.phone) == owner.phone
            assert owner.phone.startswith("+628")
            assert owner.phone not in owner.phone_encrypted
            assert owner.phone[3:] not in owner.phone_encrypted
    assert len({o.nik_index for o in owners}) == len(owners)
    assert sum(bool(o.phone_encrypted) for o in owners) > len(owners) * 0.8


def test_business_identifiers(city):
    nibs = [n for n in Business.objects.values_list("nib", flat=True) if n]
    assert len(nibs) > SIZE / 2
    assert len(set(nibs)) == len(nibs)
    assert all(clean_nib(n) == n for n in nibs)
    for kbli, sector in Business.objects.values_list("kbli", "sector"):
        assert sector == sector_of(kbli)
    sectors = set(Business.objects.values_list("sector", flat=True))
    assert {"C", "G", "I"} <= sectors
    # Food processing (10xxx) and retail (47xxx) lead, as in the city.
    assert Business.objects.filter(kbli__startswith="10").count() > SIZE * 0.15
    assert Business.objects.filter(kbli__startswith="47").count() > SIZE * 0.15


def test_financials_are_integer_rupiah_and_mostly_micro(city):
    reported = FinancialRecord.objects.filter(basis=Basis.REPORTED)
    sales = [s for s in reported.values_list("annual_sales", flat=True) if s is not None]
    assert len(sales) > SIZE * 0.8
    assert all(isinstance(s, int) and s >= 0 for s in sales)
    micro = sum(s <= 2_000_000_000 for s in sales)
    assert micro > len(sales) * 0.9
    assert (
        not FinancialRecord.objects.filter(basis=Basis.VERIFIED)
        .exclude(business__status=Status.VERIFIED)
        .exists()
    )


def test_details_sentra_and_audit(city):
    assert city.products > 0 and city.channels > 0 and city.legality_documents > 0
    sanan = Sentra.objects.get(name__startswith="Sentra Keripik Tempe")
    if Region.objects.home().kelurahan().filter(name="Purwantoro").exists():
        assert sanan.name == "Sentra Keripik Tempe Sanan"
        assert sanan.kelurahan.name == "Purwantoro"
    members = Business.objects.filter(sentra=sanan)
    assert members.exists()
    assert not members.exclude(kelurahan=sanan.kelurahan).exists()
    entries = AuditEntry.objects.filter(action=ACTION, object_type="registry.business")
    assert entries.count() == SIZE
    assert set(entries.values_list("actor_name", flat=True)) == {"system"}


def test_demo_accounts(city):
    usernames = {u for u, _, _ in city.accounts}
    villages = list(Region.objects.home().kelurahan())
    staff = {"admin", "kurator", "pengelola", "pimpinan", "bank-tugu-arta", "bank-jatim"}
    assert staff <= usernames
    assert len(usernames) == len(staff) + len(villages)
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["admin"] == Role.ADMIN
    assert roles["kurator"] == Role.CURATOR
    assert roles["pengelola"] == Role.MANAGER
    assert roles["pimpinan"] == Role.LEADER
    assert roles["bank-jatim"] == roles["bank-tugu-arta"] == Role.BANK
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    volunteer = User.objects.get(username="sahabat-3573011001")
    assert volunteer.role == Role.VOLUNTEER
    assert list(volunteer.kelurahan.values_list("code", flat=True)) == ["35.73.01.1001"]
    assert not User.objects.get(username="kurator").is_superuser
    for user in User.objects.filter(username__in=usernames):
        assert user.check_password(DEMO_PASSWORD), user.username
    # Volunteers are the creators of the records in their kelurahan.
    creator = Business.objects.filter(kelurahan_id="35.73.01.1001").first()
    if creator is not None:
        assert creator.created_by == volunteer


def test_accounts_are_idempotent_and_reset(db):
    first = ensure_demo_accounts()
    user = User.objects.get(username="sahabat-3573011001")
    user.set_password("something-else")
    user.role = Role.OWNER
    user.save()
    user.kelurahan.add(Region.objects.get(code="35.73.01.1002"))
    assert ensure_demo_accounts() == first
    assert User.objects.filter(username__startswith="sahabat-").count() == len(first) - 6
    user.refresh_from_db()
    assert user.role == Role.VOLUNTEER
    assert user.check_password(DEMO_PASSWORD)
    assert list(user.kelurahan.values_list("code", flat=True)) == ["35.73.01.1001"]


def test_command_if_empty_keeps_the_registry(city):
    before = _fingerprint()
    out = StringIO()
    call_command("demo", businesses=40, seed=3, if_empty=True, stdout=out)
    assert _fingerprint() == before
    text = out.getvalue()
    assert f"Demo accounts (password: {DEMO_PASSWORD}):" in text
    assert "sahabat-3573011001" in text and "pimpinan" in text


def test_command_rebuilds(city):
    out = StringIO()
    call_command("demo", businesses=40, seed=3, stdout=out)
    assert Business.objects.count() == 40
    assert Business.objects.filter(status=Status.VERIFIED).count() == verified_target(40)
    assert "40 businesses" in out.getvalue()
    assert "kurator" in out.getvalue()


def test_no_home_kelurahan_is_an_error(settings):
    settings.NAIKKELAS_REGION = "99.99"
    with pytest.raises(DomainError):
        build_demo_city(10, 1)
    assert not Business.objects.exists()


def test_targets_are_the_seeds_figures_in_proportion():
    assert targets(40_000) == (227, 100, 46)
    assert targets(2_000) == (11, 5, 2)
    assert targets(0) == (0, 0, 0)
    for n in (40, 300, 2_000, 12_345, 40_000, 80_000):
        ready, graduated, exporters = targets(n)
        assert ready == round(n * 227 / 40_000)
        assert graduated == round(n * 100 / 40_000)
        assert exporters <= graduated


def test_command_calibrates_readiness_graduations_and_exporters():
    n = 2_000
    ready, graduated, exporters = targets(n)
    out = StringIO()
    call_command("demo", businesses=n, seed=7, stdout=out)
    assert Business.objects.filter(status=Status.VERIFIED).count() == verified_target(n)

    # Exactly the target of verified micro businesses is ready, as the engine computed it.
    standing = Standing.objects.filter(ready=True)
    assert standing.count() == ready
    assert set(standing.values_list("business__status", "size_class")) == {
        (Status.VERIFIED, "micro")
    }
    # Most of the city still has a NIB, and many sell online.
    assert Business.objects.exclude(nib="").count() > n * 0.5
    assert Business.objects.filter(channels__isnull=False).distinct().count() > n * 0.35

    confirmed = Graduation.objects.filter(status=GraduationStatus.CONFIRMED)
    assert confirmed.count() == graduated
    assert set(confirmed.values_list("decided_by__username", flat=True)) == {"kurator"}
    assert set(confirmed.values_list("evidence_kind", flat=True)) <= set(EvidenceKind.values)
    assert not confirmed.filter(evidence_note="").exists()
    assert set(confirmed.values_list("from_class", "to_class")) == {("micro", "small")}
    for g in confirmed.select_related("business"):
        assert datetime.date(2024, 9, 1) <= g.decided_at.date() <= datetime.date(2025, 8, 31)
        assert g.business.verified_at < g.proposed_at < g.decided_at
        assert g.business.status == Status.VERIFIED
        # Only verified figures count, and they put the business in a higher class.
        assert g.from_sales <= 2_000_000_000 < g.to_sales
    graduates = Business.objects.filter(graduations__status=GraduationStatus.CONFIRMED)
    assert set(graduates.values_list("standing__size_class", "standing__ready")) == {
        ("small", False)
    }
    decisions = AuditEntry.objects.filter(action="business.graduation_confirmed")
    assert decisions.count() == graduated
    assert set(decisions.values_list("actor_name", flat=True)) == {"kurator"}

    exporting = Business.objects.filter(exports=True)
    assert exporting.count() == exporters
    assert set(exporting.values_list("pk", flat=True)) <= set(
        graduates.values_list("pk", flat=True)
    )
    assert not exporting.filter(export_destinations="").exists()
    assert not Business.objects.filter(exports=False).exclude(export_destinations="").exists()

    text = out.getvalue()
    assert f"{ready:,} ready to move up" in text
    assert f"{graduated:,} graduations confirmed" in text
    assert f"{exporters:,} exporters" in text

    # A later recompute finds nothing new to propose and the same businesses ready.
    before = Graduation.objects.count()
    recompute()
    assert Graduation.objects.count() == before
    assert Standing.objects.filter(ready=True).count() == ready
