"""Batch linkage on look-alikes the project did not generate (`benchmarks.lookalikes`):
every kind of corruption, and every kind of hard negative, at the product's default
threshold, through the import's row reader. Accuracy only: the benchmark prints times."""

import random

import pytest

from benchmarks import lookalikes
from naikkelas.intake.places import Places

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [60, 400])
def test_every_kind_of_lookalike_meets_the_target(n):
    result = lookalikes.run(n, seed=1)

    assert not result.rejected, "the import's reader refused a look-alike"
    planted = {kind for kind, tally in result.kinds.items() if tally.planted}
    if n >= 400:  # at 400 every kind is planted, several times
        assert planted == set(lookalikes.KINDS) | set(lookalikes.NEGATIVES)
        assert min(result.kinds[kind].planted for kind in planted) >= 3
    assert not lookalikes.below_target(result), "\n".join(lookalikes.table(result))


def test_the_corruptions_change_what_they_say():
    rng = random.Random(5)
    row = {
        "nama_usaha": "Bakso Pak Muhammad", "nama_pengusaha": "Muhammad Nur Suryanto",
        "alamat_usaha": "Jl. Kenanga No. 12", "alamat_pengusaha": "Jl. Kenanga No. 12",
        "kel_usaha": "KETAWANGGEDE", "kontak_hp": "081234567890", "nib": "9100000000001",
        "nik_pengusaha": "3573011201900001", "rt_usaha": "3", "rw_usaha": "2",
    }  # fmt: skip
    for name, corrupt in lookalikes.SINGLE.items():
        changed = corrupt(rng, row)
        assert changed is not None and changed != row, name
    spelled = lookalikes.spelling(random.Random(1), row)
    assert spelled is not None
    assert spelled["nama_pengusaha"] != row["nama_pengusaha"]


def test_the_kelurahan_spellings_resolve_to_the_same_place():
    places = Places()
    for code, name in lookalikes._villages():
        for spelling in [*lookalikes._place_spellings(name), f"Kel. {name}", name.upper()]:
            district = places.name(code[:8])
            assert places.find(["Jawa Timur", "Kota Malang", district, spelling]) == (code, 4), (
                spelling
            )
