"""A province-sized registry built with set-based SQL, for the benchmarks at 1,000,000
businesses (recompute, monitoring, the load test at province scale).

`generate(n)` fills owners, businesses, financial years, legality documents, sales
channels and curator assessments with generate_series, so that every readiness criterion
has data to look at; secondary indexes are built after the load and foreign-key triggers
skipped when the user is allowed to. `prepare(n, database)` prints what it runs on,
migrates and generates. Point Django at a scratch database first (benchmarks.scratch).
"""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.db import DatabaseError, connection
from django.utils import timezone

from benchmarks.results import machine
from benchmarks.scratch import timed

# (KBLI, sector, weight): food and beverage makers, shops, eateries, crafts and services,
# roughly the city's mix, so every product-legality branch of the engine is exercised.
KBLI = (
    ("10795", "C", 8), ("10792", "C", 4), ("10710", "C", 4), ("10750", "C", 3),
    ("11040", "C", 2), ("47112", "G", 17), ("47911", "G", 6), ("47711", "G", 4),
    ("56102", "I", 10), ("56104", "I", 4), ("56303", "I", 3), ("31002", "C", 1),
    ("13134", "C", 2), ("14111", "C", 5), ("96012", "S", 5), ("45407", "G", 4),
)  # fmt: skip
CHANNELS = ("messaging", "social", "marketplace", "delivery", "website", "catalogue")


def execute(statement: str, params: Sequence[Any] | None = None, label: str = "") -> int:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.rowcount
    if label:
        print(f"  {label:<50} {time.perf_counter() - start:8.1f} s  {rows:,} rows")
    return rows


TABLES = [
    "registry_owner",
    "registry_business",
    "registry_financialrecord",
    "registry_legalitydocument",
    "registry_saleschannel",
    "graduation_assessment",
]


@contextmanager
def _indexes_built_after() -> Iterator[None]:
    """Drop the secondary indexes while loading and build them once at the end, as a
    bulk load does (those that back a constraint, such as primary keys, stay)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname, indexdef FROM pg_indexes AS i
            WHERE schemaname = current_schema() AND tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname)
            """,
            [TABLES],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
    print(f"  {f'{len(indexes)} indexes built':<50} {time.perf_counter() - start:8.1f} s")


def generate(n: int) -> None:
    """One owner and one business per row of generate_series, then their details."""
    with _indexes_built_after(), _foreign_keys_trusted():
        _generate(n)


@contextmanager
def _foreign_keys_trusted() -> Iterator[None]:
    """Skip the per-row foreign-key triggers while loading: every key is taken from the
    table it points to. Needs a superuser; without one the load is only slower."""
    try:
        execute("SET session_replication_role = replica")
    except DatabaseError:
        yield
        return
    try:
        yield
    finally:
        execute("SET session_replication_role = DEFAULT")


def _generate(n: int) -> None:
    from naikkelas.regions.models import Region

    villages = list(Region.objects.home().kelurahan().values_list("code", flat=True))
    codes = [k for k, _, w in KBLI for _ in range(w)]
    sectors = [s for _, s, w in KBLI for _ in range(w)]
    last_year = timezone.localdate().year - 1
    execute("SELECT setseed(0.2024)")
    execute(
        """
        INSERT INTO registry_owner (name, nik_encrypted, nik_index, phone_encrypted,
            phone_index, gender, has_disability, birth_date, education, street, rt, rw,
            kelurahan_id)
        SELECT 'Pemilik ' || i, '', md5('nik' || i), '', '',
            CASE WHEN random() < 0.6 THEN 'P' ELSE 'L' END, random() < 0.015,
            date '1955-01-01' + (random() * 17000)::int, 'sma', 'Jl. Contoh ' || mod(i, 180),
            1 + mod(i, 12), 1 + mod(i, 9), (%s::text[])[1 + mod(i, %s)]
        FROM generate_series(1, %s) AS i
        """,
        [villages, len(villages), n],
        label="owners",
    )
    # 53% verified as in the city (21,270 of 40,000); 85% of the verified have a NIB.
    execute(
        """
        INSERT INTO registry_business (source_id, name, owner_id, nib, kbli, sector,
            main_activity, main_product, legal_form, reported_size_class, street, photo_url,
            paid_male, paid_female, paid_disabled_male, paid_disabled_female, unpaid_male,
            unpaid_female, unpaid_disabled_male, unpaid_disabled_female, status,
            status_reason, version, created_at, updated_at, verified_at, source_page,
            kelurahan_id, exports, export_destinations)
        SELECT '', 'Usaha ' || o.id, o.id,
            CASE WHEN random() < CASE WHEN o.verified THEN 0.85 ELSE 0.55 END
                 THEN '91' || lpad(o.id::text, 11, '0') ELSE '' END,
            (%s::text[])[o.k], (%s::text[])[o.k], '', '', 'individual', 'micro', o.street,
            '', 0, 0, 0, 0, 1, 1, 0, 0,
            CASE WHEN o.verified THEN 'verified' ELSE 'submitted' END, '', 1, now(), now(),
            CASE WHEN o.verified THEN now() END, '', o.kelurahan_id, false, ''
        FROM (
            SELECT id, street, kelurahan_id, 1 + floor(random() * %s)::int AS k,
                random() < 0.53175 AS verified
            FROM registry_owner
        ) AS o
        """,
        [codes, sectors, len(codes)],
        label="businesses",
    )
    # Sales: log-normal around Rp180 million, capped below medium; a year before for
    # 30%; a verified figure for 30% of verified businesses, and for 0.3% of them two
    # verified years from micro to small, so the graduation proposals have work too.
    execute(
        """
        INSERT INTO registry_financialrecord (business_id, year, basis, annual_sales,
            capital, assets, evidence, recorded_at)
        SELECT s.id, r.year, r.basis, r.sales, s.sales / 5, s.sales / 3, '', now()
        FROM (
            SELECT id, status = 'verified' AS verified, random() AS u1, random() AS u2,
                random() AS u3, random() AS u4,
                (least(14.5e9, greatest(6e6, exp(ln(180e6) + 1.05
                    * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))
                    / 100000)::bigint * 100000 AS sales
            FROM registry_business
        ) AS s
        CROSS JOIN LATERAL (VALUES
            (%s, 'reported', CASE WHEN s.u4 < 0.03 THEN NULL ELSE s.sales END, s.u1 >= 0.07),
            (%s - 1, 'reported', s.sales * 9 / 10, s.u1 >= 0.07 AND s.u2 < 0.3),
            (%s, 'verified', CASE WHEN s.u3 < 0.003 THEN greatest(s.sales, 2100000000)
                                  ELSE s.sales END, s.verified AND s.u3 < 0.3),
            (%s - 1, 'verified', least(s.sales, 1900000000), s.verified AND s.u3 < 0.003)
        ) AS r(year, basis, sales, keep)
        WHERE r.keep
        """,
        [last_year] * 4,
        label="financial records",
    )
    # Legality: the NIB as a document, P-IRT (some lapsed), halal, BPOM, SNI, trademarks.
    execute(
        """
        INSERT INTO registry_legalitydocument (business_id, kind, number, issued_on,
            expires_on)
        SELECT b.id, d.kind, upper(d.kind) || '-' || b.id, b.issued, d.expires
        FROM (
            SELECT id, nib, left(kbli, 2) AS division, sector, random() AS u1,
                random() AS u2, random() AS u3, random() AS u4,
                current_date - (random() * 2500)::int AS issued
            FROM registry_business
        ) AS b
        CROSS JOIN LATERAL (VALUES
            ('nib', b.nib <> '', NULL::date),
            ('pirt', b.division IN ('10', '11') AND b.u1 < 0.45, b.issued + 1826),
            ('halal', b.division IN ('10', '56') AND b.u2 < 0.25, NULL),
            ('bpom', b.division IN ('10', '11') AND b.u3 < 0.03, NULL),
            ('sni', b.sector = 'C' AND b.division NOT IN ('10', '11') AND b.u3 > 0.97, NULL),
            ('hki', b.u4 < 0.04, b.issued + 3652)
        ) AS d(kind, keep, expires)
        WHERE d.keep
        """,
        label="legality documents",
    )
    # Sales channels: 55% sell through one to three.
    execute(
        """
        INSERT INTO registry_saleschannel (business_id, kind, name, address)
        SELECT b.id, (%s::text[])[1 + floor(random() * %s)::int], 'Kanal', ''
        FROM (
            SELECT id, CASE WHEN random() < 0.55 THEN 1 + floor(random() * 3)::int
                            ELSE 0 END AS channels
            FROM registry_business
        ) AS b
        CROSS JOIN LATERAL generate_series(1, b.channels)
        """,
        [list(CHANNELS), len(CHANNELS)],
        label="sales channels",
    )
    # A curator's visit for 3%, a second one for a third of those.
    execute(
        """
        INSERT INTO graduation_assessment (business_id, assessed_on, product_quality,
            packaging, branding, distribution, notes, created_at)
        SELECT b.id, current_date - (random() * 700)::int - v * 200,
            1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int,
            1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int, '', now()
        FROM (SELECT id, random() AS u FROM registry_business) AS b
        CROSS JOIN LATERAL generate_series(0, CASE WHEN b.u < 0.01 THEN 1 ELSE 0 END) AS v
        WHERE b.u < 0.03
        """,
        label="assessments",
    )


def server() -> str:
    settings = []
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        for name in ("shared_buffers", "work_mem", "max_parallel_workers_per_gather", "jit"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name}={cursor.fetchone()[0]}")
    return f"PostgreSQL {version} ({', '.join(settings)})"


def prepare(n: int, database: str) -> None:
    """The start of each million-business benchmark: what it runs on, the schema, and
    the generated city."""
    print(f"machine: {machine()}, {server()}")
    print(f"businesses: {n:,} (database {database})\n")
    timed("migrate (schema + regions)", lambda: call_command("migrate", verbosity=0))
    timed(f"generate {n:,} businesses (set-based SQL)", lambda: generate(n))
