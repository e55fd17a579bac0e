"""Role wording similarity (TF-IDF over title, description and task statements)."""

from __future__ import annotations

import numpy as np

from engine.models import Role
from engine.title_match import compose_description
from engine.wording import role_term_matrix, wording_similarity


def _role(id_: str, title: str, desc: str, tasks: list[str]) -> Role:
    return Role(id=id_, title=title, description=compose_description(desc, tasks))


def test_roles_sharing_uncommon_words_are_closest() -> None:
    roles = [
        _role(
            "rn", "Registered Nurse", "Cares for patients.", ["Dress wounds and remove sutures.", "Give medication."]
        ),
        _role("lpn", "Licensed Practical Nurse", "Basic care for patients.", ["Dress wounds.", "Take vital signs."]),
        _role("acct", "Accountant", "Keeps the books.", ["Reconcile the general ledger.", "Prepare tax returns."]),
    ]
    terms = role_term_matrix(roles)
    sim = wording_similarity(terms, 0)
    assert sim[0] == np.float32(sim.max()) and abs(float(sim[0]) - 1.0) < 1e-5
    assert sim[1] > sim[2]  # the nurses share "nurse", "wounds", "patients"; the accountant shares nothing rare
    assert np.all((sim >= 0) & (sim <= 1 + 1e-6))


def test_task_statements_are_read_and_the_marker_is_not() -> None:
    a = _role("a", "Alpha", "One.", ["Remove sutures."])
    b = _role("b", "Beta", "Two.", ["Remove sutures."])
    c = _role("c", "Gamma", "Three.", ["Audit ledgers."])
    sim = wording_similarity(role_term_matrix([a, b, c]), 0)
    assert sim[1] > 0.3  # only their task statements overlap
    assert sim[2] == 0.0  # the "Tasks:" marker every role carries is not a shared word


def test_no_words_gives_zero_similarity_not_an_error() -> None:
    roles = [Role(id="a", title="!!"), Role(id="b", title="??")]
    terms = role_term_matrix(roles)
    assert terms.shape == (2, 0)
    assert wording_similarity(terms, 1).tolist() == [0.0, 0.0]
