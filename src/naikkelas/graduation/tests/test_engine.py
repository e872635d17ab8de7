import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PASSWORD
from naikkelas.graduation import eligibility, explain
from naikkelas.graduation.engine import recompute
from naikkelas.graduation.models import (
    Assessment,
    Criterion,
    ReadinessPolicy,
    SizePolicy,
    Standing,
)
from naikkelas.registry import services
from naikkelas.registry.models import Basis

pytestmark = pytest.mark.django_db
B = 1_000_000_000

SALES_EDGES = [
    (0, "micro"), (2 * B, "micro"), (2 * B + 1, "small"), (15 * B, "small"),
    (15 * B + 1, "medium"), (50 * B, "medium"), (50 * B + 1, "large"),
]  # fmt: skip
CAPITAL_EDGES = [
    (0, "micro"), (1 * B, "micro"), (1 * B + 1, "small"), (5 * B, "small"),
    (5 * B + 1, "medium"), (10 * B, "medium"), (10 * B + 1, "large"),
]  # fmt: skip


def _class_by_table(sales, capital):
    """The PP 7/2021 classes and the readiness rules written out independently of the engine."""
    if sales is not None:
        edges = [(2 * B, "micro"), (15 * B, "small"), (50 * B, "medium")]
        figure = sales
    elif capital is not None:
        edges = [(1 * B, "micro"), (5 * B, "small"), (10 * B, "medium")]
        figure = capital
    else:
        return None
    return next((cls for bound, cls in edges if figure <= bound), "large")


def _standing(business):
    return Standing.objects.get(business=business)


@pytest.mark.parametrize(("sales", "expected"), SALES_EDGES)
def test_it_classes_by_annual_sales_at_every_edge(admin, make_business, sales, expected):
    business = make_business()
    services.save_financial_record(
        admin, business, {"year": 2024, "annual_sales": sales, "capital": 20 * B}
    )
    standing = _standing(business)
    assert (standing.size_class, standing.size_criterion, standing.size_figure) == (
        expected,
        "sales",
        sales,
    )


@pytest.mark.parametrize(("capital", "expected"), CAPITAL_EDGES)
def test_it_classes_by_capital_when_there_is_no_sales_figure(
    admin, make_business, capital, expected
):
    business = make_business()
    services.save_financial_record(admin, business, {"year": 2024, "capital": capital})
    standing = _standing(business)
    assert (standing.size_class, standing.size_criterion) == (expected, "capital")


def test_with_no_figure_the_class_is_unknown(make_business):
    standing = _standing(make_business())
    assert standing.size_class is None
    assert "Unknown" in explain.size_reason(standing) or "Tidak diketahui" in explain.size_reason(
        standing
    )


def test_the_latest_year_wins_and_a_verified_figure_wins_within_a_year(admin, make_business):
    business = make_business()
    services.save_financial_record(admin, business, {"year": 2023, "annual_sales": 20 * B})
    services.save_financial_record(admin, business, {"year": 2024, "annual_sales": 3 * B})
    services.save_financial_record(
        admin, business, {"year": 2024, "basis": Basis.VERIFIED, "annual_sales": 1 * B}
    )
    standing = _standing(business)
    assert (standing.size_class, standing.size_year, standing.size_basis) == (
        "micro",
        2024,
        "verified",
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sales=st.one_of(
        st.none(), st.integers(0, 60 * B), st.sampled_from([e for e, _ in SALES_EDGES])
    ),
    capital=st.one_of(
        st.none(), st.integers(0, 12 * B), st.sampled_from([e for e, _ in CAPITAL_EDGES])
    ),
)
def test_the_class_matches_the_table_for_any_figures(admin, make_business, sales, capital):
    business = make_business()
    if sales is not None or capital is not None:
        services.save_financial_record(
            admin, business, {"year": 2024, "annual_sales": sales, "capital": capital}
        )
    assert _standing(business).size_class == _class_by_table(sales, capital)


def _ready_business(admin, make_business, **extra):
    business = make_business(nib="1234567890123", kbli="10792", **extra)
    services.save_financial_record(
        admin, business, {"year": datetime.date.today().year - 1, "annual_sales": 900_000_000}
    )
    services.add_detail(admin, business, "legality", {"kind": "pirt", "number": "2063573010001-27"})
    services.add_detail(admin, business, "legality", {"kind": "halal", "number": "ID35110000123"})
    services.add_detail(admin, business, "channel", {"kind": "marketplace", "name": "Shopee"})
    return business


def test_every_criterion_is_decided_and_explained_by_one_entry():
    assert set(eligibility.CRITERIA) == set(Criterion.values)
    assert all(rule.met_sql and str(rule.gap) for rule in eligibility.CRITERIA.values())


def test_a_complete_micro_food_business_is_ready_with_its_gaps_listed(admin, make_business):
    business = _ready_business(admin, make_business)
    standing = _standing(business)
    assert standing.ready
    # nib 20 + legality 20 + digital 10 + distribution (marketplace) 10 + books 10 = 70
    assert standing.readiness_score == 70
    assert explain.gaps(standing) == ["product_quality", "packaging", "branding"]


def test_readiness_follows_each_change(admin, make_business):
    business = _ready_business(admin, make_business)
    halal = business.legality.get(kind="halal")
    services.remove_detail(admin, business, "legality", halal.pk)
    standing = _standing(business)
    assert not standing.ready and "product_legality" in explain.gaps(standing)
    services.add_detail(
        admin, business, "legality",
        {"kind": "halal", "number": "ID1", "expires_on": datetime.date(2020, 1, 1)},
    )  # fmt: skip
    assert not _standing(business).met_product_legality  # an expired certificate does not count


def test_assessments_and_a_trademark_meet_the_judged_criteria(admin, make_business):
    business = _ready_business(admin, make_business)
    Assessment.objects.create(
        business=business, assessed_on=datetime.date(2025, 5, 1), assessor=admin,
        product_quality=4, packaging=3, branding=2, distribution=1,
    )  # fmt: skip
    recompute([business.pk])
    standing = _standing(business)
    assert standing.met_product_quality and standing.met_packaging and not standing.met_branding
    services.add_detail(admin, business, "legality", {"kind": "hki", "number": "IDM000123456"})
    assert _standing(business).met_branding
    assert _standing(business).readiness_score == 100


def test_a_small_business_is_not_ready_however_complete(admin, make_business):
    business = _ready_business(admin, make_business)
    services.save_financial_record(
        admin, business, {"year": datetime.date.today().year, "annual_sales": 3 * B}
    )
    standing = _standing(business)
    assert standing.size_class == "small" and not standing.ready


def test_a_new_policy_version_is_named_in_new_results(admin, make_business):
    business = make_business()
    services.save_financial_record(admin, business, {"year": 2024, "annual_sales": 3 * B})
    old = _standing(business)
    assert old.size_class == "small"
    # A local policy: micro up to Rp5 billion turnover (one seed's rule).
    local = SizePolicy.objects.create(
        name="Perwali (contoh)", effective_from=datetime.date(2024, 1, 1),
        micro_max_capital=1 * B, small_max_capital=5 * B, medium_max_capital=10 * B,
        micro_max_sales=5 * B, small_max_sales=15 * B, medium_max_sales=50 * B,
    )  # fmt: skip
    recompute()
    new = _standing(business)
    assert (new.size_class, new.size_policy_id) == ("micro", local.pk)
    assert old.size_policy_id != local.pk


def test_bulk_recompute_covers_every_business(make_business):
    for _ in range(5):
        make_business()
    Standing.objects.all().delete()
    assert recompute() == 5
    assert Standing.objects.count() == 5
    assert ReadinessPolicy.in_force().criteria.count() == 8


def test_the_page_and_the_api_agree(client, api_client, admin, curator, make_business):
    business = _ready_business(admin, make_business)
    client.login(username=curator.username, password=PASSWORD)
    html = client.get(reverse("business_detail", args=[business.pk])).content.decode()
    assert 'id="readiness-score">70<' in html and 'data-code="packaging"' in html
    api_client.login(username=curator.username, password=PASSWORD)
    item = api_client.get(f"/api/v1/businesses/{business.pk}/").json()
    assert item["size_class"] == "micro"
    assert item["readiness"]["score"] == 70 and item["readiness"]["ready"] is True
    assert item["readiness"]["gaps"] == ["product_quality", "packaging", "branding"]
    listed = api_client.get("/api/v1/businesses/?ready=true&size_class=micro").json()
    assert [b["id"] for b in listed["results"]] == [business.pk]


def test_a_repeated_recompute_writes_nothing_and_a_new_policy_rewrites_all(make_business):
    businesses = [make_business() for _ in range(3)]
    assert recompute() == 0  # every service write already recomputed its business
    before = {s.business_id: s.computed_at for s in Standing.objects.all()}

    stricter = ReadinessPolicy.objects.create(
        name="Lebih ketat", effective_from=datetime.date(2024, 6, 1), pass_score=4
    )
    for criterion in ReadinessPolicy.objects.exclude(pk=stricter.pk).first().criteria.all():
        stricter.criteria.create(
            code=criterion.code, weight=criterion.weight, required=criterion.required
        )

    assert recompute() == 3
    after = Standing.objects.in_bulk([b.pk for b in businesses])
    assert {s.readiness_policy_id for s in after.values()} == {stricter.pk}
    assert all(after[pk].computed_at > at for pk, at in before.items())


def test_a_subset_larger_than_one_statement_is_recomputed_in_chunks(
    admin, make_business, monkeypatch
):
    from naikkelas.graduation import engine

    monkeypatch.setattr(engine, "CHUNK", 2)
    businesses = [make_business() for _ in range(5)]
    Standing.objects.all().delete()

    assert recompute([b.pk for b in businesses]) == 5
    assert Standing.objects.count() == 5
