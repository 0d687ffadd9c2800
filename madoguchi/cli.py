"""The `madoguchi` console command: Django's management commands under one name.

`madoguchi demo`, `serve`, `navigate`, `packet` and every other management command, and
`madoguchi card-bridge`, the counter PC's card-reader bridge (lib/cardbridge.py), which runs
without Django: the counter PC has no settings or database of its own.
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

    execute_from_command_line(["madoguchi", *args])


if __name__ == "__main__":
    main()
