#!/bin/bash
# login(1) under a pseudo-terminal, in a Debian-like session stack with
# pam_keyinit before pam_polyns and pam_systemd after it.
. "$(dirname "$0")/session_lib.sh"

mkdir -p "$S/etc-pam.d" "$S/lt" && chmod 1777 "$S/lt"
echo "$S/lt $S/lt-inst/ user" >"$CONF"
cat >"$S/etc-pam.d/login" <<X
auth sufficient pam_rootok.so
account required pam_permit.so
session optional pam_keyinit.so force revoke
session required $MODULE helper=$HELPER config=$CONF config_dir=$CONFD ns=net,uts
session optional pam_systemd.so
X
mount --bind "$S/etc-pam.d" /etc/pam.d

host_net=$(ns_of $$ net)
out=$(printf 'id -un; readlink /proc/self/ns/net; findmnt -n -o SOURCE %s; tty; exit\n' "$S/lt" |
	timeout 30 script -qec "login -f polyns-alice" /dev/null 2>&1 | tr -d '\r')
net=$(grep -o 'net:\[[0-9]*\]' <<<"$out" | tail -n1)
if grep -q 'polyns-alice$' <<<"$out" && [ -n "$net" ] && [ "$net" != "$host_net" ] &&
	grep -q "lt-inst/polyns-alice" <<<"$out" && grep -q '^/dev/pts/' <<<"$out"; then
	ok login_under_pty_gets_instance_and_namespaces
else
	not_ok login_under_pty_gets_instance_and_namespaces "$out"
fi

sed -i 's/ns=net,uts/ns=net,bogus/' "$S/etc-pam.d/login"
# The shell would print 42; the echoed input line only has the expression.
out=$(printf 'echo $((6*7)); exit\n' | timeout 30 script -qec "login -f polyns-alice" /dev/null 2>&1 | tr -d '\r')
! grep -q '42' <<<"$out" && ok login_refused_when_module_fails || not_ok login_refused_when_module_fails "$out"
umount /etc/pam.d
tap_done
