#!/bin/bash
# Shared namespace sets (share=user, share=group) and namespaces with a
# lifetime (pid, time): one set per key however many logins race for it,
# joined only through the registry, released with the last session or when
# its sessions' callers are gone, and never a user's own namespace.
#
# The test runs in a pid namespace of its own (POLYNS_OWN_PIDNS): the holders
# and processes it sees are those its sessions made, never another test's or
# a real login's, and it ends them by pid.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/session_lib.sh"
HELPER=$TEST_HELPER # fault injection (hook)

RT=$S/run-polyns
REG=$RT/shared

# Our holders still running (zombies waiting for a reaper are gone already).
# Only this test's sessions made holders in its pid namespace.  A killed
# PID 1 takes a moment to take its namespace down: wait until none is left,
# at most 5 s.
holder_pids() { ps -eo pid=,stat=,comm= | awk '$3 == "polyns-holder" && $2 !~ /^Z/ {print $1}'; }
live_holders() {
	local n
	for _ in $(seq 100); do
		n=$(holder_pids | wc -l)
		[ "$n" = 0 ] && break
		sleep 0.05
	done
	echo "$n"
}
# The holders the registry names (holder.PID.START facts), killed by pid if
# still the process recorded; then the registry emptied.
holders_in_registry() {
	find "$REG" -mindepth 2 -maxdepth 2 -name 'holder.*' -printf '%f\n' 2>/dev/null | cut -d. -f2,3
}
end_registry_sets() {
	local h
	for h in $(holders_in_registry); do
		[ "$(sed 's/.*) //' "/proc/${h%.*}/stat" 2>/dev/null | awk '{print $20}')" = "${h#*.}" ] &&
			kill -9 "${h%.*}"
	done
	rm -rf "${REG:?}"/*
}
# Our processes in a pid namespace (as readlink names it), waited for until
# none is left (at most 5 s); prints those still there.
pids_in_pidns() {
	local d
	for d in /proc/[0-9]*; do
		[ "$(readlink "$d/ns/pid" 2>/dev/null)" = "$1" ] && echo "${d#/proc/}"
	done
}
until_pidns_empty() {
	local left
	for _ in $(seq 100); do
		left=$(pids_in_pidns "$1")
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	echo "$left"
	return 1
}
until_registry_empty() {
	for _ in $(seq 100); do registry_empty && return 0; sleep 0.05; done
	return 1
}
# end_pids FILE...: end the processes whose pids the files hold, and wait for them.
end_pids() {
	local f p
	for f in "$@"; do
		p=$(cat "$f" 2>/dev/null) || continue
		kill -9 "$p" 2>/dev/null
		timeout 5 tail --pid="$p" -s 0.05 -f /dev/null
	done
}
# What a holder keeps open: its entry (watched), the inotify and the signalfd.
holder_fds() { for f in /proc/"$1"/fd/*; do readlink "$f"; done | sort | xargs; }
# Empty but for the pid namespace it belongs to.
registry_empty() { [ -z "$(ls -A "$REG" 2>/dev/null | grep -v '^pidns\.')" ]; }
# The namespace a session's command printed as "NS=ID".
field() { sed -n "s/^$1=//p" <<<"$2" | head -n 1; }
wait_for() { # FILE: until it exists (at most 5 s)
	for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.05; done
	return 1
}

pam_conf user "debug share=user ns=ipc,uts,net runtime_dir=$RT"
pam_conf group "debug share=group ns=ipc runtime_dir=$RT"
PRINT='echo ipc=$(readlink /proc/self/ns/ipc); echo net=$(readlink /proc/self/ns/net)'

# --- share=user: two sessions, one set; released after the last ---
session polyns-alice user -- sh -c "{ $PRINT; } >$S/a1; sleep 2" >"$S/a1.out" &
first=$!
wait_for "$S/a1"
out=$(session polyns-alice user -- sh -c "$PRINT")
a1=$(cat "$S/a1")
[ "$(field ipc "$out")" = "$(field ipc "$a1")" ] && [ "$(field net "$out")" = "$(field net "$a1")" ] &&
	[ "$(field ipc "$out")" != "$(readlink /proc/self/ns/ipc)" ] &&
	ok share_user_second_session_joins_the_first_set ||
	not_ok share_user_second_session_joins_the_first_set "$a1" "$out"
[ "$(stat -c '%a %u' "$RT")" = "700 0" ] && [ "$(stat -c '%a %u' "$REG")" = "700 0" ] &&
	[ "$(ls "$REG" | grep -v '\.lock$' | grep -vc '^pidns\.')" = 1 ] &&
	ok registry_is_root_only_with_one_entry || not_ok registry_is_root_only_with_one_entry "$(ls -laR "$RT")"
holder=$(holders_in_registry | head -n 1 | cut -d. -f1)
status=$(cat "/proc/$holder/status" 2>/dev/null)
grep -q '^CapEff:[[:space:]]*0000000000000000' <<<"$status" &&
	grep -q '^CapPrm:[[:space:]]*0000000000000000' <<<"$status" &&
	grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$status" && grep -q '^Seccomp:[[:space:]]*2' <<<"$status" &&
	[ "$(holder_fds "$holder")" = "$(ls -d "$REG"/user-*[0-9a-f] | head -n 1) anon_inode:[signalfd] anon_inode:inotify" ] &&
	ok holder_has_no_capability_only_its_watch_fds_and_is_seccomp_filtered ||
	not_ok holder_has_no_capability_only_its_watch_fds_and_is_seccomp_filtered "pid=$holder" "$status" "$(ls -l "/proc/$holder/fd" 2>&1)"
wait "$first"
registry_empty && [ "$(live_holders)" = 0 ] && ok last_close_releases_set_and_registry ||
	not_ok last_close_releases_set_and_registry "$(ls -laR "$REG")" "holders: $(holder_pids | xargs)"
# (Namespace inode numbers are reused once free: the log tells a new set.)
log_mark
out=$(session polyns-alice user -- true)
logs=$(log_since)
grep -q "made the shared namespaces user-4001-" <<<"$logs" && ! grep -q "joined" <<<"$logs" &&
	ok new_set_after_release || not_ok new_set_after_release "$out" "$logs"

# --- a later session joins after the first session's processes are gone ---
session polyns-alice user -- sh -c "{ $PRINT; } >$S/j1; sleep 1" >/dev/null &
j1=$!
wait_for "$S/j1"
session polyns-alice user -- sh -c "sleep 3" >/dev/null &
j2=$!
wait "$j1"
log_mark
out=$(session polyns-alice user -- sh -c "$PRINT")
logs=$(log_since)
[ "$(field ipc "$out")" = "$(field ipc "$(cat "$S/j1")")" ] && ok join_after_first_session_is_gone ||
	not_ok join_after_first_session_is_gone "$(cat "$S/j1")" "$out"
# The registry child's debug lines: forwarded with debug, not even sent without.
pam_conf quiet "share=user ns=ipc,uts,net runtime_dir=$RT"
log_mark
session polyns-alice quiet -- true >/dev/null
quiet_logs=$(log_since)
grep -q "helper: joined the shared namespaces user-4001-" <<<"$logs" &&
	! grep -q "joined the shared namespaces" <<<"$quiet_logs" &&
	ok registry_childs_debug_lines_only_with_debug ||
	not_ok registry_childs_debug_lines_only_with_debug "$logs" "$quiet_logs"
wait "$j2"
registry_empty && ok released_after_the_last_of_three || not_ok released_after_the_last_of_three "$(ls -laR "$REG")"

# --- dozens of simultaneous first logins of one user: one set, no failure ---
N=24
for i in $(seq $N); do
	session polyns-bob user -- sh -c "$PRINT; sleep 1" >"$S/c.$i" 2>&1 &
done
wait_jobs() { for p in $(jobs -p); do [ "$p" = "$LOGGER_PID" ] || wait "$p"; done; }
wait_jobs
fails=$(grep -L '^open: Success' "$S"/c.* | wc -l)
sets=$(cat "$S"/c.* | sed -n 's/^ipc=//p' | sort -u | wc -l)
[ "$fails" = 0 ] && [ "$sets" = 1 ] && registry_empty && [ "$(live_holders)" = 0 ] &&
	ok concurrent_first_logins_make_exactly_one_set ||
	not_ok concurrent_first_logins_make_exactly_one_set "failed: $fails, sets: $sets" "$(cat "$S"/c.1)" "$(ls -la "$REG")"

# --- the helper killed while it makes a set: never a holder without an entry ---
hook holder-started kill
out=$(session polyns-alice user -- true)
unhook
grep -q '^open: Cannot' <<<"$out" && [ "$(live_holders)" = 0 ] &&
	ok helper_killed_after_starting_holder_leaves_no_holder ||
	not_ok helper_killed_after_starting_holder_leaves_no_holder "$out" "holders: $(holder_pids | xargs)"
hook entry kill
out=$(session polyns-alice user -- true)
unhook
[ "$(live_holders)" = 0 ] && grep -q '^open: Cannot' <<<"$out" &&
	ok helper_killed_before_commit_leaves_no_holder ||
	not_ok helper_killed_before_commit_leaves_no_holder "$out" "holders: $(holder_pids | xargs)"
# The entry it left names a holder that is gone: the next login replaces it.
log_mark
out=$(session polyns-alice user -- true)
logs=$(log_since)
grep -q '^open: Success' <<<"$out" && grep -q "releasing the stale shared namespaces user-4001-" <<<"$logs" &&
	registry_empty && ok entry_of_a_killed_helper_is_replaced_at_next_login ||
	not_ok entry_of_a_killed_helper_is_replaced_at_next_login "$out" "$logs" "$(ls -la "$REG")"

# --- a caller killed without close_session: its set is released as stale ---
# stale_set MARK [SHELL-PREFIX]: an alice session runs the prefix and writes
# MARK; then its caller is killed without close_session: its set is stale.
stale_set() {
	local killed
	"$PAMTEST" "$S/pam.d" user polyns-alice -- sh -c "${2:-}echo x >$1; exec sleep 30" \
		>/dev/null 2>&1 &
	killed=$!
	wait_for "$1"
	kill -9 "$killed"
	wait "$killed" 2>/dev/null
}
stale_set "$S/k1.up" "{ $PRINT; } >$S/k1; echo \$\$ >$S/k1.pid; "
log_mark
out=$(session polyns-alice user -- sh -c "$PRINT")
logs=$(log_since)
grep -q '^open: Success' <<<"$out" && [ "$(field ipc "$out")" != "$(field ipc "$(cat "$S/k1")")" ] &&
	grep -q "releasing the stale shared namespaces user-4001-" <<<"$logs" &&
	registry_empty && [ "$(live_holders)" = 0 ] &&
	ok stale_set_of_killed_caller_released_at_next_login ||
	not_ok stale_set_of_killed_caller_released_at_next_login "$out" "$logs" "$(ls -la "$REG")"
end_pids "$S/k1.pid"

# ...and also at another user's close (the sweep covers every key).
stale_set "$S/k2" "echo \$\$ >$S/k2.pid; "
session polyns-bob user -- true >/dev/null
registry_empty && [ "$(live_holders)" = 0 ] && ok stale_set_released_by_another_keys_session ||
	not_ok stale_set_released_by_another_keys_session "$(ls -la "$REG")"
end_pids "$S/k2.pid"

# A login that makes a set sweeps other keys after its registry child
# answered: what it logs still reaches syslog, by the time the session has
# started.
stale_set "$S/k3" "echo \$\$ >$S/k3.pid; "
log_mark
"$PAMTEST" "$S/pam.d" user polyns-bob -- sh -c "echo \$\$ >$S/b3.pid; exec sleep 30" >/dev/null 2>&1 &
wait_for "$S/b3.pid"
logs=$(log_since)
grep -q "releasing the stale shared namespaces user-4001-" <<<"$logs" &&
	[ -z "$(ls "$REG" | grep '^user-4001-')" ] &&
	ok a_logins_sweep_after_its_answer_is_logged ||
	not_ok a_logins_sweep_after_its_answer_is_logged "$logs" "$(ls -la "$REG")"
end_pids "$S/b3.pid" "$S/k3.pid"

# A login that joins a live set leaves other keys to closes (its registry
# child ends at its answer, so nobody waits for a sweep): alice's stale set
# is still there after bob's second login, and gone after its close.
"$PAMTEST" "$S/pam.d" user polyns-bob -- sh -c "echo \$\$ >$S/b4.pid; exec sleep 30" >/dev/null 2>&1 &
wait_for "$S/b4.pid"
stale_set "$S/k4" "echo \$\$ >$S/k4.pid; "
log_mark
"$PAMTEST" "$S/pam.d" user polyns-bob -- sh -c "echo \$\$ >$S/b5.pid; exec sleep 30" >/dev/null 2>&1 &
b5=$!
wait_for "$S/b5.pid"
kept=$(ls "$REG" | grep -c '^user-4001-[0-9a-f]*$')
logs=$(log_since)
kill "$(cat "$S/b5.pid")"
wait "$b5"
[ "$kept" = 1 ] && ! grep -q "releasing the stale" <<<"$logs" &&
	[ -z "$(ls "$REG" | grep '^user-4001-')" ] &&
	ok a_join_leaves_other_keys_to_closes ||
	not_ok a_join_leaves_other_keys_to_closes "kept $kept" "$logs" "$(ls -la "$REG")"
end_pids "$S/b4.pid" "$S/k4.pid"
until_registry_empty || not_ok registry_empty_after_bob "$(ls -la "$REG")"

# What a helper killed half-way leaves of a key nobody uses again (a
# share=session key names its caller): its lock, a half-made KEY.new, a
# retired KEY.dead.  The next login's sweep removes them.
gone=session-1-1-0123456789abcdef
mkdir -m 700 "$REG/$gone.lock" "$REG/$gone.new" "$REG/$gone.new/plan.0" "$REG/$gone.dead" \
	"$REG/$gone.dead/holder.1.1"
log_mark
out=$(session polyns-bob user -- true)
logs=$(log_since)
grep -q '^open: Success' <<<"$out" && [ -z "$(find "$REG" -maxdepth 1 -name "$gone*")" ] &&
	ok leftovers_of_a_key_without_an_entry_are_swept ||
	not_ok leftovers_of_a_key_without_an_entry_are_swept "$out" "$logs" "$(ls -la "$REG")"

# With more than 16 keys, each login looks at a random sample of the others
# (about 16): twenty stale sets (twenty configurations, callers killed) are
# all gone after a few logins of another user.
for i in $(seq 20); do
	echo "# config $i" >"$S/conf.$i"
	echo "session required $MODULE helper=$HELPER config=$S/conf.$i config_dir=$CONFD share=user ns=ipc runtime_dir=$RT" >"$S/pam.d/many$i"
	"$PAMTEST" "$S/pam.d" "many$i" polyns-alice -- sh -c "echo \$\$ >$S/many$i.pid; exec sleep 30" >/dev/null 2>&1 &
	pids="${pids:-} $!"
done
for _ in $(seq 100); do [ "$(ls "$REG" | grep -c '^user-4001-.*[^k]$')" -ge 20 ] && break; sleep 0.05; done
made=$(ls "$REG" | grep -v '\.lock$' | grep -c '^user-4001-')
# shellcheck disable=SC2086
kill -9 $pids; wait $pids 2>/dev/null; pids=""
for _ in $(seq 15); do session polyns-bob user -- true >/dev/null; done
left=$(ls "$REG" | grep -v '\.lock$' | grep -c '^user-4001-')
[ "$made" = 20 ] && [ "$left" = 0 ] && [ "$(live_holders)" = 0 ] &&
	ok stale_sets_of_many_keys_released_by_sampling_sweeps ||
	not_ok stale_sets_of_many_keys_released_by_sampling_sweeps "made $made, left $left" "holders: $(holder_pids | xargs)"
end_pids "$S"/many*.pid

# --- a namespace the user made is never joined ---
mkdir -m 1777 "$S/pub"
runuser -u polyns-alice -- unshare --user --map-root-user --ipc sh -c "echo ipc=\$(readlink /proc/self/ns/ipc) >$S/pub/own; sleep 5" &
own=$!
wait_for "$S/pub/own"
out=$(session polyns-alice user -- sh -c "$PRINT")
[ "$(field ipc "$out")" != "$(field ipc "$(cat "$S/pub/own")")" ] && grep -q '^open: Success' <<<"$out" &&
	ok user_made_namespace_is_never_joined || not_ok user_made_namespace_is_never_joined "$(cat "$S/pub/own")" "$out"
# Even a registry entry forged to name the user's process is refused.
session polyns-alice user -- sh -c "{ $PRINT; } >$S/f1; echo \$\$ >$S/f1.pid; exec sleep 30" >/dev/null &
forged=$!
wait_for "$S/f1.pid"
entry=$(ls -d "$REG"/user-4001-* | grep -v '\.lock$')
upid=$(cat "$S/f1.pid")
ustart=$(awk '{print $22}' "/proc/$upid/stat")
uipc=$(stat -L -c %i "/proc/$upid/ns/ipc")
real_holder=$(holders_in_registry)
rmdir "$entry"/holder.* "$entry"/ns.ipc.*
mkdir -m 700 "$entry/holder.$upid.$ustart" "$entry/ns.ipc.$(stat -L -c %d "/proc/$upid/ns/ipc").$uipc"
log_mark
out=$(session polyns-alice user -- sh -c "$PRINT")
logs=$(log_since)
[ "$(field ipc "$out")" != "ipc:[$uipc]" ] && grep -q "open: Cannot\|releasing the stale" <<<"$out$logs" &&
	ok forged_holder_naming_a_user_process_is_refused ||
	not_ok forged_holder_naming_a_user_process_is_refused "$out" "$logs"
# The registry child counted that session in before the helper refused it
# (the holder and its caller both run: a join, refused by the helper): the
# refusal names it, and the module counts it out again.
records=$(find "$entry" -maxdepth 1 -name 'session.*' | wc -l)
grep -q "open: Cannot" <<<"$out" && [ "$records" = 1 ] &&
	ok refused_join_after_its_record_is_counted_out ||
	not_ok refused_join_after_its_record_is_counted_out "$records session records, not 1" \
		"$out" "$(ls "$entry")"
# The forged session ends (its close releases the set) before the registry is
# emptied by hand: a release racing the rm below could leave a KEY.dead behind.
end_pids "$S/f1.pid"
wait "$forged" 2>/dev/null
end_registry_sets
kill -9 "${real_holder%.*}" 2>/dev/null
wait "$own" 2>/dev/null

# --- registry entries not root's, or not only root's, are refused ---
tamper() { # NAME COMMAND-ON-ENTRY
	local name=$1 out logs entry
	rm -f "$S/tamper.up"
	session polyns-alice user -- sh -c "echo up >$S/tamper.up; sleep 2" >/dev/null &
	local bg=$!
	wait_for "$S/tamper.up"
	entry=$(ls -d "$REG"/user-4001-* | grep -v '\.lock$')
	eval "$2"
	log_mark
	out=$(session polyns-alice user -- true)
	logs=$(log_since)
	grep -q '^open: Cannot' <<<"$out" && grep -q "is not root's or is malformed" <<<"$logs" &&
		ok "$name" || not_ok "$name" "$out" "$logs"
	end_registry_sets
	wait "$bg"
}
tamper registry_entry_owned_by_user_is_refused 'chown -R polyns-alice "$entry"'
tamper registry_entry_open_to_others_is_refused 'chmod 0755 "$entry"'
tamper registry_fact_owned_by_user_is_refused 'chown polyns-alice "$entry"/session.*'
tamper registry_entry_with_a_file_is_refused 'touch "$entry/session.1.1"'
tamper registry_entry_with_unknown_name_is_refused 'mkdir -m 700 "$entry/extra"'

# --- hostile shapes of the registry itself ---
hostile() { # NAME SETUP-COMMAND PATTERN
	local name=$1 out logs
	rm -rf "$S/hrt"
	mkdir -m 700 "$S/hrt"
	eval "$2"
	pam_conf hostile "share=user ns=ipc runtime_dir=$S/hrt"
	log_mark
	out=$(session polyns-alice hostile -- true)
	logs=$(log_since)
	# said once, by the helper, naming the path and the reason
	grep -q '^open: Cannot' <<<"$out" && grep -q -- "$3" <<<"$logs" &&
		[ "$(grep -cE '^<8[0-4]>.* helper: ' <<<"$logs")" = 1 ] && ok "$name" ||
		not_ok "$name" "$out" "$logs" "$(ls -laR "$S/hrt" 2>&1 | head -20)"
}
hostile registry_shared_as_symlink_is_refused 'mkdir -m 700 "$S/elsewhere"; ln -s "$S/elsewhere" "$S/hrt/shared"' "cannot open the registry"
hostile registry_shared_as_file_is_refused 'touch "$S/hrt/shared"' "cannot open the registry"
hostile registry_shared_open_to_others_is_refused 'mkdir -m 755 "$S/hrt/shared"' "shared must be root's, mode 0700"
hostile registry_owned_by_user_is_refused 'mkdir -m 700 "$S/hrt/shared"; chown polyns-alice "$S/hrt/shared"' "shared must be root's, mode 0700"
hostile registry_pending_as_file_is_refused 'touch "$S/hrt/pending"' "cannot open the registry: runtime directory $S/hrt: pending: 'pending' is not a directory"
hostile registry_of_another_pid_namespace_is_refused 'mkdir -m 700 "$S/hrt/shared" "$S/hrt/shared/pidns.1"' "belongs to another pid namespace"

# A runtime_dir a user could swap: a symlink in a world-writable directory.
mkdir -m 700 -p "$S/real-rt"
runuser -u polyns-alice -- ln -s "$S/real-rt" "$S/pub/rt"
pam_conf hostile "share=user ns=ipc runtime_dir=$S/pub/rt"
log_mark
out=$(session polyns-alice hostile -- true)
logs=$(log_since)
grep -q '^open: Cannot' <<<"$out" && grep -q "runtime directory" <<<"$logs" && [ -z "$(ls -A "$S/real-rt")" ] &&
	[ "$(grep -cE '^<8[0-4]>.* helper: ' <<<"$logs")" = 1 ] &&
	ok runtime_dir_behind_users_symlink_is_refused ||
	not_ok runtime_dir_behind_users_symlink_is_refused "$out" "$logs"

# A lock that is not a directory: refused, not replaced.
rm -rf "$S/hrt" && mkdir -m 700 "$S/hrt"
pam_conf hostile "debug share=user ns=ipc runtime_dir=$S/hrt"
log_mark
session polyns-alice hostile -- true >/dev/null
key=$(log_since | sed -n 's/.*made the shared namespaces \([a-z0-9-]*\).*/\1/p' | head -n 1)
touch "$S/hrt/shared/$key.lock"
log_mark
out=$(session polyns-alice hostile -- true)
logs=$(log_since)
[ -n "$key" ] && grep -q '^open: Cannot' <<<"$out" && grep -q "cannot lock the registry entry $key" <<<"$logs" &&
	[ -f "$S/hrt/shared/$key.lock" ] && ok registry_lock_that_is_a_file_is_refused ||
	not_ok registry_lock_that_is_a_file_is_refused "key=$key" "$out" "$logs"

# --- share=group: carol and dave share, alice does not ---
session polyns-carol group -- sh -c "{ $PRINT; } >$S/g1; sleep 2" >/dev/null &
g=$!
wait_for "$S/g1"
dave=$(session polyns-dave group -- sh -c "$PRINT")
alice=$(session polyns-alice group -- sh -c "$PRINT")
carol=$(cat "$S/g1")
[ "$(field ipc "$dave")" = "$(field ipc "$carol")" ] && [ "$(field ipc "$alice")" != "$(field ipc "$carol")" ] &&
	ok share_group_joins_same_group_not_others ||
	not_ok share_group_joins_same_group_not_others "carol: $carol" "dave: $dave" "alice: $alice"
wait "$g"

# A user-method polydir in a group's set would show carol's instance to dave: refused.
mkdir -p "$S/gt" && chmod 1777 "$S/gt"
echo "$S/gt $S/gt-inst/ user" >"$CONF"
session polyns-carol group -- sh -c "touch $S/gt/carols; echo up >$S/g2; sleep 2" >/dev/null &
g=$!
wait_for "$S/g2"
log_mark
out=$(session polyns-dave group -- ls "$S/gt")
logs=$(log_since)
grep -q '^open: Cannot' <<<"$out" && ! grep -q carols <<<"$out" &&
	grep -q "hold other polydir instances than this session needs" <<<"$logs" &&
	ok share_group_refuses_another_users_instance ||
	not_ok share_group_refuses_another_users_instance "$out" "$logs"
wait "$g"
# A tmpfs polydir is the group's own: both see it.
echo "$S/gt tmpfs tmpfs" >"$CONF"
session polyns-carol group -- sh -c "touch $S/gt/shared-file; echo up >$S/g3; sleep 2" >/dev/null &
g=$!
wait_for "$S/g3"
out=$(session polyns-dave group -- ls "$S/gt")
grep -q shared-file <<<"$out" && [ ! -e "$S/gt/shared-file" ] && ok share_group_tmpfs_polydir_is_shared ||
	not_ok share_group_tmpfs_polydir_is_shared "$out"
wait "$g"
echo "# no polydirs" >"$CONF"

# --- ns=pid: a holder is PID 1, /proc is the namespace's own ---
pam_conf pid "debug share=user ns=pid,time runtime_dir=$RT"
session polyns-alice pid -- sh -c 'echo me=$$; echo one=$(cat /proc/1/comm); echo pid=$(readlink /proc/self/ns/pid); echo time=$(readlink /proc/self/ns/time); sleep 300 & sleep 2' >"$S/p1" &
p=$!
wait_for "$S/p1"
out=$(session polyns-alice pid -- sh -c 'echo pid=$(readlink /proc/self/ns/pid); echo time=$(readlink /proc/self/ns/time); echo n=$(ls /proc | grep -c "^[0-9]")')
wait "$p"
p1=$(cat "$S/p1")
[ "$(field one "$p1")" = polyns-holder ] && [ "$(field me "$p1")" -lt 10 ] &&
	[ "$(field pid "$p1")" != "$(readlink /proc/self/ns/pid)" ] &&
	ok pid_namespace_has_holder_as_pid1_and_own_proc || not_ok pid_namespace_has_holder_as_pid1_and_own_proc "$p1"
[ "$(field pid "$out")" = "$(field pid "$p1")" ] && [ "$(field n "$out")" -lt 10 ] &&
	[ "$(field time "$out")" = "$(field time "$p1")" ] && [ "$(field time "$p1")" != "$(readlink /proc/self/ns/time)" ] &&
	ok pid_and_time_namespaces_shared_by_second_session || not_ok pid_and_time_namespaces_shared_by_second_session "$p1" "$out"
left=$(until_pidns_empty "$(field pid "$p1")")
[ -n "$(field pid "$p1")" ] && [ -z "$left" ] && until_registry_empty && [ "$(live_holders)" = 0 ] &&
	ok pid_namespace_processes_end_with_the_last_session ||
	not_ok pid_namespace_processes_end_with_the_last_session "left in the set: $left" "holders: $(holder_pids | xargs)" "$(ls -la "$REG")"
# shellcheck disable=SC2086
[ -n "$left" ] && kill -9 $left

# A later session of the key still works after the first one's processes are
# gone: the holder, not a session's process, is the namespace's init.
session polyns-alice pid -- sh -c 'echo pid=$(readlink /proc/self/ns/pid) >'"$S/pub/q1"'; sleep 1' >/dev/null &
q1=$!
wait_for "$S/pub/q1"
session polyns-alice pid -- sh -c 'sleep 3' >/dev/null &
q2=$!
wait "$q1"
out=$(session polyns-alice pid -- sh -c 'echo pid=$(readlink /proc/self/ns/pid); echo one=$(cat /proc/1/comm); sleep 0.1 & wait; echo forked=$?')
[ "$(field pid "$out")" = "$(field pid "$(cat "$S/pub/q1")")" ] && [ "$(field one "$out")" = polyns-holder ] &&
	[ "$(field forked "$out")" = 0 ] && ok pid_namespace_joined_after_first_sessions_processes_are_gone ||
	not_ok pid_namespace_joined_after_first_sessions_processes_are_gone "$(cat "$S/pub/q1")" "$out"
wait "$q2"

# tmpdir instances of a pid-namespace set: kept when the set is released (its
# last closer is still in it), removed at a later close, scanned through the
# /proc the module kept from before joining.
mkdir -p "$S/pt" && chmod 1777 "$S/pt"
echo "$S/pt $S/pt-inst/ tmpdir" >"$CONF"
session polyns-alice pid -- true >/dev/null
first=$(ls "$S/pt-inst")
session polyns-alice pid -- true >/dev/null
after=$(ls "$S/pt-inst")
[ -n "$first" ] && ! grep -qx "$first" <<<"$after" && ok pid_set_tmpdir_removed_at_a_later_close ||
	not_ok pid_set_tmpdir_removed_at_a_later_close "first: $first" "after: $after" "$(ls "$RT/pending")"
echo "# no polydirs" >"$CONF"

# A login from inside a session's pid namespace (su inside it) cannot use the
# registry: its process identities would mean nothing there.
log_mark
out=$(session polyns-alice pid -- "$PAMTEST" "$S/pam.d" user polyns-bob -- true)
logs=$(log_since)
grep -q '^open: Cannot' <<<"$out" && grep -q "belongs to another pid namespace" <<<"$logs" &&
	ok registry_refused_from_inside_a_session_pid_namespace ||
	not_ok registry_refused_from_inside_a_session_pid_namespace "$out" "$logs"

# share=session with a pid namespace: a holder for that session alone.
pam_conf pidsess "debug ns=pid runtime_dir=$RT"
a=$(session polyns-alice pidsess -- sh -c 'echo pid=$(readlink /proc/self/ns/pid); echo one=$(cat /proc/1/comm)')
b=$(session polyns-alice pidsess -- sh -c 'echo pid=$(readlink /proc/self/ns/pid)')
[ "$(field one "$a")" = polyns-holder ] && [ "$(field pid "$a")" != "$(field pid "$b")" ] &&
	registry_empty && [ "$(live_holders)" = 0 ] && ok pid_namespace_per_session_released_at_close ||
	not_ok pid_namespace_per_session_released_at_close "$a" "$b" "holders: $(holder_pids | xargs)" "$(ls -la "$REG")"

# Known limit: a helper that dies after its session was counted in a set
# and before its reply (killed at the reply step; a failed final drop ends
# the same way) leaves the session counted while its caller runs, since the
# module never learned the session's registry name.  Other logins keep the
# set; the first login after that caller is gone releases it.
mkfifo "$S/hold"
hook reply kill
"$PAMTEST" "$S/pam.d" user polyns-alice --wait-stdin -- true <"$S/hold" >"$S/held.out" 2>&1 &
held=$!
exec 9>"$S/hold"
wait_for "$S/held.out"
unhook
counted() { find "$REG" -mindepth 2 -maxdepth 2 -path "$REG/user-4001-*/session.$held.*" | grep -q .; }
counted && c1=yes || c1=no
session polyns-bob user -- true >/dev/null
counted && c2=yes || c2=no
echo >&9
exec 9>&-
wait "$held"
log_mark
session polyns-bob user -- true >/dev/null
logs=$(log_since)
[ "$c1 $c2" = "yes yes" ] && grep -q '^open: Cannot' "$S/held.out" &&
	grep -q "releasing the stale shared namespaces user-4001-" <<<"$logs" && registry_empty &&
	[ "$(live_holders)" = 0 ] && ok session_left_counted_after_a_failed_reply_until_its_caller_exits ||
	not_ok session_left_counted_after_a_failed_reply_until_its_caller_exits "counted: $c1 $c2" \
		"$(cat "$S/held.out")" "$logs" "$(ls -la "$REG")"

# A share=session set is its session's own, even when its caller opens a
# second session while the first is open (or while a failed one of its is
# still counted): the second gets a set of its own, never the first's.
pam_conf twice "share=session ns=time runtime_dir=$RT"
out=$("$PAMTEST" "$S/pam.d" twice polyns-alice --twice -- true)
read -r _ status first second <<<"$(grep '^twice: ' <<<"$out")"
[ "$status" = Success ] && [ -n "$first" ] && [ "$first" != "$second" ] &&
	[ "$first" != "$(readlink /proc/self/ns/time)" ] && registry_empty &&
	ok share_session_sets_of_one_caller_are_separate ||
	not_ok share_session_sets_of_one_caller_are_separate "$out" "$(ls -la "$REG")"

# --- options that would change a set other sessions share are refused ---
refused() { # NAME SERVICE ARGS PATTERN
	pam_conf "$2" "$3"
	log_mark
	local out logs
	out=$(session polyns-alice "$2" -- true)
	logs=$(log_since)
	grep -q '^open: Cannot' <<<"$out" && grep -q "$4" <<<"$logs" && ok "$1" || not_ok "$1" "$out" "$logs"
}
refused share_user_refuses_unmnt_remnt r1 "share=user ns=ipc unmnt_remnt runtime_dir=$RT" "unmnt_remnt and unmnt_only would change the mounts of a set kept in the registry"
refused share_group_refuses_unmount_on_close r2 "share=group ns=ipc unmount_on_close runtime_dir=$RT" "unmount_on_close would unmount what other sessions"
refused ns_pid_refuses_unmount_on_close r4 "ns=pid unmount_on_close runtime_dir=$RT" "unmount_on_close would unmount what other sessions"
mkdir -p "$S/open-rt" && chmod 0755 "$S/open-rt"
refused runtime_dir_open_to_others_is_refused_existing r3 "share=user ns=ipc runtime_dir=$S/open-rt" "must be root's, mode 0700"

# --- real clients: su and runuser share bob's set (same options, same key) ---
mkdir -p "$S/etc-pam.d"
for svc in runuser su; do
	cat >"$S/etc-pam.d/$svc" <<X
auth sufficient pam_rootok.so
account required pam_permit.so
session required $MODULE helper=$HELPER config=$CONF config_dir=$CONFD share=user ns=pid,net runtime_dir=$RT
X
done
mount --bind "$S/etc-pam.d" /etc/pam.d
su polyns-bob -c 'echo net=$(readlink /proc/self/ns/net) one=$(cat /proc/1/comm) >'"$S/pub/su1"'; sleep 1.5' >/dev/null 2>&1 &
sp=$!
wait_for "$S/pub/su1"
out=$(runuser -u polyns-bob -- sh -c 'echo net=$(readlink /proc/self/ns/net) one=$(cat /proc/1/comm); id -un' 2>&1)
wait "$sp"
su1=$(cat "$S/pub/su1")
[ "$(field net "$out" | cut -d' ' -f1)" = "$(field net "$su1" | cut -d' ' -f1)" ] && grep -q 'one=polyns-holder' <<<"$su1" &&
	grep -qx polyns-bob <<<"$out" && ok su_and_runuser_share_one_set_with_a_pid_namespace ||
	not_ok su_and_runuser_share_one_set_with_a_pid_namespace "$su1" "$out"
until_registry_empty && [ "$(live_holders)" = 0 ] && ok su_and_runuser_set_released_after_both ||
	not_ok su_and_runuser_set_released_after_both "$(ls -la "$REG")"
umount /etc/pam.d

# --- upgrading from 0.4.0: its holders do not watch their entries ---
# An entry without "watch.entry" (as 0.4.0 wrote them): releasing it retires the
# entry and says that its holder is left running, since nothing signals holders
# any more.  (The holder here is a new one, which watches anyway and ends.)
pam_conf old "debug share=user ns=ipc runtime_dir=$RT"
session polyns-alice old -- sh -c "echo \$\$ >$S/old.sh; exec sleep 30" >/dev/null 2>&1 &
old=$!
wait_for "$S/old.sh"
entry=$(ls -d "$REG"/user-*[0-9a-f] | head -n 1)
old_holder=$(holders_in_registry | head -n 1)
rmdir "$entry/watch.entry"
log_mark
kill "$(cat "$S/old.sh")"
wait "$old" 2>/dev/null
logs=$(log_since)
pid=${old_holder%.*}
grep -q "holder $pid of user-4001-.* was made by an older pam_polyns" <<<"$logs" &&
	[ ! -e "$entry" ] && registry_empty && timeout 5 tail --pid="$pid" -s 0.05 -f /dev/null &&
	ok release_of_an_older_entry_warns_and_retires_it ||
	not_ok release_of_an_older_entry_warns_and_retires_it "$logs" "$(ls -la "$REG")"
tap_done
