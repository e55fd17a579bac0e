"""Incremental refresh: apply the store writes made since a state's version, without a rebuild.

Employee writes re-compose only the changed people. Catalog writes (a role, skill, learning item
or transition PUT) rebuild the catalog arrays from the records already in memory plus the changed
ones, re-encode only texts that changed (from the text cache when seen before), keep every
unchanged vector, and re-compose only the employees whose vectors moved (holders of a role or a
skill whose vector changed). Role vectors of changed roles are centred on the catalog mean of the
last full build (a full ``skillgraph index`` re-centres): a single PUT never moves every role
vector, so it never moves every employee vector either. The title matcher is rebuilt lazily, on
the next title resolution, when a role's title or description changed.

A new state object is returned whenever the catalog changed, so a request reading the old one
mid-refresh never sees half-updated arrays.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from embeddings import CachedEncoder, FlatIndex, MemoryCache
from engine.catalog import Catalog, build_catalog
from engine.indexer import State, build_state, centre, raw_role_vectors, save
from engine.models import Employee, Transition
from engine.people import People
from engine.roles_graph import INFERRED_K, LEVEL_BAND, RoleGraph, build_graph, move_gap_hours
from engine.snapshot import LazyTitles, snapshot_version
from engine.store import Store
from engine.tenure import learn_tenure
from engine.texts import learning_text, role_tasks, role_text, skill_text
from engine.vectors import compose_employee_vectors
from graph import infer_neighbours

__all__ = ["CATALOG_KINDS", "refresh_state"]

log = logging.getLogger("skillgraph.index")

CATALOG_KINDS = ("skill", "role", "learning_item", "transition")


def refresh_state(state: State, store: Store, encoder: Any) -> State:
    """Apply store writes since the state's version; returns the same object when nothing changed."""
    version = store.version()
    if version == state.version:
        return state
    version_no = int(version.rsplit(":", 1)[1])
    if version.rsplit(":", 1)[0] != state.version.rsplit(":", 1)[0] or version_no < state.version_no:
        new, _ = build_state(store, encoder, state.home, hours_per_week=state.hours_per_week)  # another store
        return new
    changes = {kind: store.changed_since(kind, state.version_no) for kind in CATALOG_KINDS}
    if any(w or g for w, g in changes.values()):
        state = _refresh_catalog(state, store, encoder, changes, version_no)
    erased = _refresh_people(state, store, encoder)
    state.version, state.version_no = version, version_no
    if erased and snapshot_version(state.home) is not None:
        # Someone was erased (perhaps through another replica): the saved snapshot must not name them.
        save(state)
    return state


# -- employees ---------------------------------------------------------------------------------------
def _refresh_people(state: State, store: Store, encoder: Any) -> int:
    """Apply employee writes and deletions; returns how many people were erased."""
    changed, gone = store.changed_since("employee", state.version_no)
    people = state.people
    if store.erased_since("employee", state.version_no):  # erasures keep no id: compare the id sets
        gone = sorted(people.index.keys() - set(store.ids("employee")))
    dropped = set()
    removed = 0
    for e in gone:
        r = people.index.get(e)
        if r is not None:
            dropped.add(people.interests[r])
        if people.remove(e) is not None:
            removed += 1
            if state.employees_ix.contains(e):
                state.employees_ix.remove([e])
    dropped.discard("")
    if dropped:  # an erased person's interest phrase stays only while someone else has it
        for text in dropped - set(people.interests):
            state.interest_vecs.pop(text, None)
    if changed:
        emps: list[Employee] = store.load("employee", changed)  # type: ignore[assignment]
        rows = np.asarray([people.set(e, state.catalog) for e in emps], np.int64)
        new_interests = sorted({e.interests for e in emps if e.interests and e.interests not in state.interest_vecs})
        if new_interests:
            enc = CachedEncoder(encoder, store)
            state.interest_vecs.update(zip(new_interests, enc.encode(new_interests), strict=True))
        vecs = compose_employee_vectors(people, rows, state.role_vecs, state.skill_vecs, state.interest_vecs)
        state.employees_ix.add([people.ids[r] for r in rows], vecs)
    return removed


# -- the catalog ---------------------------------------------------------------------------------------
def _patched(old: Sequence[Any], written: Sequence[Any], gone: Sequence[str]) -> list[Any]:
    by_id = {r.id: r for r in old}
    for r in written:
        by_id[r.id] = r
    for g in gone:
        by_id.pop(g, None)
    return list(by_id.values())


def _transitions(state: State, store: Store, changed: bool) -> list[Any]:
    if changed:
        return store.all("transition")
    # Unchanged: the counts in memory are all the catalog keeps of them (built once per catalog).
    cached = state.catalog.__dict__.get("_transition_list")
    if cached is None:
        cached = [
            Transition.model_construct(from_role_id=a, to_role_id=b)
            for (a, b), c in state.catalog.transition_counts.items()
            for _ in range(c)
        ]
    return cached


def _reuse_rows(
    old_keys: dict[str, tuple[int, Any]], new_ids: list[str], new_keys: list[Any], old_vecs: np.ndarray
) -> tuple[np.ndarray, list[int]]:
    """Rows of ``old_vecs`` reused where an id's text key is unchanged; the positions to encode."""
    dim = old_vecs.shape[1]
    out = np.zeros((len(new_ids), dim), np.float32)
    todo = []
    for i, (rid, key) in enumerate(zip(new_ids, new_keys, strict=True)):
        hit = old_keys.get(rid)
        if hit is not None and hit[1] == key:
            out[i] = old_vecs[hit[0]]
        else:
            todo.append(i)
    return out, todo


def _flat(ids: list[str], vecs: np.ndarray, dim: int) -> FlatIndex:
    ix = FlatIndex(dim)
    if ids:
        ix.add(ids, vecs)
    return ix


def _refresh_catalog(
    state: State, store: Store, encoder: Any, changes: dict[str, tuple[list[str], list[str]]], version_no: int
) -> State:
    if state.role_raw is None or state.role_mean is None:  # a state from before role_mean was kept
        new, _ = build_state(store, encoder, state.home, hours_per_week=state.hours_per_week)
        return new
    old: Catalog = state.catalog
    load = {k: store.load(k, w) if w else [] for k, (w, _) in changes.items()}
    cat = build_catalog(
        _patched(old.skills, load["skill"], changes["skill"][1]),
        _patched(old.roles, load["role"], changes["role"][1]),
        _patched(old.items, load["learning_item"], changes["learning_item"][1]),
        transitions := _transitions(state, store, moved := bool(changes["transition"][0] or changes["transition"][1])),
    )
    cat.__dict__["_transition_list"] = transitions
    if not moved and not changes["role"][0] and not changes["role"][1]:
        # The cached transitions carry no dates: time in role learned from the dated ones stands.
        cat.tenure = old.tenure
    elif not moved:
        cat.tenure = learn_tenure(store.all("transition"), {r.id: r.level for r in cat.roles})  # type: ignore[arg-type]
    enc = CachedEncoder(CachedEncoder(encoder, store), MemoryCache())
    dim = state.role_vecs.shape[1]
    old_names = {s.id: s.name for s in old.skills}
    names = {s.id: s.name for s in cat.skills}

    # Skills: keep every vector whose text did not change.
    old_sk = {s.id: (i, skill_text(s)) for i, s in enumerate(old.skills)}
    skill_vecs, todo = _reuse_rows(old_sk, cat.skill_ids, [skill_text(s) for s in cat.skills], state.skill_vecs)
    if todo:
        skill_vecs[todo] = enc.encode([skill_text(cat.skills[i]) for i in todo])
    moved_skills = {cat.skill_ids[i] for i in todo}

    # Skill names and aliases (resolution): rebuilt only for skills that changed.
    skills_ix = state.skills_ix
    if changes["skill"][0] or changes["skill"][1]:
        alias_ids, alias_texts = [], []
        for s in cat.skills:
            for n, name in enumerate([s.name, *s.aliases]):
                alias_ids.append(f"{s.id}\t{n}")
                alias_texts.append(name)
        old_alias = {a: (i, a) for i, a in enumerate(state.skills_ix.ids)}
        alias_keep = [a if a.split("\t", 1)[0] not in _changed_ids(changes["skill"]) else None for a in alias_ids]
        alias_vecs, todo = _reuse_rows(
            old_alias, alias_ids, alias_keep, state.skills_ix.vectors(state.skills_ix.ids) if old_alias else
            np.zeros((0, dim), np.float32),
        )
        if todo:
            alias_vecs[todo] = enc.encode([alias_texts[i] for i in todo])
        skills_ix = _flat(alias_ids, alias_vecs, dim)

    # Learning items: their text names the skills they teach.
    same_names = names == old_names
    written_items = {i.id for i in load["learning_item"]}

    def item_key(it: Any, nm: dict[str, str]) -> Any:
        return learning_text(it, nm) if not same_names or it.id in written_items else it.id

    old_it = {it.id: (i, item_key(it, old_names)) for i, it in enumerate(old.items)}
    item_vecs, todo = _reuse_rows(old_it, [i.id for i in cat.items], [item_key(i, names) for i in cat.items],
                                  state.item_vecs)
    if todo:
        item_vecs[todo] = enc.encode([learning_text(cat.items[i], names) for i in todo])
    items_same = not todo and [i.id for i in cat.items] == [i.id for i in old.items]
    items_ix = state.items_ix if items_same else _flat([i.id for i in cat.items], item_vecs, dim)

    # Roles: text + tasks; the mean of the last full build stays.
    def role_key(r: Any, nm: dict[str, str]) -> tuple[str, tuple[str, ...]]:
        return role_text(r, nm), tuple(role_tasks(r))

    if same_names:  # roles not written keep their text: compare texts of written ones only
        written = {r.id for r in load["role"]}
        old_rk: dict[str, tuple[int, Any]] = {
            r.id: (i, role_key(r, old_names) if r.id in written else r.id) for i, r in enumerate(old.roles)
        }
        keys: list[Any] = [role_key(r, names) if r.id in written else r.id for r in cat.roles]
    else:
        old_rk = {r.id: (i, role_key(r, old_names)) for i, r in enumerate(old.roles)}
        keys = [role_key(r, names) for r in cat.roles]
    role_raw, todo = _reuse_rows(old_rk, cat.role_ids, keys, state.role_raw)
    if todo:
        role_raw[todo] = raw_role_vectors(enc, [cat.roles[i] for i in todo], names)
    moved_roles = {cat.role_ids[i] for i in todo}
    role_vecs = state.role_vecs
    if todo or cat.role_ids != old.role_ids:
        role_vecs = np.zeros_like(role_raw)
        reuse = [i for i in range(len(cat.role_ids)) if i not in set(todo)]
        if reuse:
            role_vecs[reuse] = state.role_vecs[[old.role_index[cat.role_ids[i]] for i in reuse]]
        if todo:
            role_vecs[todo] = centre(role_raw[todo], state.role_mean)

    wording_changed = cat.role_ids != old.role_ids or any(
        (r.title, r.description) != (old.roles[old.role_index[r.id]].title, old.roles[old.role_index[r.id]].description)
        for r in load["role"] if r.id in old.role_index
    )
    role_terms = state.role_terms
    titles = state.titles
    if wording_changed:
        from engine.wording import role_term_matrix

        role_terms = role_term_matrix(cat.roles)
        titles = LazyTitles.deferred(cat, enc.encode)

    people = _remap_people(state.people, old, cat)
    graph = _update_graph(state, cat, role_vecs, changes, load["role"])
    new = dataclasses.replace(
        state,
        catalog=cat,
        people=people,
        role_vecs=role_vecs,
        role_raw=role_raw,
        role_terms=role_terms,
        skill_vecs=skill_vecs,
        item_vecs=item_vecs,
        roles_ix=state.roles_ix if role_vecs is state.role_vecs else _flat(cat.role_ids, role_vecs, dim),
        skills_ix=skills_ix,
        items_ix=items_ix,
        graph=graph,
        titles=titles,
        extras={},
        catalog_version=version_no,
    )
    _recompose(new, moved_roles, moved_skills)
    log.info("catalog refreshed: %d roles, %d skills re-encoded", len(moved_roles), len(moved_skills))
    return new


def _shape(r: Any) -> tuple[Any, ...]:
    """What a role contributes to the graph's nodes and ladder edges."""
    return r.title, r.family, r.level, r.track, tuple(r.next_role_ids)


def _update_graph(
    state: State, cat: Catalog, role_vecs: np.ndarray, changes: dict[str, tuple[list[str], list[str]]],
    roles: list[Any],
) -> RoleGraph:
    """Re-cost the moves whose gaps may have changed when the graph's shape cannot have (same
    roles, titles, families, levels, tracks, ladders, observed moves and role vectors); else build."""
    old = state.catalog
    same_shape = (
        cat.role_ids == old.role_ids
        and not changes["transition"][0] and not changes["transition"][1]
        and all(_shape(r) == _shape(old.roles[old.role_index[r.id]]) for r in roles)
    )
    similarity: dict[tuple[str, str], float] = {}
    if same_shape and role_vecs is not state.role_vecs:
        # A role's vector moved: the graph keeps its shape when its inferred neighbours stay.
        for u, v, sim in infer_neighbours(cat.role_ids, cat.level, role_vecs, k=INFERRED_K, level_band=LEVEL_BAND):
            if u != v:
                similarity[u, v] = max(similarity.get((u, v), -np.inf), float(sim))
        before = {(u, v) for u, v, d in state.graph.G.edges(data=True) if "inferred" in d.get("sources", ())}
        same_shape = set(similarity) == before
    if not same_shape:
        return build_graph(cat, role_vecs)
    G = state.graph.G.copy()
    for (u, v), sim in similarity.items():
        G.edges[u, v]["similarity"] = sim
    everything = bool(changes["learning_item"][0] or changes["learning_item"][1] or changes["skill"][0]
                      or changes["skill"][1])
    touched = {r.id for r in roles}
    ri = cat.role_index
    for u, v, d in G.edges(data=True):
        if everything or u in touched or v in touched:
            gap = move_gap_hours(cat, ri[u], ri[v])
            d["gap_hours"] = gap
            d["cost"] = gap + d.get("friction", 0.0)
    n = len(cat.role_ids)
    rows, cols, costs = [], [], []
    for u, v, d in G.edges(data=True):
        rows.append(ri[u])
        cols.append(ri[v])
        costs.append(max(float(d["cost"]), 1e-6))  # as build_graph: zero-cost edges must not vanish
    matrix = sp.csr_matrix((np.asarray(costs), (rows, cols)), shape=(n, n))
    return RoleGraph(G=G, role_ids=list(cat.role_ids), matrix=matrix)


def _changed_ids(change: tuple[list[str], list[str]]) -> set[str]:
    return set(change[0]) | set(change[1])


def _remap_people(people: People, old: Catalog, cat: Catalog) -> People:
    """The same people over the new catalog's role and skill indices (a copy when they moved)."""
    roles_same = old.role_ids == cat.role_ids
    skills_same = old.skill_ids == cat.skill_ids
    if roles_same and skills_same:
        return people
    role_map = np.asarray([cat.role_index.get(r, -1) for r in old.role_ids] + [-1], np.int64)
    role_idx = role_map[people.role_idx] if not roles_same else people.role_idx.copy()
    have, overlay = people.have_csr, dict(people.overlay)
    if not skills_same:
        col = np.asarray([cat.skill_index.get(s, -1) for s in old.skill_ids], np.int64)
        coo = have.tocoo()
        keep = col[coo.col] >= 0
        have = sp.csr_matrix((coo.data[keep], (coo.row[keep], col[coo.col[keep]])),
                             shape=(have.shape[0], cat.n_skills), dtype=np.float32)
        overlay = {}
        for r, row in people.overlay.items():
            dense = np.zeros(cat.n_skills, np.float32)
            ok = col >= 0
            dense[col[ok]] = row[ok]
            overlay[r] = dense
    return dataclasses.replace(people, role_idx=role_idx, have_csr=have, overlay=overlay, n_skills=cat.n_skills,
                               ids=list(people.ids), names=list(people.names), interests=list(people.interests),
                               families=list(people.families), index=dict(people.index), alive=people.alive.copy(),
                               months=people.months.copy())


def _recompose(st: State, moved_roles: set[str], moved_skills: set[str]) -> None:
    """New vectors for the employees whose role or skills moved."""
    people, cat = st.people, st.catalog
    alive = people.alive.copy()
    hit = np.zeros(len(people), bool)
    if moved_roles:
        codes = np.asarray([cat.role_index[r] for r in moved_roles if r in cat.role_index], np.int64)
        hit |= np.isin(people.role_idx, codes)
    if moved_skills:
        cols = np.asarray([cat.skill_index[s] for s in moved_skills if s in cat.skill_index], np.int64)
        have = people.have_matrix()
        hit |= np.asarray(have[:, cols].sum(axis=1)).ravel() > 0
    rows = np.flatnonzero(hit & alive)
    if len(rows):
        vecs = compose_employee_vectors(people, rows, st.role_vecs, st.skill_vecs, st.interest_vecs)
        st.employees_ix.add([people.ids[r] for r in rows], vecs)
