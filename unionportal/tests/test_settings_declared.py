"""Every setting is declared in one place and documented: each environment variable the settings
read appears in .env.example and in the README's configuration table, and no code reads a
setting with a hidden default (`getattr(settings, NAME, default)`)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|os\.getenv|env_bool|env_list)\(?\s*["']([A-Z0-9_]+)["']"""
)


def _variables() -> set[str]:
    names = set()
    for path in (ROOT / "unionportal" / "settings").glob("*.py"):
        names.update(READS.findall(path.read_text()))
    return names


def test_the_settings_read_the_environment_variables_we_expect():
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "UNIONPORTAL_UPLOAD_MAX_BYTES"} <= _variables()


def test_every_environment_variable_is_in_env_example_and_the_readme():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"^([A-Z0-9_]+)=", example, re.MULTILINE))
    assert _variables() - listed == set()
    assert {name for name in _variables() if f"`{name}`" not in readme} == set()


def test_no_setting_is_read_with_a_hidden_default():
    hidden = []
    for room in (
        "unionportal",
        "grassroots",
        "members",
        "imports",
        "reports",
        "organising",
        "demo",
        "benchmarks",
    ):
        for path in (ROOT / room).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"getattr\(\s*settings\s*,", line):
                    hidden.append(f"{path.relative_to(ROOT)}:{number}")
    assert hidden == []
