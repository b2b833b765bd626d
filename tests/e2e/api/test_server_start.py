"""What the app does when it starts: objects alive then leave the cyclic collector's scans."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient


def test_objects_alive_at_start_are_frozen(client: TestClient) -> None:
    # Full collections then walk only what requests leave behind, not the ~150,000 objects
    # of the code itself (engine.gcpause.freeze_long_lived); once per process.
    assert gc.get_freeze_count() > 10_000
    assert client.get("/api/v1/projects").status_code == 200
