"""The REST API: same scoping (registry.access) and services as the web."""

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.accounts.http import api_actor
from naikkelas.api.idempotency import IdempotentWrites
from naikkelas.api.serializers import (
    BusinessCurrentSerializer,
    BusinessPhotoSerializer,
    BusinessSerializer,
    BusinessWriteSerializer,
    FinancialRecordSerializer,
    FinancialRecordWriteSerializer,
    LegalitySerializer,
    PhotoUploadSerializer,
    ProductSerializer,
    ReasonSerializer,
    StaleEditSerializer,
)
from naikkelas.core.errors import FieldErrors, StaleEdit
from naikkelas.monitoring.tallies import stats_for
from naikkelas.regions.models import Region
from naikkelas.registry import services
from naikkelas.registry.access import businesses_for, get_business_for
from naikkelas.registry.filters import BusinessFilter
from naikkelas.registry.models import Business, SizeClass, Status


class BusinessFilterSet(django_filters.FilterSet):
    """Parses and checks the list's parameters (an unknown choice answers 400) and
    describes them in the schema, from these declarations; the narrowing itself is
    registry.filters.BusinessFilter's, the same as the web list's."""

    kelurahan = django_filters.CharFilter()
    kecamatan = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=Status.choices)
    reported_size_class = django_filters.ChoiceFilter(choices=SizeClass.choices)
    # The model field named gives the schema its type: the computed class may be null.
    size_class = django_filters.ChoiceFilter(
        field_name="standing__size_class", choices=SizeClass.choices
    )
    ready = django_filters.BooleanFilter()
    q = django_filters.CharFilter()
    nib = django_filters.CharFilter()
    source_id = django_filters.CharFilter()

    class Meta:
        model = Business
        fields = ["kelurahan", "kecamatan", "status", "reported_size_class", "nib", "source_id"]

    def filter_queryset(self, queryset: QuerySet[Business]) -> QuerySet[Business]:
        return BusinessFilter(**self.form.cleaned_data).apply(queryset)


class BusinessViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Business],
):
    serializer_class = BusinessSerializer
    filterset_class = BusinessFilterSet

    def get_queryset(self) -> QuerySet[Business]:
        return (
            businesses_for(self.request.user)
            .select_related("owner", "kelurahan", "standing__readiness_policy")
            .prefetch_related("standing__readiness_policy__criteria")
            .order_by("id")
        )

    def get_object(self) -> Business:
        return get_business_for(self.request.user, self.kwargs["pk"])

    def _input(self, request: Request, *, partial: bool) -> dict[str, Any]:
        serializer = BusinessWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=BusinessWriteSerializer, responses={201: BusinessSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = services.create_business(api_actor(request), self._input(request, partial=False))
        return Response(BusinessSerializer(business).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BusinessWriteSerializer,
        responses={200: BusinessSerializer, 409: StaleEditSerializer},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.get_object()
        data = self._input(request, partial=kwargs.get("partial", False))
        if "version" not in data:
            raise FieldErrors(
                {
                    "version": [
                        DjangoValidationError(
                            "Send the version you edited (optimistic concurrency).",
                            code="required",
                        )
                    ]
                }
            )
        version = data.pop("version")
        try:
            business = services.update_business(
                api_actor(request), business, data, expected_version=version
            )
        except StaleEdit as stale:
            # Nothing was written; the client shows its edit beside what is there now.
            current = self.get_object()
            return Response(
                {"code": stale.code, "detail": str(stale.message),
                 "current": BusinessCurrentSerializer(current).data},
                status=status.HTTP_409_CONFLICT,
            )  # fmt: skip
        return Response(BusinessSerializer(business).data)

    def _transition(self, request: Request, verb: str) -> Response:
        business = self.get_object()
        reason = ""
        if verb in ("return", "archive"):
            serializer = ReasonSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            reason = serializer.validated_data["reason"]
        business = services.STEPS[verb](api_actor(request), business, reason)
        return Response(BusinessSerializer(business).data)

    @extend_schema(request=None, responses=BusinessSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._transition(request, "submit")

    @extend_schema(request=None, responses=BusinessSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        return self._transition(request, "verify")

    @extend_schema(request=ReasonSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        return self._transition(request, "return")

    @extend_schema(request=ReasonSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        return self._transition(request, "archive")

    @extend_schema(
        request=FinancialRecordWriteSerializer, responses={201: FinancialRecordSerializer}
    )
    @action(detail=True, methods=["post"])
    def figures(self, request: Request, pk: str) -> Response:
        """Record one year's figures (reported by the owner, unless a curator verifies)."""
        business = self.get_object()
        serializer = FinancialRecordWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        correct = data.pop("correct")
        record = services.save_financial_record(api_actor(request), business, data, correct=correct)
        return Response(FinancialRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    def _add_detail(self, request: Request, kind: str, serializer_class: Any) -> Response:
        business = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.add_detail(api_actor(request), business, kind, serializer.validated_data)
        return Response(serializer_class(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LegalitySerializer, responses={201: LegalitySerializer})
    @action(detail=True, methods=["post"])
    def legality(self, request: Request, pk: str) -> Response:
        """Add a legality document (NIB, PIRT, BPOM, halal, SNI, HKI)."""
        return self._add_detail(request, "legality", LegalitySerializer)

    @extend_schema(request=ProductSerializer, responses={201: ProductSerializer})
    @action(detail=True, methods=["post"])
    def products(self, request: Request, pk: str) -> Response:
        return self._add_detail(request, "product", ProductSerializer)

    @extend_schema(request=PhotoUploadSerializer, responses={201: BusinessPhotoSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: str) -> Response:
        """Add a photo of the business (`multipart/form-data`, field `photo`)."""
        business = self.get_object()
        serializer = PhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo = services.add_business_photo(
            api_actor(request), business, serializer.validated_data["photo"]
        )
        return Response(BusinessPhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class StatsSerializer(serializers.Serializer[dict[str, int]]):
    businesses = serializers.IntegerField()
    verified = serializers.IntegerField()
    ready = serializers.IntegerField()
    graduated = serializers.IntegerField()
    exporters = serializers.IntegerField()


@extend_schema(
    parameters=[OpenApiParameter("region", str, description="kecamatan or kelurahan code")],
    responses=StatsSerializer,
)
@api_view(["GET"])
def stats(request: Request) -> Response:
    """Programme figures for the caller's scope; `?region=` narrows to a kecamatan or kelurahan."""
    region = request.query_params.get("region", "").strip().rstrip(".")
    if region and not Region.objects.filter(code=region).exists():
        raise ValidationError({"region": [_("Unknown region code.")]})
    return Response(stats_for(request.user, region))
