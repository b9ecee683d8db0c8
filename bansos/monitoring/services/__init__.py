"""Writes of the monitoring app (indicators, snapshots, RW boundaries)."""

from bansos.monitoring.services.boundaries import boundaries_load  # noqa: F401
from bansos.monitoring.services.exports import export_record  # noqa: F401
from bansos.monitoring.services.indicators import indicator_update, indicators_ensure  # noqa: F401
from bansos.monitoring.services.snapshots import snapshot_request, snapshot_run  # noqa: F401
