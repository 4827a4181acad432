"""python manage.py import_enterprises FILE [--dry-run] [--user USERNAME]: see imports/command.py
and imports/kinds/enterprises.py."""

from imports.command import ImportCommand


class Command(ImportCommand):
    kind = "enterprises"
