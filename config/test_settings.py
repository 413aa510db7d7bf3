"""Settings for the test suite: the real settings, with test-only speedups
that change no behaviour a user meets."""

import os

os.environ.setdefault("XIESHANG_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

from config.settings import *  # noqa: F403
from config.settings import DATABASES, VAR_DIR

# Argon2 with production cost makes every test user slow to create; the
# hasher choice itself is tested in accounts/tests.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SMS_BACKEND = "xieshang.core.sms.MemorySmsBackend"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Users get Chinese by default (config/settings.py); the suite reads its
# assertions in the source language. The tests of the default language itself
# switch back with override_settings(LANGUAGE_CODE=production LANGUAGE_CODE),
# and scripts/i18n.py check makes sure every string has its translation.
LANGUAGE_CODE = "en"

# WhiteNoise warns about a missing STATIC_ROOT; tests serve from the finders.
(VAR_DIR / "static").mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Look a static file up when it is asked for, instead of listing every file
# of every finder each time the middleware is built: each test Client builds
# its own, and the listing cost about 50 ms per client.
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file per test run (xdist gives every run its own id, and pytest-django
    # suffixes it per worker), so concurrent runs on one checkout never share it.
    _run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or f"p{os.getpid()}"
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_run}.sqlite3")}
