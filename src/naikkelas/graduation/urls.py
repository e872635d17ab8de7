from django.urls import path

from naikkelas.graduation import views

urlpatterns = [
    path("usaha/<int:business_id>/penilaian/", views.record_assessment, name="business_assess"),
]
