"""The demo's voices from the field: the offices, visits in every kecamatan (a Ngombe
dialogue, Sahabat UMKM rounds, the sentra), and the complaints and needs they collected,
some answered, some still open and some overdue. Also lists products in the catalogue and
creates the demo owners (`catalog`, `owners`), so the demo command calls one thing.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.demo.accounts import volunteer_username
from naikkelas.demo.catalog import list_demo_businesses
from naikkelas.demo.owners import ensure_owner_accounts
from naikkelas.engagement.models import (
    Category,
    Complaint,
    ComplaintStatus,
    FollowUp,
    Office,
    Visit,
    VisitKind,
)
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Sentra

OFFICES = (
    ("Dinas Koperasi, Perindustrian dan Perdagangan", "Diskopindag"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("Dinas Tenaga Kerja", "Disnaker"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("Bagian Perekonomian dan Administrasi Pembangunan Setda", "Perekonomian"),
)
# Which office answers which category (short names).
ANSWERS = {
    Category.CAPITAL: "Perekonomian",
    Category.LICENSING: "DPMPTSP",
    Category.MARKETING: "Diskopindag",
    Category.MATERIALS: "Diskopindag",
    Category.EQUIPMENT: "Diskopindag",
    Category.TRAINING: "Disnaker",
    Category.PREMISES: "DPUPR",
    Category.OTHER: "Diskopindag",
}
# Capital comes up most often (the seeds), then licensing and marketing.
WEIGHTS = {
    Category.CAPITAL: 8, Category.LICENSING: 4, Category.MARKETING: 4, Category.MATERIALS: 2,
    Category.EQUIPMENT: 3, Category.TRAINING: 2, Category.PREMISES: 2, Category.OTHER: 1,
}  # fmt: skip
SAYINGS = {
    Category.CAPITAL: "Butuh tambahan modal kerja untuk bahan baku menjelang Lebaran.",
    Category.LICENSING: "Pengurusan PIRT dan sertifikat halal belum selesai.",
    Category.MARKETING: "Ingin ikut pameran dan masuk katalog Malpro.",
    Category.MATERIALS: "Harga kedelai naik, pasokan tidak menentu.",
    Category.EQUIPMENT: "Mesin spinner peniris minyak rusak, perlu alat baru.",
    Category.TRAINING: "Perlu pelatihan pemasaran digital dan pembukuan.",
    Category.PREMISES: "Jalan kampung sentra sering banjir saat hujan.",
    Category.OTHER: "Minta pendampingan untuk ekspor.",
}


@dataclass
class EngagementSummary:
    listed: int = 0
    visits: int = 0
    complaints: int = 0
    overdue: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def _clear() -> None:
    Complaint.objects.all().delete()
    Visit.objects.all().delete()


@transaction.atomic
def build_engagement_demo(seed: int) -> EngagementSummary:
    """Replace the demo's listings, visits and complaints; reset the demo owners."""
    rng = random.Random(seed)
    summary = EngagementSummary()
    summary.listed = list_demo_businesses(rng)
    _clear()
    offices = {
        short: Office.objects.update_or_create(name=name, defaults={"short_name": short})[0]
        for name, short in OFFICES
    }
    leader = User.objects.filter(username="pimpinan").first()
    curator = User.objects.filter(username="kurator").first()
    volunteers = {u.username: u for u in User.objects.filter(username__startswith="sahabat-")}
    sentra_by_village = {s.kelurahan_id: s for s in Sentra.objects.all()}
    today = timezone.localdate()

    for district in Region.objects.home().kecamatan().order_by("code"):
        villages = list(district.children.order_by("code"))
        if not villages:
            continue
        plans = [
            (VisitKind.NGOMBE, villages[0], leader, f"Kantor Kecamatan {district.name.title()}")
        ]
        for village in rng.sample(villages, min(2, len(villages))):
            volunteer = volunteers.get(volunteer_username(village.code))
            plans.append(
                (VisitKind.SAHABAT, village, volunteer, f"Balai RW, {village.name.title()}")
            )
        plans += [
            (VisitKind.SENTRA, v, curator, sentra_by_village[v.code].name)
            for v in villages
            if v.code in sentra_by_village
        ]
        for kind, village, recorder, place in plans:
            held_on = today - datetime.timedelta(days=rng.randrange(5, 120))
            visit = Visit.objects.create(
                kind=kind, held_on=held_on, kelurahan=village, place=place,
                visitors="Wali Kota, Diskopindag" if kind == VisitKind.NGOMBE else "Sahabat UMKM",
                notes="Dialog dengan pelaku UMKM setempat.", recorded_by=recorder,
            )  # fmt: skip
            met = list(Business.objects.filter(kelurahan=village).order_by("id")[:40])
            visit.businesses.set(rng.sample(met, min(len(met), rng.randrange(2, 6))))
            summary.visits += 1
            heard: list[Business | None] = list(rng.sample(met, min(len(met), rng.randrange(2, 5))))
            for business in heard or [None]:
                summary.overdue += _complaint(rng, visit, business, offices, today)
                summary.complaints += 1
    summary.accounts = ensure_owner_accounts()
    return summary


def _complaint(
    rng: random.Random,
    visit: Visit,
    business: Business | None,
    offices: dict[str, Office],
    today: datetime.date,
) -> int:
    """Record one complaint in a random state of its life; 1 if it ends up overdue."""
    category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    complaint = Complaint.objects.create(
        visit=visit, business=business, kelurahan=visit.kelurahan, category=category,
        text=SAYINGS[category], recorded_by=visit.recorded_by,
    )  # fmt: skip
    # Nothing happened yet to a quarter; the rest went to an office two weeks after the visit.
    if rng.random() < 0.25:
        return 0
    office = offices[ANSWERS[category]]
    due_on = visit.held_on + datetime.timedelta(days=rng.choice((14, 30, 60)))
    complaint.office, complaint.due_on = office, due_on
    steps = [(ComplaintStatus.NEW, f"Diteruskan ke {office.short_name}.")]
    progress = rng.random()
    if progress < 0.7:
        complaint.status = ComplaintStatus.IN_PROGRESS
        steps.append((ComplaintStatus.IN_PROGRESS, "Sudah dihubungi, dijadwalkan kunjungan."))
    if progress < 0.35:
        complaint.status = ComplaintStatus.DONE
        complaint.closed_at = timezone.now()
        steps.append((ComplaintStatus.DONE, "Sudah ditindaklanjuti dan selesai."))
    complaint.save()
    FollowUp.objects.bulk_create(
        FollowUp(complaint=complaint, author=visit.recorded_by, status=status, note=note)
        for status, note in steps
    )
    return int(complaint.is_overdue)
