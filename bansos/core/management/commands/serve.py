"""Serve the platform in production: gunicorn with one process per core (waitress on Windows).

The application keeps no state in its processes, so workers (and more machines behind a load
balancer) can be added freely. Static files are served by WhiteNoise inside the application.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    # One Python process runs on one core at a time (the GIL); more than cores+1 only queues.
    return min(8, (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = "Serve the platform with a production WSGI server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None,
                            help="processes (default: cores + 1, at most 8); 1 uses waitress in this process")
        parser.add_argument("--threads", type=int, default=4, help="threads per process")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="skip collecting static files (they are already collected)")

    def handle(self, *args, host, port, workers, threads, no_collectstatic, **options):
        if settings.PRODUCTION and not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        workers = default_workers() if workers is None else workers
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if workers > 1 and os.name != "nt":
            serve_processes(host=host, port=port, workers=workers, threads=threads, stdout=self.stdout)
        else:
            serve(host=host, port=port, threads=threads, stdout=self.stdout)


def serve(*, host: str, port: int, threads: int, stdout) -> None:
    """One process with waitress (the demo, Windows)."""
    from waitress import serve as waitress_serve

    from bansos.wsgi import application

    stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="bansos")


def serve_processes(*, host: str, port: int, workers: int, threads: int, stdout) -> None:
    """Several gunicorn worker processes sharing the port."""
    from gunicorn.app.base import BaseApplication

    from bansos.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("timeout", 120)
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("proc_name", "bansos")
            self.cfg.set("accesslog", None)

        def load(self):
            return application

    stdout.write(f"Serving on http://{host}:{port}/ with {workers} processes x {threads} threads (Ctrl-C to stop)")
    stdout.flush()
    Server().run()
