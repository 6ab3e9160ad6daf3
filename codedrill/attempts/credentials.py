"""Badges as Open Badges 3.0 credentials: W3C Verifiable Credentials that a learner downloads
and anyone can check, signed by the site with an Ed25519 key as a JWT (OB 3.0's JWT proof
format, signed and verified by PyJWT). The key is made once in DATA_DIR/badge-key.pem; its
public half is published at /badges/issuer-key.json.

What a credential says about its holder: the badge, when it was earned, and their email (or
username) salted and hashed, never in the clear; only its holder can download it."""

import hashlib
import json
import os
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from jwt.algorithms import OKPAlgorithm

from codedrill.attempts.models import Badge

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
KEY_ID = "badge-key-1"


class Refused(Exception):
    """A credential that is not one this site issued, or no longer holds."""


def _key() -> Ed25519PrivateKey:
    path = settings.DATA_DIR / "badge-key.pem"
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # O_EXCL: two processes starting together keep one key; mode 0600: the site's alone.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_jwks() -> dict:
    jwk = json.loads(OKPAlgorithm.to_jwk(_key().public_key()))
    return {"keys": [{**jwk, "kid": KEY_ID, "alg": "EdDSA", "use": "sig"}]}


def credential(badge: Badge, site: str) -> dict:
    """The Open Badges 3.0 credential of an earned badge; `site` is the site's root URL."""
    pattern = badge.pattern
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{badge.uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": site, "type": ["Profile"], "name": "codedrill", "url": site},
        "validFrom": badge.earned_at.isoformat(),
        "name": pattern.badge,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [_hashed_identity(badge)],
            "achievement": {
                "id": f"{site}patterns/{pattern.slug}/challenge/",
                "type": ["Achievement"],
                "name": pattern.badge,
                "description": f"Earned in “{pattern.title}” on codedrill.",
                "criteria": {
                    "narrative": "Every problem of the pattern's Challenge answered right, each "
                    "within its two minutes and two attempts, as codedrill's server timed them."
                },
            },
        },
    }


def _hashed_identity(badge: Badge) -> dict:
    """Who holds it, salted and hashed (OB 3.0's IdentityObject): its holder can show it is
    theirs by giving their email (or username) and the salt, and nobody can read it off."""
    learner = badge.learner
    kind, value = (
        ("emailAddress", learner.email) if learner.email else ("identifier", learner.username)
    )
    salt = hashlib.sha256(f"{settings.SECRET_KEY}/{badge.uuid}".encode()).hexdigest()[:16]
    digest = hashlib.sha256(f"{value.lower()}{salt}".encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": kind,
        "hashed": True,
        "salt": salt,
    }


def issue(badge: Badge, site: str) -> str:
    """The signed credential, as a compact JWS (application/vc+jwt)."""
    vc = credential(badge, site)
    # OB 3.0's native VC-JWT: the payload is the credential itself, with the registered
    # claims that repeat its issuer, id and start.
    claims = {**vc, "iss": site, "jti": vc["id"], "nbf": int(badge.earned_at.timestamp())}
    headers = {"kid": KEY_ID, "typ": "JWT"}
    return jwt.encode(claims, _key(), algorithm="EdDSA", headers=headers)


def verify(token: str) -> tuple[dict, Badge]:
    """The credential inside `token` and its badge, if this site signed it and the badge is
    still held; otherwise Refused, saying why."""
    try:
        claims = jwt.decode(
            token.strip(),
            _key().public_key(),
            algorithms=["EdDSA"],
            options={"require": ["iss", "jti", "nbf"]},
        )
    except jwt.InvalidTokenError as error:
        raise Refused(f"not a credential signed by this site ({error})") from error
    vc = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf")}
    if vc.get("id") != claims["jti"]:
        raise Refused("its credential does not match its signed id")
    try:
        public_id = uuid.UUID(str(claims["jti"]).removeprefix("urn:uuid:"))
    except ValueError as error:
        raise Refused("its id is not one this site gives") from error
    badge = Badge.objects.filter(uuid=public_id).select_related("pattern").first()
    if badge is None:
        raise Refused("the badge is no longer held (its account was deleted)")
    return vc, badge
