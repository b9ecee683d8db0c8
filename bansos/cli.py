"""The ``bansos`` command: one entry point for serving, the demo, the worker and operations.

Each subcommand is a Django management command; this wrapper only picks the settings, maps the
short names (``import`` -> ``import_households``), and turns configuration errors into a clear
message instead of a traceback.
"""

from __future__ import annotations

import os
import sys

USAGE = """\
bansos - platform bantuan sosial Kelurahan Duri Kepa

Usage: bansos [--data-dir DIR] COMMAND [options]

Commands:
  demo [--port N] [--households N]   set up a demo database, print the demo logins, serve it with a worker
  serve [--host H] [--port N]        production server (gunicorn, or waitress on Windows; WhiteNoise)
  worker                             run background tasks (imports, rule runs, deliveries, ...); first
                                     recovers tasks a dead worker on this host left running
  migrate                            create or upgrade the database
  createadmin                        create a kelurahan admin account
  seed --households N [--seed S]     fill an empty registry with a synthetic population
  import FILE [--dry-run] [--report REPORT.csv]
                                     import households and residents from CSV/XLSX
  export --format csv|xlsx --output FILE
                                     export households and residents
  backup [--output FILE]             database + uploaded files in one verified archive
  restore FILE [--yes]               check an archive, then replace the database and files with it
  check [--deploy]                   Django's system checks
  monitoring-snapshot [--month YYYY-MM] [--back N]
                                     store every indicator of a month (monthly from cron; replaces it)
  grievances-escalate [--now ISO]    escalate grievances past their deadline (from cron; idempotent)
  <any Django management command>    e.g. bansos shell, bansos showmigrations

Settings come from the environment: DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG, BANSOS_ENV,
BANSOS_DATA_DIR (default ./bansos-data). See README.md.
"""

ALIASES = {
    "import": "import_households",
    "export": "export_households",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--data-dir"]:
        if len(args) < 2:
            print("bansos: --data-dir needs a directory", file=sys.stderr)
            return 2
        os.environ["BANSOS_DATA_DIR"] = os.path.abspath(args[1])
        args = args[2:]
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if args[0] == "--version":
        from bansos import __version__

        print(__version__)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bansos.settings")

    from bansos.core.env import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        print(f"bansos: configuration error: {exc}", file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    command = ALIASES.get(args[0], args[0])
    try:
        execute_from_command_line(["bansos", command, *args[1:]])
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
