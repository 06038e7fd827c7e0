"""Tokens, passwords and join codes. One helper each; nothing secret is stored in the clear."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache
from importlib import resources
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_LENGTH = 6
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A fixed hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash("samenspraak-timing-equaliser")


def new_token() -> str:
    """A bearer secret: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def new_id() -> str:
    return secrets.token_hex(8)


class TokenHasher:
    """Keyed hash (HMAC-SHA256) of bearer secrets: a stolen database alone cannot check tokens."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def __call__(self, token: str) -> str:
        return hmac.new(self._key, token.encode(), hashlib.sha256).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


MIN_PASSWORD_LENGTH = 12
PasswordProblem = Literal["too_short", "common"]


class WeakPassword(ValueError):
    """A staff password that `password_problem` refuses; `reason` says why."""

    def __init__(self, reason: PasswordProblem) -> None:
        super().__init__(reason)
        self.reason: PasswordProblem = reason


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list (data/common-passwords.txt), lower case; "# " lines are comments."""
    text = resources.files("samenspraak").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.lower() for line in text.splitlines() if line and not line.startswith("# ")
    )


def password_problem(password: str) -> PasswordProblem | None:
    """Why a new staff password is refused, or None: at least 12 characters, and not on the
    list of common passwords (compared ignoring case)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if password.lower() in common_passwords():
        return "common"
    return None


def check_password(password: str) -> None:
    """Raise WeakPassword when `password_problem` finds one."""
    problem = password_problem(password)
    if problem is not None:
        raise WeakPassword(problem)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def normalise_join_code(raw: str) -> str | None:
    code = raw.strip().upper()
    if len(code) != JOIN_LENGTH or any(ch not in JOIN_ALPHABET for ch in code):
        return None
    return code


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
