"""Publish the default welfare model v1 (see bansos.welfare.features for its weights)."""

from django.db import migrations
from django.utils import timezone


def create_default(apps, schema_editor):
    from bansos.welfare.features import DEFAULT_BASE, DEFAULT_NAME, default_rows

    WelfareModel = apps.get_model("welfare", "WelfareModel")
    WelfareCoefficient = apps.get_model("welfare", "WelfareCoefficient")
    if WelfareModel.objects.exists():
        return
    model = WelfareModel.objects.create(
        version=1, name=DEFAULT_NAME, status="published", base_amount=DEFAULT_BASE, published_at=timezone.now(),
        notes="Model awal bawaan sistem: bobot ditetapkan kelurahan, bukan bobot PMT/DTSEN nasional.",
    )
    WelfareCoefficient.objects.bulk_create(
        WelfareCoefficient(model=model, attribute=a, value=v, weight=w) for a, v, w in default_rows()
    )


def remove_default(apps, schema_editor):
    apps.get_model("welfare", "WelfareModel").objects.filter(version=1, runs__isnull=True, scores__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]
    operations = [migrations.RunPython(create_default, remove_default)]
