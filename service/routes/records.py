"""Sync endpoints: PUT / GET / DELETE one record and paged collections, for every entity kind."""

# No `from __future__ import annotations` here: FastAPI must see the closure-built types.

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ValidationError

from engine.errors import Conflict, InvalidInput
from engine.models import Employee, LearningItem, Mentorship, Opening, Opportunity, OpportunityAssignment, Role, Skill
from engine.store import Entity
from service.auth import Permission
from service.body import body_openapi, json_body, validation_errors
from service.deps import EngineDep, auth, id_path, limit_query
from service.schemas import (
    AssignmentIn,
    EmployeeIn,
    EmployeeOut,
    LearningItemIn,
    MentorshipIn,
    OpeningIn,
    OpportunityIn,
    RoleIn,
    SkillIn,
)
from service.settings import Settings

__all__ = ["decode_cursor", "encode_cursor", "router"]

CURSOR = Query(
    min_length=2, max_length=400, pattern=r"^(?:[0-9a-f]{2})+$",
    description="opaque: the `next_cursor` of the previous page",
)


def encode_cursor(last_id: str) -> str:
    return last_id.encode().hex()


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        return bytes.fromhex(cursor).decode("utf-8", errors="replace")
    except ValueError:
        raise InvalidInput("invalid cursor") from None


@dataclass(frozen=True)
class Kind:
    entity: Entity
    path: str  # collection path
    param: str  # path parameter name
    label: str  # for docs and tags
    model: type[BaseModel]  # domain model
    model_in: type[BaseModel]  # write schema (id optional)
    model_out: type[BaseModel]  # what responses show
    read_one: Permission
    read_many: Permission
    plural: str = ""  # when not label + "s"


KINDS = (
    Kind("skill", "/v1/skills", "skill_id", "skill", Skill, SkillIn, Skill, Permission.ORG_READ, Permission.ORG_READ),
    Kind("role", "/v1/roles", "role_id", "role", Role, RoleIn, Role, Permission.ROLES_READ, Permission.ROLES_READ),
    Kind("employee", "/v1/employees", "employee_id", "employee", Employee, EmployeeIn, EmployeeOut,
         Permission.EMPLOYEE_READ, Permission.ORG_READ),
    Kind("learning_item", "/v1/learning-items", "item_id", "learning item", LearningItem, LearningItemIn,
         LearningItem, Permission.ORG_READ, Permission.ORG_READ),
    # The mobility programme: hr/admin read; anyone developing themselves (employee keys) browses opportunities.
    Kind("opening", "/v1/openings", "opening_id", "opening", Opening, OpeningIn, Opening,
         Permission.PROGRAMME, Permission.PROGRAMME),
    Kind("opportunity", "/v1/opportunities", "opportunity_id", "opportunity", Opportunity, OpportunityIn,
         Opportunity, Permission.DEVELOPMENT, Permission.DEVELOPMENT, "opportunities"),
    Kind("opportunity_assignment", "/v1/opportunity-assignments", "assignment_id", "assignment",
         OpportunityAssignment, AssignmentIn, OpportunityAssignment, Permission.PROGRAMME, Permission.PROGRAMME),
    Kind("mentorship", "/v1/mentorships", "mentorship_id", "mentorship", Mentorship, MentorshipIn, Mentorship,
         Permission.PROGRAMME, Permission.PROGRAMME),
)


def _a(label: str) -> str:
    return f"an {label}" if label[0] in "aeiou" else f"a {label}"


def _out(kind: Kind, record: BaseModel) -> dict[str, Any]:
    # Protected attributes never leave through HTTP (EmployeeOut has no such field either).
    data = record.model_dump(mode="json", exclude={"protected"})
    return kind.model_out.model_validate(data).model_dump(mode="json")


def _add(router: APIRouter, settings: Settings, kind: Kind) -> None:
    IdPath = id_path(kind.param, kind.entity.split("_")[0])
    Limit = limit_query(settings)
    page_size = min(50, settings.max_limit)
    ModelIn = kind.model_in
    ModelOut = kind.model_out
    item_path = f"{kind.path}/{{{kind.param}}}"
    tag = kind.plural or kind.label + "s"
    page_model = type(f"{kind.model.__name__}Page", (BaseModel,), {
        "__annotations__": {"items": list[ModelOut], "next_cursor": str | None},  # type: ignore[valid-type]
        "__module__": __name__,
        "__doc__": f"A page of {tag} ordered by id.",
    })

    @router.put(
        item_path, response_model=ModelOut, openapi_extra=body_openapi(ModelIn), tags=[tag],
        summary=f"Create or replace {_a(kind.label)}",
        description="An employee written without `protected` keeps the stored protected attributes; "
        "`DELETE .../protected` clears them." if kind.entity == "employee" else None,
        responses={201: {"model": ModelOut, "description": f"{kind.label} created"},
                   200: {"description": f"{kind.label} replaced (or unchanged)"}},
        operation_id=f"put_{kind.entity}",
    )
    def put_record(
        id_: IdPath, _: auth(Permission.ORG_WRITE),  # type: ignore[valid-type]
        body: Annotated[Any, Depends(json_body(ModelIn))], engine: EngineDep, response: Response,
    ) -> Any:
        if body.id is not None and body.id != id_:  # type: ignore[attr-defined]
            raise InvalidInput(f"body id {body.id!r} does not match the path id {id_!r}")  # type: ignore[attr-defined]
        data = body.model_dump(exclude={"id"}, exclude_unset=True)  # type: ignore[attr-defined]
        try:
            record = kind.model.model_validate({**data, "id": id_})
        except ValidationError as exc:  # cross-field checks of the domain model
            raise validation_errors(exc, "body") from None
        try:
            result = engine.upsert([record])
        except InvalidInput as exc:
            # The record is well formed but names records that do not exist: a state conflict.
            raise Conflict(str(exc)) from None
        response.status_code = 201 if result.created else 200
        return _out(kind, record)

    @router.get(item_path, response_model=ModelOut, tags=[tag], summary=f"Get {_a(kind.label)}",
                operation_id=f"get_{kind.entity}")
    def get_record(id_: IdPath, _: auth(kind.read_one), engine: EngineDep) -> Any:  # type: ignore[valid-type]
        return _out(kind, engine.store.get(kind.entity, id_))

    @router.delete(item_path, status_code=204, tags=[tag], summary=f"Delete {_a(kind.label)}",
                   description="Employees are erased: store rows, vectors, caches and their API keys."
                   if kind.entity == "employee" else "Refused (409) while other records reference it.",
                   operation_id=f"delete_{kind.entity}", response_class=Response)
    def delete_record(id_: IdPath, _: auth(Permission.ORG_WRITE), engine: EngineDep,  # type: ignore[valid-type]
                      request: Request) -> Response:
        engine.delete(kind.entity, id_)
        if kind.entity == "employee":
            request.app.state.keys.revoke_for_employee(id_)
        return Response(status_code=204)

    if kind.entity == "employee":

        @router.delete(
            f"{item_path}/protected", status_code=204, tags=[tag], response_class=Response,
            summary="Clear an employee's protected attributes", operation_id="delete_employee_protected",
            description="A PUT or an import without `protected` keeps the stored attributes (GET never "
            "shows them); this is the explicit way to erase them. 204 whether or not there were any.",
        )
        def delete_protected(id_: IdPath, _: auth(Permission.ORG_WRITE), engine: EngineDep) -> Response:  # type: ignore[valid-type]
            if engine.store.clear_protected(id_):
                engine.refresh()
            return Response(status_code=204)

    @router.get(kind.path, response_model=page_model, tags=[tag], summary=f"List {tag}",
                operation_id=f"list_{kind.entity}")
    def list_records(
        _: auth(kind.read_many), engine: EngineDep,  # type: ignore[valid-type]
        limit: Limit = page_size, cursor: Annotated[str | None, CURSOR] = None,  # type: ignore[valid-type]
    ) -> Any:
        after = decode_cursor(cursor)
        rows = engine.store.list(kind.entity, limit=limit + 1, after=after)
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].id) if more and rows else None  # type: ignore[attr-defined]
        return {"items": [_out(kind, r) for r in rows], "next_cursor": next_cursor}


def router(settings: Settings) -> APIRouter:
    r = APIRouter()
    for kind in KINDS:
        _add(r, settings, kind)
    return r
