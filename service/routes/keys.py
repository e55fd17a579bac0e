"""API key management (admin only)."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel

from engine.errors import Conflict, InvalidInput
from service.auth import Permission
from service.body import body_openapi, json_body
from service.deps import auth
from service.schemas import EmployeeKeyCreate, KeyCreate, KeyCreated, KeyOut, StaffKeyCreate
from service.settings import Settings

__all__ = ["router"]

KeyId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9]+$", description="key id")]


class KeyList(BaseModel):
    items: list[KeyOut]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["keys"])

    @r.post("/v1/keys", status_code=201, response_model=KeyCreated, summary="Create an API key",
            operation_id="create_key", openapi_extra=body_openapi(StaffKeyCreate, EmployeeKeyCreate))
    def create(request: Request, _: auth(Permission.KEYS),  # type: ignore[valid-type]
               body: Annotated[Any, Depends(json_body(KeyCreate))]) -> Any:
        keys = request.app.state.keys
        try:
            key_id, token = keys.create(body.role, employee_id=getattr(body, "employee_id", None))
        except InvalidInput as exc:  # well-formed, but the employee does not exist
            raise Conflict(str(exc)) from None
        return {**asdict(keys.get(key_id)), "key": token}

    @r.get("/v1/keys", response_model=KeyList, summary="List API keys (never their secrets)",
           operation_id="list_keys")
    def list_keys(request: Request, _: auth(Permission.KEYS)) -> Any:  # type: ignore[valid-type]
        return {"items": [asdict(k) for k in request.app.state.keys.list()]}

    @r.delete("/v1/keys/{key_id}", response_model=KeyOut, summary="Revoke an API key",
              operation_id="revoke_key")
    def revoke(key_id: KeyId, request: Request, _: auth(Permission.KEYS)) -> Any:  # type: ignore[valid-type]
        return asdict(request.app.state.keys.revoke(key_id))

    return r
