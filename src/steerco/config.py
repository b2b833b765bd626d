"""Settings from the environment (STEERCO_*), with zero-setup defaults."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from steerco.domain.errors import ValidationError

DEFAULT_SECRET = "change-me-in-production"  # noqa: S105 - a marker, warned about below


def default_database_url() -> str:
    path = Path(user_data_path("steerco", appauthor=False)) / "steerco.db"
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STEERCO_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    import_max_bytes: int = 200 * 1024 * 1024
    import_max_depth: int = 64
    secret_key: str = DEFAULT_SECRET
    data_dir: Path | None = None
    # Tasks the per-process cache of computed schedules may hold (services/schedule_views.py;
    # about 1.7 KB each); 0 turns the cache off.
    view_cache_tasks: int = Field(default=50_000, ge=0)

    def warn_if_insecure(self) -> None:
        if self.secret_key == DEFAULT_SECRET:
            warnings.warn(
                "STEERCO_SECRET_KEY is not set: using a development secret; set it in production",
                stacklevel=2,
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings; a bad value is a one-line ValidationError naming its variable (the CLI
    prints it and exits 2) instead of pydantic's report."""
    try:
        return Settings()
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        name = "STEERCO_" + str(first["loc"][0]).upper() if first.get("loc") else "STEERCO_*"
        raise ValidationError(f"{name}: {first['msg']}") from None
