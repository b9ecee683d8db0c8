"""Objects of the linkage app for the authorization world."""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """A finished run with one pending pair and one live merge (the kelurahan's, no agency); an agency list
    with a possible row on each side, owned by the agency of each side's household, so the officer of
    "mine" works on the first list and the officer of "other" on the second only."""
    from bansos.linkage.models import (AgencyList, AgencyListRow, CandidatePair, LinkageRun, ListStatus,
                                       PairStatus, RowStatus)
    from bansos.registry.models import ResidentMerge
    from tests.security.world import Kind

    K = w.kinds
    a, b = K["resident"].mine, K["resident"].other
    run = LinkageRun.objects.create(created_by=admin, status="done", percent=100, records=2, review=1)
    pair = CandidatePair.objects.create(run=run, left=a if a.pk < b.pk else b, right=b if a.pk < b.pk else a,
                                        probability=0.8, weight=3.0, status=PairStatus.PENDING,
                                        evidence={"nik": "else", "name": "part", "birth_date": "one_year",
                                                  "sex": "exact", "household": "else"})
    K["linkage_run"] = Kind(run)
    K["pair"] = Kind(pair)
    merge = ResidentMerge.objects.filter(undone_at__isnull=True).order_by("pk").first()
    if merge is None:
        head = h.residents.filter(relation="head").first()
        merge = ResidentMerge.objects.create(survivor=head, duplicate=a, duplicate_status="active",
                                             reason="uji keamanan", moved=[], merged_by=admin)
    K["merge"] = Kind(merge)
    lists = []
    for agency, resident in ((w.household_agency, a), (w.other_household_agency, b)):
        agency_list = AgencyList.objects.create(
            agency_id=agency, title=f"Daftar uji {agency}", original_name="uji.csv", file_path="/nope",
            file_kind="csv", headers=["NIK", "Nama"], mapping={"nik": 0, "full_name": 1}, status=ListStatus.DONE,
            percent=100, rows_total=1, possible=1, uploaded_by=admin)
        row = AgencyListRow.objects.create(agency_list=agency_list, number=2, nik=resident.nik,
                                           full_name=resident.full_name, status=RowStatus.POSSIBLE,
                                           resident=resident, probability=0.7,
                                           evidence={"nik": "exact", "name": "exact"})
        lists.append((agency_list, row, agency))
    (l1, r1, a1), (l2, r2, a2) = lists
    K["agency_list"] = Kind(l1, l2, a1, a2)
    K["list_row"] = Kind(r1, r2, a1, a2)
