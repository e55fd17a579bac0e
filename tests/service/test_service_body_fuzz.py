"""Property tests of the JSON bodies: whatever a client sends, the answer is a success or a
problem+json 4xx, never a 500 (bounded: a few seconds per property)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svc_harness import Svc

FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
           | TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=10)
# Bodies close enough to the real shapes that validation goes deep, with any value in any field.
FIELDS = ["name", "title", "display_name", "role_id", "level", "weight", "skills", "requirements", "months_in_role",
          "interests", "mobility", "protected", "hours", "employee_id", "profile", "limit", "direction", "texts",
          "titles", "k", "role", "aliases", "next_role_ids", "open_positions", "id", "skill_id", "to_level"]
SHAPED = st.dictionaries(st.sampled_from(FIELDS), VALUES | st.lists(st.dictionaries(st.sampled_from(FIELDS), VALUES,
                                                                                     max_size=4), max_size=3),
                         max_size=6)
DEEP = st.integers(20, 4_000).map(lambda n: "[" * n + "]" * n)
BODIES = st.one_of(
    SHAPED.map(json.dumps),
    VALUES.map(json.dumps),
    DEEP,
    st.builds(lambda n, key: f'{{"{key}": ' + "[" * n + "]" * n + "}", st.integers(20, 4_000), st.sampled_from(FIELDS)),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
)
TARGETS = [
    ("PUT", "/v1/skills/fz-skill", "admin"), ("PUT", "/v1/roles/fz-role", "admin"),
    ("PUT", "/v1/employees/fz-emp", "hr"), ("PUT", "/v1/learning-items/fz-item", "admin"),
    ("POST", "/v1/recommendations", "employee"), ("POST", "/v1/recommendations", "hr"),
    ("POST", "/v1/resolve/skills", "recruiter"), ("POST", "/v1/resolve/roles", "recruiter"),
    ("POST", "/v1/keys", "admin"),
]


def _check(r: Any) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["status"] == r.status_code


@FUZZ
@given(target=st.sampled_from(TARGETS), body=BODIES,
       media=st.sampled_from(["application/json", "application/merge-patch+json", None]))
def test_json_bodies_never_give_a_500(svc: Svc, target: tuple[str, str, str], body: str, media: str | None) -> None:
    method, url, who = target
    headers = {**svc.h(who), **({"Content-Type": media} if media else {})}
    _check(svc.client.request(method, url, content=body.encode("utf-8", "surrogatepass"), headers=headers))


@FUZZ
@given(lines=st.lists(BODIES | SHAPED.map(lambda d: json.dumps({"type": "employee", "data": d})), max_size=6))
def test_import_bodies_never_give_a_500(svc: Svc, lines: list[str]) -> None:
    body = "\n".join(x.replace("\n", " ") for x in lines).encode("utf-8", "surrogatepass")
    r = svc.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"})
    _check(r)
    if r.status_code == 200:
        out = r.json()
        assert out["accepted"] + len(out["rejected"]) == sum(1 for x in lines if x.strip())
