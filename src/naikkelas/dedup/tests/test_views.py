"""The review queue, the side-by-side page, undo, and what a merged record's page says."""

from typing import Any

import pytest
from django.urls import reverse

from conftest import PASSWORD, SUKUN_KELURAHAN
from naikkelas.dedup import services
from naikkelas.dedup.models import DuplicatePair, Merge, PairStatus
from naikkelas.registry.models import Business, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_business: Any) -> DuplicatePair:
    older = make_business(name="Keripik Tempe Sanan", street="Jl. Sanan 12")
    newer = make_business(name="Keripik Tempe Bu Siti", street="Jl. Sanan 12")
    services.propose_pairs([(older.pk, newer.pk, 0.93, ["similar_name", "same_kelurahan"])])
    return DuplicatePair.objects.get()


def _login(client: Any, user: Any) -> Any:
    client.login(username=user.username, password=PASSWORD)
    return client


def test_it_lists_proposed_pairs_most_likely_first(
    client: Any, curator: Any, pair: DuplicatePair, make_business: Any
) -> None:
    x, y = make_business(name="Batik Malangan"), make_business(name="Batik Malang")
    services.propose_pairs([(x.pk, y.pk, 0.99, ["similar_name"])])

    response = _login(client, curator).get(reverse("duplicate_queue"))

    assert response.status_code == 200
    assert [p.probability for p in response.context["page"]] == [0.99, 0.93]
    assert "Keripik Tempe Bu Siti" in response.content.decode()


def test_it_hides_pairs_outside_the_scope(
    client: Any, curator: Any, pair: DuplicatePair, make_business: Any
) -> None:
    # A curator's scope is the city; a record moved outside it takes its pairs along.
    other = make_business(kelurahan=SUKUN_KELURAHAN)
    services.propose_pairs([(pair.a_id, other.pk, 0.99, [])])
    Business.objects.filter(pk=other.pk).update(kelurahan_id="35.07.01.2001")
    hidden = DuplicatePair.objects.get(b=other)

    client = _login(client, curator)
    assert [p.pk for p in client.get(reverse("duplicate_queue")).context["page"]] == [pair.pk]
    assert client.get(reverse("duplicate_pair", args=[hidden.pk])).status_code == 404


def test_it_shows_the_two_records_side_by_side(
    client: Any, curator: Any, pair: DuplicatePair
) -> None:
    response = _login(client, curator).get(reverse("duplicate_pair", args=[pair.pk]))

    assert response.status_code == 200
    rows = {row.field: row for row in response.context["rows"]}
    assert rows["name"].differs and not rows["street"].differs
    assert response.context["survivor"] == pair.a  # the older record
    html = response.content.decode()
    assert 'name="keep_name"' in html and 'name="keep_street"' not in html


def test_it_merges_keeping_the_chosen_values(
    client: Any, curator: Any, pair: DuplicatePair
) -> None:
    response = _login(client, curator).post(
        reverse("duplicate_pair", args=[pair.pk]),
        {"decision": "merge", "survivor": pair.b_id, "keep_name": "a", "keep_owner": "b"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("business_detail", args=[pair.b_id])
    survivor, merged = Business.objects.get(pk=pair.b_id), Business.objects.get(pk=pair.a_id)
    assert survivor.name == "Keripik Tempe Sanan"
    assert survivor.owner.name.startswith("Siti Aminah") and survivor.owner_id == pair.b.owner_id
    assert (merged.status, merged.merged_into) == (Status.MERGED, survivor)
    pair.refresh_from_db()
    assert pair.status == PairStatus.MERGED


def test_it_remembers_not_a_duplicate(client: Any, curator: Any, pair: DuplicatePair) -> None:
    response = _login(client, curator).post(
        reverse("duplicate_pair", args=[pair.pk]), {"decision": "distinct"}
    )

    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISTINCT
    assert client.get(reverse("duplicate_queue")).context["page"].paginator.count == 0


def test_it_shows_a_refusal_on_the_page(client: Any, curator: Any, pair: DuplicatePair) -> None:
    client = _login(client, curator)
    services.merge_businesses(curator, None, pair.a, pair.b, {})
    DuplicatePair.objects.filter(pk=pair.pk).update(status=PairStatus.PROPOSED)

    response = client.post(reverse("duplicate_pair", args=[pair.pk]), {"decision": "merge"})

    assert response.status_code == 400
    assert "sudah digabungkan ke data lain" in response.context["error"]


def test_it_says_where_a_merged_record_went_and_undoes(
    client: Any, curator: Any, pair: DuplicatePair
) -> None:
    merge = services.merge_businesses(curator, pair, pair.a, pair.b, {})
    client = _login(client, curator)

    page = client.get(reverse("business_detail", args=[pair.b_id]))
    assert page.status_code == 200
    banner = client.get(reverse("duplicate_queue"))
    assert merge in banner.context["recent"]

    response = client.post(reverse("merge_undo", args=[merge.pk]))

    assert response.status_code == 302
    assert Business.objects.get(pk=pair.b_id).status == Status.DRAFT
    assert Merge.objects.get().undone_by == curator


def test_it_renders_the_merged_banner(curator: Any, pair: DuplicatePair) -> None:
    from django.template.loader import render_to_string

    merge = services.merge_businesses(curator, pair, pair.a, pair.b, {})
    html = render_to_string(
        "dedup/_merged_banner.html", {"business": merge.merged, "user": curator}
    )
    assert reverse("business_detail", args=[pair.a_id]) in html
    assert "Keripik Tempe Sanan" in html
    assert reverse("merge_undo", args=[merge.pk]) in html


@pytest.mark.parametrize("name", ["duplicate_queue", "duplicate_pair", "merge_undo"])
def test_it_refuses_a_volunteer(
    client: Any, curator: Any, volunteer: Any, pair: DuplicatePair, name: str
) -> None:
    # The volunteer sees both Balearjosari records, so she gets 403, not 404.
    merge = services.merge_businesses(curator, None, pair.a, pair.b, {})
    services.undo_merge(curator, merge)
    args = {"duplicate_queue": [], "duplicate_pair": [pair.pk], "merge_undo": [merge.pk]}[name]
    client = _login(client, volunteer)
    response = (client.post if name == "merge_undo" else client.get)(reverse(name, args=args))
    assert response.status_code == 403
    post = client.post(reverse("duplicate_pair", args=[pair.pk]), {"decision": "distinct"})
    assert post.status_code == 403
    assert DuplicatePair.objects.get().status == PairStatus.PROPOSED


def test_it_answers_404_to_a_volunteer_of_another_kelurahan(
    client: Any, sukun_volunteer: Any, pair: DuplicatePair
) -> None:
    response = _login(client, sukun_volunteer).get(reverse("duplicate_pair", args=[pair.pk]))
    assert response.status_code == 404
