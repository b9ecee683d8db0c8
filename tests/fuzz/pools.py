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


def _reaches_the_api(name: str, value: Any) -> bool:
    """Whether Django's URL converters let the value through to the API (ids: digits only; str: no "/")."""
    if isinstance(value, bool):
        return False
    if name.endswith("_id"):
        return (isinstance(value, int) and value >= 0) or (isinstance(value, str) and value.isascii()
                                                          and value.isdigit())
    return isinstance(value, str) and value != "" and "/" not in value


def real_ids(path: str, generated: dict[str, Any] | None) -> st.SearchStrategy:
    """The generated path parameters, or the same parameters with ids of existing objects.

    A value the URL router cannot match ("/api/programs/-3/...", "/api/programs/0.5/...", which the
    invalid-input fuzzing makes on purpose) never reaches the API and gets the site's HTML 404
    (tests/fuzz/test_api_fuzz.py::test_unknown_api_url_answers_json): it is replaced by a real id.
    """
    if not generated:
        return st.just(generated)
    pools = {name: IDS.get(kind_of(path, name)) or [1] for name in generated}
    generated = {name: value if _reaches_the_api(name, value) else pools[name][0] for name, value in generated.items()}
    real = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in pools.items()})
    return st.one_of(real, real, real, st.just(generated))  # mostly real objects
