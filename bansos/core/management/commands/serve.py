"""Serve the platform with waitress (a production WSGI server) and WhiteNoise for static files."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform with a production WSGI server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="skip collecting static files (they are already collected)")

    def handle(self, *args, host, port, threads, no_collectstatic, **options):
        if settings.PRODUCTION and not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        serve(host=host, port=port, threads=threads, stdout=self.stdout)


def serve(*, host: str, port: int, threads: int, stdout) -> None:
    from waitress import serve as waitress_serve

    from bansos.wsgi import application

    stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="bansos")
