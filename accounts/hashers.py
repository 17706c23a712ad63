"""How capturista passwords are stored."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's recommended parameters (Password Storage Cheat Sheet: 19 MiB, 2 passes, 1 lane).

    Memory-hard, so it resists GPU cracking better than PBKDF2, and it costs the server about 30 ms of CPU per
    login instead of PBKDF2's 0.4 s (bench/load): on the filing deadline, when everyone logs in within the same
    hours, logins no longer take the CPU every page needs. Django's own Argon2 parameters (100 MiB, 8 lanes)
    would cost about 0.26 s. The algorithm name stays "argon2": Django's hasher verifies these hashes too, and
    a hash made with other parameters is rewritten with these at its next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
