from django.urls import path

from naikkelas.fieldwork import views

urlpatterns = [
    # At the root: a service worker controls only the paths below its own.
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="web_manifest"),
    path("lapangan/", views.shell, {"page": "field_home"}, name="field_home"),
    path("lapangan/usaha/baru/", views.shell, {"page": "field_register"}, name="field_register"),
    # The business (or the waiting item) is in the fragment, so one shell serves them all.
    path("lapangan/usaha/ubah/", views.shell, {"page": "field_edit"}, name="field_edit"),
    path("lapangan/kunjungan/baru/", views.shell, {"page": "field_visit"}, name="field_visit"),
    path("lapangan/aduan/baru/", views.shell, {"page": "field_complaint"}, name="field_complaint"),
]
