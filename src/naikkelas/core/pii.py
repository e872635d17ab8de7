"""Personal data at rest (UU 27/2022): encryption, blind index and masking.

NIK and phone numbers are encrypted with Fernet under NAIKKELAS_PII_KEY and looked up
through an HMAC-SHA256 blind index under NAIKKELAS_INDEX_KEY. Neither key is SECRET_KEY,
so leaking the session secret does not expose the registry. When the keys are not set
(demo, development) they are generated once into VAR_DIR and reused.
"""

import base64
import hashlib
import hmac
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _key_from_file(name: str) -> bytes:
    path = Path(settings.VAR_DIR) / "keys" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_bytes().strip()


@cache
def _fernet() -> Fernet:
    key = settings.NAIKKELAS_PII_KEY.encode() or _key_from_file("pii.key")
    return Fernet(key)


@cache
def _index_key() -> bytes:
    key = settings.NAIKKELAS_INDEX_KEY.encode() or _key_from_file("index.key")
    return base64.urlsafe_b64decode(key) if len(key) == 44 else key


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A record written under another key is unreadable, not a crash of the page.
        return ""


def blind_index(value: str) -> str:
    if not value:
        return ""
    return hmac.new(_index_key(), value.encode(), hashlib.sha256).hexdigest()


def mask_nik(nik: str) -> str:
    return "*" * (len(nik) - 4) + nik[-4:] if nik else ""


def mask_phone(e164: str) -> str:
    """+6281234561234 -> 08*******1234: the local form people recognise, mostly hidden."""
    if not e164:
        return ""
    local = "0" + e164[3:] if e164.startswith("+62") else e164
    return local[:2] + "*" * max(len(local) - 6, 0) + local[-4:]
