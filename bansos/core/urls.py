from django.urls import path

from bansos.core import views, views_admin

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("wilayah/", views_admin.area_list, name="area_list"),
    path("wilayah/kelurahan/", views_admin.kelurahan_edit, name="kelurahan_edit"),
    path("wilayah/rw/baru/", views_admin.rw_create, name="rw_create"),
    path("wilayah/rw/<int:pk>/", views_admin.rw_edit, name="rw_edit"),
    path("wilayah/rt/baru/", views_admin.rt_create, name="rt_create"),
    path("wilayah/rt/<int:pk>/", views_admin.rt_edit, name="rt_edit"),
    path("wilayah/posyandu/baru/", views_admin.posyandu_create, name="posyandu_create"),
    path("wilayah/posyandu/<int:pk>/", views_admin.posyandu_edit, name="posyandu_edit"),
    path("audit/", views_admin.audit_list, name="audit_list"),
]
