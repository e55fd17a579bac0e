"""SQL schema (SQLAlchemy Core). Protected attributes sit in their own table that scoring never reads."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

ID = 200

meta = Table(
    "sg_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

# Every parent row carries the store version of its last write and a hash of its content,
# so index builds can fetch only what changed and re-imports of equal data write nothing.
skills = Table(
    "sg_skills",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("category", String(100)),
    Column("parent_id", String(ID)),
    Column("external_code", String(200)),
    Column("description", Text, nullable=False, default=""),
    Column("aliases", Text, nullable=False, default="[]"),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)

roles = Table(
    "sg_roles",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("family", String(200), nullable=False),
    Column("level", Integer, nullable=False),
    Column("track", String(20)),
    Column("description", Text, nullable=False, default=""),
    Column("open_positions", Integer, nullable=False, default=0),
    Column("critical", Integer, server_default="0"),  # 0/1; nullable so older stores gain it
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)

role_requirements = Table(
    "sg_role_requirements",
    metadata,
    Column("role_id", String(ID), ForeignKey("sg_roles.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", String(ID), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("weight", Float, nullable=False),
)

role_next = Table(
    "sg_role_next",
    metadata,
    Column("role_id", String(ID), ForeignKey("sg_roles.id", ondelete="CASCADE"), primary_key=True),
    Column("next_role_id", String(ID), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)

employees = Table(
    "sg_employees",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("display_name", String(300), nullable=False),
    Column("role_id", String(ID)),
    Column("months_in_role", Integer, nullable=False, default=0),
    Column("interests", Text, nullable=False, default=""),
    Column("mobility", Text, nullable=False, default="{}"),
    # The mobility programme's fields (nullable: stores made before them gain them on init).
    Column("manager_id", String(ID)),
    Column("team", String(200)),
    Column("hired_at", String(10)),
    Column("mentor_capacity", Integer, server_default="0"),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)

employee_skills = Table(
    "sg_employee_skills",
    metadata,
    Column("employee_id", String(ID), ForeignKey("sg_employees.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", String(ID), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("source", String(50), nullable=False, default="self"),
    Column("updated_at", String(40)),
)

employee_protected = Table(
    "sg_employee_protected",
    metadata,
    Column("employee_id", String(ID), ForeignKey("sg_employees.id", ondelete="CASCADE"), primary_key=True),
    Column("sex", String(50)),
    Column("race_ethnicity", String(100)),
    Column("age_band", String(50)),
)

learning_items = Table(
    "sg_learning_items",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("provider", String(200), nullable=False),
    Column("format", String(40), nullable=False),
    Column("hours", Float, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)

learning_skills = Table(
    "sg_learning_skills",
    metadata,
    Column("item_id", String(ID), ForeignKey("sg_learning_items.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", String(ID), primary_key=True),
    Column("to_level", Integer, nullable=False),
)

transitions = Table(
    "sg_transitions",
    metadata,
    Column("id", String(700), primary_key=True),
    Column("from_role_id", String(ID), nullable=False),
    Column("to_role_id", String(ID), nullable=False),
    Column("date", String(10)),
    Column("employee_id", String(ID)),
    Column("from_team", String(200)),
    Column("from_manager_id", String(ID)),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)

# Deletions since a version: lets an incremental index build drop vectors of deleted rows.
deletions = Table(
    "sg_deletions",
    metadata,
    Column("entity", String(40), primary_key=True),
    Column("id", String(700), primary_key=True),
    Column("version", Integer, nullable=False),
)

embedding_cache = Table(
    "sg_embedding_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("model_id", String(200), nullable=False),
    Column("vector", LargeBinary, nullable=False),
)

api_keys = Table(
    "sg_api_keys",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("hash", String(128), nullable=False),
    Column("role", String(20), nullable=False),
    Column("employee_id", String(ID)),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
)

Index("ix_sg_employees_role", employees.c.role_id)
Index("ix_sg_employees_version", employees.c.version)
Index("ix_sg_employees_manager", employees.c.manager_id)
Index("ix_sg_transitions_employee", transitions.c.employee_id)
Index("ix_sg_deletions_version", deletions.c.version)
Index("ix_sg_employee_skills_skill", employee_skills.c.skill_id)
