"""Programmes, cohorts, enrolments, referrals and milestones over the API.

Reads go through programs.access, writes through the programs services, as on the web.
"""

from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.accounts.http import api_actor
from naikkelas.api.idempotency import IdempotentWrites
from naikkelas.api.serializers import CodeField
from naikkelas.api.viewsets import AnswersAsRead
from naikkelas.programs import access, cohorts, milestones, referrals, services
from naikkelas.programs.models import (
    SEATED,
    Bank,
    Cohort,
    CohortMember,
    CreditProduct,
    Enrolment,
    EnrolmentStatus,
    Milestone,
    MilestoneKind,
    Programme,
    ProgrammeType,
    Referral,
    ReferralStatus,
    Session,
)
from naikkelas.registry.access import get_business_for
from naikkelas.registry.models import LegalityKind


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    type = serializers.ChoiceField(choices=ProgrammeType.choices)
    criteria = serializers.ListField(child=serializers.CharField(), required=False)
    seats_taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id", "name", "type", "organiser", "organiser_kind", "description", "starts_on",
            "ends_on", "capacity", "budget", "criteria", "seats_taken",
        ]  # fmt: skip
        # Uniqueness and ranges are the service's to check, with its messages.
        extra_kwargs: dict[str, dict[str, Any]] = {
            "name": {"validators": []},
            # The positive column would add its own lower bound, with DRF's code.
            "capacity": {"validators": [], "min_value": None},
        }


class SessionSerializer(serializers.ModelSerializer[Session]):
    present = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "held_on", "title", "present"]

    def get_present(self, obj: Session) -> list[int]:
        """The enrolments marked present."""
        return [a.enrolment_id for a in obj.attendance.all() if a.present]


class AttendanceSerializer(serializers.Serializer[dict[str, Any]]):
    present = serializers.ListField(child=serializers.IntegerField())


class ProgrammeViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    AnswersAsRead[Programme],
):
    serializer_class = ProgrammeSerializer

    def get_queryset(self) -> QuerySet[Programme]:
        return (
            access.programmes_for(self.request.user)
            .annotate(seats_taken=Count("enrolments", filter=Q(enrolments__status__in=SEATED)))
            .order_by("-starts_on", "name")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = services.create_programme(api_actor(request), serializer.validated_data)
        return self._respond(programme, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme = access.get_programme_for(request.user, kwargs["pk"])
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._respond(
            services.update_programme(api_actor(request), programme, serializer.validated_data)
        )

    @extend_schema(methods=["GET"], responses=SessionSerializer(many=True))
    @extend_schema(methods=["POST"], request=SessionSerializer, responses={201: SessionSerializer})
    # Answered whole, not paged: the schema must not promise a page.
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def sessions(self, request: Request, pk: str) -> Response:
        programme = access.get_programme_for(request.user, pk)
        if request.method == "POST":
            data = SessionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            session = services.add_session(
                api_actor(request), programme, values["held_on"], values["title"]
            )
            return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)
        found = programme.sessions.prefetch_related("attendance")
        return Response(SessionSerializer(found, many=True).data)

    @extend_schema(request=AttendanceSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"], url_path=r"sessions/(?P<session_id>[0-9]+)/attendance")
    def attendance(self, request: Request, pk: str, session_id: str) -> Response:
        programme = access.get_programme_for(request.user, pk)
        session = programme.sessions.filter(pk=int(session_id)).first()
        if session is None:
            raise NotFound
        data = AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_attendance(api_actor(request), session, data.validated_data["present"])
        return Response(SessionSerializer(session).data)


class CohortSerializer(serializers.ModelSerializer[Cohort]):
    size = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "name", "description", "size", "frozen_at", "rule", "created_at"]


class CohortMemberSerializer(serializers.ModelSerializer[CohortMember]):
    class Meta:
        model = CohortMember
        fields = [
            "business", "rank", "business_name", "kelurahan_code", "sector", "size_class",
            "readiness_score", "ready", "gaps", "added_at", "added_reason", "removed_at",
            "removed_reason",
        ]  # fmt: skip


class CohortCreateSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    size = serializers.IntegerField()
    quota_per_kecamatan = serializers.IntegerField(required=False, allow_null=True)
    sector = serializers.CharField(required=False, allow_blank=True, default="")
    kecamatan = serializers.CharField(required=False, allow_blank=True, default="")


class CohortViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    AnswersAsRead[Cohort],
):
    serializer_class = CohortSerializer

    def get_queryset(self) -> QuerySet[Cohort]:
        return (
            access.cohorts_for(self.request.user)
            .annotate(size=Count("members", filter=Q(members__removed_at__isnull=True)))
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=CohortCreateSerializer, responses={201: CohortSerializer})
    def create(self, request: Request) -> Response:
        data = CohortCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cohort = cohorts.create_cohort(
            api_actor(request),
            values["name"],
            cohorts.Rule.from_data(values),
            values["description"],
        )
        return self._respond(cohort, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CohortSerializer)
    @action(detail=True, methods=["post"])
    def freeze(self, request: Request, pk: str) -> Response:
        cohort = access.get_cohort_for(request.user, pk)
        return self._respond(cohorts.freeze_cohort(api_actor(request), cohort))

    @extend_schema(responses=CohortMemberSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def members(self, request: Request, pk: str) -> Response:
        cohort = access.get_cohort_for(request.user, pk)
        # Every member, removed ones too: the cohort's history is part of it.
        return Response(CohortMemberSerializer(cohort.members.all(), many=True).data)


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    class Meta:
        model = Enrolment
        fields = [
            "id", "programme", "business", "cohort", "status", "nominated_on", "enrolled_on",
            "completed_on", "dropped_on", "dropped_reason", "outcome",
        ]  # fmt: skip
        read_only_fields = fields


class NominationSerializer(serializers.Serializer[dict[str, Any]]):
    programme = serializers.IntegerField()
    business = serializers.IntegerField()
    cohort = serializers.IntegerField(required=False, allow_null=True)


class StepSerializer(serializers.Serializer[dict[str, Any]]):
    on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EnrolmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices)

    class Meta:
        model = Enrolment
        fields = ["programme", "business", "cohort", "status"]


class EnrolmentViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Enrolment],
):
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter

    def get_queryset(self) -> QuerySet[Enrolment]:
        return access.enrolments_for(self.request.user).order_by("id")

    @extend_schema(request=NominationSerializer, responses={201: EnrolmentSerializer})
    def create(self, request: Request) -> Response:
        data = NominationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        programme = access.get_programme_for(request.user, values["programme"])
        business = get_business_for(request.user, values["business"])
        cohort = (
            access.get_cohort_for(request.user, values["cohort"]) if values.get("cohort") else None
        )
        enrolment = services.nominate(api_actor(request), programme, business, cohort=cohort)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    def _step(self, request: Request, pk: str, verb: str) -> Response:
        enrolment = access.get_enrolment_for(request.user, pk)
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        on = data.validated_data.get("on")
        if verb == "enrol":
            enrolment = services.enrol(api_actor(request), enrolment, on)
        elif verb == "complete":
            enrolment = services.complete(
                api_actor(request), enrolment, data.validated_data["outcome"], on
            )
        else:
            enrolment = services.drop(
                api_actor(request), enrolment, data.validated_data["reason"], on
            )
        return Response(EnrolmentSerializer(enrolment).data)

    @extend_schema(request=StepSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def enrol(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "enrol")

    @extend_schema(request=StepSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "complete")

    @extend_schema(request=StepSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "drop")


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    """What a credit officer needs and nothing more (programs.referrals.for_bank)."""

    bank = serializers.CharField(source="bank.name")
    business_name = serializers.CharField(source="business.name")
    nib = serializers.CharField(source="business.nib")
    kelurahan = serializers.CharField(source="business.kelurahan.name")
    owner_name = serializers.CharField(source="business.owner.name")
    nik = serializers.CharField(source="business.owner.nik_masked")

    class Meta:
        model = Referral
        fields = [
            "id", "bank", "business", "business_name", "nib", "kelurahan", "owner_name", "nik",
            "owner_consent", "product", "amount_requested", "purpose", "status",
            "amount_approved", "amount_disbursed", "answer_note", "referred_on", "answered_on",
        ]  # fmt: skip
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer[dict[str, Any]]):
    business = serializers.IntegerField()
    bank = CodeField(slug_field="code", queryset=Bank.objects.all())
    product = serializers.ChoiceField(choices=CreditProduct.choices)
    amount_requested = serializers.IntegerField()
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    owner_consent = serializers.BooleanField(required=False, default=False)


class AnswerSerializer(serializers.Serializer[dict[str, Any]]):
    decision = serializers.ChoiceField(
        choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.SENT]
    )
    amount = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True)


class ReferralViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Referral],
):
    serializer_class = ReferralSerializer

    def get_queryset(self) -> QuerySet[Referral]:
        return (
            access.referrals_for(self.request.user)
            .select_related("bank", "business__kelurahan", "business__owner")
            .order_by("id")
        )

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request) -> Response:
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        referral = referrals.refer(
            api_actor(request), get_business_for(request.user, values["business"]), values["bank"],
            values["product"], values["amount_requested"], purpose=values["purpose"],
            owner_consent=values["owner_consent"],
        )  # fmt: skip
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        referral = access.get_referral_for(request.user, pk)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        referral = referrals.answer_referral(
            api_actor(request), referral, values["decision"], amount=values.get("amount"),
            note=values["note"], on=values.get("on"),
        )  # fmt: skip
        return Response(ReferralSerializer(referral).data)


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    bank = CodeField(
        slug_field="code", queryset=Bank.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    certification = serializers.ChoiceField(
        choices=LegalityKind.choices, required=False, allow_blank=True
    )

    class Meta:
        model = Milestone
        fields = [
            "id", "business", "kind", "occurred_on", "country", "product", "certification",
            "bank", "amount", "jobs", "note", "enrolments", "verified_at",
        ]  # fmt: skip
        read_only_fields = ["id", "business", "enrolments", "verified_at"]


class MilestoneViewSet(
    IdempotentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Milestone],
):
    serializer_class = MilestoneSerializer
    filterset_fields = ["business", "kind"]

    def get_queryset(self) -> QuerySet[Milestone]:
        return (
            access.milestones_for(self.request.user).prefetch_related("enrolments").order_by("id")
        )

    def create(self, request: Request) -> Response:
        business = get_business_for(request.user, request.data.get("business"))
        serializer = MilestoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        milestone = milestones.record_milestone(
            api_actor(request), business, values.pop("kind"), values.pop("occurred_on"), values
        )
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        milestone = self.get_object()
        return Response(
            MilestoneSerializer(milestones.verify_milestone(api_actor(request), milestone)).data
        )
