"""How well each learning item fits a target role: a relevance in [0, 1] per catalog item.

Learning plans are priced in hours, and a gap is closed by any item that teaches the skill to the
level needed; the cheapest closer is sometimes written for another occupation (a retail lead
learning Team Leadership in "Charge Nurse Academy"). Relevance says how far an item belongs to
*another* family than the target role's:

* family affinity (embeddings): the item's text vector (``engine.texts.learning_text``, centred on
  the mean item) against the centroid of each family's role vectors. ``own`` is the best of the
  target family's centroid and the target role itself, ``other`` the best other family;
  ``other - own`` above ``EMB_LO`` starts to count, at ``EMB_HI`` the item is off-domain.
* family vocabulary (words): a word of the roles' titles and descriptions that appears in at least
  ``VOCAB_MIN_ROLES`` roles of one family and in no role of any other ("nurse", "patient",
  "forklift", "warehouse") marks an item whose title or description uses it as that family's.
  An item using another family's words and none of the target family's is off-domain.

``relevance = 1 - max(embedding off-domain share, vocabulary off-domain share)``: 1 for generic and
same-domain items (most of a catalog), 0 for items clearly written for another family. Computed
once per (catalog, role) with a few vector products and cached on the catalog; requests pay a
dict lookup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.catalog import Catalog

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["EMB_HI", "EMB_LO", "VOCAB_MIN_ROLES", "family_words", "item_relevance", "relevance_for_role"]

EMB_LO = 0.10  # other-family lead (cosine) up to which an item counts as in-domain or generic
EMB_HI = 0.30  # ... and from which it is off-domain (relevance 0); linear in between
VOCAB_MIN_ROLES = 2  # a family's own word not in its titles appears in at least this many of its roles

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class _ItemSide:
    """What does not depend on the target role: computed once per catalog and vectors."""

    items: np.ndarray  # (items, dim) centred, unit item vectors
    fam_of: np.ndarray  # (roles,) family position of each role
    fam_sim: np.ndarray  # (families, items) cosine with each family's centroid
    best: np.ndarray  # (items,) best family position
    top: np.ndarray  # (items,) best family cosine
    second: np.ndarray  # (items,) second best family cosine (-1 with one family)
    uses: np.ndarray  # (items, families) bool: the item's wording uses the family's own words


def _words(text: str) -> set[str]:
    """Lower-case words of four letters or more, crudely singularised (nurses -> nurse)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if len(w) >= 4:
            out.add(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 4 else w)
    return out


def family_words(catalog: Catalog) -> dict[str, set[str]]:
    """Each family's own words: used by no other family's roles, and in a title of the family or
    the descriptions of at least VOCAB_MIN_ROLES of its roles ("forklift", "nurse"), minus words
    of skills that several families require ("people" of People Management, "customer" of
    Customer Service are no domain's words)."""
    from engine.title_match import split_description

    fams_by_word: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    in_title: set[str] = set()
    skill_fams: dict[int, set[str]] = defaultdict(set)
    for r_idx, r in enumerate(catalog.roles):
        plain, tasks = split_description(r.description)
        in_title |= _words(r.title)
        for w in _words(" ".join([r.title, plain, *tasks])):
            fams_by_word[w][r.family or ""] += 1
        cols, _, _ = catalog.requirement_rows(r_idx)
        for c in cols.tolist():
            skill_fams[c].add(r.family or "")
    shared = set()
    for c, fams in skill_fams.items():
        if len(fams) > 1:
            shared |= _words(catalog.skill_name(c))
    out: dict[str, set[str]] = defaultdict(set)
    for w, fams in fams_by_word.items():
        if len(fams) == 1 and w not in shared:
            ((fam, n),) = fams.items()
            if fam and (n >= VOCAB_MIN_ROLES or w in in_title):
                out[fam].add(w)
    return dict(out)


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, n, out=np.zeros_like(x), where=n > 0)


def _item_side(catalog: Catalog, item_vecs: np.ndarray, role_vecs: np.ndarray) -> _ItemSide:
    fams = sorted({r.family or "" for r in catalog.roles})
    pos = {f: i for i, f in enumerate(fams)}
    fam_of = np.asarray([pos[r.family or ""] for r in catalog.roles], np.int64)
    iv = np.asarray(item_vecs, np.float32)
    items = _unit(iv - iv.mean(axis=0)) if len(iv) > 1 else _unit(iv)
    roles = np.asarray(role_vecs, np.float32)
    cent = np.zeros((len(fams), roles.shape[1]), np.float32)
    np.add.at(cent, fam_of, roles)
    fam_sim = _unit(cent) @ items.T
    order = np.argsort(-fam_sim, axis=0, kind="stable")
    cols = np.arange(items.shape[0])
    top = fam_sim[order[0], cols]
    second = fam_sim[order[1], cols] if len(fams) > 1 else np.full(len(cols), -1.0, np.float32)
    vocab = family_words(catalog)
    uses = np.zeros((len(cols), len(fams)), bool)
    for i, it in enumerate(catalog.items):
        ws = _words(f"{it.title} {it.description} {it.provider}")
        for f, fam in enumerate(fams):
            uses[i, f] = bool(ws & vocab.get(fam, set()))
    return _ItemSide(items, fam_of, fam_sim, order[0], top, second, uses)


def relevance_for_role(side: _ItemSide, role_vec: np.ndarray, role_idx: int) -> np.ndarray:
    """(items,) relevance of every item to one role, in [0, 1]; see the module docstring."""
    fam = side.fam_of[role_idx]
    own = np.maximum(side.fam_sim[fam], side.items @ np.asarray(role_vec, np.float32))
    other = np.where(side.best == fam, side.second, side.top)
    off = np.clip((other - own - EMB_LO) / (EMB_HI - EMB_LO), 0.0, 1.0)
    # Wording: the item uses another family's own words, none of the target's, and its text is
    # about as close to that family as to the target (corroboration: one shared word is no proof).
    near = (own - EMB_LO)[:, None] <= side.fam_sim.T  # (items, families)
    near[:, fam] = False
    worded = (side.uses & near).any(axis=1) & ~side.uses[:, fam]
    off = np.maximum(off, worded)
    out = (1.0 - off).astype(np.float32)
    out.setflags(write=False)
    return out


def item_relevance(st: State, role_idx: int) -> np.ndarray:
    """Relevance of every catalog item to role ``role_idx`` (read-only float32 array), cached per
    role on the catalog and invalidated when the item or role vectors change."""
    cat = st.catalog
    cached: Any = cat.__dict__.get("_relevance")
    if cached is None or cached[0] is not st.item_vecs or cached[1] is not st.role_vecs:
        if not len(cat.items) or not cat.n_roles:
            return np.ones(len(cat.items), np.float32)
        cached = (st.item_vecs, st.role_vecs, _item_side(cat, st.item_vecs, st.role_vecs), {})
        cat.__dict__["_relevance"] = cached
    per_role: dict[int, np.ndarray] = cached[3]
    rel = per_role.get(role_idx)
    if rel is None:
        rel = per_role[role_idx] = relevance_for_role(cached[2], st.role_vecs[role_idx], role_idx)
    return rel
