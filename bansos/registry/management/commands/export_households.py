"""manage.py export_households --format csv|xlsx --output FILE [--rw N] [--status S] [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bansos.accounts.models import Role
from bansos.core.errors import DomainError
from bansos.core.origin import origin
from bansos.registry.exporting import csv_lines, households_export, write_xlsx
from bansos.registry.selectors import HouseholdFilters


class _System:
    """The platform itself acting from the command line: an administrator without an account."""

    is_authenticated = True
    is_active = True
    role = Role.ADMIN
    pk = None
    rt_id = rw_id = posyandu_id = household_id = None

    def get_username(self) -> str:
        return ""


class Command(BaseCommand):
    help = "Export households with their residents (one row per active resident) in the import's columns."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--rw", type=int)
        parser.add_argument("--status", default="active", choices=("active", "moved", "dissolved", ""))
        parser.add_argument("--user", help="act as this user (needs registry.export); default: the system")

    def handle(self, *args, format: str, output: Path, rw: int | None, status: str, user: str | None, **options):
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user named {user!r}", returncode=2) from None
        else:
            actor = _System()
        filters = HouseholdFilters(rw=rw, status=status)
        try:
            with origin(channel="cli", command="export_households"):
                count, rows = households_export(actor=actor, filters=filters, fmt=format)
        except DomainError as exc:
            raise CommandError(exc.text, returncode=2) from None
        if format == "xlsx":
            with open(output, "wb") as target:
                write_xlsx(rows, target)
        else:
            with open(output, "w", newline="", encoding="utf-8") as target:
                target.writelines(csv_lines(rows))
        self.stdout.write(f"{count} baris ditulis ke {output}")
