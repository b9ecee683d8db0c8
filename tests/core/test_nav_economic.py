"""The menu links the economic-pathway pages (training, jobs, UMKM) for the roles that work them only."""

import pytest

LINKS = ('href="/pelatihan/"', 'href="/lowongan/"', 'href="/umkm/"')


@pytest.mark.parametrize("who", ["admin", "officer", "officer_other"])
def test_program_staff_see_the_links(cast, client_for, who):
    html = client_for(cast[who]).get("/").content.decode()
    for link in LINKS:
        assert link in html, (who, link)


@pytest.mark.parametrize("who", ["surveyor", "cadre", "evaluator", "resident"])
def test_other_roles_do_not(cast, client_for, who):
    html = client_for(cast[who]).get("/").content.decode()
    for link in LINKS:
        assert link not in html, (who, link)
