"""`manage.py check --deploy` with the production settings is clean (warnings count as failures)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _run_check(extra_env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    # A database of its own: the shared db.sqlite3 may be locked by a dev server (model checks
    # then misreport "SQLite does not support JSONFields"). PostgreSQL runs keep their URL.
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        database_url = f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, **extra_env}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The root conftest sets this for Playwright's live server; production never has it
    # (check --deploy warns about it, rightly).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=unionportal.settings.production",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run_check({"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_check({"DJANGO_SECRET_KEY": ""}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
