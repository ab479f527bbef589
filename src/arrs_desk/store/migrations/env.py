"""Alembic environment: runs against the connection ARRS Desk hands over, or a URL for developers."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from arrs_desk.store import models  # noqa: F401  (registers every table on the metadata)
from sqlmodel import SQLModel

target_metadata = SQLModel.metadata
config = context.config


def run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.begin() as conn:
        run(conn)
