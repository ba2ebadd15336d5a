#!/usr/bin/env bash
# Copies out of a sysroot (deploy/sysroot.sh) the shared libraries a
# callscribe binary loads, for a runtime image: the libraries it links,
# ggml's backend modules (CPU variants and Vulkan, loaded at run time), and
# everything those link in turn, found by following DT_NEEDED. The sysroot
# also holds what only the tests use (Mesa's lavapipe and the LLVM it links,
# about 330 MB), which this leaves out.
#
# Usage: deploy/runtime-libs.sh SYSROOT OUT BINARY [VULKAN_DRIVER...]
# OUT receives usr/lib/x86_64-linux-gnu (and usr/lib/lib, usr/share/vulkan
# for drivers) laid out as in SYSROOT, to be copied to the same path.
# Each VULKAN_DRIVER names a Mesa Vulkan driver to include with its ICD
# file, e.g. radeon (RADV, AMD GPUs) or intel (ANV).
set -euo pipefail

sysroot=$(realpath "${1:?usage: runtime-libs.sh SYSROOT OUT BINARY [DRIVER...]}")
out=${2:?usage}
binary=${3:?usage}
shift 3
lib=usr/lib/x86_64-linux-gnu
src="$sysroot/$lib"

mkdir -p "$out/$lib"
declare -A seen

# needed prints a file's DT_NEEDED names.
needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# take copies one library (the name and the file it links to) and what it
# needs, once.
take() {
	local name=$1 path=$2
	[[ -n "${seen[$name]:-}" ]] && return
	seen[$name]=1
	local rel=${path#"$src"/}
	mkdir -p "$out/$lib/$(dirname "$rel")"
	cp -a "$path" "$out/$lib/$rel"
	if [[ -L "$path" ]]; then
		local real
		real=$(realpath "$path")
		cp -a "$real" "$out/$lib/$(dirname "$rel")/"
		path=$real
	fi
	local dep
	for dep in $(needed "$path"); do
		if [[ ! -e "$src/$dep" ]]; then
			echo "runtime-libs: $dep, which $name needs, is not in $src" >&2
			exit 1
		fi
		take "$dep" "$src/$dep"
	done
}

for dep in $(needed "$binary"); do
	take "$dep" "$src/$dep"
done
# The program interpreter (--dynamic-linker) is not a DT_NEEDED of the
# binary.
take ld-linux-x86-64.so.2 "$src/ld-linux-x86-64.so.2"
for module in "$src"/ggml/backends0/*.so; do
	take "ggml/backends0/${module##*/}" "$module"
done

for driver in "$@"; do
	icd="$sysroot/usr/share/vulkan/icd.d/${driver}_icd.json"
	if [[ ! -f "$icd" ]]; then
		echo "runtime-libs: no Vulkan driver $driver in the sysroot ($icd)" >&2
		exit 1
	fi
	take "libvulkan_$driver.so" "$src/libvulkan_$driver.so"
	mkdir -p "$out/usr/share/vulkan/icd.d"
	cp "$icd" "$out/usr/share/vulkan/icd.d/"
done

# libLLVM (which Mesa's drivers link) looks for its own dependencies in
# $ORIGIN/../lib only: link them there, as deploy/sysroot.sh does.
if compgen -G "$out/$lib/libLLVM*" >/dev/null; then
	mkdir -p "$out/usr/lib/lib"
	for so in "$out/$lib"/*.so.*; do
		ln -sfn "../x86_64-linux-gnu/${so##*/}" "$out/usr/lib/lib/${so##*/}"
	done
fi
echo "runtime-libs: $(du -sh "$out" | cut -f1) in $out"
