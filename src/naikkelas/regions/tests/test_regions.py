import pytest
from django.core.management import call_command
from django.test import override_settings

from naikkelas.regions.models import Level, Region

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_whole_kepmendagri_table():
    assert Region.objects.filter(level=Level.PROVINCE).count() == 38
    assert Region.objects.filter(level=Level.REGENCY).count() == 514
    assert Region.objects.filter(level=Level.DISTRICT).count() == 7285
    assert Region.objects.filter(level=Level.VILLAGE).count() == 83762


def test_the_home_region_is_kota_malang_with_its_57_kelurahan_and_boundaries():
    assert Region.objects.home().kecamatan().count() == 5
    villages = Region.objects.home().kelurahan()
    assert villages.count() == 57
    assert not villages.filter(boundary__isnull=True).exists()
    balearjosari = Region.objects.get(code="35.73.01.1001")
    assert balearjosari.name == "Balearjosari"
    assert balearjosari.parent_id == "35.73.01"
    assert balearjosari.is_urban
    assert -8.1 < balearjosari.centroid_lat < -7.8


def test_it_carries_population():
    malang = Region.objects.get(code="35.73")
    assert malang.population == 889_359
    assert malang.population == malang.population_male + malang.population_female


@override_settings(NAIKKELAS_REGION="35.07")
def test_the_home_region_is_configuration():
    # Kabupaten Malang: 33 kecamatan, none of them the city's.
    assert Region.objects.home().kecamatan().count() == 33
    assert not Region.objects.home().filter(code__startswith="35.73").exists()


def test_loading_again_creates_nothing(capsys):
    call_command("load_regions")
    assert "regions: 0 created" in capsys.readouterr().out
    assert Region.objects.count() == 91_599
