"""Batch linkage on a file with planted duplicates (`naikkelas demo --duplicates`)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from naikkelas.dedup.models import DuplicatePair
from naikkelas.intake.importer import import_file
from naikkelas.intake.synthetic import write_sidt_csv
from naikkelas.registry.models import Business

pytestmark = pytest.mark.django_db


def _planted(tmp_path, n=1500, share=0.08):
    path = tmp_path / "planted.csv"
    write_sidt_csv(path, n, seed=7, duplicates=share)
    # Not linked by the import: these tests measure the registry-wide search.
    import_file(None, path, link=False)
    ids = dict(Business.objects.values_list("source_id", "pk"))
    truth = json.loads(path.with_suffix(".csv.truth.json").read_text())
    return {tuple(sorted((ids[a], ids[b]))) for a, b in truth if a in ids and b in ids}


def test_dedup_finds_the_planted_pairs_once_each(tmp_path):
    truth = _planted(tmp_path)
    out = StringIO()

    call_command("dedup", "--json", stdout=out)

    found = [(p["a"], p["b"]) for p in json.loads(out.getvalue())["pairs"]]
    assert len(found) == len(set(found)), "a pair is named twice"
    assert all(a < b for a, b in found)
    true_positives = len(set(found) & truth)
    precision = true_positives / len(found)
    recall = true_positives / len(truth)
    assert len(truth) >= 50
    assert precision >= 0.9, (precision, recall)
    assert recall >= 0.9, (precision, recall)
    assert DuplicatePair.objects.count() == len(found)


def test_an_owners_second_business_is_not_taken_for_a_duplicate(tmp_path):
    _planted(tmp_path, n=600, share=0.1)
    second = {b.pk: b for b in Business.objects.filter(source_id__endswith="-B")}
    assert second

    call_command("dedup", stdout=StringIO())

    paired = set(DuplicatePair.objects.values_list("a", flat=True)) | set(
        DuplicatePair.objects.values_list("b", flat=True)
    )
    assert not paired & set(second)
