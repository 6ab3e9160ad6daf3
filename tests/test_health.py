def test_it_answers_with_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405
