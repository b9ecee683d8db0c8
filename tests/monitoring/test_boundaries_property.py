"""The RW boundary (GeoJSON) parser against any input (issue 11, bad input): it returns the outlines
or refuses with ``ValidationFailed`` carrying Indonesian messages on the ``file`` field, and never
fails any other way; a refused file stores nothing; what it accepts is exactly what was sent."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bansos.core.errors import ValidationFailed
from bansos.monitoring.models import RWBoundary
from bansos.monitoring.services.boundaries import boundaries_load, parse_boundaries

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])

NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([106.76, -6.17, 180, -90, 0, True, None, "106.7", 10**400]),
)
POINT = st.one_of(st.lists(NUMBER, min_size=0, max_size=4), NUMBER, st.text(max_size=5))
RING = st.one_of(st.lists(POINT, min_size=0, max_size=6), st.none(), st.integers())
GEOMETRY = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "polygon"]),
                           "coordinates": st.one_of(st.lists(RING, max_size=3),
                                                    st.lists(st.lists(RING, max_size=2), max_size=2),
                                                    st.none(), st.text(max_size=3))}),
    st.none(), st.text(max_size=5), st.lists(st.integers(), max_size=2),
)
RW_VALUE = st.one_of(st.sampled_from([1, 2, 3, "1", " 2 ", "²", "١", "01", True, 1.0, None, "", [1], {"n": 1}]),
                     st.integers(), st.text(max_size=4))
FEATURE = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(["Feature", "feature", "Point"]),
                           "properties": st.one_of(st.fixed_dictionaries({"rw": RW_VALUE}), st.none(),
                                                   st.lists(st.integers(), max_size=2), st.text(max_size=3)),
                           "geometry": GEOMETRY}),
    st.none(), st.integers(), st.text(max_size=5),
)
COLLECTION = st.fixed_dictionaries({
    "type": st.sampled_from(["FeatureCollection", "Feature", "featurecollection"]),
    "features": st.one_of(st.lists(FEATURE, max_size=4), st.none(), st.text(max_size=3), st.integers()),
})
LONLAT = st.tuples(st.floats(min_value=-180, max_value=180), st.floats(min_value=-90, max_value=90)).map(list)
VALID_RING = st.lists(LONLAT, min_size=3, max_size=8).map(lambda points: points + [list(points[0])])
VALID_COLLECTION = st.lists(st.sampled_from([1, 2]), min_size=1, max_size=2, unique=True).flatmap(
    lambda numbers: st.tuples(*[st.lists(VALID_RING, min_size=1, max_size=2) for _ in numbers]).map(
        lambda polygons: {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"rw": number}, "geometry": {"type": "Polygon", "coordinates": rings}}
            for number, rings in zip(numbers, polygons, strict=True)]}))
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def _reads_or_refuses(payload) -> dict | None:
    try:
        shapes = parse_boundaries(payload)
    except ValidationFailed as refused:
        messages = [str(m) for m in refused.errors["file"]]
        assert messages and all(m.strip() for m in messages), refused.errors
        assert not any("Traceback" in m or "object has no attribute" in m or "invalid literal" in m for m in messages)
        return None
    assert isinstance(shapes, dict) and all(isinstance(k, int) for k in shapes)
    return shapes


@PROPERTY
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_any_bytes_or_text_are_read_or_refused(cast, data):
    _reads_or_refuses(data)


@PROPERTY
@given(value=st.one_of(COLLECTION, JSON_VALUE, VALID_COLLECTION))
def test_any_json_document_is_read_or_refused(cast, value):
    shapes = _reads_or_refuses(json.dumps(value))
    if shapes is not None:
        sent = {int(str(f["properties"]["rw"]).strip()): f["geometry"] for f in value["features"]}
        assert shapes == sent


@PROPERTY
@given(value=VALID_COLLECTION)
def test_well_formed_outlines_are_accepted_as_sent(cast, value):
    assert parse_boundaries(json.dumps(value)) == {f["properties"]["rw"]: f["geometry"] for f in value["features"]}


@PROPERTY
@given(value=st.one_of(COLLECTION, VALID_COLLECTION))
def test_a_refused_file_stores_nothing_and_an_accepted_one_stores_each_outline(cast, value):
    before = list(RWBoundary.objects.values_list("rw__number", "geometry"))
    try:
        stored = boundaries_load(actor=cast["admin"], text=json.dumps(value))
    except ValidationFailed:
        assert list(RWBoundary.objects.values_list("rw__number", "geometry")) == before
        return
    sent = {int(str(f["properties"]["rw"]).strip()): f["geometry"] for f in value["features"]}
    assert stored == len(sent)
    assert {number: geometry for number, geometry in RWBoundary.objects.values_list("rw__number", "geometry")
            if number in sent} == sent


@pytest.mark.parametrize("text", [
    "[" * 100_000,  # nesting deeper than the JSON reader's recursion
    json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"rw": 1},
                "geometry": {"type": "Polygon", "coordinates": [[[10**400, 0], [1, 0], [1, 1], [10**400, 0]]]}}]}),
    json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"rw": "²"},
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}),
    "9" * 5000,  # an integer longer than Python converts from text
])
def test_hostile_documents_get_a_clear_refusal(cast, text):
    with pytest.raises(ValidationFailed) as refused:
        parse_boundaries(text)
    assert refused.value.errors["file"]
