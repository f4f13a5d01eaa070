"""First start of a production site: the root unit and the first system administrator.

    manage.py init_site --root-code BNCTW --root-name "Ban Nội chính Trung ương" \\
        --admin-username quantri --admin-name "Nguyễn Văn A"

The password comes from NOICHINH_ADMIN_PASSWORD or is asked for. Refuses if units exist.
"""

import datetime as dt
import getpass
import os
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from noichinh.accounts.models import RoleAssignment, User
from noichinh.core.audit import audit_change
from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create
from noichinh.units.choices import UnitKind
from noichinh.units.models import Unit
from noichinh.units.services import unit_create


class Command(BaseCommand):
    help = "Create the root unit and the first system administrator of an empty site."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--root-code", default="BNCTW")
        parser.add_argument("--root-name", default="Ban Nội chính Trung ương")
        parser.add_argument("--since", default="2013-01-01", help="The root's effective date.")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if Unit.objects.exists():
            raise CommandError("Units already exist: init_site is only for an empty site.")
        if User.objects.filter(username=options["admin_username"]).exists():
            raise CommandError(f"User {options['admin_username']} already exists.")
        password = os.environ.get("NOICHINH_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        try:
            password_validation.validate_password(password)
            since = dt.date.fromisoformat(options["since"])
        except (ValidationError, ValueError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        with transaction.atomic():
            root = unit_create(
                user=SYSTEM,
                parent=None,
                code=options["root_code"],
                name=options["root_name"],
                kind=UnitKind.CENTRAL,
                valid_from=since,
            )
            admin = User(
                username=options["admin_username"], full_name=options["admin_name"], home_unit=root
            )
            admin.set_password(password)
            admin.save()
            audit_change(user=SYSTEM, instance=admin, before=None, message="init_site")
            object_create(
                user=SYSTEM,
                instance=RoleAssignment(
                    user=admin, unit=root, role=Role.SYSTEM_ADMIN, valid_from=since
                ),
            )
        self.stdout.write(f"Created {root} and system administrator {admin.username}.")
