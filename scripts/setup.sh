#!/usr/bin/env bash
# Installs every Debian package TransferTrace needs to build, test and run.
# Idempotent: packages already present are skipped; apt is only touched when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14 unzip
  clang-tools-14  # clang-apply-replacements-14, for scripts/check-tidy.sh --fix
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-qpa-plugins libgl-dev
  libsqlite3-dev sqlite3
  postgresql-15 postgresql-client-15 libpq-dev  # server cases (issue 13); tests start their own server
  libgraphviz-dev
  libspdlog-dev libfmt-dev
  libsimdjson-dev
  libarchive-dev zlib1g-dev libzstd-dev
  libexpat1-dev
  libssl-dev
  libevtx-utils
  xvfb xauth
  fonts-dejavu-core
  openssh-server openssh-client rsync iproute2
  desktop-file-utils appstream shared-mime-info file  # install test validators; CPack shlibdeps
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
