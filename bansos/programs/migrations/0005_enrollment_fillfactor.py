"""PostgreSQL: leave 30% of each enrollment page free so that money and state changes of
unindexed columns (a cash payment's disbursed amount) are heap-only updates, not new index entries."""

from django.db import migrations


def fillfactor(apps, schema_editor, value: int = 70) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE programs_enrollment SET (fillfactor = {int(value)})")


def reset(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE programs_enrollment RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("programs", "0004_enrollment_fewer_indexes")]

    operations = [migrations.RunPython(fillfactor, reset)]
