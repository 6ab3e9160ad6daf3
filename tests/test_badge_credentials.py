"""An earned badge as an Open Badges 3.0 credential: downloaded by its holder only, verified by
the site's public page and, with the published key, by openbadgeslib's OB 3.0 verifier (not
ours), and refused once tampered with or no longer held."""

import base64
import hashlib
import json
import re

import pytest
from jwcrypto import jwk
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier

from codedrill.attempts.models import Badge

pytestmark = pytest.mark.usefixtures("published_for_module")


@pytest.fixture
def badge(learner, pattern, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the site's badge key
    return Badge.objects.create(learner=learner, pattern=pattern)


def claims_of(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def tampered(token: str, **vc) -> str:
    header, _body, signature = token.split(".")
    claims = {**claims_of(token), **vc}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join([header, body, signature])


def download(client, badge) -> str:
    answer = client.get(f"/badges/{badge.uuid}/credential")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="async-django-badge.jwt"'
    return answer.content.decode()


def test_a_holder_downloads_a_credential_anyone_can_verify(client, learner, badge, tmp_path):
    client.force_login(learner)
    assert f"/badges/{badge.uuid}/credential" in client.get("/badges/").content.decode()
    token = download(client, badge)

    vc = claims_of(token)
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in vc["@context"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"] == f"urn:uuid:{badge.uuid}"
    assert vc["credentialSubject"]["achievement"]["name"] == "Async Django Mastery"
    assert learner.email not in json.dumps(vc)  # nothing personal in the clear
    assert not re.search(rf"\b{learner.username}\b", json.dumps(vc))
    [holder] = vc["credentialSubject"]["identifier"]
    salted = (learner.email + holder["salt"]).encode()
    assert holder["identityHash"] == "sha256$" + hashlib.sha256(salted).hexdigest()
    assert (tmp_path / "badge-key.pem").stat().st_mode & 0o777 == 0o600

    # Anyone can check it elsewhere, with the published key and an OB 3.0 verifier.
    keys = jwk.JWKSet.from_json(client.get("/badges/issuer-key.json").content)
    verifier = OB3Verifier(keys.get_key("badge-key-1").export_to_pem())
    checked = verifier.verify(token)
    assert (checked.name, checked.issuer.id) == ("Async Django Mastery", "http://testserver/")
    with pytest.raises(OB3VerificationError, match="Invalid signature"):
        verifier.verify(tampered(token, name="Expert of Everything"))

    client.logout()  # the verification page is public
    valid = client.post("/badges/verify/", {"credential": token})
    assert valid.status_code == 200
    assert "Valid: this credential was issued by this site" in valid.content.decode()


def test_a_tampered_or_foreign_credential_is_refused(client, learner, badge):
    client.force_login(learner)
    token = download(client, badge)
    for forged in [
        tampered(token, name="Expert of Everything"),
        token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
        "not.a.credential",
        "",
    ]:
        refused = client.post("/badges/verify/", {"credential": forged})
        assert refused.status_code == 400
        assert "Refused: not a credential signed by this site" in refused.content.decode()

    learner.delete()  # the account is gone: its credential no longer stands
    refused = client.post("/badges/verify/", {"credential": token})
    assert refused.status_code == 400
    assert "no longer held" in refused.content.decode()


def test_only_the_holder_downloads_it(client, badge, other_learner):
    assert client.get(f"/badges/{badge.uuid}/credential").status_code == 404
    client.force_login(other_learner)
    assert client.get(f"/badges/{badge.uuid}/credential").status_code == 404
