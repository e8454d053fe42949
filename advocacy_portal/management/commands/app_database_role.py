"""`python manage.py app_database_role NAME`: the PostgreSQL role the running portal should log in as.

Migrations run as the owner of the tables; web, workers and beat connect as this role, which may
read and write every table of the portal except the ledger and its hash chain, where it may only
INSERT and SELECT: UPDATE, DELETE and TRUNCATE are refused by permission, before any trigger.
Idempotent: run it again after each `migrate` (new tables are also covered by default privileges).
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from incentives.models import LedgerEntry, LedgerLink

APPEND_ONLY_MODELS = (LedgerEntry, LedgerLink)


class Command(BaseCommand):
    help = "Create or update the application's PostgreSQL role: full rights, except INSERT/SELECT only on the ledger."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Role name, e.g. advocacy_app.")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="Environment variable holding the role's password (never on the command line). "
            "Without it the role has no password (for peer or certificate authentication).",
        )

    def handle(self, *args, name: str, password_env: str | None, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The application role is a PostgreSQL feature; DATABASE_URL is not PostgreSQL.")
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty or unset.")
        quote = connection.ops.quote_name
        role = quote(name)
        append_only = ", ".join(quote(model._meta.db_table) for model in APPEND_ONLY_MODELS)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
            cursor.execute(f"{verb} ROLE {role} {attributes}")
            if password is not None:
                cursor.execute(f"ALTER ROLE {role} PASSWORD %s", [password])
            for statement in (
                f"GRANT CONNECT, TEMPORARY ON DATABASE {quote(connection.settings_dict['NAME'])} TO {role}",
                f"GRANT USAGE ON SCHEMA public TO {role}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
                # Tables and sequences that later migrations create (run as this same owner).
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {append_only} FROM {role}",
            ):
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(f"Role {name} ready: ")
            + "INSERT and SELECT only on "
            + ", ".join(model._meta.db_table for model in APPEND_ONLY_MODELS)
            + "; read and write elsewhere. Point the portal's DATABASE_URL at it; run migrations as the owner."
        )
