"""Testing: in-memory mail, a cheap password hash, no rate limits unless a test turns them on."""

from config.default import DefaultConfig


class TestingConfig(DefaultConfig):
    TESTING = True
    # Tests set SHOP_DATABASE_URL (or SHOP_TEST_DATABASE_URL) to their own database.
    DATABASE_URL = "sqlite://"
    MAIL_BACKEND = "locmem"
    # argon2 stays (tests check the hash), but with tiny costs so the suite stays fast.
    SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS = {
        "argon2__rounds": 1,
        "argon2__memory_cost": 64,
        "argon2__parallelism": 1,
    }
    RATELIMIT_ENABLED = False
    SERVER_NAME = None
