#!/bin/sh
# Make sure what a make target needs is installed.  On Debian as root, missing
# packages are installed with apt-get (and we say so); elsewhere we name them.
# Run by `make deps`, `make demo`, `make check`, `make bench` and `make fuzz`,
# never by a plain `make` (packagers build without network or root).
set -eu
what=${1:-build}

build_pkgs="gcc make pkg-config musl-tools linux-libc-dev libpam0g-dev libseccomp-dev libcap-ng-dev libselinux1-dev libmd-dev"
check_pkgs="$build_pkgs libcmocka-dev clang clang-tidy cppcheck libclang-rt-14-dev afl++ libpam-modules util-linux strace openssh-server openssh-client python3 iproute2 bc login apparmor selinux-policy-dev checkpolicy"
fuzz_pkgs="clang libclang-rt-14-dev afl++"
# The Debian package and its test (make package-check).
package_pkgs="$build_pkgs build-essential debhelper dpkg-dev lintian"

case $what in
build) pkgs=$build_pkgs ;;
check) pkgs=$check_pkgs ;;
fuzz) pkgs=$fuzz_pkgs ;;
package) pkgs=$package_pkgs ;;
*) echo "deps.sh: unknown target '$what'" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: check what pkg-config can see and say what is missing.
	missing=""
	for m in pam libseccomp libcap-ng libselinux libmd; do
		pkg-config --exists "$m" 2>/dev/null || missing="$missing $m"
	done
	# The helper is built with musl-gcc (Makefile, HELPER_CC).
	command -v musl-gcc >/dev/null 2>&1 || missing="$missing musl-gcc"
	if [ "$what" = check ]; then
		pkg-config --exists cmocka 2>/dev/null || missing="$missing cmocka"
		for t in clang clang-tidy cppcheck; do
			command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
		done
	fi
	if [ -n "$missing" ]; then
		echo "pam_polyns: missing build dependencies:$missing" >&2
		exit 1
	fi
	exit 0
fi

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $st in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "pam_polyns: missing packages:$missing" >&2
	echo "pam_polyns: install them with: apt-get install$missing" >&2
	exit 1
fi
echo "pam_polyns: installing missing packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing >/tmp/polyns-apt.log 2>&1; then
	apt-get update -q >>/tmp/polyns-apt.log 2>&1 || true
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >>/tmp/polyns-apt.log 2>&1 || {
		echo "pam_polyns: apt-get failed; see /tmp/polyns-apt.log" >&2
		tail -n 20 /tmp/polyns-apt.log >&2
		exit 1
	}
fi
echo "pam_polyns: installed:$missing"
