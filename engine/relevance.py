"""How well each learning item fits a target role: a relevance in [0, 1] per catalog item.

Learning plans are priced in hours and a gap is closed by any item that teaches the skill to the
level needed, so the cheapest closer is sometimes written for another occupation: a retail lead
learning Team Leadership in "Charge Nurse Academy", Workplace Safety in "Forklift Operator
Certification". An item is *off-domain* for a role (relevance 0) when it speaks another family's
language and not the role's; everything else (same-domain and generic items) has relevance 1:

* family words: a word used (almost) only by the roles of one family, in one of its titles ("forklift",
  "nurse") or in the descriptions of at least ``VOCAB_MIN_ROLES`` of its roles ("patient"), and
  not part of the name of a skill several families require ("people" of People Management,
  "customer" of Customer Service, "safety" of Workplace Safety belong to no one domain);
* a word's strength is the number of the family's roles using it; an item whose *title* uses
  another family's words more strongly than any of the target family's is off-domain (a title
  with no target-family word at all: "Charge Nurse Academy" for a store role); one whose
  description or provider does (words of at least VOCAB_MIN_ROLES roles) is off-domain when,
  in addition, that family is one of the two its text vector is closest to and its text vector
  (``engine.texts.learning_text``, centred on the catalog's mean item) is about as close
  (within ``NEAR``) to that family's centroid of role vectors as to the target family's centroid
  or the target role itself: the embedding corroborates the words.

The embedding lean alone is not used to penalise: measured on the demo catalog it marks a retail
course ("Customer Service Excellence") as customer-support and generic management courses as
People-family, and on small catalogs it is noise. Relevance is computed per role with one (items x
dim) product and a few boolean ops on first use, cached on the catalog (invalidated when the item
or role vectors change); a request pays a dict lookup. ``engine.learning.plan_learning`` turns it
into a price margin.
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

__all__ = ["NEAR", "VOCAB_MIN_ROLES", "VOCAB_SHARE", "family_words", "item_relevance", "relevance_for_role"]

NEAR = 0.10  # cosine slack within which an item's text counts as about as close to another family
VOCAB_MIN_ROLES = 2  # a family word not in its titles appears in at least this many of its roles
VOCAB_SHARE = 0.75  # ... and at least this share of the roles using it are the family's

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class _ItemSide:
    """What does not depend on the target role: computed once per catalog and vectors."""

    items: np.ndarray  # (items, dim) centred, unit item vectors
    fam_of: np.ndarray  # (roles,) family position of each role
    fam_sim: np.ndarray  # (families, items) cosine with each family's centroid of role vectors
    in_title: np.ndarray  # (items, families) strength of the family's words in the item's title
    in_text: np.ndarray  # (items, families) ... in its description or provider
    second: np.ndarray  # (items,) the item's second highest family cosine


def _words(text: str) -> set[str]:
    """Lower-case words of four letters or more, crudely singularised (nurses -> nurse)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if len(w) >= 4:
            out.add(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 4 else w)
    return out


def family_words(catalog: Catalog) -> dict[str, dict[str, int]]:
    """Each family's own words with the number of its roles using them. At least VOCAB_SHARE of
    the roles using the word are the family's ("nursing" is also in a clinical analyst's
    description); the word is in a title of the family ("forklift", "nurse") or in the texts of
    at least VOCAB_MIN_ROLES of its roles; words of skills that several families require are no
    domain's words ("people" of People Management, "customer" of Customer Service)."""
    fams_by_word: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    in_title: set[str] = set()
    skill_fams: dict[int, set[str]] = defaultdict(set)
    for r_idx, r in enumerate(catalog.roles):
        in_title |= _words(r.title)
        for w in _words(f"{r.title} {r.description}"):  # task statements included
            fams_by_word[w][r.family or ""] += 1
        cols, _, _ = catalog.requirement_rows(r_idx)
        for c in cols.tolist():
            skill_fams[c].add(r.family or "")
    shared = set()
    for c, fams in skill_fams.items():
        if len(fams) > 1:
            shared |= _words(catalog.skill_name(c))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for w, fams in fams_by_word.items():
        if w in shared:
            continue
        fam, n = max(fams.items(), key=lambda kv: (kv[1], kv[0]))
        if fam and n >= VOCAB_SHARE * sum(fams.values()) and (n >= VOCAB_MIN_ROLES or w in in_title):
            out[fam][w] = n
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
    vocab = family_words(catalog)
    in_title = np.zeros((len(iv), len(fams)), np.int32)
    in_text = np.zeros((len(iv), len(fams)), np.int32)
    for i, it in enumerate(catalog.items):
        title, text = _words(it.title), _words(f"{it.description} {it.provider}")
        for f, fam in enumerate(fams):
            words = vocab.get(fam)
            if words:
                in_title[i, f] = max((words[w] for w in title if w in words), default=0)
                # A word of a single role (a title's "supervisor") is evidence in titles only.
                in_text[i, f] = max((n for w in text if (n := words.get(w, 0)) >= VOCAB_MIN_ROLES), default=0)
    fam_sim = _unit(cent) @ items.T
    second = np.sort(fam_sim, axis=0)[-2] if len(fams) > 1 else fam_sim.min(axis=0)
    return _ItemSide(items, fam_of, fam_sim, in_title, in_text, second)


def relevance_for_role(side: _ItemSide, role_vec: np.ndarray, role_idx: int) -> np.ndarray:
    """(items,) relevance of every item to one role: 0 off-domain, 1 otherwise (see the module
    docstring); read-only float32."""
    fam = side.fam_of[role_idx]
    own = np.maximum(side.fam_sim[fam], side.items @ np.asarray(role_vec, np.float32))
    sim = side.fam_sim.T  # (items, families)
    near = ((own - NEAR)[:, None] <= sim) & (sim >= side.second[:, None])
    other = np.maximum(side.in_title, np.where(near, side.in_text, 0))
    other[:, fam] = 0
    off = other.max(axis=1) > np.maximum(side.in_title[:, fam], side.in_text[:, fam])
    out = (~off).astype(np.float32)
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
