"""Visits and complaints over the API, with their photos and positions.

Reads go through engagement.access, writes through the engagement services, as on the
web; the businesses a body names go through the registry's access helpers.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.accounts.http import api_actor
from naikkelas.api.idempotency import IdempotentWrites
from naikkelas.api.serializers import PhotoSerializer, PhotoUploadSerializer
from naikkelas.core.errors import FieldErrors
from naikkelas.engagement import access, services
from naikkelas.engagement.models import Category, Complaint, Visit, VisitKind
from naikkelas.regions.models import Region
from naikkelas.registry.access import get_business_for
from naikkelas.registry.models import Business


def _position_fields() -> dict[str, serializers.Field]:
    return {
        "latitude": serializers.DecimalField(
            max_digits=9, decimal_places=6, required=False, allow_null=True
        ),
        "longitude": serializers.DecimalField(
            max_digits=9, decimal_places=6, required=False, allow_null=True
        ),
        "location_accuracy": serializers.FloatField(required=False, allow_null=True),
    }


class VisitWriteSerializer(serializers.Serializer[dict[str, Any]]):
    """A visit as recorded; the rules are engagement.services.record_visit's."""

    kind = serializers.ChoiceField(choices=VisitKind.choices)
    held_on = serializers.DateField()
    kelurahan = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.home().kelurahan()
    )
    place = serializers.CharField(max_length=200)
    visitors = serializers.CharField(max_length=255)
    businesses = serializers.ListField(child=serializers.IntegerField(), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_position_fields()}


class VisitSerializer(serializers.ModelSerializer[Visit]):
    kelurahan = serializers.CharField(source="kelurahan_id", read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id", "kind", "held_on", "kelurahan", "place", "visitors", "businesses", "notes",
            "latitude", "longitude", "location_accuracy", "photos", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class ComplaintWriteSerializer(serializers.Serializer[dict[str, Any]]):
    """A complaint or need heard; its kelurahan is the business's, else the visit's,
    else the one given (engagement.services.record_complaint)."""

    category = serializers.ChoiceField(choices=Category.choices)
    text = serializers.CharField()
    business = serializers.IntegerField(required=False, allow_null=True)
    visit = serializers.IntegerField(required=False, allow_null=True)
    kelurahan = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.home().kelurahan(), required=False,
        allow_null=True,
    )  # fmt: skip

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_position_fields()}


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    kelurahan = serializers.CharField(source="kelurahan_id", read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id", "category", "text", "status", "business", "visit", "kelurahan", "latitude",
            "longitude", "location_accuracy", "photos", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


def _businesses(ids: list[int]) -> list[Business]:
    """The businesses a visit names. Which of them the actor may name is the service's
    to check (after who may record a visit at all); an id of no business is refused."""
    found = list(Business.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise FieldErrors(
            {
                "businesses": [
                    DjangoValidationError(
                        _("A business number is unknown or outside your area."),
                        code="business_outside_area",
                    )
                ]
            }
        )
    return found


def _photo(request: Request) -> Any:
    upload = PhotoUploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    return upload.validated_data["photo"]


class VisitViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Visit],
):
    serializer_class = VisitSerializer

    def get_queryset(self) -> QuerySet[Visit]:
        return access.visits_for(self.request.user).prefetch_related("businesses", "photos")

    def get_object(self) -> Visit:
        return access.get_visit_for(self.request.user, self.kwargs["pk"])

    def _respond(self, visit: Visit, code: int = status.HTTP_200_OK) -> Response:
        return Response(VisitSerializer(self.get_queryset().get(pk=visit.pk)).data, code)

    @extend_schema(request=VisitWriteSerializer, responses={201: VisitSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = VisitWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        chosen = _businesses(data.pop("businesses", []))
        visit = services.record_visit(api_actor(request), data, businesses=chosen)
        return self._respond(visit, status.HTTP_201_CREATED)

    @extend_schema(request=PhotoUploadSerializer, responses={201: PhotoSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: str) -> Response:
        """Add a photo of the visit (`multipart/form-data`, field `photo`)."""
        visit = self.get_object()
        photo = services.add_visit_photo(api_actor(request), visit, _photo(request))
        return Response(PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class ComplaintViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Complaint],
):
    serializer_class = ComplaintSerializer

    def get_queryset(self) -> QuerySet[Complaint]:
        return access.complaints_for(self.request.user).prefetch_related("photos")

    def get_object(self) -> Complaint:
        return access.get_complaint_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ComplaintWriteSerializer, responses={201: ComplaintSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ComplaintWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        business_id, visit_id = data.pop("business", None), data.pop("visit", None)
        business = get_business_for(request.user, business_id) if business_id else None
        visit = access.get_visit_for(request.user, visit_id) if visit_id else None
        complaint = services.record_complaint(
            api_actor(request), data, business=business, visit=visit
        )
        found = self.get_queryset().get(pk=complaint.pk)
        return Response(ComplaintSerializer(found).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PhotoUploadSerializer, responses={201: PhotoSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: str) -> Response:
        """Add a photo of what the complaint is about (`multipart/form-data`, `photo`)."""
        complaint = self.get_object()
        photo = services.add_complaint_photo(api_actor(request), complaint, _photo(request))
        return Response(PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)
