#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the Bytebot desktop needs. Idempotent: packages already present
# are skipped, so running it on every CI run or container build costs one dpkg query.
# Usage: install-desktop.sh [--with-test-tools]
#   --with-test-tools  also installs Chromium, used by the browser tests (noVNC, UI), and Tesseract OCR
#                      (with its English data), used by the screenshot legibility test.
# Used by .ci/run, by `npm start` and by deploy/ Dockerfiles: this is the one list of packages.
set -euo pipefail

packages=(
  xvfb xauth x11-utils x11-xserver-utils
  xfce4 xfce4-terminal mousepad thunar dbus-x11
  x11vnc xdotool xclip wmctrl
  fonts-dejavu-core fonts-noto-color-emoji fonts-liberation
  dbus sudo procps ca-certificates
  # setfacl: the evaluation runner hides its answer keys from the desktop accounts with ACL entries.
  acl
)

for argument in "$@"; do
  case "$argument" in
    --with-test-tools) packages+=(chromium iproute2 tesseract-ocr tesseract-ocr-eng) ;;
    *) echo "install-desktop.sh: unknown option '$argument'" >&2; exit 2 ;;
  esac
done

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
# Either browser package will do: Debian ships firefox-esr, Ubuntu firefox.
has_firefox=false
if installed firefox-esr || installed firefox; then has_firefox=true; fi

if [ ${#missing[@]} -eq 0 ] && [ "$has_firefox" = true ]; then
  echo "desktop packages: all present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -n "$0" "$@"
  fi
  echo "desktop packages missing: ${missing[*]} $([ "$has_firefox" = true ] || echo firefox-esr)" >&2
  echo "run as root: sudo $0 $*" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent (fresh container) or stale; refresh them before choosing packages.
apt-get update -qq
if [ "$has_firefox" = false ]; then
  if apt-cache show firefox-esr >/dev/null 2>&1; then missing+=(firefox-esr); else missing+=(firefox); fi
fi
echo "desktop packages: installing ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "desktop packages: installed ${#missing[@]}"
