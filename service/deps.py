"""Request-scoped dependencies shared by the route modules."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request, Response
from pydantic import BaseModel

from engine.api import Skillgraph
from engine.compact import to_json
from engine.errors import InvalidInput
from service.auth import Permission, Principal, require
from service.schemas import ID_PATTERN, Detail
from service.settings import Settings

__all__ = ["DetailQuery", "EngineDep", "auth", "check_limit", "id_path", "limit_query", "model_json", "result_json"]


def get_engine(request: Request) -> Skillgraph:
    return request.app.state.engine  # type: ignore[no-any-return]


EngineDep = Annotated[Skillgraph, Depends(get_engine)]


def auth(permission: Permission) -> object:
    """``Annotated`` type of a principal holding ``permission`` (see :func:`service.auth.require`)."""
    return Annotated[Principal, Depends(require(permission))]


def id_path(name: str, what: str) -> object:
    return Annotated[
        str, Path(alias=name, min_length=1, max_length=200, pattern=ID_PATTERN, description=f"{what} id",
                  examples=["E0042" if what == "employee" else "data-engineer"])
    ]


def limit_query(settings: Settings) -> object:
    return Annotated[int, Query(ge=1, le=settings.max_limit, description=f"at most {settings.max_limit}")]


def check_limit(settings: Settings, limit: int) -> None:
    if limit > settings.max_limit:
        raise InvalidInput(f"limit must be between 1 and {settings.max_limit}")


def model_json(model: BaseModel) -> Response:
    """Serialise an engine result straight to JSON bytes.

    Recommendation and shortlist payloads are large (tens of KB); pydantic's Rust serialiser is
    several times cheaper than FastAPI's re-validate-then-encode path. `response_model` on the
    route still documents the shape in OpenAPI.
    """
    return Response(model.model_dump_json(), media_type="application/json")


DetailQuery = Annotated[
    Detail, Query(description="compact (default): the top gaps with their best learning item; full: every gap, "
                              "every learning item, score parts")
]


def result_json(result: BaseModel, detail: str = "compact") -> Response:
    """A recommendation list, shortlist or routes as JSON at the requested detail (engine.compact)."""
    return Response(to_json(result, detail), media_type="application/json")
