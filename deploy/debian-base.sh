#!/usr/bin/env bash
# Makes a local Debian base image for deploy/Dockerfile where no container
# registry is reachable, only a Debian mirror: debootstrap (minbase variant)
# from the mirror this machine's apt already uses, imported into podman or
# docker under the name the Dockerfile asks for.
#
# Usage: deploy/debian-base.sh [SUITE [IMAGE]]
#   SUITE  default trixie (the Dockerfile's base)
#   IMAGE  default debian:SUITE-slim (the name the Dockerfile asks for)
# Needs root, debootstrap and podman (or docker, with ENGINE=docker).
set -euo pipefail

suite=${1:-trixie}
image=${2:-debian:$suite-slim}
engine=${ENGINE:-podman}

. "$(cd "$(dirname "$0")" && pwd)/debian-mirror.sh"
mirror=$(debian_mirror debian-base)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
echo "debian-base: bootstrapping $suite from the machine's Debian mirror"
debootstrap --variant=minbase --include=ca-certificates "$suite" "$root" "$mirror" >/dev/null
# What a registry's slim image leaves out: documentation but the copyright
# files, manuals, translations (now and in packages installed later),
# package lists and caches (the Dockerfile runs apt-get update itself), logs.
cat >"$root/etc/dpkg/dpkg.cfg.d/slim" <<'EXCLUDE'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EXCLUDE
find "$root/usr/share/doc" -type f ! -name copyright -delete
rm -rf "$root"/usr/share/{man,info,locale,lintian}/*
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/var/cache/debconf/*-old
tar -C "$root" --numeric-owner -c . | "$engine" import --change 'CMD ["bash"]' - "$image" >/dev/null
echo "debian-base: $image ready ($(du -sh "$root" | cut -f1) unpacked)"
