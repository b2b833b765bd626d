"""steerco: self-hosted IT project management."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata costs a tenth of a second of CLI startup.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("steerco")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+local"
    raise AttributeError(f"module 'steerco' has no attribute {name!r}")
