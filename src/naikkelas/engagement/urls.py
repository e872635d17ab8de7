from django.urls import path

from naikkelas.engagement import views

urlpatterns = [
    path("kunjungan/", views.visit_list, name="visit_list"),
    path("kunjungan/baru/", views.visit_create, name="visit_create"),
    path("kunjungan/<int:visit_id>/", views.visit_detail, name="visit_detail"),
    path("aduan/", views.complaint_list, name="complaint_list"),
    path("aduan/terlambat/", views.overdue_list, name="complaint_overdue"),
    path("aduan/baru/", views.complaint_create, name="complaint_create"),
    path("aduan/<int:complaint_id>/", views.complaint_detail, name="complaint_detail"),
    path(
        "aduan/<int:complaint_id>/<str:action>/",
        views.complaint_action,
        name="complaint_action",
    ),
]
