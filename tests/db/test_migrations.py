"""The schema comes only from migrations: they must match the models, and go down and up."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from jemput import db, migrate
from jemput.models_registry import import_all_models


def test_models_and_migrations_do_not_drift(migrated_database):
    import_all_models()
    with db.get_engine(migrated_database).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.Base.metadata)
    assert differences == []


def test_migrations_downgrade_to_nothing_and_back(fresh_database_url):
    # On a database of its own (SQLite file or PostgreSQL database, as the run's backend):
    # the shared test database stays untouched.
    url = fresh_database_url
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(url)
    assert "residents" in inspect(engine).get_table_names()
    engine.dispose()


def test_the_unused_school_students_table_is_dropped_and_comes_back_on_downgrade(
        fresh_database_url):
    # Rosters (jemput.rosters) replaced it; nothing writes or reads it any more.
    from alembic.script import ScriptDirectory

    url = fresh_database_url
    migrate.upgrade(url)
    engine = create_engine(url)
    assert "school_students" not in inspect(engine).get_table_names()
    before = ScriptDirectory.from_config(migrate.alembic_config(url)).get_revision("0019")
    assert before is not None
    migrate.downgrade(url, str(before.down_revision))
    inspector = inspect(engine)
    assert "school_students" in inspector.get_table_names()
    assert {index["name"] for index in inspector.get_indexes("school_students")} == {
        "ix_school_students_school_id", "ix_school_students_nik"}
    migrate.upgrade(url)
    assert "school_students" not in inspect(engine).get_table_names()
    engine.dispose()
