"""URLs of the jobs app, mounted at /lowongan/."""

from django.urls import path

from bansos.jobs import views_referrals, views_vacancies

app_name = "jobs"

urlpatterns = [
    path("", views_vacancies.vacancy_list, name="vacancy_list"),
    path("baru/", views_vacancies.vacancy_create, name="vacancy_create"),
    path("<int:pk>/", views_vacancies.vacancy_detail, name="vacancy_detail"),
    path("<int:pk>/ubah/", views_vacancies.vacancy_edit, name="vacancy_edit"),
    path("<int:pk>/tutup/", views_vacancies.vacancy_close, name="vacancy_close"),
    path("<int:pk>/calon/", views_referrals.candidates, name="candidates"),
    path("<int:pk>/calon/<int:resident_id>/rujuk/", views_referrals.refer, name="refer"),
    path("rujukan/", views_referrals.referral_list, name="referral_list"),
    path("rujukan/<int:pk>/hasil/", views_referrals.outcome, name="outcome"),
]
