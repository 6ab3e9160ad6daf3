"""codedrill's own signing keys as an LTI tool: RSA (LTI 1.3 signs with RS256), kept as PEM
files in DATA_DIR/lti-keys, generated on first need and rotated by `codedrill lti-rotate-key`.

The newest key signs; the one before it stays published at /lti/jwks/ after a rotation, so a
platform that cached the key set, or holds a token signed a moment ago, still verifies it."""

import json
import os
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from jwcrypto.jwk import JWK

KEPT = 2  # the signing key and the one it replaced


def _folder() -> Path:
    folder = settings.DATA_DIR / "lti-keys"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _files() -> list[Path]:
    """Oldest first: names start with the creation time."""
    return sorted(_folder().glob("*.pem"))


def _write_new() -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = _folder() / f"{time.time_ns():020d}.pem"
    # O_EXCL and mode 0600: a private key readable by nobody else, never overwritten.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return path


def signing_key() -> tuple[str, str]:
    """(private PEM, public PEM) of the key that signs, generated on first need. Two processes
    starting together may each write one; both then sign with the newer, and both are
    published until the next rotation."""
    files = _files() or [_write_new()]
    private = files[-1].read_text()
    return private, _public_pem(private)


def rotate() -> str:
    """A new signing key; keys older than the one it replaces are deleted. Returns its kid."""
    signing_key()  # a first rotation keeps the key platforms already know
    new = _write_new()
    for old in _files()[:-KEPT]:
        old.unlink()
    return _jwk(new.read_text())["kid"]


def jwks() -> dict:
    """The public keys platforms verify codedrill's messages with."""
    signing_key()
    return {"keys": [_jwk(path.read_text()) for path in _files()]}


def _public_pem(private_pem: str) -> str:
    return JWK.from_pem(private_pem.encode()).export_to_pem().decode()


def _jwk(private_pem: str) -> dict:
    """The public JWK, its kid the RFC 7638 thumbprint (what PyLTI1p3 puts in its headers)."""
    public = JWK.from_pem(_public_pem(private_pem).encode())
    return {**json.loads(public.export_public()), "alg": "RS256", "use": "sig"}
