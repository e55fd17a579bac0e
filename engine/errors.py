"""Exception tree of the engine. Each error carries the HTTP status the service maps it to.

SkillgraphError
├── NotFound                 404  (EmployeeNotFound, RoleNotFound, SkillNotFound, ...)
├── InvalidInput             422  bad records, unknown references, out-of-range values
├── Conflict                 409
├── NotReady                 503  indexes not built yet
└── ConfigError              500  bad configuration (store URL, model path)
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "Conflict",
    "EmployeeNotFound",
    "InvalidInput",
    "LearningItemNotFound",
    "NotFound",
    "NotReady",
    "RoleNotFound",
    "SkillNotFound",
    "SkillgraphError",
]


class SkillgraphError(Exception):
    status: int = 500
    title: str = "Internal error"


class NotFound(SkillgraphError):
    status = 404
    title = "Not found"
    kind = "resource"

    def __init__(self, id_: str, message: str | None = None) -> None:
        self.id = id_
        super().__init__(message or f"{self.kind} {id_!r} not found")


class EmployeeNotFound(NotFound):
    kind = "employee"


class RoleNotFound(NotFound):
    kind = "role"


class SkillNotFound(NotFound):
    kind = "skill"


class LearningItemNotFound(NotFound):
    kind = "learning item"


class InvalidInput(SkillgraphError):
    status = 422
    title = "Invalid input"


class Conflict(SkillgraphError):
    status = 409
    title = "Conflict"


class NotReady(SkillgraphError):
    status = 503
    title = "Not ready"


class ConfigError(SkillgraphError):
    status = 500
    title = "Configuration error"
