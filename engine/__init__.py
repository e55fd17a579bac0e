"""skillgraph engine: domain model, store, scoring and the `Skillgraph` facade.

    from engine import Config, Skillgraph
    sg = Skillgraph(Config.resolve()).init()
    sg.build_index()
    sg.recommend("E0001", direction="up")

Importing it connects to nothing and loads no model.
"""

from engine.api import Skillgraph
from engine.config import Config
from engine.errors import (
    ConfigError,
    Conflict,
    EmployeeNotFound,
    InvalidInput,
    NotFound,
    NotReady,
    RoleNotFound,
    SkillgraphError,
)
from engine.profile import Profile

__all__ = [
    "Config",
    "ConfigError",
    "Conflict",
    "EmployeeNotFound",
    "InvalidInput",
    "NotFound",
    "NotReady",
    "Profile",
    "RoleNotFound",
    "Skillgraph",
    "SkillgraphError",
]
