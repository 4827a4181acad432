"""python manage.py import_members FILE [--dry-run] [--user USERNAME]: see members/imports/command.py."""

from imports.command import ImportCommand


class Command(ImportCommand):
    kind = "members"
