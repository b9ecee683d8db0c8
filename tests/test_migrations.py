from django.core.management import call_command


def test_it_has_a_migration_for_every_model_change(db):
    # Exits with status 1 when a model changed without its migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
