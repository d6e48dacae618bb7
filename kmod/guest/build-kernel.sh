#!/bin/sh
# build-kernel.sh: the guest kernel for ballast.ko, built once per machine.
#
# Debian's linux-source-6.1 (the same 6.1 as the installed headers), configured
# as `make allnoconfig` + guest-kernel.config (a Xen PV domU without
# CONFIG_XEN_BALLOON, with memory hotplug), built out of tree. The result is
# cached outside the repository, keyed by the source package version, the
# config fragment, the compiler and the recipe version below:
#     $BALLAST_CACHE/guest-kernel/<key>/   (default: /var/cache/ballast as
#                                          root, else ~/.cache/ballast)
#         src/    the kernel source (needed to build modules against it)
#         build/  the build tree: .config, Module.symvers, arch/x86/boot/bzImage
# Prints the build tree's path on stdout (everything else goes to stderr), so
#     make -C kmod KDIR="$(kmod/guest/build-kernel.sh)"
# builds ballast.ko for it. A second run finds the cache and prints at once.
# Concurrent runs wait for each other (flock). Exit status 1 on any failure.
set -eu
# Bump when the build steps below change what is built.
recipe=1
here=$(cd "$(dirname "$0")" && pwd)
frag=$here/guest-kernel.config
tarball=/usr/src/linux-source-6.1.tar.xz
cc=gcc-12
log() { echo "build-kernel: $*" >&2; }
die() { log "FAIL: $*"; exit 1; }

[ -r "$tarball" ] || die "$tarball missing (Debian package linux-source-6.1)"
for t in $cc make flex bison bc xz flock sha256sum; do
	command -v $t >/dev/null || die "$t missing (scripts/deps.sh lists the packages)"
done
[ -f /usr/include/libelf.h ] || die "libelf.h missing (libelf-dev: objtool)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || die "linux-source-6.1 not installed"
key=$( { echo "recipe $recipe $srcver"; $cc --version | head -n1; cat "$frag"; } | sha256sum | cut -c1-16)
if [ -z "${BALLAST_CACHE:-}" ]; then
	if [ "$(id -u)" = 0 ]; then BALLAST_CACHE=/var/cache/ballast; else BALLAST_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ballast; fi
fi
cache=$BALLAST_CACHE/guest-kernel/6.1-$key
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$cache/done" ]; then
	echo "$cache/build"
	exit 0
fi
log "cold build of the guest kernel (linux-source-6.1 $srcver) in $cache; log: $cache/build.log"
start=$(date +%s)
rm -rf "$cache/src" "$cache/build"
mkdir -p "$cache/src" "$cache/build"
tar -xJf "$tarball" -C "$cache/src" --strip-components=1 || die "cannot unpack $tarball"
k() { nice -n 10 make -C "$cache/src" O="$cache/build" CC=$cc HOSTCC=$cc "$@" >>"$cache/build.log" 2>&1; }
k allnoconfig || die "allnoconfig (see $cache/build.log)"
# merge_config.sh -m: merge only; olddefconfig then resolves dependencies.
(cd "$cache/build" && "$cache/src/scripts/kconfig/merge_config.sh" -m .config "$frag") >>"$cache/build.log" 2>&1 ||
	die "merge_config (see $cache/build.log)"
k olddefconfig || die "olddefconfig (see $cache/build.log)"
# Every line of the fragment must have survived dependency resolution.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qx "$line" "$cache/build/.config" || { log "not in .config: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$cache/build/.config" || { log "set in .config: $opt"; missing=1; } ;;
	esac
done <"$frag"
[ $missing = 0 ] || die "the fragment's options did not all survive olddefconfig"
k -j"$(nproc)" bzImage modules || die "kernel build (see $cache/build.log)"
[ -f "$cache/build/arch/x86/boot/bzImage" ] && [ -f "$cache/build/Module.symvers" ] || die "no bzImage or Module.symvers"
echo "$(( $(date +%s) - start ))" >"$cache/build-seconds"
touch "$cache/done"
log "built in $(cat "$cache/build-seconds") s: $cache/build"
echo "$cache/build"
