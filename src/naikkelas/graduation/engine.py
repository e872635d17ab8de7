"""Size class and readiness for the whole registry in one set-based statement.

The computation is an INSERT ... SELECT ... ON CONFLICT over every business (or a chosen
few): no Python loop per business, so it carries to a province's millions on PostgreSQL
and runs the same on SQLite.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from naikkelas.graduation.models import (
    Assessment,
    Criterion,
    Graduation,
    ReadinessPolicy,
    SizeCriterion,
    SizePolicy,
    Standing,
)
from naikkelas.registry.models import (
    Basis,
    Business,
    ChannelKind,
    FinancialRecord,
    LegalityDocument,
    LegalityKind,
    SalesChannel,
    SizeClass,
)

# KBLI divisions whose products need a food permit (PIRT or BPOM) and, for food, halal.
FOOD = Q(kbli__startswith="10") | Q(kbli__startswith="56")
BEVERAGE = Q(kbli__startswith="11")
# Channels that reach buyers beyond the business's own kelurahan.
FAR_REACHING = [
    ChannelKind.MARKETPLACE,
    ChannelKind.WEBSITE,
    ChannelKind.DELIVERY,
    ChannelKind.CATALOGUE,
]
ASSESSED = {
    Criterion.PRODUCT_QUALITY: "product_quality",
    Criterion.PACKAGING: "packaging",
    Criterion.BRANDING: "branding",
    Criterion.DISTRIBUTION: "distribution",
}


def _class_of(figure: str, bounds: list[tuple[str, int]]) -> Case:
    return Case(
        *[When(**{f"{figure}__lte": bound}, then=Value(cls)) for cls, bound in bounds],
        default=Value(SizeClass.LARGE),
        output_field=CharField(),
    )


def _latest(figures: QuerySet[FinancialRecord], column: str) -> QuerySet[FinancialRecord]:
    # Latest year first; within a year a verified figure wins over a reported one.
    return figures.filter(**{f"{column}__isnull": False}).order_by(
        "-year", Case(When(basis=Basis.VERIFIED, then=0), default=1)
    )


def _met(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def standing_rows(
    businesses: QuerySet[Business], size: SizePolicy, readiness: ReadinessPolicy
) -> QuerySet[Business]:
    today = timezone.localdate()
    figures = FinancialRecord.objects.filter(business=OuterRef("pk"))
    sales, capital = _latest(figures, "annual_sales"), _latest(figures, "capital")
    valid = LegalityDocument.objects.filter(business=OuterRef("pk")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    channels = SalesChannel.objects.filter(business=OuterRef("pk"))
    latest_visit = Assessment.objects.filter(business=OuterRef("pk")).order_by(
        "-assessed_on", "-id"
    )
    rows = businesses.annotate(
        x_sales=Subquery(sales.values("annual_sales")[:1]),
        x_sales_year=Subquery(sales.values("year")[:1]),
        x_sales_basis=Subquery(sales.values("basis")[:1]),
        x_capital=Subquery(capital.values("capital")[:1]),
        x_capital_year=Subquery(capital.values("year")[:1]),
        x_capital_basis=Subquery(capital.values("basis")[:1]),
        x_permit=Exists(valid.filter(kind__in=[LegalityKind.PIRT, LegalityKind.BPOM])),
        x_halal=Exists(valid.filter(kind=LegalityKind.HALAL)),
        x_sni=Exists(valid.filter(kind=LegalityKind.SNI)),
        x_trademark=Exists(valid.filter(kind=LegalityKind.HKI)),
        x_channel=Exists(channels),
        x_far=Exists(channels.filter(kind__in=FAR_REACHING)),
        x_books=Exists(
            FinancialRecord.objects.filter(
                business=OuterRef("pk"), annual_sales__isnull=False, year__gte=today.year - 2
            )
        ),
        **{f"x_{field}": Subquery(latest_visit.values(field)[:1]) for field in ASSESSED.values()},
    )
    on_sales = Q(x_sales__isnull=False)
    on_capital = Q(x_sales__isnull=True, x_capital__isnull=False)
    passed = readiness.pass_score
    met = {
        Criterion.NIB: ~Q(nib=""),
        # Food needs a PIRT/BPOM permit and halal; beverages a permit; other manufacturing
        # any product certificate; outside manufacturing no product permit applies.
        Criterion.PRODUCT_LEGALITY: (FOOD & Q(x_permit=True, x_halal=True))
        | (BEVERAGE & Q(x_permit=True))
        | (Q(sector="C") & ~FOOD & ~BEVERAGE & (Q(x_sni=True) | Q(x_permit=True) | Q(x_halal=True)))
        | (~Q(sector="C") & ~FOOD),
        Criterion.PRODUCT_QUALITY: Q(x_product_quality__gte=passed),
        Criterion.PACKAGING: Q(x_packaging__gte=passed),
        Criterion.BRANDING: Q(x_branding__gte=passed) | Q(x_trademark=True),
        Criterion.DIGITAL_MARKETING: Q(x_channel=True),
        Criterion.DISTRIBUTION: Q(x_distribution__gte=passed) | Q(x_far=True),
        Criterion.BOOKKEEPING: Q(x_books=True),
    }
    rows = rows.annotate(**{f"x_met_{code}": _met(condition) for code, condition in met.items()})
    rows = rows.annotate(
        x_size_class=Case(
            When(on_sales, then=_class_of("x_sales", size.bounds("sales"))),
            When(on_capital, then=_class_of("x_capital", size.bounds("capital"))),
            default=Value(None),
            output_field=CharField(),
        ),
        x_size_criterion=Case(
            When(on_sales, then=Value(SizeCriterion.SALES)),
            When(on_capital, then=Value(SizeCriterion.CAPITAL)),
            default=Value(""),
        ),
        x_size_basis=Case(
            When(on_sales, then=F("x_sales_basis")),
            When(on_capital, then=F("x_capital_basis")),
            default=Value(""),
        ),
        x_size_year=Case(
            When(on_sales, then=F("x_sales_year")), When(on_capital, then=F("x_capital_year"))
        ),
        x_size_figure=Case(
            When(on_sales, then=F("x_sales")), When(on_capital, then=F("x_capital"))
        ),
    )
    criteria = list(readiness.criteria.all())
    total = sum(c.weight for c in criteria) or 1
    earned = sum(
        (Case(When(**{f"x_met_{c.code}": True}, then=Value(c.weight)), default=Value(0))
         for c in criteria),
        Value(0),
    )  # fmt: skip
    required = Q(x_size_class=SizeClass.MICRO)
    for c in criteria:
        if c.required:
            required &= Q(**{f"x_met_{c.code}": True})
    return rows.annotate(
        # Rounded half up in integer arithmetic, the same on every database.
        x_score=(earned * 100 + total // 2) / total,
        x_ready=_met(required),
        x_size_policy=Value(size.pk, output_field=IntegerField()),
        x_readiness_policy=Value(readiness.pk, output_field=IntegerField()),
    )


COLUMNS = {
    "business_id": "id",
    "size_class": "x_size_class",
    "size_criterion": "x_size_criterion",
    "size_basis": "x_size_basis",
    "size_year": "x_size_year",
    "size_figure": "x_size_figure",
    "size_policy_id": "x_size_policy",
    **{f"met_{code}": f"x_met_{code}" for code in Criterion.values},
    "readiness_score": "x_score",
    "ready": "x_ready",
    "readiness_policy_id": "x_readiness_policy",
}


@transaction.atomic
def recompute(business_ids: Iterable[int] | None = None) -> int:
    """Rewrite the standing of the given businesses (all when None); returns how many."""
    size, readiness = SizePolicy.in_force(), ReadinessPolicy.in_force()
    businesses = Business.objects.all()
    if business_ids is not None:
        businesses = businesses.filter(pk__in=list(business_ids))
    rows = standing_rows(businesses.order_by(), size, readiness).values(*COLUMNS.values())
    select_sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(Standing._meta.db_table)
    targets = [*COLUMNS, "computed_at"]
    # Only quoted column names from this module are formatted in; values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in targets)}) "  # noqa: S608
        f"SELECT {', '.join(quote(a) for a in COLUMNS.values())}, %s "
        f"FROM ({select_sql}) AS computed WHERE 1 = 1 "
        f"ON CONFLICT ({quote('business_id')}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in targets[1:])
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # JIT compiles hundreds of functions for this one statement and costs more
            # than it saves (about 7 s of 80 at a million rows); LOCAL ends with the
            # transaction.
            cursor.execute("SET LOCAL jit = off")
        # The outer SELECT's placeholder comes before the inner query's in the SQL text.
        cursor.execute(sql, [timezone.now(), *params])
        rows_written = cursor.rowcount
    propose_graduations(businesses, size)
    return rows_written


RANK: dict[str, int] = {
    SizeClass.MICRO: 1,
    SizeClass.SMALL: 2,
    SizeClass.MEDIUM: 3,
    SizeClass.LARGE: 4,
}


def _rank(figure: str, size: SizePolicy) -> Case:
    bounds = size.bounds("sales")
    return Case(
        *[When(**{f"{figure}__lte": bound}, then=Value(RANK[cls])) for cls, bound in bounds],
        default=Value(RANK[SizeClass.LARGE]),
        output_field=IntegerField(),
    )


def propose_graduations(businesses: QuerySet[Business], size: SizePolicy) -> int:
    """Propose a graduation wherever the latest verified year's sales put a business in a
    higher class than the verified year before it. Only verified figures count."""
    verified = FinancialRecord.objects.filter(
        business=OuterRef("pk"), basis=Basis.VERIFIED, annual_sales__isnull=False
    ).order_by("-year")
    candidates = (
        businesses.annotate(
            x_to_year=Subquery(verified.values("year")[:1]),
            x_to_sales=Subquery(verified.values("annual_sales")[:1]),
            x_from_year=Subquery(verified.values("year")[1:2]),
            x_from_sales=Subquery(verified.values("annual_sales")[1:2]),
        )
        .filter(x_from_year__isnull=False)
        .annotate(x_to_rank=_rank("x_to_sales", size), x_from_rank=_rank("x_from_sales", size))
        .filter(x_to_rank__gt=F("x_from_rank"))
        .exclude(
            Exists(
                Graduation.objects.filter(business=OuterRef("pk"), to_year=OuterRef("x_to_year"))
            )
        )
        .values_list("pk", "x_from_year", "x_to_year", "x_from_sales", "x_to_sales")
    )
    proposals = [
        Graduation(
            business_id=pk,
            from_year=from_year,
            to_year=to_year,
            from_sales=from_sales,
            to_sales=to_sales,
            size_policy=size,
            from_class=size.class_of_sales(from_sales),
            to_class=size.class_of_sales(to_sales),
        )
        for pk, from_year, to_year, from_sales, to_sales in candidates
    ]
    Graduation.objects.bulk_create(proposals, batch_size=2000)
    return len(proposals)
