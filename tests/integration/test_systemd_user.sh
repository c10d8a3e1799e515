#!/bin/bash
# systemd --user sharing: user@.service opens a PAM session named
# "systemd-user" in the process that then execs the user manager, and closes
# it from a child, "(sd-pam)", that has dropped to the user's uid.  With
# share=user and the same options, that session is one more session of the
# user's set: the manager (and so every user service) gets the namespaces
# and polydir instances of the user's ssh logins, whichever starts first.
#
# No systemd runs here: pam_session --close-as-user does what systemd does
# around the session (open in the process that runs the manager; close from
# an unprivileged child once that process is gone), and the stack is
# Debian 12's /etc/pam.d/systemd-user with the pam_polyns.so line added.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/session_lib.sh"
ADMIN=$BUILD/polyns-admin
RT=$S/run-polyns
REG=$RT/shared
OPTS="share=user ns=ipc,uts runtime_dir=$RT"

mkdir -p "$S/st"
chmod 1777 "$S/st"
echo "$S/st $S/st-inst/ user" >"$CONF"
# Debian 12's systemd-user session lines (pam_systemd.so, pam_loginuid.so and
# pam_limits.so left out: no logind or audit here), and an sshd-like stack.
cat >"$S/pam.d/common-session-noninteractive" <<X
session required pam_permit.so
session optional pam_umask.so
X
cat >"$S/pam.d/systemd-user" <<X
session  required pam_polyns.so_placeholder
@include common-session-noninteractive
X
sed -i "s|pam_polyns.so_placeholder|$MODULE helper=$HELPER config=$CONF config_dir=$CONFD $OPTS|" \
	"$S/pam.d/systemd-user"
pam_conf sshd "$OPTS"

PRINT='for t in mnt ipc uts; do echo $t=$(readlink /proc/self/ns/$t); done; ls '"$S/st"
field() { sed -n "s/^$1=//p" <<<"$2" | head -n 1; }
wait_for() { # FILE [PATTERN]: until it exists (and has the pattern), at most 5 s
	for _ in $(seq 100); do
		[ -s "$1" ] && { [ -z "${2:-}" ] || grep -q "$2" "$1"; } && return 0
		sleep 0.05
	done
	return 1
}
same_ns() { # OUT1 OUT2: mnt, ipc and uts all the same, and not the host's
	local t
	for t in mnt ipc uts; do
		[ -n "$(field $t "$1")" ] && [ "$(field $t "$1")" = "$(field $t "$2")" ] &&
			[ "$(field $t "$1")" != "$(readlink /proc/self/ns/$t)" ] || return 1
	done
}
# A session held open until its FIFO is written to: NAME SERVICE [pam_session options]
open_held() {
	local name=$1 service=$2
	shift 2
	mkfifo "$S/go.$name"
	"$PAMTEST" "$S/pam.d" "$service" polyns-alice "$@" -- sh -c \
		"{ $PRINT; } >$S/$name.ns; touch $S/st/made-by-$name; read _ <$S/go.$name" >"$S/$name.out" 2>&1 &
	eval "pid_$name=\$!"
	wait_for "$S/$name.ns"
}
release_held() { echo >"$S/go.$1"; }
sessions_of_set() { "$ADMIN" --runtime-dir "$RT" list | awk '$2 == "user" {print $5}'; }
registry_empty() { [ -z "$(ls -A "$REG" 2>/dev/null | grep -v '^pidns\.')" ]; }

# ---- an ssh login first, then the user manager ----
open_held ssh1 sshd
open_held mgr1 systemd-user --close-as-user
ssh1=$(cat "$S/ssh1.ns")
mgr1=$(cat "$S/mgr1.ns")
same_ns "$ssh1" "$mgr1" && grep -q made-by-ssh1 <<<"$mgr1" &&
	ok user_manager_joins_the_users_ssh_set ||
	not_ok user_manager_joins_the_users_ssh_set "ssh: $ssh1" "manager: $mgr1"
# The manager's own process (the PAM caller, which becomes systemd --user) is in them too.
[ "$(readlink "/proc/$pid_mgr1/ns/mnt")" = "$(field mnt "$ssh1")" ] &&
	[ "$(readlink "/proc/$pid_mgr1/ns/ipc")" = "$(field ipc "$ssh1")" ] &&
	[ "$(sessions_of_set)" = 2 ] && [ "$(ls "$REG" | grep -c '^user-4001-[0-9a-f]*$')" = 1 ] &&
	ok user_manager_process_is_one_more_session_of_the_set ||
	not_ok user_manager_process_is_one_more_session_of_the_set \
		"manager: $(readlink "/proc/$pid_mgr1/ns/mnt") $(readlink "/proc/$pid_mgr1/ns/ipc")" \
		"$("$ADMIN" --runtime-dir "$RT" list 2>&1)"

# The manager ends (logind stops user@.service after the last logout, or a
# restart): its close runs as the user, where the module cannot start the
# helper; it logs that and leaves the record, which stops counting once the
# manager is gone.
log_mark
release_held mgr1
wait "$pid_mgr1"
wait_for "$S/mgr1.out" '^close-as-user:'
logs=$(log_since)
grep -q '^close-as-user: Success' "$S/mgr1.out" &&
	grep -q "close: leaving the session's instances and shared sets as they are" <<<"$logs" &&
	[ "$(sessions_of_set)" = 1 ] && ok unprivileged_close_of_the_manager_leaves_a_record_that_stops_counting ||
	not_ok unprivileged_close_of_the_manager_leaves_a_record_that_stops_counting "$(cat "$S/mgr1.out")" \
		"$logs" "$("$ADMIN" --runtime-dir "$RT" list 2>&1)"
# The ssh login's logout is the last: it forgets the manager's record and releases the set.
release_held ssh1
wait "$pid_ssh1"
registry_empty && ok last_ssh_logout_releases_the_set_the_manager_used ||
	not_ok last_ssh_logout_releases_the_set_the_manager_used "$(ls -la "$REG")" "$(cat "$S/ssh1.out")"

# ---- the user manager first (a lingering user), then an ssh login ----
open_held mgr2 systemd-user --close-as-user
open_held ssh2 sshd
mgr2=$(cat "$S/mgr2.ns")
ssh2=$(cat "$S/ssh2.ns")
same_ns "$mgr2" "$ssh2" && grep -q made-by-mgr2 <<<"$ssh2" &&
	ok ssh_login_joins_the_set_a_lingering_manager_made ||
	not_ok ssh_login_joins_the_set_a_lingering_manager_made "manager: $mgr2" "ssh: $ssh2"
# The ssh login ends first: the manager keeps the set.
release_held ssh2
wait "$pid_ssh2"
[ "$(sessions_of_set)" = 1 ] && ! registry_empty && ok manager_keeps_the_set_after_the_ssh_logout ||
	not_ok manager_keeps_the_set_after_the_ssh_logout "$("$ADMIN" --runtime-dir "$RT" list 2>&1)"
# Then the manager ends: nothing closes the set (its close is unprivileged), and
# it waits, unused, for the next login to look at it, or for polyns-admin.
key=$(ls "$REG" | grep '^user-4001-[0-9a-f]*$')
release_held mgr2
wait "$pid_mgr2"
wait_for "$S/mgr2.out" '^close-as-user:'
state=$("$ADMIN" --runtime-dir "$RT" list | awk -v k="$key" '$1 == k {print $5, $7}')
out=$("$ADMIN" --runtime-dir "$RT" release "$key" 2>&1)
[ "$state" = "0 unused" ] && grep -q "its holder [0-9]* ended" <<<"$out" && registry_empty &&
	ok set_left_by_the_manager_is_unused_and_released_by_polyns_admin ||
	not_ok set_left_by_the_manager_is_unused_and_released_by_polyns_admin "state: $state" "$out"

# ---- other options, another set: the service name is not part of the key ----
sed "s|ns=ipc,uts|ns=ipc|" "$S/pam.d/systemd-user" >"$S/pam.d/systemd-user-other"
open_held ssh3 sshd
open_held mgr3 systemd-user-other --close-as-user
[ "$(field ipc "$(cat "$S/ssh3.ns")")" != "$(field ipc "$(cat "$S/mgr3.ns")")" ] &&
	[ "$(ls "$REG" | grep -c '^user-4001-[0-9a-f]*$')" = 2 ] &&
	ok manager_with_other_options_gets_a_set_of_its_own ||
	not_ok manager_with_other_options_gets_a_set_of_its_own "$(cat "$S/ssh3.ns")" "$(cat "$S/mgr3.ns")"
release_held mgr3
wait "$pid_mgr3"
wait_for "$S/mgr3.out" '^close-as-user:'
release_held ssh3
wait "$pid_ssh3"
# The manager's set is left unused; a login of another key's sweep releases it.
session polyns-bob sshd -- true >/dev/null
registry_empty && ok next_login_releases_the_set_a_manager_left ||
	not_ok next_login_releases_the_set_a_manager_left "$(ls -la "$REG")"
tap_done
