"""URLs: referrals pages (see views_referrals), mounted at /program/rujukan/."""

from django.urls import path

from bansos.programs import views_referrals as views

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/terima/", views.referral_accept, name="referral_accept"),
    path("<int:pk>/tolak/", views.referral_decline, name="referral_decline"),
    path("<int:pk>/daftarkan/", views.referral_enroll, name="referral_enroll"),
    path("keluarga/<int:household_id>/", views.referral_create, name="referral_create"),
]
