"""Test settings: fast hashing, the immediate task backend, everything else as production-like."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "test-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]

# Several test runs may share one PostgreSQL server: each may pick its own test database name.
if os.environ.get("UNIONPORTAL_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["UNIONPORTAL_TEST_DB_NAME"]}  # noqa: F405

# Static files straight from static/ (no collectstatic in tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Benchmark commands (bench_import, bench_export, bench_dashboard): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.apps.BenchmarksConfig"]

# The first three indicators only: the further ones (grassroots.indicators.CATALOGUE) are
# declared by the tests that test them, so that every other test's pinned query counts and
# columns stay those of the three-indicator pages. UNIONPORTAL_TEST_INDICATORS=all runs the
# tests with every indicator in use, as the portal runs by default (base settings).
UNIONPORTAL_INDICATORS = None if os.environ.get("UNIONPORTAL_TEST_INDICATORS") == "all" else ()
