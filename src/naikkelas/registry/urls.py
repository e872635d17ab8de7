from django.urls import path

from naikkelas.registry import views

urlpatterns = [
    path("", views.home, name="home"),
    path("usaha/", views.business_list, name="business_list"),
    path("usaha/baru/", views.business_create, name="business_create"),
    path("usaha/cek-duplikat/", views.check_duplicates, name="business_check_duplicates"),
    path("usaha/<int:business_id>/", views.business_detail, name="business_detail"),
    path("usaha/<int:business_id>/ubah/", views.business_edit, name="business_edit"),
    path(
        "usaha/<int:business_id>/buka-data-pribadi/",
        views.reveal_personal_data,
        name="business_reveal",
    ),
    path("usaha/<int:business_id>/tautkan-pemilik/", views.link_owner, name="business_link_owner"),
    path("usaha/<int:business_id>/keuangan/", views.add_financial, name="business_add_financial"),
    path(
        "usaha/<int:business_id>/<str:kind>/tambah/", views.add_detail, name="business_add_detail"
    ),
    path(
        "usaha/<int:business_id>/<str:kind>/<int:item_id>/hapus/",
        views.remove_detail,
        name="business_remove_detail",
    ),
    path(
        "usaha/<int:business_id>/<str:verb>/", views.business_transition, name="business_transition"
    ),
    path("kurasi/", views.curation_queue, name="curation_queue"),
]
