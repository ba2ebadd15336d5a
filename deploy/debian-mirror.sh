# shellcheck shell=bash
# Sourced by deploy/sysroot.sh and deploy/debian-base.sh: the Debian mirror
# is the one this machine's apt already uses, read from the deb822 sources
# (URIs:) or the one-line format, skipping security mirrors.

# debian_mirror prints that mirror, or says on stderr, prefixed with $1,
# that there is none and returns 1.
debian_mirror() {
	local f mirror
	mirror=$(
		for f in /etc/apt/sources.list.d/*.sources; do
			[[ -f "$f" ]] || continue
			awk '/^URIs:/ {for (i = 2; i <= NF; i++) print $i}' "$f"
		done
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[[ -f "$f" ]] || continue
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
		done
	)
	mirror=$(grep -v -- '-security' <<<"$mirror" | grep -m1 debian || true)
	if [[ -z "$mirror" ]]; then
		echo "$1: no Debian mirror found in /etc/apt/sources.list{,.d}" >&2
		return 1
	fi
	echo "$mirror"
}
