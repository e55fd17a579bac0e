"""Ad-hoc profiles: "what if I were this person" queries without a stored employee."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from engine.models import Level

__all__ = ["Profile", "ProfileSkill"]


class ProfileSkill(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skill: str = Field(min_length=1, max_length=200, description="skill id, name or alias")
    level: Level


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role_id: str | None = Field(default=None, max_length=200)
    skills: list[ProfileSkill] = Field(default_factory=list, max_length=200)
    interests: str = Field(default="", max_length=2000)
