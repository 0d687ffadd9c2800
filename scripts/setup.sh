#!/usr/bin/env bash
# Set up everything Madoguchi needs on a Debian machine that has only Python 3.
# Idempotent: a second run only checks and reuses what exists.
#   scripts/setup.sh        what `make demo` needs (fonts, venv; htmx comes with the venv)
#   scripts/setup.sh --dev  also what `make test` and `make bench` need (Chromium, poppler, pango)
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- system packages (Debian) -------------------------------------------------
# IPAmj明朝 prints the MJ characters and their Moji_Joho IVS; IPAex carries Adobe-Japan1
# glyphs; gettext compiles the Japanese interface; poppler's pdftoppm shows a blank form's
# page in the field designer (htmx is a static file of the django-htmx pip package);
# espeak-ng speaks the call display's announcements offline (queues/speech.py).
# pyscard (the My Number card reader, counter/card.py) has no Linux wheel: pip builds it
# with gcc against libpcsclite-dev's headers; pcscd is the PC/SC service that talks to the
# USB reader at run time (without it the counter says that no reader is found).
pkgs=(fonts-ipamj-mincho fonts-ipaexfont-mincho fonts-ipaexfont-gothic gettext poppler-utils
      espeak-ng gcc python3-dev libpcsclite-dev pcscd)
python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || pkgs+=(python3-venv)
if [ "$DEV" = 1 ]; then
  # Chromium drives the browser tests; pango is what WeasyPrint (the benchmark baseline)
  # draws with; Noto CJK draws the kiosk's Chinese and Korean in its screenshot test.
  pkgs+=(chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk)
fi
# BIZ UDゴシック/明朝 print the large-print slip for elderly residents (printing/large_slip.py).
# Only Debian 12 and later have them: where apt knows neither, the slip uses IPAexゴシック.
for p in fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
      || apt-cache show "$p" >/dev/null 2>&1; then
    pkgs+=("$p")
  else
    say "$p がありません: 大きな文字の案内票は IPAexゴシックで印字します"
  fi
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "root 権限が必要です: apt-get install ${missing[*]} を実行してください"; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python virtual environment ---------------------------------------------------
extras=""
[ "$DEV" = 1 ] && extras="[dev]"
stamp=".venv/.installed$( [ "$DEV" = 1 ] && echo -dev )-$(cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)"
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ]; then
  say "installing Python packages (pinned by constraints.txt)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".$extras"
  rm -f .venv/.installed*
  touch "$stamp"
fi

# --- interface translations ---------------------------------------------------------
if find . -path ./.venv -prune -o -name '*.po' -print -quit | grep -q .; then
  .venv/bin/python manage.py compilemessages -v 0 --ignore=.venv
fi
