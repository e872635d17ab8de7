from typing import Any

from django.db import models
from rest_framework import serializers

from naikkelas.graduation import explain
from naikkelas.graduation.models import Standing
from naikkelas.regions.models import Region
from naikkelas.registry.models import (
    SECTOR_CHOICES,
    Basis,
    Business,
    FinancialRecord,
    LegalForm,
    LegalityDocument,
    Owner,
    Product,
    Sentra,
)
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
    # A URL, or "" when none was given: the model's URLField would promise a URL always.
    photo_url = serializers.CharField(read_only=True)
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
            "location_accuracy", "status", "status_reason", "size_class", "reported_size_class",
            "readiness", "owner_name", "nik", "phone", "start_month", "start_year",
            "founding_capital", "exports", "export_destinations", "photo_url", "sentra",
            "paid_male", "paid_female", "paid_disabled_male", "paid_disabled_female",
            "unpaid_male", "unpaid_female", "unpaid_disabled_male", "unpaid_disabled_female",
            "version", "created_at", "updated_at", "verified_at",
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


class BusinessCurrentSerializer(BusinessSerializer):
    """The business as the server holds it, for an edit refused as stale: every field an
    edit may change, the owner's too (NIK and phone still masked), so that the client can
    show its edit beside the record's current values."""

    gender = serializers.CharField(source="owner.gender", read_only=True)
    has_disability = serializers.BooleanField(source="owner.has_disability", read_only=True)
    birth_date = serializers.DateField(source="owner.birth_date", read_only=True, allow_null=True)
    education = serializers.CharField(source="owner.education", read_only=True)
    owner_kelurahan = serializers.CharField(
        source="owner.kelurahan_id", read_only=True, allow_null=True
    )
    owner_street = serializers.CharField(source="owner.street", read_only=True)
    owner_rt = serializers.IntegerField(source="owner.rt", read_only=True, allow_null=True)
    owner_rw = serializers.IntegerField(source="owner.rw", read_only=True, allow_null=True)

    class Meta(BusinessSerializer.Meta):
        fields = [
            *BusinessSerializer.Meta.fields, "gender", "has_disability", "birth_date",
            "education", "owner_kelurahan", "owner_street", "owner_rt", "owner_rw",
        ]  # fmt: skip
        read_only_fields = fields


class StaleEditSerializer(serializers.Serializer[dict[str, Any]]):
    """The answer (409) to an edit made on a version someone else has saved over."""

    code = serializers.CharField()
    detail = serializers.CharField()
    current = BusinessCurrentSerializer()


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


class BusinessVersion(serializers.Serializer[Any]):
    """The version of the business after a write of one of its parts, which bumps it: a
    client that queued an edit behind its own writes edits this version."""

    business_version = serializers.SerializerMethodField()

    def get_business_version(self, obj: Any) -> int:
        return int(
            Business.objects.filter(pk=obj.business_id).values_list("version", flat=True).get()
        )


class FinancialRecordWriteSerializer(serializers.Serializer[dict[str, Any]]):
    """One year's figures; the rules are those of registry.services.save_financial_record."""

    year = serializers.IntegerField()
    basis = serializers.ChoiceField(choices=Basis.choices, required=False)
    annual_sales = serializers.IntegerField(required=False, allow_null=True)
    capital = serializers.IntegerField(required=False, allow_null=True)
    assets = serializers.IntegerField(required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    correct = serializers.BooleanField(required=False, default=False)


class FinancialRecordSerializer(BusinessVersion, serializers.ModelSerializer[FinancialRecord]):
    class Meta:
        model = FinancialRecord
        fields = [
            "id", "year", "basis", "annual_sales", "capital", "assets", "evidence",
            "recorded_at", "business_version",
        ]  # fmt: skip
        read_only_fields = fields


class LegalitySerializer(BusinessVersion, serializers.ModelSerializer[LegalityDocument]):
    class Meta:
        model = LegalityDocument
        fields = ["id", "kind", "number", "issued_on", "expires_on", "business_version"]


class ProductSerializer(BusinessVersion, serializers.ModelSerializer[Product]):
    class Meta:
        model = Product
        fields = ["id", "name", "description", "price", "business_version"]


class PhotoUploadSerializer(serializers.Serializer[dict[str, Any]]):
    """A photo, sent as `multipart/form-data`; the server re-encodes it (core.images)."""

    photo = serializers.FileField()


class PhotoSerializer(serializers.Serializer[Any]):
    """A photo as stored: a page-sized JPEG and its thumbnail, without metadata."""

    id = serializers.IntegerField(read_only=True)
    image = serializers.FileField(read_only=True)
    thumbnail = serializers.FileField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)


class BusinessPhotoSerializer(BusinessVersion, PhotoSerializer):
    pass
