"""Create a local administrator on the first development run and print its password once."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Used by `make run`; refuses to run outside development."""

    help = "Create the local development administrator if no superuser exists yet."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if settings.DJANGO_ENV != "development":
            raise CommandError(
                "create_dev_admin only runs with DJANGO_ENV=development; in production "
                "create staff accounts with `manage.py createsuperuser`."
            )
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(15)
        port = os.environ.get("PORT", "8000")
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nCreated a local administrator for http://127.0.0.1:{port}/admin/\n"
                f"  username: {username}\n  password: {password}\n"
                "This password is shown only once; change it with "
                f"`manage.py changepassword {username}`.\n"
            )
        )
