"""Demo data of the portal app, made through its services and the programs' services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _t

HOW_TO_APPLY = {
    "training": "Daftar lewat portal warga (menu Program), atau datang ke kantor kelurahan dengan KTP dan KK.",
    "cash": "Tidak perlu mendaftar sendiri: keluarga dipilih dari data registri dan musyawarah RW. Jika merasa "
            "layak tetapi belum terdaftar, sampaikan ke Ketua RT/RW atau ajukan usulan.",
    "enterprise": "Datang ke kantor kelurahan dengan KTP, KK dan keterangan usaha dari RT.",
    "education": "Orang tua mendaftarkan anak di sekolah atau kantor kelurahan dengan KK dan kartu pelajar.",
    "health": "Datang ke posyandu terdekat pada jadwal buka dengan buku KIA.",
    "community": "Hubungi pengurus Karang Taruna RW atau kantor kelurahan.",
}
CONTACT = "Kantor Kelurahan Duri Kepa, Senin–Jumat 08.00–15.00"


def demo_portal_create(*, actor, seed: int) -> dict[str, Any] | None:
    """Public fields of the open programs, trainings open for resident applications, one office code."""
    from bansos.accounts.models import Role, User
    from bansos.portal.models import OfficeCode
    from bansos.portal.services.activation import office_code_issue
    from bansos.programs.models import Program, ProgramKind, ProgramStatus
    from bansos.programs.services.programs import PROGRAM_FIELDS, program_update
    from bansos.registry.models import Household, HouseholdStatus, Relation, ResidentStatus

    public = list(Program.objects.filter(status__in=(ProgramStatus.OPEN, ProgramStatus.RUNNING))
                  .select_related("agency", "rule").order_by("pk"))
    if any(p.resident_applications for p in public) or OfficeCode.objects.exists():
        return None
    opened = 0
    for program in public:
        data = {name: getattr(program, name) for name in PROGRAM_FIELDS}
        data["how_to_apply"] = program.how_to_apply or HOW_TO_APPLY.get(program.kind, "")
        data["contact"] = program.contact or program.agency.contact or CONTACT
        if program.kind == ProgramKind.TRAINING and program.participant == "resident":
            data["resident_applications"] = True
            opened += 1
        program_update(actor=actor, program=program, data=data)

    resident_user = User.objects.filter(username="warga.rw01", role=Role.RESIDENT).select_related("household").first()
    if resident_user is not None and resident_user.household_id and resident_user.resident_id is None:
        resident_user.resident = resident_user.household.residents.filter(
            relation=Relation.HEAD, status=ResidentStatus.ACTIVE).first()
        resident_user.save(update_fields=["resident"])

    # An office code for the first household without a phone whose head has no portal account yet.
    issued = 0
    households = (Household.objects.filter(status=HouseholdStatus.ACTIVE, phone="").order_by("pk")[:50])
    for household in households:
        head = household.residents.filter(relation=Relation.HEAD, status=ResidentStatus.ACTIVE).first()
        if head is not None and not User.objects.filter(resident=head).exists():
            office_code_issue(actor=actor, resident=head)  # the code itself is not printed: it is a secret
            issued = 1
            break
    line = _t("%(programs)s program dengan info pendaftaran; %(open)s pelatihan dibuka untuk pendaftaran lewat "
              "portal; %(codes)s kode aktivasi kantor diterbitkan (kode tidak ditampilkan).") % {
        "programs": len(public), "open": opened, "codes": issued}
    return {"line": line, "programs": len(public), "open": opened, "office_codes": issued}
