"""Role wording: TF-IDF over the words a role is described in (title, description, task statements).

Two roles whose texts share uncommon words ("sutures", "ledger", "forklift") are often real
neighbours where sentence embeddings blur them. On O*NET related occupations (dev, Primary-Short)
this lexical similarity alone reaches recall@10 0.66 against 0.72 for the embedding role vectors,
and the two disagree enough that a 0.3 share of it in the role similarity lifts the recommendation
path (see ``engine.scoring``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from engine.models import Role

__all__ = ["role_term_matrix", "wording_similarity"]


def role_term_matrix(roles: Sequence[Role]) -> sp.csr_matrix:
    """(n_roles, vocabulary) TF-IDF rows, L2-normalised; no columns when the roles have no words."""
    # Index builds only: scikit-learn takes ~1.5 s to import, which a next-role request never pays.
    from sklearn.feature_extraction.text import TfidfVectorizer

    from engine.title_match import split_description

    docs = []
    for r in roles:
        plain, tasks = split_description(r.description)
        docs.append(" ".join([r.title, plain, *tasks]))
    try:
        # sublinear tf: a word repeated across many task statements should not swamp the rest
        return TfidfVectorizer(sublinear_tf=True, dtype=np.float32).fit_transform(docs).tocsr()
    except ValueError:  # empty vocabulary (no roles, or only stop-word-free punctuation)
        return sp.csr_matrix((len(docs), 0), dtype=np.float32)


def wording_similarity(terms: sp.csr_matrix, row: int) -> np.ndarray:
    """Cosine of role ``row``'s wording with every role's (one sparse mat-vec), in [0, 1]."""
    if terms.shape[1] == 0:
        return np.zeros(terms.shape[0], np.float32)
    # sparse x dense vector: 0.14 ms on the O*NET catalog, against 0.9 ms for sparse x sparse
    return np.asarray(terms @ terms[row].toarray().ravel(), dtype=np.float32)
