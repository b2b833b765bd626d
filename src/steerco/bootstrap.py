"""The composition root: settings, database engine, unit of work and services meet here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from steerco.config import Settings, get_settings
from steerco.domain import ValidationError
from steerco.services.ports import UnitOfWorkFactory
from steerco.services.schedule_views import VIEWS
from steerco.storage import migrate
from steerco.storage.db import make_engine
from steerco.storage.uow import SqlUnitOfWorkFactory


@dataclass
class App:
    """Everything an adapter (CLI, API, web) needs, built once per process."""

    settings: Settings

    @cached_property
    def engine(self):  # type: ignore[no-untyped-def]  # SQLAlchemy's Engine stays inside storage
        return make_engine(self.settings.database_url)

    @cached_property
    def uow(self) -> UnitOfWorkFactory:
        if migrate.current(self.settings.database_url) is None:
            raise ValidationError(
                f"no steerco database at {self.settings.database_url}: run `steerco init` first"
            )
        return SqlUnitOfWorkFactory(self.engine)

    def migrate(self) -> str | None:
        migrate.upgrade(self.settings.database_url)
        return migrate.current(self.settings.database_url)

    def backup(self, path: Path) -> None:
        from steerco.storage import backup as backup_module  # only for backup and restore

        backup_module.backup(self.settings.database_url, path)

    def restore(self, path: Path) -> dict[str, int]:
        from steerco.storage import backup as backup_module

        self.dispose()
        return backup_module.restore(self.settings.database_url, path)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
            del self.__dict__["engine"]
            self.__dict__.pop("uow", None)


def build(settings: Settings | None = None) -> App:
    app = App(settings or get_settings())
    # The cache is per process, as the settings are: the last app built sets its bound.
    VIEWS.resize(app.settings.view_cache_tasks)
    return app
