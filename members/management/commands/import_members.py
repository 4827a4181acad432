"""python manage.py import_members FILE [--dry-run] [--user USERNAME]: see members/imports/command.py."""

from members.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "members"
