"""The residents' household index becomes a covering index of what rules and the welfare model read.

Eligibility rules ("has a member under five", "female head"), the welfare model's member features
and a household's explanation all read the active members of households by household id, and only
these columns. With all of them in one index in household order, the database answers from the
index alone: SQLite no longer reaches for the partial NIK index (residents in NIK order, one row
fetch each) when a query says ``status = 'active'``, and a rule over the whole registry reads a
compact index instead of the table.

The plain household index it replaces is its first column, so inserts (the import) maintain as
many resident indexes as before. It is dropped by name, as in 0002: AlterField would copy the
whole table on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

_OLD = "registry_resident_household_id_45f6612b"  # the name Django gave the foreign key's db_index


def _drop_household_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(_OLD)}")


def _create_household_index(apps, schema_editor):
    model = apps.get_model("registry", "Resident")
    field = model._meta.get_field("household")
    schema_editor.execute(schema_editor._create_index_sql(model, fields=[field], name=_OLD))


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_registry_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["household", "status", "birth_date", "pregnant", "disability", "school_enrolment",
                        "relation", "sex", "employment_status", "education"],
                name="resident_household_facts_idx",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop_household_index, _create_household_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="resident",
                    name="household",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="residents",
                        to="registry.household", verbose_name="keluarga",
                    ),
                ),
            ],
        ),
    ]
