"""Free text -> skills and job titles -> roles; similar roles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.errors import InvalidInput
from engine.results import Match

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["normalise", "resolve_skill_ids", "resolve_skills", "resolve_titles", "similar_roles"]

MIN_SKILL_SCORE = 0.5  # below this a free-text skill is not trusted in an ad-hoc profile


def normalise(text: str) -> str:
    return re.sub(r"[^0-9a-z+#]+", " ", text.casefold()).strip()


def _alias_map(st: State) -> dict[str, str]:
    amap = st.extras.get("alias_map")
    if amap is None:
        amap = {}
        for s in st.catalog.skills:
            for name in (s.id, s.name, *s.aliases):
                amap.setdefault(normalise(name), s.id)
        st.extras["alias_map"] = amap
    return amap  # type: ignore[no-any-return]


def resolve_skills(st: State, encoder: Any, texts: Sequence[str], *, k: int = 5) -> list[list[Match]]:
    """Exact name/alias/id matches score 1.0; the rest come from the embedding index of names and aliases."""
    cat = st.catalog
    amap = _alias_map(st)
    texts = [t.strip() for t in texts]
    if any(not t for t in texts):
        raise InvalidInput("empty text to resolve")
    vecs = encoder.encode(texts)
    scores, ids = st.skills_ix.search(vecs, min(len(st.skills_ix), k * 4)) if len(st.skills_ix) else ([], [])
    out = []
    for n, text in enumerate(texts):
        best: dict[str, float] = {}
        exact = amap.get(normalise(text))
        if exact:
            best[exact] = 1.0
        for sc, key in zip(scores[n] if len(scores) else [], ids[n] if ids else [], strict=False):
            sid = key.split("\t", 1)[0]
            best[sid] = max(best.get(sid, 0.0), round(float(sc), 4))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        out.append([Match(id=s, name=cat.skills[cat.skill_index[s]].name, score=v) for s, v in ranked])
    return out


def resolve_skill_ids(st: State, encoder: Any, texts: Sequence[str]) -> list[str]:
    """One skill id per text (id, name or alias); an unknown skill is an input error naming the text."""
    cat = st.catalog
    direct = [t if t in cat.skill_index else None for t in texts]
    todo = [t for t, d in zip(texts, direct, strict=True) if d is None]
    found = dict(zip(todo, resolve_skills(st, encoder, todo, k=1), strict=True)) if todo else {}
    out = []
    for t, d in zip(texts, direct, strict=True):
        if d is not None:
            out.append(d)
            continue
        m = found[t]
        if not m or m[0].score < MIN_SKILL_SCORE:
            raise InvalidInput(f"unknown skill {t!r}: no skill id, name or alias matches it")
        out.append(m[0].id)
    return out


def resolve_titles(st: State, encoder: Any, titles: Sequence[str], *, k: int = 5) -> list[list[Match]]:
    cat = st.catalog
    titles = [t.strip() for t in titles]
    if any(not t for t in titles):
        raise InvalidInput("empty title to resolve")
    found = st.titles.match(titles, k=k, encode=encoder.encode)
    return [
        [Match(id=rid, name=cat.roles[cat.role_index[rid]].title, score=round(float(s), 4)) for rid, s in row]
        for row in found
    ]


def similar_roles(st: State, role_id: str, *, limit: int = 10) -> list[Match]:
    cat = st.catalog
    r = cat.role_index[role_id]
    scores, ids = st.roles_ix.search(st.role_vecs[r][None, :], min(limit + 1, len(st.roles_ix)))
    return [
        Match(id=i, name=cat.roles[cat.role_index[i]].title, score=round(float(s), 4))
        for s, i in zip(scores[0], ids[0], strict=True)
        if i != role_id
    ][:limit]
