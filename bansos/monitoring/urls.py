"""URLs of the monitoring app (prefix ``pemantauan/``)."""

from django.urls import path, re_path

from bansos.monitoring import views, views_manage, views_reports

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("cakupan/", views.scopes, name="scopes"),
    path("rw/<int:number>/", views.rw_page, name="rw"),
    path("program/<int:pk>/", views.program_page, name="program"),
    path("lembaga/<int:pk>/", views.agency_page, name="agency"),
    path("sumber-dana/<int:pk>/", views.funding_page, name="funding"),
    path("indikator/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indikator/<slug:code>/csv/", views.indicator_csv, name="indicator_csv"),
    path("indikator/<slug:code>/ubah/", views_manage.indicator_edit, name="indicator_edit"),
    path("potret/", views_manage.snapshots, name="snapshots"),
    path("potret/hitung/", views_manage.snapshot_run, name="snapshot_run"),
    path("peta/", views_manage.boundaries, name="boundaries"),
    path("laporan/", views_reports.report, name="report"),
    re_path(r"^laporan/unduh\.(?P<fmt>csv|xlsx|pdf)$", views_reports.export, name="export"),
    re_path(r"^laporan/(?P<kind>rw|program|agency|funding)/(?P<pk>[0-9]+)/$", views_reports.report,
            name="report_scope"),
    re_path(r"^laporan/(?P<kind>rw|program|agency|funding)/(?P<pk>[0-9]+)/unduh\.(?P<fmt>csv|xlsx|pdf)$",
            views_reports.export, name="export_scope"),
]
