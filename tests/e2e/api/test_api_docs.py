"""docs/api.md must name every path of the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

DOC = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text()


def test_every_path_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    missing = [
        f"{m.upper()} {p}"
        for p, ops in paths.items()
        for m in ops
        if f"`{m.upper()} {p}" not in DOC
    ]
    assert not missing, f"undocumented in docs/api.md: {missing}"
