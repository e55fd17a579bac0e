"""Additive schema migration: columns added to a table after a store was created are added to it.

``metadata.create_all`` creates missing tables but never alters existing ones, so a store made by
an earlier release would lack new columns. Only additive changes are supported, and a new column
must be nullable or carry a ``server_default`` so that existing rows stay valid.
"""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, inspect
from sqlalchemy.schema import Column

__all__ = ["add_missing_columns"]


def _ddl(conn: Connection, column: Column) -> str:  # type: ignore[type-arg]
    kind = column.type.compile(dialect=conn.dialect)
    default = ""
    if column.server_default is not None:
        arg = column.server_default.arg  # type: ignore[attr-defined]
        default = f" DEFAULT {arg.text if hasattr(arg, 'text') else repr(str(arg))}"
    null = "" if column.nullable or column.server_default is None else " NOT NULL"
    return f"{conn.dialect.identifier_preparer.quote(column.name)} {kind}{default}{null}"


def add_missing_columns(conn: Connection, metadata: MetaData) -> list[str]:
    """ALTER TABLE ... ADD COLUMN for every column in ``metadata`` that the database lacks."""
    insp = inspect(conn)
    existing_tables = set(insp.get_table_names())
    added: list[str] = []
    for table in metadata.sorted_tables:
        if table.name not in existing_tables:
            continue
        have = {c["name"] for c in insp.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            if not column.nullable and column.server_default is None:
                raise RuntimeError(f"cannot add NOT NULL column {table.name}.{column.name} without a server default")
            quoted = conn.dialect.identifier_preparer.quote(table.name)
            conn.exec_driver_sql(f"ALTER TABLE {quoted} ADD COLUMN {_ddl(conn, column)}")
            added.append(f"{table.name}.{column.name}")
    return added
