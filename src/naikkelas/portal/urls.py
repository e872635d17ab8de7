from django.urls import path

from naikkelas.portal import views

urlpatterns = [
    path("pemilik/", views.owner_home, name="portal_home"),
    path("pemilik/usaha/<int:business_id>/", views.owner_business, name="portal_business"),
    path("pemilik/usaha/<int:business_id>/daftar/", views.apply, name="portal_apply"),
    path("pemilik/usaha/<int:business_id>/usul/<str:kind>/", views.propose, name="portal_propose"),
    path(
        "pemilik/tawaran/<int:offer_id>/<str:verb>/",
        views.answer_offer,
        name="portal_answer_offer",
    ),
    path(
        "pemilik/undangan/<uidb64>/<token>/",
        views.InvitationView.as_view(),
        name="portal_invitation",
    ),
    path("usaha/<int:business_id>/undang-pemilik/", views.invite, name="portal_invite"),
    path("perubahan/", views.change_queue, name="portal_change_queue"),
    path("perubahan/<int:request_id>/", views.change_detail, name="portal_change_detail"),
]
