from django.urls import path

from naikkelas.monitoring import views

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/sasaran/", views.target_list, name="target_list"),
    path("dashboard/sasaran/<int:target_id>/hapus/", views.target_delete, name="target_delete"),
    path("dashboard/laporan/", views.start_report, name="start_report"),
    path("dashboard/kohort/<int:cohort_id>/dampak/", views.cohort_impact, name="cohort_impact"),
]
