"""Settings for the test suite: production settings with test-only secrets.

DATABASE_URL and CACHE_URL pass through, so `DATABASE_URL=postgres://... make test`
runs the same suite on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ["CANTHO_TESTING"] = "1"

from cantho.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
# Serve static files from the app folders as DEBUG would, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The anonymous page cache is off for the suite, so the pinned query counts measure the rendering;
# tests/cache/ turns it on (PAGE_CACHE=1 in the environment turns it on for every test).
PAGE_CACHE = env_bool("PAGE_CACHE", False)  # noqa: F405
if "versions" in CACHES:  # noqa: F405
    # One process: the local-memory cache can hold the content version too (no files in /tmp).
    del CACHES["versions"]  # noqa: F405
    PAGE_CACHE_VERSION_CACHE = "default"
