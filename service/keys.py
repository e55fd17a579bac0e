"""API keys: ``sg_<id>_<secret>``; only a SHA-256 of the secret is stored.

Secrets are 256 random bits, so a fast hash is enough (no password stretching needed); the stored
hash is compared in constant time. Keys are revoked, never edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal, get_args

from sqlalchemy import insert, select, update

from engine.errors import InvalidInput, NotFound
from engine.store import Store
from engine.store import tables as t

__all__ = ["ROLES", "ApiKey", "KeyNotFound", "KeyStore", "Role"]

Role = Literal["admin", "hr", "recruiter", "employee", "auditor"]
ROLES: tuple[str, ...] = get_args(Role)
PREFIX = "sg"
_DUMMY_HASH = hashlib.sha256(b"no such key").hexdigest()
_revocations = [0]


def _revoked() -> None:
    _revocations[0] += 1


class KeyNotFound(NotFound):
    kind = "API key"


@dataclass(frozen=True)
class ApiKey:
    id: str
    role: str
    employee_id: str | None
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def split_token(token: str) -> tuple[str, str] | None:
    """``sg_<id>_<secret>`` -> (id, secret); None when the shape is wrong."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    if len(parts[1]) > 40 or len(token) > 200:
        return None
    return parts[1], parts[2]


class KeyStore:
    """Create, list, revoke and verify API keys in the store's ``sg_api_keys`` table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def revision(self) -> int:
        """Bumped by every revocation in this process (any KeyStore): verified-key caches drop
        their entries when it moves."""
        return _revocations[0]

    def create(self, role: str, employee_id: str | None = None) -> tuple[str, str]:
        """A new key: returns (key id, full secret token). The token is not recoverable later."""
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if role == "employee":
            if not employee_id:
                raise InvalidInput("an employee key needs an employee id (--employee ID)")
            if not self._employee_exists(employee_id):
                raise InvalidInput(f"unknown employee {employee_id!r}")
        elif employee_id:
            raise InvalidInput(f"only employee keys are bound to an employee (role {role!r} given)")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        with self.store.engine.begin() as conn:
            conn.execute(
                insert(t.api_keys),
                [{"id": key_id, "hash": _digest(secret), "role": role, "employee_id": employee_id,
                  "created_at": _now(), "revoked_at": None}],
            )
        return key_id, f"{PREFIX}_{key_id}_{secret}"

    def _employee_exists(self, employee_id: str) -> bool:
        with self.store.engine.connect() as conn:
            return conn.execute(select(t.employees.c.id).where(t.employees.c.id == employee_id)).first() is not None

    def list(self) -> list[ApiKey]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(t.api_keys).order_by(t.api_keys.c.created_at, t.api_keys.c.id)).all()
        return [_key(r) for r in rows]

    def get(self, key_id: str) -> ApiKey:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).first()
        if row is None:
            raise KeyNotFound(key_id)
        return _key(row)

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key (idempotent: a revoked key keeps its first revocation time)."""
        key = self.get(key_id)
        if key.revoked_at is None:
            with self.store.engine.begin() as conn:
                conn.execute(update(t.api_keys).where(t.api_keys.c.id == key_id).values(revoked_at=_now()))
            _revoked()
            key = self.get(key_id)
        return key

    def revoke_for_employee(self, employee_id: str) -> int:
        """Revoke every active key bound to an employee (used when the person is erased)."""
        c = t.api_keys.c
        with self.store.engine.begin() as conn:
            res = conn.execute(
                update(t.api_keys).where(c.employee_id == employee_id, c.revoked_at.is_(None)).values(revoked_at=_now())
            )
        _revoked()
        return int(res.rowcount or 0)

    def verify(self, token: str) -> ApiKey | None:
        """The active key for a bearer token, or None (unknown, malformed, wrong secret or revoked)."""
        parts = split_token(token)
        key_id, secret = parts if parts else ("", "")
        row = None
        if parts:
            with self.store.engine.connect() as conn:
                row = conn.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).first()
        stored = row.hash if row is not None else _DUMMY_HASH
        ok = hmac.compare_digest(stored, _digest(secret))
        if row is None or not ok or row.revoked_at is not None:
            return None
        return _key(row)


def _key(row: object) -> ApiKey:
    return ApiKey(
        id=row.id,  # type: ignore[attr-defined]
        role=row.role,  # type: ignore[attr-defined]
        employee_id=row.employee_id,  # type: ignore[attr-defined]
        created_at=row.created_at,  # type: ignore[attr-defined]
        revoked_at=row.revoked_at,  # type: ignore[attr-defined]
    )
