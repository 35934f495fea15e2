#!/usr/bin/env bash
# Installs the Debian packages the build and the headless tests need, if any is missing.
# Used by .ci/run; safe to run again. With --linuxkms it also installs what the
# `linuxkms` cargo feature links against (libudev, libinput, xkbcommon).
set -euo pipefail
# gcc: the photo-decoder test compiles a stand-in vendor library with `cc`
# python3, python3-venv: the printer's cross-check test installs python-escpos into a venv
packages=(pkg-config libfontconfig1-dev fonts-dejavu-core gcc python3 python3-venv)
if [[ "${1:-}" == "--linuxkms" ]]; then
  packages+=(libudev-dev libinput-dev libxkbcommon-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
