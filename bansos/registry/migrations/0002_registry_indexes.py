"""Fewer registry indexes for every insert to maintain (the import writes a million rows).

- The full NIK index duplicated resident_active_nik_unique for every active resident; a partial
  index over the others (moved out, deceased) takes its place for searches that include them.
- Django's ``db_index`` on a CharField also adds a LIKE-only (``varchar_pattern_ops``) twin on
  PostgreSQL that no query uses (NIK, KK and name searches are equality or range look-ups), so
  the KK and name-key indexes become plain ``Meta.indexes``. The name-key index also carries
  the household id: a name search wants the households of the matching residents, and reading
  them from the index spares a table row per match (thousands for a common first name).
- The household RT index duplicated the start of household_rt_status_idx.

The ``db_index`` indexes are dropped by name rather than by AlterField: on PostgreSQL, AlterField
drops every single-column b-tree index of the column that is not in ``Meta.indexes``, and that
includes the partial unique indexes behind resident_active_nik_unique and
household_active_kk_unique. On SQLite it would also copy the whole table.
"""

import django.db.models.deletion
from django.db import migrations, models

# (model, column, name Django gave the db_index index; PostgreSQL adds "<name>_like" to CharFields)
_OLD = (
    ("Resident", "nik", "registry_resident_nik_ef9583d6"),
    ("Resident", "name_key", "registry_resident_name_key_4caf3c8b"),
    ("Household", "kk_number", "registry_household_kk_number_fec29bc8"),
    ("Household", "rt_id", "registry_household_rt_id_4521e1f9"),
)


def _drop_db_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for _model, _column, name in _OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name + '_like')}")


def _create_db_indexes(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for model_name, column, name in _OLD:
        model = apps.get_model("registry", model_name)
        field = next(f for f in model._meta.local_fields if f.column == column)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field], name=name))
        if postgresql and isinstance(field, models.CharField):
            schema_editor.execute(schema_editor._create_like_index_sql(model, field))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("registry", "0001_initial"),
    ]

    operations = [
        # The new indexes first, so searches stay indexed while the old ones go.
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                condition=models.Q(("status", "active"), _negated=True), fields=["nik"],
                name="resident_inactive_nik_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["name_key", "household"], name="resident_name_key_idx"),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["kk_number"], name="household_kk_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop_db_indexes, _create_db_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="resident",
                    name="nik",
                    field=models.CharField(max_length=16, verbose_name="NIK"),
                ),
                migrations.AlterField(
                    model_name="resident",
                    name="name_key",
                    field=models.CharField(editable=False, max_length=120),
                ),
                migrations.AlterField(
                    model_name="household",
                    name="kk_number",
                    field=models.CharField(max_length=16, verbose_name="nomor KK"),
                ),
                migrations.AlterField(
                    model_name="household",
                    name="rt",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="households",
                        to="core.rt", verbose_name="RT",
                    ),
                ),
            ],
        ),
    ]
