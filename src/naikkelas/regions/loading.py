"""Loading the shipped Kepmendagri table, population and boundaries (idempotent)."""

import csv
import json
from pathlib import Path

from django.db import transaction

from naikkelas.regions.models import Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REGIONS_CSV = DATA_DIR / "kepmendagri-wilayah-2025.csv"
POPULATION_CSV = DATA_DIR / "penduduk-2025.csv"
BOUNDARIES = DATA_DIR / "kota-malang-kelurahan.geojson"

_LEVEL_BY_LENGTH = {2: 1, 5: 2, 8: 3, 13: 4}


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@transaction.atomic
def load_regions(model: type[Region] = Region) -> int:
    """Create the regions that are missing, then refresh population and boundaries.

    `model` lets a data migration pass its historical model.
    """
    existing = set(model.objects.values_list("code", flat=True))
    with REGIONS_CSV.open(encoding="utf-8") as f:
        rows = [(r["kode"], r["nama"]) for r in csv.DictReader(f)]
    # Parents come before children in code order, so one ordered bulk insert keeps FKs valid.
    new = [
        model(code=code, name=name, level=_LEVEL_BY_LENGTH[len(code)], parent_id=_parent_code(code))
        for code, name in sorted(rows)
        if code not in existing
    ]
    model.objects.bulk_create(new, batch_size=5000)

    with POPULATION_CSV.open(encoding="utf-8") as f:
        population = {r["kode"]: r for r in csv.DictReader(f)}
    regions = list(model.objects.filter(code__in=population.keys()))
    for region in regions:
        p = population[region.code]
        region.population_male = int(p["laki_laki"])
        region.population_female = int(p["perempuan"])
        region.population = int(p["total"])
    model.objects.bulk_update(
        regions, ["population_male", "population_female", "population"], batch_size=1000
    )

    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    by_code = {f["properties"]["kode"]: f for f in features}
    villages = list(model.objects.filter(code__in=by_code.keys()))
    for village in villages:
        feature = by_code[village.code]
        village.boundary = feature["geometry"]
        village.centroid_lat = feature["properties"]["lat"]
        village.centroid_lng = feature["properties"]["lng"]
    model.objects.bulk_update(
        villages, ["boundary", "centroid_lat", "centroid_lng"], batch_size=100
    )
    return len(new)
