from django.urls import include, path

from bansos.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("bansos.accounts.urls")),
    path("registri/", include("bansos.registry.urls")),
    path("kesejahteraan/", include("bansos.welfare.urls")),
    path("kelayakan/", include("bansos.eligibility.urls")),
    path("survei/", include("bansos.surveys.urls")),
    path("musyawarah/", include("bansos.meetings.urls")),
    path("program/", include("bansos.programs.urls")),
    path("bantuan-tunai/", include("bansos.cash.urls")),
    path("pelatihan/", include("bansos.training.urls")),
    path("lowongan/", include("bansos.jobs.urls")),
    path("umkm/", include("bansos.umkm.urls")),
    path("kesehatan/", include("bansos.health.urls")),
    path("pendidikan/", include("bansos.education.urls")),
    path("warga/", include("bansos.portal.urls")),
    path("pengaduan/", include("bansos.grievances.urls")),
    path("pemberitahuan/", include("bansos.notifications.urls")),
    path("partisipasi/", include("bansos.community.urls")),
    path("forum/", include("bansos.forums.urls")),
    path("pencocokan/", include("bansos.linkage.urls")),
    path("pemantauan/", include("bansos.monitoring.urls")),
    path("kemandirian/", include("bansos.selfreliance.urls")),
    path("api/", api.urls),
    path("", include("bansos.core.urls")),
]

handler403 = "bansos.core.views.error_403"
handler404 = "bansos.core.views.error_404"
handler500 = "bansos.core.views.error_500"
