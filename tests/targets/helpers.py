"""Small HTTP helpers shared by the target-list tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.personas import page_csrf


def post_json(client: TestClient, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json=body or {}, headers={"X-CSRF-Token": page_csrf(client)})


def create(client: TestClient, rule: str, area: str = "33.06.01",
           institution_npsn: str | None = None, **params: str) -> int:
    response = post_json(client, "/api/sasaran", {"name": f"Daftar {rule}", "rule": rule,
                                                  "area_code": area,
                                                  "institution_npsn": institution_npsn,
                                                  "params": params})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def rows(client: TestClient, list_id: int, **query: Any) -> list[dict[str, Any]]:
    response = client.get(f"/api/sasaran/{list_id}", params={"per_page": 200, **query})
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


def names(client: TestClient, list_id: int, **query: Any) -> set[str]:
    return {row["name"] for row in rows(client, list_id, **query)}


def member_id(client: TestClient, list_id: int, name: str) -> int:
    return next(row["id"] for row in rows(client, list_id) if row["name"] == name)
