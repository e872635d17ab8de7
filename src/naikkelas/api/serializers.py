from typing import Any

from django.db import models
from rest_framework import serializers

from naikkelas.graduation import explain
from naikkelas.graduation.models import Standing
from naikkelas.regions.models import Region
from naikkelas.registry.models import SECTOR_CHOICES, Business, LegalForm, Owner, Sentra
from naikkelas.registry.services import BUSINESS_FIELDS, OWNER_FIELDS


class BusinessSerializer(serializers.ModelSerializer[Business]):
    """A business as the API shows it: personal data masked, never in clear."""

    kelurahan = serializers.CharField(source="kelurahan_id", read_only=True)
    kecamatan = serializers.SerializerMethodField()
    # Read-only fields built from the model lose allow_blank, so the schema would promise
    # one of the choices where an unrecorded sector or legal form is "".
    sector = serializers.ChoiceField(choices=SECTOR_CHOICES, allow_blank=True, read_only=True)
    legal_form = serializers.ChoiceField(
        choices=LegalForm.choices, allow_blank=True, read_only=True
    )
    reported_size_class = serializers.SerializerMethodField()
    size_class = serializers.SerializerMethodField()
    readiness = serializers.SerializerMethodField()
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    nik = serializers.CharField(source="owner.nik_masked", read_only=True)
    phone = serializers.CharField(source="owner.phone_masked", read_only=True)

    class Meta:
        model = Business
        fields = [
            "id", "source_id", "name", "nib", "kbli", "sector", "main_activity", "main_product",
            "legal_form", "kelurahan", "kecamatan", "rw", "rt", "street", "latitude", "longitude",
            "status", "status_reason", "size_class", "reported_size_class", "readiness",
            "owner_name", "nik", "phone", "start_month", "start_year", "exports", "version",
            "created_at", "updated_at", "verified_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_kecamatan(self, obj: Business) -> str:
        return obj.kelurahan_id[:8]

    def get_reported_size_class(self, obj: Business) -> str | None:
        return obj.reported_size_class or None

    def get_size_class(self, obj: Business) -> str | None:
        standing = _standing(obj)
        return standing.size_class if standing else None

    def get_readiness(self, obj: Business) -> dict[str, Any] | None:
        standing = _standing(obj)
        if standing is None:
            return None
        return {
            "score": standing.readiness_score,
            "ready": standing.ready,
            "gaps": explain.gaps(standing),
            "policy": str(standing.readiness_policy),
        }


def _standing(business: Business) -> Standing | None:
    # A missing one-to-one raises an AttributeError subclass: getattr's default covers it.
    return getattr(business, "standing", None)


def _from_model(model: type[Business] | type[Owner], name: str) -> serializers.Field:
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    field_class, kwargs = serializers.ModelSerializer().build_standard_field(name, model_field)
    # Uniqueness is the service's rule, with its own message; drop the model's validators.
    kwargs.pop("validators", None)
    return field_class(**kwargs)


class BusinessWriteSerializer(serializers.Serializer[dict[str, Any]]):
    """Parses input into typed values; the rules are in registry.services.validate."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = {name: _from_model(Business, name) for name in BUSINESS_FIELDS}
        fields["kelurahan"] = serializers.SlugRelatedField(
            slug_field="code", queryset=Region.objects.home().kelurahan()
        )
        fields["sentra"] = serializers.PrimaryKeyRelatedField(
            queryset=Sentra.objects.all(), required=False, allow_null=True
        )
        for key, attr in OWNER_FIELDS.items():
            fields[key] = _from_model(Owner, attr)
        fields["owner_name"] = serializers.CharField(max_length=150)
        fields["owner_kelurahan"] = serializers.SlugRelatedField(
            slug_field="code", queryset=Region.objects.kelurahan(), required=False, allow_null=True
        )
        fields["nik"] = serializers.CharField(required=False, allow_blank=True, write_only=True)
        fields["phone"] = serializers.CharField(required=False, allow_blank=True, write_only=True)
        fields["version"] = serializers.IntegerField(required=False)
        return fields


class ReasonSerializer(serializers.Serializer[dict[str, str]]):
    reason = serializers.CharField(max_length=1000)
