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

# promtool, Prometheus' checker of rules, configs and expositions (tests/tests/deploy.rs and
# ops.rs; .ci/run requires it). Debian's and Ubuntu's `prometheus` package ships it, but
# installing that package starts a Prometheus daemon from its postinst: so the .deb is only
# downloaded and promtool (one static binary) taken out of it into target/tools/bin, which
# .ci/run puts on the PATH. A promtool already on the PATH is used as it is.
# KIOSK_TOOLS_DIR=DIR puts it elsewhere; KIOSK_FETCH_PROMTOOL=1 fetches even when one is on the
# PATH (to try this branch on a machine that has promtool).
tools_dir="${KIOSK_TOOLS_DIR:-$(cd "$(dirname "$0")/.." && pwd)/target/tools}"
fetch_promtool=0
if [[ "${KIOSK_FETCH_PROMTOOL:-0}" == 1 ]]; then
  fetch_promtool=1
elif ! command -v promtool >/dev/null 2>&1 && [[ ! -x "$tools_dir/bin/promtool" ]]; then
  fetch_promtool=1
fi
if ((fetch_promtool)); then
  echo "fetching promtool from the prometheus package into $tools_dir/bin"
  work=$(mktemp -d)
  chmod 0755 "$work"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  # apt's download sandbox user cannot write into a root-only temporary directory: quiet the
  # warning about downloading unsandboxed, it changes nothing here
  if ! (cd "$work" && apt-get download -qq prometheus 2>/dev/null); then
    $SUDO apt-get update -qq
    (cd "$work" && apt-get download -qq prometheus)
  fi
  dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -x -C "$work" ./usr/bin/promtool
  install -D -m 0755 "$work/usr/bin/promtool" "$tools_dir/bin/promtool"
  rm -rf "$work"
  "$tools_dir/bin/promtool" --version | head -n 1
fi
