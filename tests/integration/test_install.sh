#!/bin/bash
# make install / uninstall honour DESTDIR, PREFIX, LIBDIR, LIBEXECDIR, MANDIR.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
D=$(mktemp -d /tmp/polyns-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
MA=$(gcc -print-multiarch)

make -s install DESTDIR="$D" >/dev/null 2>&1
want="usr/lib/$MA/security/pam_polyns.so usr/libexec/polyns-helper usr/sbin/polyns-check
usr/sbin/polyns-admin usr/share/man/man8/pam_polyns.8 usr/share/man/man8/polyns-helper.8
usr/share/man/man8/polyns-check.8 usr/share/man/man8/polyns-admin.8 usr/share/man/man5/polyns.conf.5"
missing=""
for f in $want; do [ -f "$D/$f" ] || missing="$missing $f"; done
[ -z "$missing" ] && ok install_default_layout_under_destdir || not_ok install_default_layout_under_destdir "missing:$missing" "$(cd "$D" && find . -type f)"
[ "$(stat -c %a "$D/usr/libexec/polyns-helper")" = 755 ] && [ "$(stat -c %a "$D/usr/lib/$MA/security/pam_polyns.so")" = 644 ] &&
	ok install_modes || not_ok install_modes
make -s uninstall DESTDIR="$D" >/dev/null 2>&1
[ -z "$(find "$D" -type f)" ] && ok uninstall_removes_every_file || not_ok uninstall_removes_every_file "$(find "$D" -type f)"

rm -rf "$D" && mkdir -p "$D"
make -s install DESTDIR="$D" PREFIX=/opt/p LIBDIR=/opt/p/lib64 LIBEXECDIR=/opt/p/lx MANDIR=/opt/p/man >/dev/null 2>&1
[ -f "$D/opt/p/lib64/security/pam_polyns.so" ] && [ -f "$D/opt/p/lx/polyns-helper" ] &&
	[ -f "$D/opt/p/sbin/polyns-check" ] && [ -f "$D/opt/p/man/man8/pam_polyns.8" ] &&
	ok install_honours_prefix_libdir_libexecdir_mandir || not_ok install_honours_prefix_libdir_libexecdir_mandir "$(cd "$D" && find . -type f)"
grep -q "/opt/p/lx/polyns-helper" "$D/opt/p/lib64/security/pam_polyns.so" &&
	ok install_module_points_at_installed_helper || not_ok install_module_points_at_installed_helper
# Back to the default build for the other tests.
make -s all >/dev/null 2>&1
tap_done
