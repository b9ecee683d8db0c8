"""Existing ids for path parameters, filled by the ``fuzz_world`` fixture before any example is drawn.

Random integers for ``{household_id}`` almost always answer 404, which tests little. Each path
parameter is therefore drawn either as Schemathesis generated it or from the ids of real demo
objects of its kind, so most examples reach the service code behind the 404.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

IDS: dict[str, list] = {}

# Path parameters whose kind depends on the operation's path (two different "session"/"referral" ids).
_BY_PATH = {
    ("/api/health/", "session_id"): "health_session_id",
    ("/api/jobs/", "referral_id"): "job_referral_id",
}


def kind_of(path: str, name: str) -> str:
    for (prefix, param), kind in _BY_PATH.items():
        if name == param and path.startswith(prefix):
            return kind
    return name


def real_ids(path: str, generated: dict[str, Any] | None) -> st.SearchStrategy:
    """The generated path parameters, or the same parameters with ids of existing objects."""
    if not generated:
        return st.just(generated)
    # Django's ``int`` path converter matches digits only: "/api/programs/-3/..." never reaches the API
    # and gets the site's HTML 404 (tests/fuzz/test_api_fuzz.py::test_unknown_api_url_answers_json).
    generated = {name: abs(v) if isinstance(v, int) else v for name, v in generated.items()}
    pools = {name: IDS.get(kind_of(path, name)) for name in generated}
    if not all(pools.values()):
        return st.just(generated)
    real = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in pools.items()})
    return st.one_of(real, real, real, st.just(generated))  # mostly real objects
