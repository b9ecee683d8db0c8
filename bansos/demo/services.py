"""Fill an empty installation with the Duri Kepa demo: areas, agencies, households, one account per role.

These run from the command line (``manage.py seed``, ``bansos demo``), not from a page, so they
act without a user; every write still leaves an audit event, with no actor.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.demo.areas import KELURAHAN, duri_kepa_create
from bansos.demo.generator import generate_households
from bansos.registry.names import name_key

MSG_NOT_EMPTY = _(
    "Registri sudah berisi %(count)s keluarga. Data demo hanya dapat dibuat pada registri yang kosong; "
    "tidak ada yang diubah."
)
MSG_BAD_SIZE = _("Jumlah keluarga harus antara 1 dan 5.000.000.")

# Households written per INSERT round; big enough to amortise, small enough to keep memory flat.
BATCH_HOUSEHOLDS = 2000

Progress = Callable[[int, int], None]

DEMO_AGENCIES = (
    ("Suku Dinas Sosial Jakarta Barat", "government", "Jl. Raya Kembangan No. 2, Jakarta Barat"),
    ("Puskesmas Kecamatan Kebon Jeruk", "government", "Jl. Raya Kebon Jeruk, Jakarta Barat"),
    ("Yayasan Peduli Duri Kepa", "ngo", "Jl. Duri Raya, Duri Kepa"),
    ("CSR PT Sentosa Makmur Abadi", "business", "Unit tanggung jawab sosial perusahaan"),
    ("Karang Taruna Duri Kepa", "community", "Sekretariat RW 01, Duri Kepa"),
)
OFFICER_AGENCY = DEMO_AGENCIES[0][0]


class _FastInsert:
    """INSERT many rows of one model (``executemany``; COPY on PostgreSQL), skipping per-value ORM work.

    ``bulk_create`` compiles SQL per value and, on SQLite, per 30-odd rows (the 999-variable
    limit); for 70,000 residents that is most of the seed's time. Rows here are plain dicts of
    already-valid values, so only dates need adapting and the defaults are computed once.
    """

    def __init__(self, model, connection, now) -> None:
        from django.db import models

        self.connection = connection
        fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in fields]
        self.defaults: list[Any] = []
        self.adapters: list[Any] = []
        stamp = connection.ops.adapt_datetimefield_value(now)
        for f in fields:
            if isinstance(f, models.DateTimeField):
                self.defaults.append(stamp if (f.auto_now or f.auto_now_add) else None)
                self.adapters.append(None)
            elif isinstance(f, models.DateField):
                self.defaults.append(None)
                self.adapters.append(connection.ops.adapt_datefield_value)
            else:
                blank_text = f.empty_strings_allowed and not f.null
                self.defaults.append(f.get_default() if f.has_default() else ("" if blank_text else None))
                self.adapters.append(None)
        quote = connection.ops.quote_name
        table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def row(self, values: dict[str, Any]) -> tuple:
        out = []
        for name, default, adapt in zip(self.attnames, self.defaults, self.adapters, strict=True):
            value = values.get(name)
            if value is None:
                value = default
            elif adapt is not None:
                value = adapt(value)
            out.append(value)
        return tuple(out)

    def execute(self, rows: list[tuple]) -> None:
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk path: one stream instead of a statement per row.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


def _reset_sequences(connection, models_: list) -> None:
    # Ids were assigned here, so PostgreSQL's sequences must be moved past them (as loaddata does).
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def demo_seed(*, households: int = 20000, seed: int = 2026, progress: Progress | None = None) -> dict[str, Any]:
    """Fill an empty registry with ``households`` generated families of Duri Kepa; refuse if not empty."""
    from bansos.core.models import RT, Kelurahan
    from bansos.registry.models import Household, Resident

    if not 1 <= households <= 5_000_000:
        raise DomainError("bad_size", MSG_BAD_SIZE, field="households")
    started = time.monotonic()
    duri_kepa_create(households)
    residents_total = 0
    with transaction.atomic():
        # Two seeds at once would both see an empty registry; the lock on the one kelurahan row
        # makes the second wait and then find the first one's households.
        Kelurahan.objects.select_for_update().get(code=KELURAHAN["code"])
        existing = Household.objects.count()
        if existing:
            raise DomainError("registry_not_empty", MSG_NOT_EMPTY, count=existing)
        rt_ids = {(rw, rt): pk for pk, rw, rt in RT.objects.values_list("pk", "rw__number", "number")}
        connection = connections[Household.objects.db]
        now = timezone.now()
        household_insert = _FastInsert(Household, connection, now)
        resident_insert = _FastInsert(Resident, connection, now)
        # The registry is empty and locked, so ids can be handed out here instead of read back.
        next_household = (Household.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        next_resident = (Resident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        done = 0
        household_rows: list[tuple] = []
        resident_rows: list[tuple] = []
        for item in generate_households(seed=seed, count=households, areas=sorted(rt_ids)):
            household_rows.append(household_insert.row(
                {**item.household, "id": next_household, "rt_id": rt_ids[item.rw, item.rt]}))
            for member in item.members:
                resident_rows.append(resident_insert.row(
                    {**member, "id": next_resident, "household_id": next_household,
                     "name_key": name_key(member["full_name"])}))
                next_resident += 1
            next_household += 1
            done += 1
            if len(household_rows) == BATCH_HOUSEHOLDS or done == households:
                household_insert.execute(household_rows)
                resident_insert.execute(resident_rows)
                residents_total += len(resident_rows)
                household_rows, resident_rows = [], []
                if progress:
                    progress(done, households)
        _reset_sequences(connection, [Household, Resident])
        audit_log(
            actor=None, action="registry.seed", object_type="registry", object_label="Data demo Duri Kepa",
            changes={"households": [None, households], "residents": [None, residents_total], "seed": [None, seed]},
            reason="Data demo sintetis (bukan data warga sebenarnya)",
        )
    if connection.vendor == "postgresql":
        # The planner knows nothing of rows loaded a moment ago until autovacuum gets to them; the
        # demo's next steps query these tables at once (a plan made for empty tables took minutes
        # per query at a million residents), so their statistics are gathered now.
        with connection.cursor() as cursor:
            for model in (Household, Resident):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return {"households": households, "residents": residents_total, "seed": seed,
            "seconds": time.monotonic() - started}


def demo_agencies_create() -> list:
    """Create the demo partner agencies that do not exist yet; return all of them."""
    from bansos.accounts.models import Agency

    out = []
    with transaction.atomic():
        for name, kind, contact in DEMO_AGENCIES:
            agency, created = Agency.objects.get_or_create(name=name, defaults={"kind": kind, "contact": contact})
            if created:
                audit_log(actor=None, action="agency.create", obj=agency,
                          changes={"name": [None, name], "kind": [None, kind]}, reason="data demo")
            out.append(agency)
    return out


def demo_prepare(*, households: int = 20000, seed: int = 2026, progress: Progress | None = None) -> dict | None:
    """Areas and agencies always; the households only when the registry is empty (else None)."""
    from bansos.registry.models import Household

    duri_kepa_create(households)
    demo_agencies_create()
    if Household.objects.exists():
        return None
    return demo_seed(households=households, seed=seed, progress=progress)


# --- Accounts -----------------------------------------------------------------------------------


class DemoAccount(NamedTuple):
    username: str
    password: str  # the demo password, or a note when the account existed and its password changed
    role: str  # role label
    scope: str  # scope label


_WORDS = ("mangga", "kelapa", "duri", "kepa", "melati", "kenanga", "rambutan", "salak", "delima", "cempaka",
          "sawo", "nangka", "jambu", "kemuning", "teratai", "anggrek")

PASSWORD_UNCHANGED = _("(akun sudah ada; kata sandi tidak diubah)")


def demo_password(username: str) -> str:
    """The demo password of ``username`` for this installation.

    Derived from SECRET_KEY, so re-running the demo prints the same working password without
    storing it, and another installation's demo passwords are not the same.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo-password:{username}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[2:5], "big") % 10000
    return f"{_WORDS[digest[0] % len(_WORDS)]}-{_WORDS[digest[1] % len(_WORDS)]}-{number:04d}"


def _resident_household():
    """A household in RW 01 for the resident account: female-headed with children when there is one."""
    from bansos.registry.models import Household, Relation, Resident, ResidentStatus

    rw1 = Household.objects.filter(rt__rw__number=1, status="active").order_by("pk")
    female_heads = Resident.objects.filter(relation=Relation.HEAD, sex="P", status=ResidentStatus.ACTIVE)
    children = Resident.objects.filter(relation=Relation.CHILD, status=ResidentStatus.ACTIVE)
    best = rw1.filter(pk__in=female_heads.values("household_id")).filter(pk__in=children.values("household_id"))
    return best.first() or rw1.first()


def demo_accounts_create() -> list[DemoAccount]:
    """One account per role, created once; later runs change nothing and list the same accounts."""
    from bansos.accounts.models import Agency, Role, User
    from bansos.core.models import RW, Posyandu

    rw1 = RW.objects.filter(number=1).first()
    posyandu = Posyandu.objects.filter(rw=rw1).order_by("name").first() if rw1 else None
    agency = Agency.objects.filter(name=OFFICER_AGENCY).first()
    household = _resident_household()
    plans: list[tuple[str, str, str, dict[str, Any]]] = [
        ("admin", "Admin Kelurahan Duri Kepa", Role.ADMIN, {}),
        ("petugas.sudinsos", "Petugas Sudinsos Jakbar", Role.OFFICER, {"agency": agency}),
        ("rw01", "Ketua RW 01", Role.SURVEYOR, {"rw": rw1}),
        ("kader.rw01", "Kader Posyandu RW 01", Role.CADRE, {"posyandu": posyandu}),
        ("evaluator", "Pemantau dan Evaluator", Role.EVALUATOR, {}),
        ("warga.rw01", "Warga RW 01", Role.RESIDENT, {"household": household, "resident": household and household.head}),
    ]
    accounts = []
    with transaction.atomic():
        for username, full_name, role, scope in plans:
            if any(value is None for value in scope.values()):
                continue  # its scope does not exist yet (no areas, agencies or households)
            user = User.objects.filter(username=username).first()
            password = demo_password(username)
            if user is None:
                user = User(username=username, first_name=full_name, role=role, **scope)
                try:
                    password_validation.validate_password(password, user=user)
                except ValidationError:
                    password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                audit_log(actor=None, action="user.create", obj=user, reason="data demo",
                          changes={"role": [None, role], "scope": [None, user.scope_label]})
            elif not user.check_password(password):
                password = str(PASSWORD_UNCHANGED)
            accounts.append(DemoAccount(user.username, password, str(user.get_role_display()), user.scope_label))
    return accounts

