"""What the monitoring app plugs into the rest of the platform (called from AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "monitoring.indicator.update": _("Indikator diubah"),
    "monitoring.snapshot.run": _("Potret bulanan indikator dihitung"),
    "monitoring.snapshot.request": _("Perhitungan potret bulanan diminta"),
    "monitoring.boundaries.load": _("Batas wilayah RW dimuat"),
    "monitoring.export": _("Laporan pemantauan diunduh"),
}


def _ensure_indicators(sender, **kwargs) -> None:
    from bansos.monitoring.services import indicators_ensure

    indicators_ensure()


def register(config) -> None:
    from django.db.models.signals import post_migrate

    from bansos.core.audit import register_action_labels
    from bansos.monitoring import defaults
    from bansos.monitoring.indicators import load_builtin

    load_builtin()
    defaults.register()
    register_action_labels(ACTION_LABELS)
    post_migrate.connect(_ensure_indicators, sender=config, dispatch_uid="monitoring_indicators_ensure")
