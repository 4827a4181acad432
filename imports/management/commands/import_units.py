"""python manage.py import_units FILE [--dry-run] [--user USERNAME]: see members/imports/command.py."""

from imports.command import ImportCommand


class Command(ImportCommand):
    kind = "units"
