from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("naikkelas.accounts.urls")),
    path("api/v1/", include("naikkelas.api.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("naikkelas.dedup.urls")),
    path("", include("naikkelas.graduation.urls")),
    path("", include("naikkelas.jobs.urls")),
    path("", include("naikkelas.monitoring.urls")),
    path("", include("naikkelas.intake.urls")),
    path("", include("naikkelas.registry.urls")),
]
