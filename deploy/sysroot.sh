#!/usr/bin/env bash
# Builds a hermetic Debian sysroot holding whisper.cpp (libwhisper) and ggml,
# the way Chromium builds against a Debian sysroot: the packages pinned in
# deploy/sysroot.lock are fetched with apt-get download under a private apt
# configuration (own sources list, own state folder) and unpacked with
# dpkg -x. The machine's own system is never modified.
#
# Usage: deploy/sysroot.sh DEPS_DIR
# Produces DEPS_DIR/sysroot (the unpacked packages) and DEPS_DIR/include
# (only whisper.h, ggml*.h, gguf.h and opus/*.h: the sysroot's libc headers
# would clash with the build machine's).
set -euo pipefail

deps=$(realpath -m "${1:?usage: sysroot.sh DEPS_DIR}")
here=$(cd "$(dirname "$0")" && pwd)
lock="$here/sysroot.lock"
stamp="$deps/sysroot.stamp"

if [[ -f "$stamp" ]] && cmp -s "$stamp" "$lock"; then
	exit 0
fi

. "$here/debian-mirror.sh"
mirror=$(debian_mirror sysroot)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

apt_dir="$deps/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
touch "$apt_dir/status"
# sid first; forky (testing) carries the same versions once they migrate, so
# a pinned version that left sid may still be found there.
cat >"$apt_dir/sources.list" <<SOURCES
deb [signed-by=$keyring] $mirror sid main
deb [signed-by=$keyring] $mirror forky main
SOURCES
apt_opts=(
	-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::Etc::Preferences=/dev/null"
	-o "Dir::Etc::PreferencesParts=/dev/null"
	-o "Dir::State=$apt_dir"
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::State::status=$apt_dir/status"
	-o "Dir::Cache=$apt_dir/cache"
	-o "APT::Architecture=amd64"
	-o "APT::Sandbox::User=root"
	-o "Debug::NoLocking=1"
)

echo "sysroot: updating package lists for sid and forky from the machine's Debian mirror"
apt-get "${apt_opts[@]}" -qq update

pkgs=()
missing=0
while read -r name version; do
	[[ -z "$name" || "$name" == \#* ]] && continue
	# apt-cache show exits 0 for a missing version; madison lists what is served.
	now=$(apt-cache "${apt_opts[@]}" madison "$name" 2>/dev/null |
		awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u | paste -sd, -)
	if [[ ",$now," != *",$version,"* ]]; then
		echo "sysroot: $name $version is no longer served by sid or forky; available now: ${now:-none}." >&2
		echo "sysroot: update deploy/sysroot.lock to a version above after checking that make test passes with it." >&2
		missing=1
		continue
	fi
	pkgs+=("$name=$version")
done <"$lock"
[[ $missing -eq 0 ]] || exit 1

rm -f "$apt_dir/debs"/*.deb
(cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" -qq download "${pkgs[@]}")

rm -rf "$deps/sysroot" "$deps/include"
mkdir -p "$deps/sysroot" "$deps/include"
for deb in "$apt_dir/debs"/*.deb; do
	dpkg -x "$deb" "$deps/sysroot"
done
cp "$deps/sysroot/usr/include/whisper.h" "$deps/sysroot/usr/include"/ggml*.h \
	"$deps/sysroot/usr/include/gguf.h" "$deps/include/"
mkdir -p "$deps/include/opus"
cp "$deps/sysroot/usr/include/opus"/*.h "$deps/include/opus/"

# The official Go bindings name -lggml-cpu, a library Debian does not ship
# (its CPU backends are modules loaded at run time). A linker script that
# stands for nothing satisfies the name without changing what is linked.
libdir="$deps/sysroot/usr/lib/x86_64-linux-gnu"
echo 'INPUT(AS_NEEDED(libggml-base.so))' >"$libdir/libggml-cpu.so"

# libLLVM, which lavapipe (Mesa's software Vulkan) links, carries RUNPATH
# $ORIGIN/../lib: a library with a RUNPATH has its own dependencies looked
# up there and in the machine's ld.so.cache, never in the executable's
# RPATH, so libxml2, libz3 and the others would load from the machine (other
# versions) or not at all. That folder (usr/lib/lib) links to the sysroot's.
mkdir -p "$deps/sysroot/usr/lib/lib"
for so in "$libdir"/*.so.*; do
	ln -sfn "../x86_64-linux-gnu/${so##*/}" "$deps/sysroot/usr/lib/lib/${so##*/}"
done

cp "$lock" "$stamp"
echo "sysroot: ready in $deps/sysroot"
