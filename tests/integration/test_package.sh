#!/bin/bash
# The Debian package, the way an admin meets it: dpkg-buildpackage builds it,
# lintian finds nothing, dpkg installs it, pam-auth-update puts the module
# before pam_systemd in common-session, a real PAM session through that stack
# gets its instance from the installed helper, and remove + purge leave
# nothing behind.  dpkg works on overlays of /usr, /etc and /var in a private
# mount namespace (session_lib.sh), so the host's files and dpkg database are
# not touched.  Skipped when dpkg-buildpackage or debhelper is missing
# (scripts/deps.sh package installs them).
set -u
if ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
	echo "1..0 # SKIP dpkg-buildpackage or debhelper missing (scripts/deps.sh package)"
	exit 0
fi
. "$(dirname "$0")/session_lib.sh"
START=$SECONDS
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
VERSION=$(cd "$REPO" && dpkg-parsechangelog -S Version)
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)

# ---- build, from a copy of the tree (the build writes to its parent) ----
W=$S/pkg
SRC=$W/pam-polyns-$VERSION
mkdir -p "$SRC"
(cd "$REPO" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$SRC"
DEB=$W/pam-polyns_${VERSION}_$ARCH.deb
if (cd "$SRC" && DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1 &&
	[ -f "$DEB" ]; then
	ok package_builds_with_dpkg_buildpackage
else
	not_ok package_builds_with_dpkg_buildpackage "$(tail -n 15 "$W/build.log")"
	tap_done
	exit 1
fi

if command -v lintian >/dev/null 2>&1; then
	out=$(lintian --pedantic -I --fail-on error,warning,info,pedantic "$W"/*.changes 2>&1)
	rc=$?
	tags=$(grep -v '^running with root privileges' <<<"$out")
	[ $rc -eq 0 ] && [ -z "$tags" ] && ok package_is_lintian_clean ||
		not_ok package_is_lintian_clean "rc=$rc" "$tags"
else
	not_ok package_is_lintian_clean "lintian is not installed (scripts/deps.sh package)"
fi

contents=$(dpkg-deb -c "$DEB" | awk '{print $6}')
missing=""
for f in ./usr/lib/$MA/security/pam_polyns.so ./usr/libexec/polyns-helper \
	./usr/sbin/polyns-check ./usr/sbin/polyns-admin ./usr/share/man/man8/pam_polyns.8.gz \
	./usr/share/man/man8/polyns-check.8.gz ./usr/share/man/man8/polyns-helper.8.gz \
	./usr/share/man/man8/polyns-admin.8.gz \
	./usr/share/man/man5/polyns.conf.5.gz ./etc/apparmor.d/usr.libexec.polyns-helper \
	./usr/lib/tmpfiles.d/pam-polyns.conf ./usr/share/pam-configs/polyns; do
	grep -qxF "$f" <<<"$contents" || missing="$missing $f"
done
[ -z "$missing" ] && ok package_holds_module_helper_checker_man_policy ||
	not_ok package_holds_module_helper_checker_man_policy "missing:$missing"
grep -qx 'd /run/polyns 0700 root root -' <(dpkg-deb --fsys-tarfile "$DEB" |
	tar -xOf - ./usr/lib/tmpfiles.d/pam-polyns.conf) &&
	ok package_tmpfiles_makes_run_polyns_root_0700 || not_ok package_tmpfiles_makes_run_polyns_root_0700

# ---- overlays: dpkg writes go to $S/ov/*/upper ----
OV=$S/ov
cp -a /etc/pam.d "$W/pam.d.before"
for d in usr etc var; do
	mkdir -p "$OV/$d/upper" "$OV/$d/work"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$OV/$d/upper,workdir=$OV/$d/work" "/$d"
done
# The overlay shows /etc's own files: bind the test users in again.
mount --bind "$S/passwd" /etc/passwd
mount --bind "$S/group" /etc/group
# No man-db index rebuild on install (seconds, and not what is tested).
rm -f /var/lib/man-db/auto-update
export DEBIAN_FRONTEND=noninteractive

# ---- install ----
if dpkg -i "$DEB" >"$W/install.log" 2>&1 &&
	[ "$(dpkg-query -W -f='${Status}' pam-polyns 2>/dev/null)" = "install ok installed" ]; then
	ok package_installs_with_dpkg
else
	not_ok package_installs_with_dpkg "$(tail -n 15 "$W/install.log")"
	tap_done
	exit 1
fi
if command -v systemd-tmpfiles >/dev/null 2>&1; then
	[ "$(stat -c '%U %a %F' /run/polyns 2>&1)" = "root 700 directory" ] &&
		ok package_postinst_creates_run_polyns ||
		not_ok package_postinst_creates_run_polyns "$(stat -c '%U %a %F' /run/polyns 2>&1)"
fi
[ -f /etc/apparmor.d/local/usr.libexec.polyns-helper ] &&
	ok package_postinst_creates_apparmor_local_include ||
	not_ok package_postinst_creates_apparmor_local_include
grep -q pam_polyns /etc/pam.d/common-session /etc/pam.d/common-session-noninteractive &&
	not_ok package_profile_is_off_by_default "$(grep -n pam_polyns /etc/pam.d/common-*)" ||
	ok package_profile_is_off_by_default

# ---- pam-auth-update places it after pam_unix and before pam_systemd ----
pam-auth-update --enable polyns >"$W/pau.log" 2>&1
line_of() { grep -n "^session.*[[:space:]]$1" /etc/pam.d/common-session | head -n 1 | cut -d: -f1; }
polyns_at=$(line_of pam_polyns.so)
unix_at=$(line_of pam_unix.so)
systemd_at=$(line_of pam_systemd.so)
if [ -n "$polyns_at" ] && { [ -z "$unix_at" ] || [ "$unix_at" -lt "$polyns_at" ]; } &&
	{ [ -z "$systemd_at" ] || [ "$polyns_at" -lt "$systemd_at" ]; }; then
	ok package_pam_auth_update_puts_module_before_pam_systemd
else
	not_ok package_pam_auth_update_puts_module_before_pam_systemd \
		"pam_unix at ${unix_at:-none}, pam_polyns at ${polyns_at:-none}, pam_systemd at ${systemd_at:-none}" \
		"$(cat /etc/pam.d/common-session "$W/pau.log")"
fi
grep -q pam_polyns /etc/pam.d/common-session-noninteractive &&
	not_ok package_profile_is_interactive_only || ok package_profile_is_interactive_only

# ---- a real session through the installed files and default paths ----
mkdir -m 1777 "$S/poly"
mkdir -m 000 "$S/poly-inst"
echo "$S/poly $S/poly-inst/ user root" >/etc/security/namespace.conf
chmod 0644 /etc/security/namespace.conf
echo '@include common-session' >/etc/pam.d/polyns-pkgtest
out=$(polyns-check 2>&1) && ok package_polyns_check_runs || not_ok package_polyns_check_runs "$out"
log_mark
out=$("$PAMTEST" /etc/pam.d polyns-pkgtest polyns-alice -- sh -c \
	"touch '$S/poly/made-in-session' && readlink /proc/self/ns/mnt" 2>&1)
host_mnt=$(readlink /proc/self/ns/mnt)
if grep -qx 'open: Success' <<<"$out" && ! grep -qx "$host_mnt" <<<"$out" &&
	[ -f "$S/poly-inst/polyns-alice/made-in-session" ] && [ ! -e "$S/poly/made-in-session" ]; then
	ok package_session_gets_instance_from_installed_module
else
	not_ok package_session_gets_instance_from_installed_module "$out" "$(log_since)" \
		"$(ls -la "$S/poly-inst" "$S/poly" 2>&1)"
fi
rm -f /etc/pam.d/polyns-pkgtest
echo "# no polydirs" >/etc/security/namespace.conf
out=$(polyns-admin list 2>&1) && grep -q '^KEY ' <<<"$out" && ok package_polyns_admin_runs ||
	not_ok package_polyns_admin_runs "$out"

# ---- remove, then purge ----
if dpkg -r pam-polyns >"$W/remove.log" 2>&1 &&
	[ "$(dpkg-query -W -f='${Status}' pam-polyns 2>/dev/null)" = "deinstall ok config-files" ] &&
	! grep -q pam_polyns /etc/pam.d/common-session && [ ! -e "/usr/lib/$MA/security/pam_polyns.so" ]; then
	ok package_remove_takes_module_out_of_the_stack
else
	not_ok package_remove_takes_module_out_of_the_stack "$(tail -n 15 "$W/remove.log")" \
		"$(grep -n pam_polyns /etc/pam.d/common-session)"
fi
if dpkg -P pam-polyns >"$W/purge.log" 2>&1 && ! dpkg-query -W pam-polyns >/dev/null 2>&1; then
	ok package_purges
else
	not_ok package_purges "$(tail -n 15 "$W/purge.log")"
fi
# What is left in the overlays: no file in /usr, nothing of ours in /etc or
# /var except dpkg's own logs and backups, no /run/polyns; and nothing taken
# (a whiteout is a file or directory of the host's that was removed).
left=$(find "$OV/usr/upper" ! -type d)
left="$left $(find "$OV"/*/upper -type c ! -path "$OV/var/upper/lib/man-db/auto-update" -printf '%p(removed)\n')"
left="$left $(diff -r "$W/pam.d.before" /etc/pam.d)"
left="$left $(grep -rlI polyns "$OV/etc/upper" "$OV/var/upper" 2>/dev/null |
	grep -v -e "^$OV/var/upper/log/" -e '-old$' -e "^$OV/etc/upper/security/namespace.conf$")"
left="$left $(find "$OV/etc/upper" "$OV/var/upper" -name '*polyns*')"
[ -e /run/polyns ] && left="$left /run/polyns: $(find /run/polyns)"
if [ -z "$(tr -d ' \n' <<<"$left")" ]; then
	ok package_purge_leaves_nothing
else
	not_ok package_purge_leaves_nothing $left
fi

echo "# package test took $((SECONDS - START)) s"
tap_done
