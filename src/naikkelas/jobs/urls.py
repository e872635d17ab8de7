from django.urls import path

from naikkelas.jobs import views

urlpatterns = [
    path("pekerjaan/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("pekerjaan/<uuid:job_id>/berkas/", views.job_file, name="job_file"),
]
