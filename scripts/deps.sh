#!/usr/bin/env bash
# Installs the Debian 12 packages ballast needs, only those missing.
# Sourced by ./ballast; run as root on a fresh machine (CI is root).
set -euo pipefail

BALLAST_PACKAGES=(
  # build and unit tests
  build-essential cmake ninja-build pkg-config python3
  libgtest-dev libgmock-dev libbenchmark-dev
  # the real Xen ABI (<xen/memory.h>) for the simulated hypervisor
  libxen-dev
  # the state hash of the exhaustive explorer (XXH3-128)
  libxxhash-dev
  # fuzzing and coverage
  clang-19 libclang-rt-19-dev llvm-19 lld-19 afl++
  # the upstream 6.1 and 6.12 driver sources for the differential harness
  linux-source-6.1 linux-source-6.12 xz-utils
  # kernel module build, QEMU boot tests, DKMS
  linux-headers-amd64 linux-image-amd64 linux-kbuild-6.1 bc libelf-dev kmod
  linux-headers-6.12-amd64 linux-image-6.12-amd64
  qemu-system-x86 busybox-static cpio gzip dkms
  # a real Xen hypervisor booted under QEMU for the end-to-end tests
  xen-hypervisor-4.17-amd64
  # the campaign report seen in a real browser (ctest campaign.report_in_browser)
  chromium chromium-driver python3-selenium
  # the domU test: the toolstack in dom0 (xl, xenstored, xenconsoled), and the
  # guest kernel built from linux-source-6.1 (kmod/guest/)
  xen-utils-4.17 xenstore-utils flex bison
)

ballast_missing_packages() {
  local p missing=()
  for p in "${BALLAST_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  echo "${missing[@]:-}"
}

ballast_install_deps() {
  local missing
  missing=$(ballast_missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "ballast: missing Debian packages: $missing" >&2
    echo "ballast: run as root (or: sudo apt-get install $missing)" >&2
    return 1
  fi
  echo "ballast: installing: $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
}
