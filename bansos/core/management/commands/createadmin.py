"""Create a kelurahan admin account (the first account of a new installation)."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bansos.accounts.models import Role, User
from bansos.core.audit import audit_log
from bansos.core.origin import origin


class Command(BaseCommand):
    help = "Create a kelurahan admin account."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--password-env", default="BANSOS_ADMIN_PASSWORD",
                            help="environment variable holding the password (else it is asked for)")

    def handle(self, *args, username, name, password_env, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        password = os.environ.get(password_env)
        if not password:
            if not self.stdin_is_tty():
                raise CommandError(f"no password: set {password_env} or run in a terminal")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        user = User(username=username, role=Role.ADMIN)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        first, _, last = name.partition(" ")
        with transaction.atomic(), origin(channel="cli"):
            user = User.objects.create_user(username=username, password=password, role=Role.ADMIN,
                                            first_name=first, last_name=last)
            audit_log(actor=None, action="account.create", obj=user, changes={"role": [None, Role.ADMIN.value]},
                      reason="createadmin")
        self.stdout.write(self.style.SUCCESS(f"admin {username} created"))

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin.isatty()
