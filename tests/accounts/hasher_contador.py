"""A real password hasher for tests that counts how many times it hashes: Django's MD5 hasher (the suite's),
with every hash it computes counted (checking a password computes one, so does storing one, and so does the
dummy hash Django computes for an unknown user). Put first in PASSWORD_HASHERS, it hashes every password the
server checks, so a test sees whether an answer cost a hash."""

from __future__ import annotations

from django.contrib.auth.hashers import MD5PasswordHasher


class HasherContador(MD5PasswordHasher):
    hashes = 0  # a class attribute: Django builds hashers per settings change and the live server is a thread

    def encode(self, password: str, salt: str) -> str:  # verify() hashes through here too
        type(self).hashes += 1
        return super().encode(password, salt)
