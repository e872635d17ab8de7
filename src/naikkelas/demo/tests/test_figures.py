from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from naikkelas.demo.accounts import DEMO_PASSWORD
from naikkelas.demo.seeds import targets, verified_target
from naikkelas.graduation.models import Standing

pytestmark = pytest.mark.django_db
SIZE = 400


def test_the_demo_city_gives_the_seeds_figures_and_targets(api_client, client):
    call_command("demo", "--businesses", str(SIZE), stdout=StringIO())
    goal = targets(SIZE)
    api_client.login(username="pimpinan", password=DEMO_PASSWORD)
    stats = api_client.get("/api/v1/stats/").json()
    assert stats.pop("as_of")
    assert stats == {
        "businesses": SIZE,
        "verified": verified_target(SIZE),
        "ready": Standing.objects.filter(ready=True).count(),
        "graduated": goal.graduated,
        "exporters": goal.exporters,
    }
    client.login(username="pimpinan", password=DEMO_PASSWORD)
    d = client.get(reverse("dashboard")).context["d"]
    # 100, 4,000 and 30,000 for 40,000 businesses, in proportion.
    assert [(p.target.indicator, p.target.value) for p in d.progress] == [
        ("verified", 300), ("graduated", 1), ("graduated", 40),
    ]  # fmt: skip
    assert all(b.adds_up() for b in d.breakdowns)
