"""The `madoguchi` console command: Django's management commands under one name.

`madoguchi demo`, `serve`, `navigate`, `packet` and every other management command.
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["madoguchi", *args])


if __name__ == "__main__":
    main()
