from django.urls import path

from naikkelas.catalog import views

urlpatterns = [
    path("katalog/", views.catalogue, name="catalogue"),
    path("katalog/produk/<int:product_id>/", views.product_detail, name="catalogue_product"),
    path("sentra/", views.sentra_list, name="sentra_list"),
    path("sentra/<int:sentra_id>/", views.sentra_detail, name="sentra_detail"),
    path("usaha/<int:business_id>/katalog/", views.listing_edit, name="catalog_listing_edit"),
    path(
        "usaha/<int:business_id>/katalog/produk/<int:product_id>/foto/",
        views.photo_add,
        name="catalog_photo_add",
    ),
]
