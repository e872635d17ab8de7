from django.urls import path

from naikkelas.intake import views

urlpatterns = [
    path("impor/", views.import_page, name="import_page"),
    path("impor/templat.xlsx", views.template_download, name="import_template"),
    path("impor/<uuid:job_id>/impor/", views.confirm_import, name="import_confirm"),
]
