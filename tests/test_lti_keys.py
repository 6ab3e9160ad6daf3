"""codedrill's LTI signing keys: made once in the data folder, published at /lti/jwks/, and
rotated by `codedrill lti-rotate-key` without dropping the key platforms know."""

import io

from django.core.management import call_command


def kids(client) -> list[str]:
    answer = client.get("/lti/jwks/")
    assert answer.status_code == 200
    keys = answer.json()["keys"]
    assert all(k["kty"] == "RSA" and k["alg"] == "RS256" and "d" not in k for k in keys)
    return [k["kid"] for k in keys]


def test_it_makes_one_key_and_rotates_keeping_the_previous(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    [first] = kids(client)
    assert kids(client) == [first]  # made once, then kept
    [pem] = (tmp_path / "lti-keys").iterdir()
    assert pem.stat().st_mode & 0o777 == 0o600

    out = io.StringIO()
    call_command("lti_rotate_key", stdout=out)
    second = kids(client)
    assert second[0] == first and len(second) == 2
    assert second[1] in out.getvalue()

    call_command("lti_rotate_key", stdout=out)
    assert kids(client)[0] == second[1]  # the oldest is gone, the replaced one stays
    assert len(kids(client)) == 2
