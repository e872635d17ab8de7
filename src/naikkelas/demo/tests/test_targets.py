"""The seeds' targets, scaled to the size of the demo city."""

import pytest

from naikkelas.demo.targets import create_demo_targets
from naikkelas.monitoring.models import Target

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_seeds_targets(admin):
    admin.username = "admin"
    admin.save(update_fields=["username"])
    targets = create_demo_targets(40_000)
    assert [
        (t.indicator, f"{t.starts_on:%Y-%m}", f"{t.ends_on:%Y-%m}", t.value) for t in targets
    ] == [
        ("graduated", "2024-09", "2024-12", 100),
        ("graduated", "2025-01", "2025-12", 4000),
        ("verified", "2024-01", "2025-12", 30000),
    ]
    assert create_demo_targets(4_000)[1].value == 400
    assert Target.objects.count() == 3
