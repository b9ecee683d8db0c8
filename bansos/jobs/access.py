"""Object-level rules on vacancies and job referrals.

``bansos.accounts.permissions`` answers "may this role do X at all"; this module adds "... to this
vacancy / referral / candidate":

- a vacancy belongs to a company (an agency of kind "business"); that company's officers manage its
  vacancies, the kelurahan admin manages any; officers of other agencies read open vacancies only (and
  the closed ones they referred people to), never the referrals of others;
- matching and referring (``P.JOBS_REFER``): an officer sees as candidates only residents who completed
  courses of the own agency's programs; the admin sees all;
- an outcome is recorded by the company's officer, the referring agency's officer, or the admin;
- the company reads a referred person's name, sex, age, RW and completed courses, never NIK, KK,
  address or welfare data (``company_view``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import AgencyKind, Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.errors import PermissionDeniedError

MSG_OTHER_COMPANY = _("Lowongan ini milik perusahaan lain; Anda hanya dapat mengelola lowongan perusahaan Anda.")
MSG_NOT_BUSINESS = _("Lowongan hanya dapat dipasang oleh perusahaan mitra (lembaga jenis dunia usaha).")
MSG_NOT_YOUR_REFERRAL = _("Hasil rujukan dicatat oleh perusahaan, lembaga perujuk, atau admin kelurahan.")


def _officer_agency(user) -> int | None:
    return user.agency_id if user.role == Role.OFFICER else None


def is_company_officer(user, vacancy) -> bool:
    agency_id = _officer_agency(user)
    return agency_id is not None and vacancy.company_id == agency_id


def can_manage_vacancy(user, vacancy) -> bool:
    """Edit and close the vacancy (its company's officers, the admin)."""
    if not has_role_perm(user, P.JOBS_MANAGE):
        return False
    return user.role == Role.ADMIN or is_company_officer(user, vacancy)


def require_manage_vacancy(user, vacancy) -> None:
    if not has_role_perm(user, P.JOBS_MANAGE):
        raise PermissionDeniedError()
    if not can_manage_vacancy(user, vacancy):
        raise PermissionDeniedError(MSG_OTHER_COMPANY)


def can_post_vacancy(user) -> bool:
    """Whether the user may post vacancies at all: the admin, or an officer of a business agency."""
    if not has_role_perm(user, P.JOBS_MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.OFFICER and user.agency is not None and user.agency.kind == AgencyKind.BUSINESS


def company_for_new_vacancy(user, company):
    """The company a new vacancy of ``user`` belongs to: an officer's own, whatever was asked."""
    if not has_role_perm(user, P.JOBS_MANAGE):
        raise PermissionDeniedError()
    if user.role == Role.OFFICER:
        if company is not None and company.pk != user.agency_id:
            raise PermissionDeniedError(MSG_OTHER_COMPANY)
        company = user.agency
    elif user.role != Role.ADMIN:
        raise PermissionDeniedError()
    if company is None or company.kind != AgencyKind.BUSINESS:
        raise PermissionDeniedError(MSG_NOT_BUSINESS)
    return company


def can_use_jobs(user) -> bool:
    return has_role_perm(user, P.JOBS_MANAGE) or has_role_perm(user, P.JOBS_REFER)


def vacancy_scope(user) -> Q:
    """A filter on Vacancy: the ones the user may read."""
    if not can_use_jobs(user):
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    agency_id = _officer_agency(user)
    if agency_id is None:
        return Q(pk__in=[])
    from bansos.jobs.models import JobReferral, VacancyStatus

    today = timezone.localdate()
    referred = Exists(JobReferral.objects.filter(vacancy=OuterRef("pk"), referring_agency_id=agency_id))
    return Q(company_id=agency_id) | Q(status=VacancyStatus.OPEN, closing_date__gte=today) | Q(referred)


def referral_scope(user) -> Q:
    """A filter on JobReferral: the company's referrals, the agency's own referrals, all for the admin."""
    if not can_use_jobs(user):
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    agency_id = _officer_agency(user)
    if agency_id is None:
        return Q(pk__in=[])
    return Q(vacancy__company_id=agency_id) | Q(referring_agency_id=agency_id)


def can_refer(user, vacancy) -> bool:
    """See the candidates of the vacancy and refer them (personal data)."""
    return has_role_perm(user, P.JOBS_REFER)


def candidate_course_scope(user) -> Q:
    """A filter on training.Participant: courses whose completers the user may offer as candidates."""
    if not has_role_perm(user, P.JOBS_REFER):
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    agency_id = _officer_agency(user)
    if agency_id is None:
        return Q(pk__in=[])
    return Q(course__program__agency_id=agency_id)


def can_record_outcome(user, referral) -> bool:
    if not has_role_perm(user, P.JOBS_MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    agency_id = _officer_agency(user)
    return agency_id is not None and agency_id in (referral.vacancy.company_id, referral.referring_agency_id)


def require_record_outcome(user, referral) -> None:
    if not has_role_perm(user, P.JOBS_MANAGE):
        raise PermissionDeniedError()
    if not can_record_outcome(user, referral):
        raise PermissionDeniedError(MSG_NOT_YOUR_REFERRAL)


def company_view(user, referral) -> bool:
    """True when ``user`` reads the referral as the company: the person's minimum only.

    The admin and the referring agency's officers (who found the person through their own course)
    read it in full; everyone else who reaches it (the company's officers) the minimum.
    """
    if user.role == Role.ADMIN:
        return False
    agency_id = _officer_agency(user)
    return not (agency_id is not None and agency_id == referral.referring_agency_id)
