"""Bearer API-key authentication and the role -> permission table.

    role        permissions
    admin       everything, including API keys
    hr          org data read/write + import, all recommendations, shortlists, similar roles,
                resolve, index status/rebuild, the mobility programme (succession, mentors,
                opportunities, analytics), shortlist overrides; never protected attributes
    recruiter   roles read, shortlists (candidates), similar roles, resolve, shortlist overrides
    employee    roles read; their own employee record, recommendations, routes, learning,
                mentors and opportunities
    auditor     the audit (decision log, impact ratios, disparities) and protected attributes;
                nothing else

401: no key, a malformed / unknown / revoked key. 403: a valid key without the permission, or an
employee key naming another employee (reads and writes alike).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from service.audit_context import bind_principal
from service.keys import ApiKey, KeyStore
from service.problems import Forbidden, RateLimited, Unauthorized
from service.ratelimit import RateLimiter

__all__ = ["ROLE_PERMISSIONS", "Authenticator", "Permission", "Principal", "require"]


class Permission(StrEnum):
    ORG_READ = "org:read"  # skills, learning items, employee lists
    ORG_WRITE = "org:write"  # PUT / DELETE any record, import
    ROLES_READ = "roles:read"
    EMPLOYEE_READ = "employee:read"  # one employee record (employee keys: their own)
    RECOMMEND = "recommend"  # recommendations, routes, learning (employee keys: their own)
    RECOMMEND_PROFILE = "recommend:profile"  # ad-hoc profiles
    SHORTLIST = "shortlist"
    SIMILAR = "similar"
    RESOLVE = "resolve"
    INDEX_READ = "index:read"
    INDEX_WRITE = "index:write"
    KEYS = "keys"
    PROGRAMME = "programme"  # succession slates, mobility analytics, programme records
    DEVELOPMENT = "development"  # mentors and opportunities for a person (employee keys: their own)
    OVERRIDE = "shortlist:override"  # record a human override of a shortlist
    AUDIT = "audit"  # decision log, impact audit, advancement disparities
    PROTECTED_READ = "protected:read"  # protected attributes (every read is logged)


OWN_ONLY = frozenset({Permission.EMPLOYEE_READ, Permission.RECOMMEND, Permission.DEVELOPMENT})
# Protected attributes and the audit are for admins and auditors only: hr runs the programme but
# never sees who is in which group.
AUDIT_ONLY = frozenset({Permission.AUDIT, Permission.PROTECTED_READ})

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "admin": frozenset(Permission),
    "hr": frozenset(Permission) - {Permission.KEYS} - AUDIT_ONLY,
    "recruiter": frozenset(
        {Permission.ROLES_READ, Permission.SHORTLIST, Permission.SIMILAR, Permission.RESOLVE, Permission.OVERRIDE}
    ),
    "employee": frozenset(
        {Permission.ROLES_READ, Permission.EMPLOYEE_READ, Permission.RECOMMEND, Permission.DEVELOPMENT}
    ),
    "auditor": AUDIT_ONLY,
}


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: str
    employee_id: str | None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())

    def ensure(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"a {self.role} key may not do this ({permission.value})")

    def ensure_employee(self, employee_id: str) -> None:
        """Employee keys reach only their own employee's data."""
        if self.role == "employee" and employee_id != self.employee_id:
            raise Forbidden("an employee key reaches only its own employee's data")


KEY_CACHE_SECONDS = 1.0  # a key revoked by another process is refused at most this much later
_KEY_CACHE_SIZE = 4096


class Authenticator:
    """Verifies keys against the store and applies the per-key rate limit; requests without a
    valid key are limited per client address (``anonymous``), so probing ends in 429s.

    A verified key is remembered for ``KEY_CACHE_SECONDS`` (by a hash of the token), so a
    client's burst of requests costs one SQL lookup, not one each; a revocation made through
    this process's :class:`KeyStore` clears the cache at once.
    """

    def __init__(
        self,
        keys: KeyStore,
        limiter: RateLimiter,
        anonymous: RateLimiter | None = None,
        data_version: Callable[[], object] | None = None,
    ) -> None:
        self.keys = keys
        self.limiter = limiter
        self.anonymous = anonymous
        self._cache: dict[bytes, tuple[float, ApiKey]] = {}
        # Any write this process has seen (an erasure revokes the person's keys) also clears it.
        self._data_version = data_version or (lambda: None)
        self._cache_rev: tuple[int, object] = (keys.revision, self._data_version())
        self._cache_lock = threading.Lock()

    def _verify(self, token: str) -> ApiKey | None:
        digest = hashlib.sha256(token.encode()).digest()
        now = time.monotonic()
        with self._cache_lock:
            rev = (self.keys.revision, self._data_version())
            if self._cache_rev != rev:
                self._cache.clear()
                self._cache_rev = rev
            hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1]
        key = self.keys.verify(token)
        if key is not None:
            with self._cache_lock:
                if len(self._cache) >= _KEY_CACHE_SIZE:
                    self._cache.clear()
                self._cache[digest] = (now + KEY_CACHE_SECONDS, key)
        return key

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise Unauthorized("missing API key: send 'Authorization: Bearer <key>'")
        key: ApiKey | None = self._verify(token)
        if key is None:
            raise Unauthorized("invalid or revoked API key")
        return Principal(key_id=key.id, role=key.role, employee_id=key.employee_id)

    def throttle_failure(self, client: str) -> None:
        """Count a request that failed authentication against its client address (429 when over).

        The address is the TCP peer, or what uvicorn's proxy-headers layer put there from
        X-Forwarded-For when the peer is a trusted proxy (FORWARDED_ALLOW_IPS): a client cannot
        pick its own bucket by sending the header.
        """
        if self.anonymous is None:
            return
        wait = self.anonymous.hit(client)
        if wait > 0:
            retry = self.anonymous.retry_after(wait)
            raise RateLimited(f"too many requests without a valid API key from this address; retry in {retry} s",
                              headers={"Retry-After": retry})

    def throttle(self, principal: Principal) -> None:
        wait = self.limiter.hit(principal.key_id)
        if wait > 0:
            retry = self.limiter.retry_after(wait)
            raise RateLimited(f"rate limit exceeded for key {principal.key_id}; retry in {retry} s",
                              headers={"Retry-After": retry})


bearer = HTTPBearer(auto_error=False, scheme_name="apiKey", description="`Authorization: Bearer sg_<id>_<secret>`")


def require(permission: Permission) -> Callable[..., object]:
    """Dependency: an authenticated, rate-limited principal holding ``permission``.

    For own-only permissions an employee key must match the ``employee_id`` path parameter.
    """

    async def dependency(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> Principal:
        auth: Authenticator = request.app.state.auth
        token = credentials.credentials if credentials else None
        try:
            principal = await run_in_threadpool(auth.authenticate, token)
        except Unauthorized:
            auth.throttle_failure(request.client.host if request.client else "-")
            raise
        request.state.key_id = principal.key_id
        bind_principal(request, principal)  # the decision log's actor (key id, never the secret)
        auth.throttle(principal)
        principal.ensure(permission)
        if permission in OWN_ONLY and "employee_id" in request.path_params:
            principal.ensure_employee(request.path_params["employee_id"])
        return principal

    dependency.__name__ = f"require_{permission.name.lower()}"
    return dependency
