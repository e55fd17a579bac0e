"""Verified keys are remembered briefly (one SQL lookup per burst), never past a revocation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import update
from svc_harness import make_svc

from engine.store import tables as t
from service import auth
from service.keys import KeyStore


def test_a_burst_costs_one_key_lookup_and_revocation_applies_at_once(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with make_svc(tmp_path) as svc:
        calls = []
        real = KeyStore.verify

        def counting(self, token):  # type: ignore[no-untyped-def]
            calls.append(token)
            return real(self, token)

        monkeypatch.setattr(KeyStore, "verify", counting)
        for _ in range(5):
            assert svc.get("/v1/roles", who="hr").status_code == 200
        assert len(calls) == 1
        key_id = svc.key_ids["hr"]
        assert svc.delete(f"/v1/keys/{key_id}").status_code == 200
        assert svc.get("/v1/roles", who="hr").status_code == 401  # same process: no grace period


def test_a_key_revoked_elsewhere_is_refused_once_the_cache_expires(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "KEY_CACHE_SECONDS", 0.2)
    with make_svc(tmp_path) as svc:
        assert svc.get("/v1/roles", who="recruiter").status_code == 200
        with svc.engine.store.engine.begin() as conn:  # another process revokes it in the store
            conn.execute(update(t.api_keys).where(t.api_keys.c.id == svc.key_ids["recruiter"])
                         .values(revoked_at="2026-01-01T00:00:00+00:00"))
        time.sleep(0.3)
        assert svc.get("/v1/roles", who="recruiter").status_code == 401
