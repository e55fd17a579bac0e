"""The engine facade: one object the CLI, the HTTP app and tests all build.

    sg = Skillgraph(Config.resolve())
    sg.init(); sg.build_index()
    sg.recommend("E0042", limit=5, direction="up")

Derived state (vectors, FAISS indexes, matrices, role graph) is built from the store and kept in
memory; it follows the store version, so writes made here or by another process become visible
to the next query through an incremental refresh, never a full rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from engine.config import Config
from engine.errors import EmployeeNotFound, InvalidInput, NotReady, RoleNotFound
from engine.profile import Profile
from engine.results import Candidates, LearningPlan, Match, Recommendations, Routes
from engine.store import Entity, Store, UpsertResult

__all__ = ["Direction", "Skillgraph"]

Direction = str  # "up" | "lateral" | "any"
DIRECTIONS = ("up", "lateral", "any")


class Skillgraph:
    """Store + derived indexes + recommendation functions."""

    def __init__(self, config: Config | None = None, *, encoder: Any | None = None, store: Store | None = None) -> None:
        self.config = config or Config.resolve()
        self._store = store
        self._encoder = encoder
        self._state: Any | None = None
        self._lock = threading.RLock()

    # -- plumbing ---------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.config.db_url)
        return self._store

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from embeddings import Encoder

            self._encoder = Encoder(self.config.model)
        return self._encoder

    def init(self) -> Skillgraph:
        self.store.init()
        self.config.home.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def loaded_version(self) -> str | None:
        """The store version the in-memory state reflects (None before it is loaded)."""
        return getattr(self._state, "version", None)

    @property
    def ready(self) -> bool:
        return self._state is not None

    def build_index(self, *, progress: bool = False) -> Any:
        """Build or refresh every derived structure from the store; saves index files."""
        from engine.indexer import build_state

        with self._lock:
            self._state, report = build_state(
                self.store,
                self.encoder,
                self.config.home,
                progress=progress,
                hours_per_week=self.config.learning_hours_per_week,
            )
        return report

    def load(self) -> Skillgraph:
        """Load the saved snapshot (refreshing what is stale from the store); build it when missing."""
        if self._state is None and not self._load_snapshot():
            self.build_index()
        return self

    @property
    def has_saved_index(self) -> bool:
        from engine.snapshot import snapshot_version

        return snapshot_version(self.config.home) is not None

    def _load_snapshot(self) -> bool:
        """Adopt the home directory's snapshot; a stale one is refreshed and saved again, so the
        next process starts current. False when there is none usable."""
        from engine.indexer import save
        from engine.snapshot import load_snapshot

        with self._lock:
            if self._state is not None:
                return True
            st = load_snapshot(
                self.config.home,
                self.store.version(),
                encoder=self.encoder,
                hours_per_week=self.config.learning_hours_per_week,
            )
            if st is None:
                return False
            self._state = st
            if self.refresh():
                save(self._state)
            return True

    def state(self) -> Any:
        """The current derived state, synced with the store version (incremental).

        A new process loads the snapshot that `skillgraph index` saved (memory-mapped arrays, no
        model, nothing encoded); without one the engine is not ready.
        """
        if self._state is None and not self._load_snapshot():
            raise NotReady("indexes are not built yet: run `skillgraph index`")
        self.refresh()
        return self._state

    def refresh(self) -> bool:
        """Apply store writes made since the state was built. Returns True when something changed."""
        from engine.refresh import refresh_state

        if self._state is None:
            return False
        with self._lock:
            before = self._state.version
            self._state = refresh_state(self._state, self.store, self.encoder)
            return self._state.version != before

    def index_status(self) -> dict[str, Any]:
        st = self._state
        store_version = self.store.version()
        return {
            "ready": st is not None,
            "store_version": store_version,
            "index_version": getattr(st, "version", None),
            "stale": st is None or st.version != store_version,
            "counts": st.counts() if st is not None else {},
        }

    # -- the programme and the audit (own packages, one object each, built on first use) --------
    @property
    def programme(self) -> Any:
        """Succession, mentors, opportunities and mobility analytics (:mod:`engine.programme`)."""
        if "programme" not in self.__dict__:
            from engine.programme import Programme

            self.__dict__["programme"] = Programme(self)
        return self.__dict__["programme"]

    @property
    def audit(self) -> Any:
        """Decision log, impact audit and disparities (:mod:`engine.audit`)."""
        if "audit" not in self.__dict__:
            from engine.audit import Audit

            self.__dict__["audit"] = Audit(self)
        return self.__dict__["audit"]

    # -- writes -----------------------------------------------------------------------------------
    def upsert(self, records: Sequence[BaseModel]) -> UpsertResult:
        result = self.store.upsert(records)
        self.refresh()
        return result

    def delete(self, kind: Entity, id_: str) -> None:
        """Delete a record; an employee is erased from store, vectors, caches and the saved
        snapshot (re-saved at once: no file under the home directory names them afterwards)."""
        if kind == "employee":
            from engine.texts import employee_private_texts

            emp = self.store.get_employee(id_)
            self.store.delete(kind, id_)
            self.store.forget_texts(employee_private_texts(emp, self.encoder.model_id))
            if self._state is not None or self.has_saved_index:
                with self._lock:
                    try:
                        self.state()  # the refresh applies the erasure and re-saves the snapshot
                    except NotReady:  # an unusable snapshot may still name them: drop it
                        from engine.snapshot import remove_snapshot

                        remove_snapshot(self.config.home)
            return
        self.store.delete(kind, id_)
        self.refresh()

    # -- queries ----------------------------------------------------------------------------------
    def recommend(
        self, employee_id: str, *, limit: int = 10, direction: Direction = "any", include_step_down: bool = False
    ) -> Recommendations:
        """Next roles; ``any`` and ``lateral`` leave step-downs out unless ``include_step_down``."""
        from engine.recommender import recommend_for_employee

        _check_direction(direction)
        st = self.state()
        if employee_id not in st.people.index:
            raise EmployeeNotFound(employee_id)
        out = recommend_for_employee(
            st, employee_id, limit=limit, direction=direction, include_step_down=include_step_down
        )
        self.audit.log_recommendations(st, out, params={
            "limit": limit, "direction": direction, "include_step_down": include_step_down})
        return out

    def recommend_profile(
        self, profile: Profile, *, limit: int = 10, direction: Direction = "any", include_step_down: bool = False
    ) -> Recommendations:
        from engine.recommender import recommend_for_profile

        _check_direction(direction)
        st = self.state()
        if profile.role_id is not None and profile.role_id not in st.catalog.role_index:
            raise RoleNotFound(profile.role_id)
        out = recommend_for_profile(
            st, profile, self.encoder, limit=limit, direction=direction, include_step_down=include_step_down
        )
        self.audit.log_recommendations(st, out, profile=profile, params={
            "limit": limit, "direction": direction, "include_step_down": include_step_down,
            "profile_role_id": profile.role_id,
            "profile_skills": len(profile.skills)})  # the profile itself is not logged: it may be personal
        return out

    def routes(self, employee_id: str, role_id: str, *, alternatives: int = 3) -> Routes:
        from engine.routing import routes_for_employee

        st = self.state()
        self._check(st, employee_id=employee_id, role_id=role_id)
        if not 0 <= alternatives <= 10:
            raise InvalidInput("alternatives must be between 0 and 10")
        return routes_for_employee(st, employee_id, role_id, alternatives=alternatives)

    def learning(self, employee_id: str, role_id: str) -> LearningPlan:
        from engine.recommender import learning_for_employee

        st = self.state()
        self._check(st, employee_id=employee_id, role_id=role_id)
        return learning_for_employee(st, employee_id, role_id)

    def candidates(
        self,
        role_id: str,
        *,
        limit: int = 20,
        min_readiness: str | None = None,
        include_step_down: bool = False,
        moves: Sequence[str] | None = None,
        cursor: str | None = None,
    ) -> Candidates:
        """The shortlist: the natural pool (feeders, peers) first, step-downs only when asked;
        stable under ``limit``; ``next_cursor`` pages on."""
        from engine.shortlist import shortlist

        st = self.state()
        self._check(st, role_id=role_id)
        out = shortlist(st, role_id, limit=limit, min_readiness=min_readiness, include_step_down=include_step_down,
                        moves=moves, cursor=cursor)
        with_down = include_step_down or bool(moves and "step_down" in moves)
        self.audit.log_shortlist(st, role_id, out, include_step_down=with_down, params={
            "limit": limit, "min_readiness": min_readiness, "include_step_down": include_step_down,
            "moves": sorted(moves) if moves else None, "cursor": cursor})
        return out

    def bottlenecks(self, *, max_out: int = 1) -> list[Any]:
        """Advancement deserts: roles with at most `max_out` ways up or across (not counting the
        most senior role of each family, which has nowhere further to go by design)."""
        from graph import bottlenecks

        st = self.state()
        top = {}
        for r in st.catalog.roles:
            top[r.family] = max(top.get(r.family, r.level), r.level)
        return [
            b for b in bottlenecks(st.graph.G, max_out=max_out) if b.level is None or b.level < top.get(b.family, 0)
        ]

    def similar_roles(self, role_id: str, *, limit: int = 10) -> list[Match]:
        from engine.resolve import similar_roles

        st = self.state()
        self._check(st, role_id=role_id)
        return similar_roles(st, role_id, limit=limit)

    def resolve_skills(self, texts: Sequence[str], *, k: int = 5) -> list[list[Match]]:
        from engine.resolve import resolve_skills

        return resolve_skills(self.state(), self.encoder, texts, k=k)

    def resolve_titles(self, titles: Sequence[str], *, k: int = 5) -> list[list[Match]]:
        from engine.resolve import resolve_titles

        return resolve_titles(self.state(), self.encoder, titles, k=k)

    @staticmethod
    def _check(st: Any, *, employee_id: str | None = None, role_id: str | None = None) -> None:
        if employee_id is not None and employee_id not in st.people.index:
            raise EmployeeNotFound(employee_id)
        if role_id is not None and role_id not in st.catalog.role_index:
            raise RoleNotFound(role_id)


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise InvalidInput(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
