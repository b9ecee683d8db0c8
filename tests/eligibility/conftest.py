from __future__ import annotations

import pytest

BLT = {"all": [{"p": "has_under_five", "op": "is", "value": True},
               {"p": "monthly_income", "op": "lte", "value": 3_000_000}]}


@pytest.fixture
def rules(cast, agencies):
    """A kelurahan rule (admin), a rule of the officer's agency, and one of the other agency."""
    from bansos.eligibility.services import rule_create

    return {
        "kelurahan": rule_create(actor=cast["admin"], name="Aturan kelurahan", expression=BLT),
        "own": rule_create(actor=cast["officer"], name="BLT Dinsos", expression=BLT),
        "other": rule_create(actor=cast["officer_other"], name="Pelatihan LSM",
                             expression={"all": [{"p": "female_head", "op": "is", "value": True}]}),
    }
