"""Visits and complaints over the API, with their photos and positions.

Reads go through engagement.access, writes through the engagement services, as on the
web; the businesses a body names go through the registry's access helpers.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.accounts.http import api_actor
from naikkelas.accounts.models import User
from naikkelas.api.idempotency import IdempotentWrites
from naikkelas.api.serializers import CodeField, PhotoSerializer, PhotoUploadSerializer
from naikkelas.api.viewsets import AnswersAsRead
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


class _WithPosition(serializers.Serializer[dict[str, Any]]):
    """A write that may carry where it was recorded; the position's rules are the
    service's. The fields come after the subclass's own (declared fields of a base class
    would come first), the order of the schema and of a refusal's fields."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_position_fields()}


class VisitWriteSerializer(_WithPosition):
    """A visit as recorded; the rules are engagement.services.record_visit's."""

    kind = serializers.ChoiceField(choices=VisitKind.choices)
    held_on = serializers.DateField()
    kelurahan = CodeField(slug_field="code", queryset=Region.objects.home().kelurahan())
    place = serializers.CharField(max_length=200)
    visitors = serializers.CharField(max_length=255)
    businesses = serializers.ListField(child=serializers.IntegerField(), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


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


class ComplaintWriteSerializer(_WithPosition):
    """A complaint or need heard; its kelurahan is the business's, else the visit's,
    else the one given (engagement.services.record_complaint)."""

    category = serializers.ChoiceField(choices=Category.choices)
    text = serializers.CharField()
    business = serializers.IntegerField(required=False, allow_null=True)
    visit = serializers.IntegerField(required=False, allow_null=True)
    kelurahan = CodeField(
        slug_field="code", queryset=Region.objects.home().kelurahan(), required=False,
        allow_null=True,
    )  # fmt: skip


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


_Record = TypeVar("_Record", Visit, Complaint)


def _add_photo(
    request: Request, record: _Record, add: Callable[[User, _Record, UploadedFile], Model]
) -> Response:
    """A photo of `record` added from the upload's `photo` field by the service `add`,
    which decides who may; answered 201 with the photo as stored."""
    actor = api_actor(request)
    upload = PhotoUploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    photo = add(actor, record, upload.validated_data["photo"])
    return Response(PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class VisitViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    AnswersAsRead[Visit],
):
    serializer_class = VisitSerializer

    def get_queryset(self) -> QuerySet[Visit]:
        return access.visits_for(self.request.user).prefetch_related("businesses", "photos")

    def get_object(self) -> Visit:
        return access.get_visit_for(self.request.user, self.kwargs["pk"])

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
        return _add_photo(request, self.get_object(), services.add_visit_photo)


class ComplaintViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    AnswersAsRead[Complaint],
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
        return self._respond(complaint, status.HTTP_201_CREATED)

    @extend_schema(request=PhotoUploadSerializer, responses={201: PhotoSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: str) -> Response:
        """Add a photo of what the complaint is about (`multipart/form-data`, `photo`)."""
        return _add_photo(request, self.get_object(), services.add_complaint_photo)
