import re

import pytest
from django.urls import reverse

from conftest import BALEARJOSARI, PASSWORD
from naikkelas.monitoring import dashboard, tallies
from naikkelas.monitoring.access import kelurahan_codes
from naikkelas.regions.models import Region

pytestmark = pytest.mark.django_db


def _get(client, user, **query):
    client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("dashboard"), query)


def test_it_draws_one_path_per_kelurahan_inside_an_inline_svg_map(client, leader, city):
    html = _get(client, leader).content.decode()
    svg = re.search(r'<svg[^>]*class="map".*?</svg>', html, re.S)
    assert svg
    villages = Region.objects.home().kelurahan()
    assert svg.group(0).count("<path") == villages.count() == 57
    # Names on hover, a click drills down to the kelurahan's businesses.
    assert "<title>Balearjosari: 2</title>" in svg.group(0)
    assert f"kelurahan={BALEARJOSARI}" in svg.group(0)
    assert "http" not in svg.group(0).replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_it_shows_the_headline_figures(client, leader, city):
    html = _get(client, leader).content.decode()
    for key, value in (("registered", 4), ("verified", 1), ("ready", 1), ("graduated", 1)):
        assert f'data-figure="{key}">{value}<' in html
    assert 'data-figure="credit_disbursed">Rp45.000.000<' in html


def test_every_breakdown_adds_up_to_its_total(client, leader, city):
    response = _get(client, leader)
    d = response.context["d"]
    titles = [b.title for b in d.breakdowns]
    assert len(titles) == 4
    for b in d.breakdowns:
        assert b.adds_up(), b.title
        assert b.total == d.total
        assert sum(r.figures["registered"] for r in b.rows) == 4
        assert round(sum(r.share for r in b.rows)) == 100
    sectors = {r.key: r.figures["registered"] for r in d.breakdowns[2].rows}
    assert sectors["unknown"] == 1
    # and down a level: the kecamatan of Blimbing, then one kelurahan
    for code in ("35.73.01", BALEARJOSARI):
        d = _get(client, leader, wilayah=code).context["d"]
        assert all(b.adds_up() for b in d.breakdowns)
        assert d.total["registered"] == (3 if code == "35.73.01" else 2)


def test_it_gives_the_rate_per_thousand_inhabitants_where_the_population_is_known(
    client, leader, city
):
    d = _get(client, leader).context["d"]
    assert d.per_thousand == pytest.approx(4000 / 889_359)
    assert "0,0" in _get(client, leader).content.decode()
    # The shipped population stops at the city: no rate is made up for a kecamatan.
    blimbing = next(r for r in d.breakdowns[0].rows if r.key == "35.73.01")
    assert blimbing.figures["registered"] == 3
    assert blimbing.per_thousand is None
    assert blimbing.href == reverse("dashboard") + "?wilayah=35.73.01"


def test_it_drills_down_from_the_kelurahan_to_its_business_list(client, leader, city):
    d = _get(client, leader, wilayah="35.73.01").context["d"]
    balearjosari = next(r for r in d.breakdowns[0].rows if r.key == BALEARJOSARI)
    assert balearjosari.href == f"/usaha/?kecamatan=35.73.01&kelurahan={BALEARJOSARI}"
    listed = client.get(balearjosari.href).context["page"].paginator.count
    assert listed == balearjosari.figures["registered"] == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"wilayah": "99.99.99"}, "There is no kecamatan or kelurahan with code"),
        ({"dari": "2025-13"}, "is not a month"),
        ({"dari": "kemarin"}, "is not a month"),
        ({"dari": "2025-06", "sampai": "2025-01"}, "The period ends before it starts."),
    ],
)
def test_it_explains_a_filter_it_cannot_use_and_shows_the_rest(
    client, leader, city, query, message
):
    client.login(username=leader.username, password=PASSWORD)
    response = client.get(reverse("dashboard"), query, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert any(message in p for p in response.context["problems"])
    assert response.context["d"].total["registered"] == 4


def test_it_says_it_in_indonesian_by_default(client, leader, city):
    response = _get(client, leader, wilayah="99.99")
    assert "Tidak ada kecamatan atau kelurahan dengan kode" in response.content.decode()


@pytest.mark.parametrize("persona", ["volunteer", "bank", "owner_user"])
def test_it_has_no_dashboard_for_roles_outside_leadership(client, request, persona, city):
    user = request.getfixturevalue(persona)
    assert _get(client, user).status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login(client, city):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["leader", "curator", "manager", "admin"])
def test_it_opens_for_every_role_that_sees_the_whole_city(client, request, persona, city):
    assert _get(client, request.getfixturevalue(persona)).status_code == 200


def test_it_keeps_the_number_of_queries_fixed(
    client, leader, city, make_business, django_assert_num_queries
):
    _get(client, leader)
    # session, user, as-of and places, roll-ups (two), targets, cohorts
    with django_assert_num_queries(7):
        client.get(reverse("dashboard"))
    for n in range(15):
        make_business(name=f"Usaha {n}", kelurahan="35.73.04.1005")
    tallies.refresh()
    with django_assert_num_queries(7):
        client.get(reverse("dashboard"), {"wilayah": "35.73.04"})


def test_it_shades_the_map_by_the_metric_chosen(client, leader, city):
    d = _get(client, leader, peta="ready").context["d"]
    titles = {s.title: s.fill for s in d.map.shapes if s.kind == "polygon"}
    assert "Balearjosari: 1" in titles and "Sukun: 0" in titles
    assert titles["Balearjosari: 1"] != titles["Sukun: 0"]


def test_it_breaks_down_the_volunteers_scope_only(city, volunteer):
    kelurahan = kelurahan_codes(volunteer)
    assert kelurahan == [BALEARJOSARI]
    where = dashboard.scope(kelurahan, "", dashboard.places(tallies.snapshot().state))
    d = dashboard.build(where)
    assert d.total["registered"] == 2
    assert all(b.adds_up() for b in d.breakdowns)
