from django.urls import path

from naikkelas.programs import views

urlpatterns = [
    path("program/", views.programme_list, name="programme_list"),
    path("program/baru/", views.programme_form, name="programme_create"),
    path("program/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path("program/<int:programme_id>/ubah/", views.programme_form, name="programme_edit"),
    path("program/<int:programme_id>/calonkan/", views.nominate, name="programme_nominate"),
    path("program/<int:programme_id>/sesi/", views.session_add, name="programme_session_add"),
    path("program/sesi/<int:session_id>/hadir/", views.attendance, name="session_attendance"),
    path(
        "program/peserta/<int:enrolment_id>/<str:verb>/",
        views.enrolment_step,
        name="enrolment_step",
    ),
    path("kohort/", views.cohort_list, name="cohort_list"),
    path("kohort/baru/", views.cohort_new, name="cohort_create"),
    path("kohort/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("kohort/<int:cohort_id>/<str:verb>/", views.cohort_action, name="cohort_action"),
    path("rujukan/", views.referral_list, name="referral_list"),
    path("rujukan/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("rujukan/<int:referral_id>/nik/", views.referral_reveal, name="referral_reveal"),
    path("usaha/<int:business_id>/rujuk/", views.referral_create, name="referral_create"),
    path("usaha/<int:business_id>/capaian/", views.milestone_record, name="milestone_record"),
    path("capaian/<int:milestone_id>/verifikasi/", views.milestone_verify, name="milestone_verify"),
]
