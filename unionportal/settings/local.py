"""Local development: the embedded SQLite default, debug on unless DJANGO_DEBUG says otherwise."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "local-development-key-not-for-production"

# Static files straight from static/ (no collectstatic needed for `make run`).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Benchmark commands (bench_import, bench_export, bench_dashboard): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.apps.BenchmarksConfig"]
