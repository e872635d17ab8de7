from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("naikkelas.accounts.urls")),
    path("api/v1/", include("naikkelas.api.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("naikkelas.fieldwork.urls")),
    # Before the registry: its usaha/<id>/<verb>/ would take usaha/<id>/katalog/.
    path("", include("naikkelas.catalog.urls")),
    path("", include("naikkelas.engagement.urls")),
    path("", include("naikkelas.portal.urls")),
    path("", include("naikkelas.dedup.urls")),
    path("", include("naikkelas.graduation.urls")),
    path("", include("naikkelas.jobs.urls")),
    path("", include("naikkelas.programs.urls")),
    path("", include("naikkelas.monitoring.urls")),
    path("", include("naikkelas.intake.urls")),
    path("", include("naikkelas.registry.urls")),
]
handler404 = "naikkelas.api.errors.page_not_found"
handler500 = "naikkelas.api.errors.server_error"

# Uploaded photos in development; production serves MEDIA_ROOT from the web server.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
