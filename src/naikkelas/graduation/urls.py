from django.urls import path

from naikkelas.graduation import views

urlpatterns = [
    path("usaha/<int:business_id>/penilaian/", views.record_assessment, name="business_assess"),
    path("naik-kelas/siap/", views.eligibility_list, name="eligibility_list"),
    path("naik-kelas/hitung-ulang/", views.start_recompute, name="start_recompute"),
    path("naik-kelas/temuan/", views.finding_list, name="finding_list"),
    path("naik-kelas/usulan/", views.graduation_queue, name="graduation_queue"),
    path(
        "naik-kelas/<int:graduation_id>/<str:verb>/",
        views.decide_graduation,
        name="graduation_decide",
    ),
]
