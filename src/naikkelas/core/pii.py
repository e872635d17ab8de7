"""Personal data at rest (UU 27/2022): encryption, blind index and masking.

NIK and phone numbers are encrypted under NAIKKELAS_PII_KEY and looked up through an
HMAC-SHA256 blind index under NAIKKELAS_INDEX_KEY. Neither key is SECRET_KEY, so leaking
the session secret does not expose the registry. When the keys are not set (demo,
development) they are generated once into VAR_DIR and reused.

Values are encrypted with AES-256-GCM (a random 96-bit nonce per value), written as
`g1:` and the URL-safe base64 of nonce and ciphertext. It replaced Fernet because an
import encrypts two values per row and Fernet costs about 35 us a value (HMAC, padding,
base64 of a timestamped token) against about 3 us; GCM authenticates as Fernet does.
Tokens written earlier with Fernet still decrypt: they never contain a colon. The GCM
key is derived from the same NAIKKELAS_PII_KEY, so no key changes on upgrade.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

GCM_PREFIX = "g1:"
# What a stored token looks like (the plaintext scan skips these): a GCM token, or a
# Fernet token written before it.
TOKEN = re.compile(r"g1:[A-Za-z0-9_-]{40,}={0,2}|gAAAAA[A-Za-z0-9_-]{50,}={0,2}")


def _key_from_file(name: str) -> bytes:
    path = Path(settings.VAR_DIR) / "keys" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_bytes().strip()


def _pii_key() -> bytes:
    return settings.NAIKKELAS_PII_KEY.encode() or _key_from_file("pii.key")


@cache
def _fernet() -> Fernet:
    """Only to read tokens written before GCM."""
    return Fernet(_pii_key())


@cache
def _gcm() -> AESGCM:
    # A key of its own for GCM, so that the Fernet key's halves are never used by a
    # second algorithm.
    derived = hmac.new(_pii_key(), b"naikkelas pii aes-256-gcm", hashlib.sha256).digest()
    return AESGCM(derived)


@cache
def _index_key() -> bytes:
    key = settings.NAIKKELAS_INDEX_KEY.encode() or _key_from_file("index.key")
    return base64.urlsafe_b64decode(key) if len(key) == 44 else key


def encrypt(value: str) -> str:
    if not value:
        return ""
    nonce = os.urandom(12)
    sealed = _gcm().encrypt(nonce, value.encode(), None)
    return GCM_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        if token.startswith(GCM_PREFIX):
            sealed = base64.urlsafe_b64decode(token[len(GCM_PREFIX) :])
            return _gcm().decrypt(sealed[:12], sealed[12:], None).decode()
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, InvalidTag, binascii.Error, ValueError):
        # A record written under another key is unreadable, not a crash of the page.
        return ""


@cache
def _index_hmac() -> "hmac.HMAC":
    # Keyed once; each value copies it, which halves the cost of hmac.new per value.
    return hmac.new(_index_key(), digestmod=hashlib.sha256)


def blind_index(value: str) -> str:
    if not value:
        return ""
    keyed = _index_hmac().copy()
    keyed.update(value.encode())
    return keyed.hexdigest()


def mask_nik(nik: str) -> str:
    return "*" * (len(nik) - 4) + nik[-4:] if nik else ""


def mask_phone(e164: str) -> str:
    """+6281234561234 -> 08*******1234: the local form people recognise, mostly hidden."""
    if not e164:
        return ""
    local = "0" + e164[3:] if e164.startswith("+62") else e164
    return local[:2] + "*" * max(len(local) - 6, 0) + local[-4:]


def forget_keys() -> None:
    """Drop the keys read so far, so the next value uses the keys configured now (a key
    rotation, or a test that swaps keys)."""
    for cached in (_fernet, _gcm, _index_key, _index_hmac):
        cached.cache_clear()
