"""URLs of the community app (prefix ``partisipasi/``)."""

from django.urls import path

from bansos.community import views_resident as resident
from bansos.community import views_staff as staff

app_name = "community"

urlpatterns = [
    # residents
    path("usul/", resident.my_cases, name="my_cases"),
    path("usul/baru/", resident.nominate, name="nominate"),
    path("sanggah/<int:pk>/", resident.object_to, name="object"),
    path("penerima/", resident.beneficiaries, name="beneficiaries"),
    path("penerima/rw/<int:number>/", resident.beneficiary_rw, name="beneficiary_rw"),
    path("usulan-pemuda/", resident.proposal_list, name="proposal_list"),
    path("usulan-pemuda/baru/", resident.proposal_create, name="proposal_create"),
    path("usulan-pemuda/<int:pk>/", resident.proposal_detail, name="proposal_detail"),
    path("usulan-pemuda/<int:pk>/dukung/", resident.proposal_support, name="proposal_support"),
    # staff
    path("kelola/", staff.queue, name="queue"),
    path("kelola/usul/<int:pk>/", staff.nomination_detail, name="nomination_detail"),
    path("kelola/usul/<int:pk>/cek/", staff.nomination_check, name="nomination_check"),
    path("kelola/usul/<int:pk>/putuskan/", staff.nomination_decide, name="nomination_decide"),
    path("kelola/sanggah/<int:pk>/", staff.objection_detail, name="objection_detail"),
    path("kelola/sanggah/<int:pk>/cek/", staff.objection_check, name="objection_check"),
    path("kelola/sanggah/<int:pk>/putuskan/", staff.objection_decide, name="objection_decide"),
    path("kelola/sanggah/<int:pk>/temuan/", staff.objection_finding, name="objection_finding"),
    path("kelola/usulan-pemuda/", staff.review_list, name="review_list"),
    path("kelola/usulan-pemuda/<int:pk>/", staff.review_detail, name="review_detail"),
    path("kelola/usulan-pemuda/<int:pk>/jawab/", staff.review_answer, name="review_answer"),
    path("kelola/usulan-pemuda/<int:pk>/setujui/", staff.review_approve, name="review_approve"),
    path("kelola/daftar-penerima/", staff.listing_settings_edit, name="listing_settings"),
]
