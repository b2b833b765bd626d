"""Every table steerco stores, whichever module defines its rows.

Row classes live in `schema.py` and in area modules named `*_schema.py` (accounts, ...),
all on `schema.Base`. A table only joins the metadata once its module is imported, so
migrations, `migrate.check` and backups go through `all_tables()`: otherwise what they see
would depend on what the process happened to import first.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

import steerco.storage as package
from steerco.storage.schema import Base


def metadata() -> MetaData:
    for module in pkgutil.iter_modules(package.__path__):
        if module.name == "schema" or module.name.endswith("_schema"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    return Base.metadata
