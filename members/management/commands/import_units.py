"""python manage.py import_units FILE [--dry-run] [--user USERNAME]: see members/imports/command.py."""

from members.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "units"
