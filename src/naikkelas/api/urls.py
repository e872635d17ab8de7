from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from naikkelas.api import engagement, programs, views
from naikkelas.api.docs import swagger_ui
from naikkelas.api.rules import rules_view
from naikkelas.api.tokens import TokenView

router = DefaultRouter()
router.register("businesses", views.BusinessViewSet, basename="business")
router.register("programs", programs.ProgrammeViewSet, basename="program")
router.register("cohorts", programs.CohortViewSet, basename="cohort")
router.register("enrolments", programs.EnrolmentViewSet, basename="enrolment")
router.register("referrals", programs.ReferralViewSet, basename="referral")
router.register("milestones", programs.MilestoneViewSet, basename="milestone")
router.register("visits", engagement.VisitViewSet, basename="visit")
router.register("complaints", engagement.ComplaintViewSet, basename="complaint")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", swagger_ui, name="api_docs"),
    path("stats/", views.stats, name="api_stats"),
    path("rules/", rules_view, name="api_rules"),
    path("", include(router.urls)),
]
