"""The demo city's programme year: the seeds' interventions, the frozen cohort
"Prioritas 2024" of the hundred that moved up, their enrolments, attendance and outcomes,
and credit referrals answered by both partner banks.

Runs after the city (`city`) and the first recompute (it reads standings and confirmed
graduations). Reproducible for a seed; writes in bulk like the city.
"""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from naikkelas.graduation.explain import gaps
from naikkelas.graduation.models import Graduation, GraduationStatus
from naikkelas.programs import milestones
from naikkelas.programs.models import (
    Attendance,
    Bank,
    Cohort,
    CohortMember,
    CreditProduct,
    Enrolment,
    EnrolmentStatus,
    Milestone,
    MilestoneKind,
    OrganiserKind,
    Programme,
    ProgrammeType,
    Referral,
    ReferralStatus,
    Session,
)
from naikkelas.registry.models import Business, LegalityKind

OFFICE = "Diskopindag Kota Malang"
COHORT = "Prioritas 2024"
# The cohort was picked once the September 2024 curation push closed.
FROZEN_AT = datetime.datetime(2024, 9, 2, 10, 0, tzinfo=datetime.UTC)
# Credit referrals of the cohort, shared between the banks.
REFERRALS = 36
BANKS = (
    ("BPR Tugu Arta", "tugu-arta", "bank-tugu-arta"),
    ("Bank Jatim", "bank-jatim", "bank-jatim"),
)


@dataclass(frozen=True)
class Plan:
    name: str
    type: str
    criteria: tuple[str, ...]
    capacity: int
    budget: int
    starts_on: datetime.date
    ends_on: datetime.date
    organiser: str = OFFICE
    partner: bool = False
    # How many of the cohort take part (2024 programmes only).
    cohort_seats: int = 0


D = datetime.date
PROGRAMMES = (
    # The 2024 push the seeds describe: training, equipment, trademark, quality testing and
    # halal, export mentoring, business matching and promotion, financial literacy.
    Plan(
        "Pelatihan Desain Kemasan dan Merek 2024",
        ProgrammeType.PACKAGING,
        ("packaging", "branding"),
        60,
        180_000_000,
        D(2024, 9, 9),
        D(2024, 11, 29),
        cohort_seats=60,
    ),
    Plan(
        "Fasilitasi Merek (HKI) 2024",
        ProgrammeType.TRADEMARK,
        ("branding",),
        40,
        120_000_000,
        D(2024, 9, 16),
        D(2024, 12, 13),
        cohort_seats=40,
    ),
    Plan(
        "Bantuan Alat Produksi 2024",
        ProgrammeType.EQUIPMENT,
        ("product_quality",),
        40,
        400_000_000,
        D(2024, 9, 23),
        D(2024, 12, 6),
        cohort_seats=40,
    ),
    Plan(
        "Fasilitasi Uji Mutu dan Sertifikasi Halal 2024",
        ProgrammeType.HALAL,
        ("product_legality", "product_quality"),
        50,
        150_000_000,
        D(2024, 9, 9),
        D(2024, 12, 13),
        cohort_seats=50,
    ),
    Plan(
        "Pendampingan Ekspor 2024",
        ProgrammeType.EXPORT,
        ("distribution",),
        50,
        200_000_000,
        D(2024, 9, 30),
        D(2024, 12, 20),
        "Diskopindag Kota Malang bersama mitra eksportir",
        partner=True,
        cohort_seats=50,
    ),
    Plan(
        "Business Matching dan Promosi Malpro 2024",
        ProgrammeType.MATCHING,
        ("distribution", "digital_marketing"),
        100,
        75_000_000,
        D(2024, 10, 7),
        D(2024, 12, 20),
        cohort_seats=80,
    ),
    Plan(
        "Literasi Keuangan UMKM Bankable 2024",
        ProgrammeType.BOOKKEEPING,
        ("bookkeeping",),
        100,
        50_000_000,
        D(2024, 9, 9),
        D(2024, 10, 25),
        "Diskopindag Kota Malang bersama BPR Tugu Arta",
        partner=True,
        cohort_seats=90,
    ),
    # This season's offer, which recommendations draw on.
    Plan(
        "Pelatihan Desain Kemasan 2026",
        ProgrammeType.PACKAGING,
        ("packaging", "branding"),
        40,
        150_000_000,
        D(2026, 10, 5),
        D(2027, 1, 29),
    ),
    Plan(
        "Fasilitasi Sertifikasi Halal 2026",
        ProgrammeType.HALAL,
        ("product_legality",),
        60,
        160_000_000,
        D(2026, 9, 1),
        D(2027, 2, 26),
    ),
    Plan(
        "Pemasaran Digital UMKM 2026",
        ProgrammeType.DIGITAL,
        ("digital_marketing", "distribution"),
        80,
        90_000_000,
        D(2026, 10, 12),
        D(2027, 3, 26),
    ),
    Plan(
        "Pendampingan NIB 2026",
        ProgrammeType.LICENSING,
        ("nib",),
        150,
        40_000_000,
        D(2026, 7, 1),
        D(2027, 6, 30),
    ),
    Plan(
        "Uji Mutu Produk 2026",
        ProgrammeType.QUALITY,
        ("product_quality",),
        30,
        120_000_000,
        D(2026, 10, 1),
        D(2027, 1, 29),
    ),
    Plan(
        "Pameran Produk Malang 2026",
        ProgrammeType.EXPO,
        ("distribution",),
        50,
        250_000_000,
        D(2026, 12, 4),
        D(2026, 12, 8),
    ),
    Plan(
        "Slot UMKM Center 2026",
        ProgrammeType.CENTER,
        ("distribution",),
        20,
        60_000_000,
        D(2026, 1, 5),
        D(2027, 12, 31),
    ),
    Plan(
        "Rujukan Kredit KUR 2026",
        ProgrammeType.CREDIT,
        (),
        100,
        0,
        D(2026, 1, 5),
        D(2027, 12, 31),
        "Diskopindag Kota Malang bersama bank mitra",
        partner=True,
    ),
)

OUTCOMES = (
    "Kemasan baru sudah dicetak dan dipakai di toko oleh-oleh.",
    "Merek didaftarkan ke DJKI; logo dan label baru dipakai.",
    "Alat produksi diterima; kapasitas naik sekitar sepertiga.",
    "Lulus uji mutu; sertifikat halal terbit.",
    "Mengikuti dua sesi temu pembeli dan mendapat pesanan rutin.",
    "Pembukuan bulanan mulai rutin; laporan dua tahun tersedia.",
    "Siap kirim sampel ke pembeli luar negeri.",
)
DROP_REASONS = (
    "Pemilik sakit selama masa pelatihan.",
    "Jadwal bertabrakan dengan pesanan besar.",
    "Pindah lokasi produksi sementara.",
)
SESSION_TOPICS = (
    "Pembukaan dan pemetaan kebutuhan",
    "Praktik",
    "Pendampingan lapangan",
    "Evaluasi",
)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        users = get_user_model().objects
        self.manager = users.filter(username="pengelola").first()
        self.curator = users.filter(username="kurator").first()
        self.banks: list[Bank] = []

    def clear(self) -> None:
        for model in (
            Milestone,
            Referral,
            Attendance,
            Session,
            Enrolment,
            CohortMember,
            Cohort,
            Programme,
            Bank,
        ):
            model.objects.all().delete()

    def build_banks(self) -> None:
        users = get_user_model().objects
        for name, code, username in BANKS:
            bank = Bank.objects.create(name=name, code=code)
            bank.staff.set(users.filter(username=username))
            self.banks.append(bank)

    def build_programmes(self) -> dict[str, Programme]:
        made = Programme.objects.bulk_create(
            Programme(
                name=p.name,
                type=p.type,
                organiser=p.organiser,
                organiser_kind=OrganiserKind.PARTNER if p.partner else OrganiserKind.OFFICE,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                capacity=p.capacity,
                budget=p.budget or None,
                criteria=list(p.criteria),
                created_by=self.manager,
            )
            for p in PROGRAMMES
        )
        return {p.name: p for p in Programme.objects.filter(name__in=[m.name for m in made])}

    def build_cohort(self, graduations: list[Graduation]) -> Cohort:
        cohort = Cohort.objects.create(
            name=COHORT,
            description="Seratus UMKM mikro terkurasi yang paling siap naik kelas, dipilih "
            "September 2024 untuk target 100 UMKM naik kelas.",
            rule={
                "size": len(graduations),
                "quota_per_kecamatan": None,
                "sector": "",
                "kecamatan": "",
            },
            frozen_at=FROZEN_AT,
            frozen_by=self.manager,
            created_by=self.manager,
        )
        businesses = (
            Business.objects.filter(pk__in=[g.business_id for g in graduations])
            .select_related("standing__readiness_policy")
            .prefetch_related("standing__readiness_policy__criteria")
        )
        by_id = {b.pk: b for b in businesses}
        ranked = sorted(
            graduations,
            key=lambda g: (-by_id[g.business_id].standing.readiness_score, g.business_id),
        )
        CohortMember.objects.bulk_create(
            CohortMember(
                cohort=cohort,
                business=by_id[g.business_id],
                rank=rank,
                business_name=by_id[g.business_id].name,
                kelurahan_code=by_id[g.business_id].kelurahan_id,
                sector=by_id[g.business_id].sector,
                # As they stood when picked: micro, on the year before they moved up.
                size_class=g.from_class,
                readiness_score=by_id[g.business_id].standing.readiness_score,
                ready=True,
                gaps=gaps(by_id[g.business_id].standing),
                added_by=self.manager,
            )
            for rank, g in enumerate(ranked, start=1)
        )
        return cohort

    def build_enrolments(self, cohort: Cohort, programmes: dict[str, Programme]) -> list[Enrolment]:
        rng = self.rng
        members = list(cohort.members.select_related("business").order_by("rank"))
        exporters = [m for m in members if m.business.exports]
        enrolments: list[Enrolment] = []
        for plan in PROGRAMMES:
            if not plan.cohort_seats:
                continue
            programme = programmes[plan.name]
            # cohort_seats are for the seeds' cohort of 100; a smaller city scales them.
            seats = min(len(members), round(plan.cohort_seats * len(members) / 100))
            if plan.type == ProgrammeType.EXPORT:
                rest = [m for m in members if m not in exporters]
                chosen = exporters + rng.sample(rest, max(0, seats - len(exporters)))
            else:
                chosen = rng.sample(members, seats)
            for member in chosen:
                nominated = programme.starts_on - datetime.timedelta(days=rng.randint(3, 6))
                enrolment = Enrolment(
                    programme=programme,
                    business=member.business,
                    cohort=cohort,
                    nominated_on=nominated,
                    enrolled_on=programme.starts_on,
                    created_by=self.manager,
                )
                # Exporters stayed the course: their export came out of it.
                if rng.random() < 0.05 and member not in exporters:
                    enrolment.status = EnrolmentStatus.DROPPED
                    enrolment.dropped_on = programme.starts_on + datetime.timedelta(
                        days=rng.randint(7, 30)
                    )
                    enrolment.dropped_reason = rng.choice(DROP_REASONS)
                else:
                    enrolment.status = EnrolmentStatus.COMPLETED
                    enrolment.completed_on = programme.ends_on
                    enrolment.outcome = rng.choice(OUTCOMES)
                enrolments.append(enrolment)
        return Enrolment.objects.bulk_create(enrolments)

    def build_sessions(self, programmes: dict[str, Programme]) -> None:
        sessions = []
        for plan in PROGRAMMES:
            if not plan.cohort_seats:
                continue
            programme = programmes[plan.name]
            span = (programme.ends_on - programme.starts_on).days
            for i, topic in enumerate(SESSION_TOPICS):
                day = programme.starts_on + datetime.timedelta(days=span * i // len(SESSION_TOPICS))
                sessions.append(Session(programme=programme, held_on=day, title=topic))
        Session.objects.bulk_create(sessions)
        rows = []
        for session in Session.objects.select_related("programme"):
            for enrolment in session.programme.enrolments.all():
                if enrolment.dropped_on and enrolment.dropped_on < session.held_on:
                    continue
                rows.append(
                    Attendance(
                        session=session, enrolment=enrolment, present=self.rng.random() < 0.9
                    )
                )
        Attendance.objects.bulk_create(rows)

    def current_nominations(self, programmes: dict[str, Programme]) -> None:
        """This season: ready businesses put forward for what they lack."""
        from naikkelas.programs.recommendations import for_business

        ready = (
            Business.objects.filter(standing__ready=True)
            .select_related("standing__readiness_policy")
            .prefetch_related("standing__readiness_policy__criteria")
            .order_by("-standing__readiness_score", "id")[:60]
        )
        today = timezone.localdate()
        rows = []
        for business in ready:
            for programme in for_business(business)[:1]:
                status = self.rng.choice([EnrolmentStatus.NOMINATED, EnrolmentStatus.ENROLLED])
                rows.append(
                    Enrolment(
                        programme=programme,
                        business=business,
                        status=status,
                        nominated_on=max(programme.starts_on, today - datetime.timedelta(days=20)),
                        enrolled_on=max(programme.starts_on, today - datetime.timedelta(days=10))
                        if status == EnrolmentStatus.ENROLLED
                        else None,
                        created_by=self.manager,
                    )
                )
        Enrolment.objects.bulk_create(rows)

    def build_milestones(self, graduations: list[Graduation]) -> None:
        rng = self.rng
        rows: list[Milestone] = []
        for g in graduations:
            decided = g.decided_at or FROZEN_AT
            business = g.business
            verified = {
                "recorded_by": self.curator,
                "verified_by": self.curator,
                "verified_at": decided,
            }
            rows.append(
                Milestone(
                    business=business,
                    kind=MilestoneKind.GRADUATION,
                    graduation=g,
                    occurred_on=decided.date(),
                    note=f"{g.from_year} → {g.to_year}",
                    **verified,
                )
            )
            rows.append(
                Milestone(
                    business=business,
                    kind=MilestoneKind.SALES,
                    occurred_on=D(g.to_year + 1, 3, 31),
                    amount=g.to_sales - g.from_sales,
                    note=f"Omzet {g.from_year} → {g.to_year}",
                    **verified,
                )
            )
            if business.exports:
                country = business.export_destinations.split(",")[0].strip() or "Malaysia"
                rows.append(
                    Milestone(
                        business=business,
                        kind=MilestoneKind.EXPORT,
                        occurred_on=D(2025, rng.randint(1, 10), rng.randint(1, 28)),
                        country=country,
                        product=business.main_product or business.name,
                        **verified,
                    )
                )
            if rng.random() < 0.4:
                rows.append(
                    Milestone(
                        business=business,
                        kind=MilestoneKind.JOBS,
                        occurred_on=D(2025, rng.randint(1, 11), rng.randint(1, 28)),
                        jobs=rng.randint(1, 4),
                        recorded_by=self.manager,
                        **(
                            {}
                            if rng.random() < 0.2
                            else {"verified_by": self.curator, "verified_at": decided}
                        ),
                    )
                )
        halal = Business.objects.filter(
            enrolments__programme__type=ProgrammeType.HALAL,
            enrolments__status=EnrolmentStatus.COMPLETED,
            legality__kind=LegalityKind.HALAL,
        ).distinct()
        for business in halal:
            rows.append(
                Milestone(
                    business=business,
                    kind=MilestoneKind.CERTIFICATION,
                    certification=LegalityKind.HALAL,
                    occurred_on=D(2024, 12, 20),
                    recorded_by=self.manager,
                    verified_by=self.curator,
                    verified_at=FROZEN_AT + datetime.timedelta(days=120),
                )
            )
        Milestone.objects.bulk_create(rows)

    def build_referrals(self, cohort: Cohort) -> None:
        rng = self.rng
        members = list(cohort.members.select_related("business").order_by("rank"))
        chosen = rng.sample(members, min(REFERRALS, len(members)))
        outcomes = (
            [ReferralStatus.DISBURSED] * 7
            + [ReferralStatus.APPROVED] * 3
            + [ReferralStatus.DECLINED] * 3
            + [ReferralStatus.SENT] * 5
        )
        credit = []
        for i, member in enumerate(chosen):
            bank = self.banks[i % len(self.banks)]
            staff = bank.staff.first()
            status = outcomes[(i // len(self.banks)) % len(outcomes)]
            amount = rng.choice([25, 50, 75, 100, 150, 200, 300, 500]) * 1_000_000
            referred = D(2025, rng.randint(2, 9), rng.randint(1, 28))
            answered = referred + datetime.timedelta(days=rng.randint(7, 30))
            referral = Referral(
                business=member.business,
                bank=bank,
                product=CreditProduct.KUR_MICRO
                if amount <= 100_000_000
                else CreditProduct.KUR_SMALL,
                amount_requested=amount,
                purpose="Tambahan modal kerja dan bahan baku",
                owner_consent=rng.random() < 0.6,
                status=status,
                referred_on=referred,
                created_by=self.manager,
            )
            if status != ReferralStatus.SENT:
                referral.answered_on, referral.answered_by = answered, staff
            if status in (ReferralStatus.APPROVED, ReferralStatus.DISBURSED):
                referral.amount_approved = amount
            if status == ReferralStatus.DISBURSED:
                referral.amount_disbursed = amount
                credit.append(
                    Milestone(
                        business=member.business,
                        kind=MilestoneKind.CREDIT,
                        occurred_on=answered,
                        bank=bank,
                        amount=amount,
                        recorded_by=staff,
                        verified_by=staff,
                        verified_at=FROZEN_AT,
                    )
                )
            if status == ReferralStatus.DECLINED:
                referral.answer_note = "Riwayat pembukuan belum cukup; diajukan lagi tahun depan."
            referral.save()
        Milestone.objects.bulk_create(credit)


@transaction.atomic
def build_demo_programmes(seed: int) -> dict[str, Any]:
    """Replace the programme records with the demo's; return what was made."""
    builder = _Builder(seed)
    builder.clear()
    builder.build_banks()
    programmes = builder.build_programmes()
    graduations = list(
        Graduation.objects.filter(status=GraduationStatus.CONFIRMED)
        .select_related("business")
        .order_by("business_id")
    )
    summary: dict[str, Any] = {"programmes": len(programmes), "cohort": 0}
    if graduations:
        cohort = builder.build_cohort(graduations)
        builder.build_enrolments(cohort, programmes)
        builder.build_sessions(programmes)
        builder.build_milestones(graduations)
        builder.build_referrals(cohort)
        summary["cohort"] = cohort.members.count()
    builder.current_nominations(programmes)
    milestones.attribute(Milestone.objects.all())
    summary |= {
        "enrolments": Enrolment.objects.count(),
        "milestones": Milestone.objects.count(),
        "referrals": Referral.objects.count(),
    }
    return summary


def clear_demo_programmes() -> None:
    """What a registry rebuild must remove first: programme records point at businesses."""
    _Builder(0).clear()
