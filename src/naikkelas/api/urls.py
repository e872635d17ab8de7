from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from naikkelas.api import programs, views

router = DefaultRouter()
router.register("businesses", views.BusinessViewSet, basename="business")
router.register("programs", programs.ProgrammeViewSet, basename="program")
router.register("cohorts", programs.CohortViewSet, basename="cohort")
router.register("enrolments", programs.EnrolmentViewSet, basename="enrolment")
router.register("referrals", programs.ReferralViewSet, basename="referral")
router.register("milestones", programs.MilestoneViewSet, basename="milestone")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("stats/", views.stats, name="api_stats"),
    path("", include(router.urls)),
]
