from django.urls import path

from naikkelas.dedup import views

urlpatterns = [
    path("duplikat/", views.duplicate_queue, name="duplicate_queue"),
    path("duplikat/cari/", views.start_detection, name="duplicate_detection"),
    path("duplikat/<int:pair_id>/", views.pair_review, name="duplicate_pair"),
    path("duplikat/gabung/<int:merge_id>/batalkan/", views.merge_undo, name="merge_undo"),
]
