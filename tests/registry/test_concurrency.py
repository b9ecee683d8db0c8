"""Two people saving the same thing at the same moment: the rules hold, the loser gets a clear error."""

import threading

import pytest
from django.db import connection

from bansos.core.errors import ValidationFailed
from bansos.registry import services
from bansos.registry.models import Resident
from tests.factories import person


@pytest.mark.django_db(transaction=True)
def test_it_registers_a_nik_once_when_two_officers_save_it_at_the_same_moment(cast):
    import datetime as dt

    newborn = person("Bayi Putri", "P", dt.date(2026, 10, 1), "child")
    targets = [cast["households"]["rw1"], cast["households"]["rw1_rt2"]]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(household):
        try:
            barrier.wait(timeout=10)
            services.resident_add(actor=cast["admin"], household=household, data=dict(newborn))
            outcomes.append("stored")
        except ValidationFailed as exc:
            outcomes.append("refused:" + ",".join(exc.errors))
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(h,)) for h in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused:nik", "stored"]
    assert Resident.objects.filter(nik=newborn["nik"]).count() == 1
