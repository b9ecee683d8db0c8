"""The default indicator set (created once by ``indicators_ensure``; admins edit targets afterwards)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bansos.monitoring.indicators import IndicatorSpec, register_indicator

HH = ("rw", "decile", "female_head")
PERSON = ("rw", "sex", "age_group", "decile", "female_head")
MONEY = ("program", "agency")

SPECS = (
    IndicatorSpec(
        code="econ-business-households", area="economy", computation="economy.business_households",
        name=_("Keluarga yang memiliki usaha"), unit="percent", breakdowns=(*HH, "program"), target=25, order=10,
        definition=_("Persentase keluarga aktif yang memiliki usaha mikro yang masih berjalan pada akhir bulan "
                     "(data usaha dari aplikasi UMKM).")),
    IndicatorSpec(
        code="econ-revenue-rising", area="economy", computation="economy.revenue_rising",
        name=_("Usaha dengan omzet naik"), unit="percent", breakdowns=(*PERSON, "program"), target=60, order=11,
        params={"window_months": 6},
        definition=_("Di antara usaha berjalan yang mencatat omzet paling sedikit dua kali dalam 6 bulan terakhir, "
                     "persentase yang omzet terakhirnya lebih tinggi daripada omzet pertama dalam periode itu.")),
    IndicatorSpec(
        code="econ-employed-after-training", area="economy", computation="economy.employed_after_training",
        name=_("Warga bekerja setelah pelatihan"), unit="percent", breakdowns=(*PERSON, "program", "agency"),
        target=50, order=12,
        definition=_("Di antara warga yang lulus pelatihan, persentase yang diterima bekerja melalui rujukan "
                     "lowongan atau menjalankan usaha sendiri pada akhir bulan.")),
    IndicatorSpec(
        code="edu-school-age-in-school", area="education", computation="education.school_age_in_school",
        name=_("Anak usia sekolah yang bersekolah"), unit="percent", breakdowns=PERSON, target=98, order=20,
        params={"ages": [7, 18]},
        definition=_("Persentase warga berusia 7-18 tahun yang tercatat masih sekolah di registri atau terdaftar "
                     "sebagai siswa aktif. Registri hanya menyimpan status sekolah terkini.")),
    IndicatorSpec(
        code="health-stunting", area="health", computation="health.stunting", direction="down",
        name=_("Balita pendek (stunting)"), unit="percent", breakdowns=PERSON, target=14, order=30,
        params={"window_months": 3, "haz_below": -2},
        definition=_("Di antara balita yang ditimbang dan diukur di posyandu dalam 3 bulan terakhir, persentase "
                     "yang z-skor tinggi/panjang badan menurut umur (pengukuran terakhir) di bawah -2 SD "
                     "(standar WHO 2006, Permenkes 2/2020).")),
    IndicatorSpec(
        code="health-antenatal-k6", area="health", computation="health.antenatal_coverage",
        name=_("Cakupan pemeriksaan kehamilan (K6)"), unit="percent", breakdowns=HH, target=90, order=31,
        params={"window_months": 12, "min_visits": 6},
        definition=_("Di antara kehamilan yang berakhir dengan persalinan dalam 12 bulan terakhir, persentase "
                     "yang mendapat paling sedikit 6 kali pemeriksaan kehamilan.")),
    IndicatorSpec(
        code="reach-aware", area="reach", computation="reach.aware", name=_("Keluarga yang terjangkau program"),
        unit="percent", breakdowns=HH, target=80, order=40,
        definition=_("Persentase keluarga aktif yang pernah mendaftar atau terdaftar di suatu program, atau "
                     "menerima pemberitahuan dari platform (pengumuman, pesan).")),
    IndicatorSpec(
        code="target-exclusion", area="targeting", computation="targeting.exclusion", direction="down",
        name=_("Kesalahan eksklusi (desil 1-4 tanpa program)"), unit="percent", breakdowns=HH, target=20,
        order=50, params={"max_decile": 4},
        definition=_("Persentase keluarga di desil kesejahteraan 1-4 yang tidak menerima program apa pun "
                     "(keikutsertaan disetujui, aktif atau ditangguhkan). Memakai desil dan status terkini.")),
    IndicatorSpec(
        code="target-inclusion", area="targeting", computation="targeting.inclusion", direction="down",
        name=_("Kesalahan inklusi (desil 8-10 dalam program)"), unit="percent", breakdowns=(*HH, *MONEY),
        target=5, order=51, params={"min_decile": 8},
        definition=_("Persentase keluarga di desil kesejahteraan 8-10 yang menerima suatu program. Memakai desil "
                     "dan status terkini.")),
    IndicatorSpec(
        code="budget-allocated", area="budget", computation="budget.allocated", direction="neutral",
        name=_("Anggaran dialokasikan"), unit="rupiah", breakdowns=(*MONEY, "funding"), order=60,
        definition=_("Jumlah dana yang dialokasikan ke program sampai akhir bulan, dari catatan mutasi anggaran.")),
    IndicatorSpec(
        code="budget-committed", area="budget", computation="budget.committed", direction="neutral",
        name=_("Anggaran dikomitmenkan"), unit="rupiah", breakdowns=MONEY, order=61,
        definition=_("Dana yang dicadangkan untuk peserta yang disetujui, dikurangi komitmen yang dilepas, "
                     "sampai akhir bulan.")),
    IndicatorSpec(
        code="budget-disbursed", area="budget", computation="budget.disbursed", direction="neutral",
        name=_("Anggaran disalurkan"), unit="rupiah", breakdowns=MONEY, order=62,
        definition=_("Dana yang benar-benar disalurkan kepada peserta sampai akhir bulan.")),
    IndicatorSpec(
        code="budget-cost-per-beneficiary", area="budget", computation="budget.cost_per_beneficiary",
        direction="neutral", name=_("Biaya per penerima manfaat"), unit="rupiah", breakdowns=MONEY, order=63,
        definition=_("Dana yang disalurkan dibagi jumlah keluarga yang sudah mulai menerima manfaat program.")),
    IndicatorSpec(
        code="part-meeting-attendance", area="participation", computation="participation.meeting_attendance",
        name=_("Keluarga yang hadir musyawarah"), unit="percent", breakdowns=HH, target=30, order=70,
        params={"window_months": 12},
        definition=_("Persentase keluarga aktif yang salah satu anggotanya hadir dalam musyawarah warga yang "
                     "terlaksana dalam 12 bulan terakhir.")),
    IndicatorSpec(
        code="part-forum-posts", area="participation", computation="participation.forum_posts",
        name=_("Tulisan forum warga per 100 keluarga"), unit="per100", breakdowns=HH, target=10, order=71,
        params={"window_months": 1},
        definition=_("Jumlah utas dan balasan forum yang ditulis warga dalam bulan itu per 100 keluarga aktif, "
                     "menurut RW keluarga penulis. Tulisan yang disembunyikan moderator tidak dihitung; tulisan "
                     "petugas tidak dihitung.")),
    IndicatorSpec(
        code="part-feedback", area="participation", computation="participation.feedback",
        name=_("Keluarga peserta yang memberi penilaian"), unit="percent", breakdowns=(*HH, "program"),
        target=30, order=72, params={"window_months": 12},
        definition=_("Di antara keluarga yang ikut suatu program, persentase yang salah satu anggotanya memberi "
                     "penilaian program atau sesi pelatihan dalam 12 bulan terakhir.")),
    IndicatorSpec(
        code="part-announcement-reach", area="participation", computation="participation.announcement_reach",
        name=_("Keluarga yang membuka pengumuman"), unit="percent", breakdowns=HH, target=60, order=73,
        params={"window_months": 3},
        definition=_("Di antara keluarga yang menerima pengumuman di kotak pesan portal dalam 3 bulan terakhir, "
                     "persentase yang membuka paling sedikit satu.")),
    IndicatorSpec(
        code="part-grievances-open", area="participation", computation="participation.grievances_open",
        direction="neutral", name=_("Pengaduan terbuka"), unit="count", breakdowns=("rw", *MONEY), order=74,
        definition=_("Jumlah pengaduan yang belum selesai pada akhir bulan (diterima, sedang ditangani atau "
                     "banding). Sel dengan 1-4 pengaduan disembunyikan.")),
    IndicatorSpec(
        code="part-grievances-overdue", area="participation", computation="participation.grievances_overdue",
        direction="down", name=_("Pengaduan terbuka melewati batas waktu"), unit="percent",
        breakdowns=("rw", *MONEY), target=10, order=75,
        definition=_("Di antara pengaduan yang terbuka pada akhir bulan, persentase yang sudah melewati batas "
                     "penyelesaian SP4N-LAPOR! (5, 14 atau 60 hari kerja).")),
    IndicatorSpec(
        code="part-grievance-days", area="participation", computation="participation.grievance_days",
        direction="down", name=_("Median lama penyelesaian pengaduan"), unit="days", breakdowns=("rw", *MONEY),
        target=5, order=76, params={"window_months": 3},
        definition=_("Median jumlah hari kalender dari pengaduan diterima sampai diselesaikan, untuk pengaduan "
                     "yang diselesaikan dalam 3 bulan terakhir.")),
    IndicatorSpec(
        code="part-grievances-within-sla", area="participation", computation="participation.grievances_within_sla",
        name=_("Pengaduan selesai tepat waktu"), unit="percent", breakdowns=("rw", *MONEY), target=90, order=77,
        params={"window_months": 3},
        definition=_("Di antara pengaduan yang diselesaikan dalam 3 bulan terakhir, persentase yang selesai "
                     "sebelum batas penyelesaian SP4N-LAPOR!.")),
)


def register() -> None:
    for spec in SPECS:
        register_indicator(spec)
