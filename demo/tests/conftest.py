"""The demo, built once for every test in this package (it takes ~25 s).

Package scope: built when the first test here asks for it, inside one outer transaction rolled
back when the package's tests are done, so every other test still starts from an empty database
(each test's own transaction nests inside as a savepoint). Tests that need the demo belong here.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
