"""The `madoguchi` console command: Django's management commands under one name.

`madoguchi demo`, `serve`, `navigate`, `packet` and every other management command, and
`madoguchi card-bridge`, the counter PC's card-reader bridge (lib/cardbridge.py), which runs
without Django: the counter PC has no settings or database of its own.
`madoguchi --tenant CODE COMMAND …` runs the command for one municipality of a shared
deployment (tenants.scope); without it a command works on the default tenant, and the
background ones (handoff, remote_due, preentry_purge, audit verify) on every tenant in turn.
"""

import os
import sys


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["card-bridge"]:
        from lib import cardbridge

        sys.exit(cardbridge.main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    from django.core.management import execute_from_command_line

    tenant = os.environ.get("MADOGUCHI_TENANT") or None
    if args[:1] == ["--tenant"] and len(args) > 1:
        tenant, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--tenant="):
        tenant, args = args[0].partition("=")[2], args[1:]
    if tenant:
        from tenants import scope

        scope.activate(tenant)
    execute_from_command_line(["madoguchi", *args])


if __name__ == "__main__":
    main()
