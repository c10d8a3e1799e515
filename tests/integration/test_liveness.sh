#!/bin/bash
# What a local user can do against other users' sessions through the
# liveness checks: take a dead caller's or holder's number with a thread (or
# a new process) so that its set looks in use, or keep more mount namespaces
# than a close could name so that kept tmpdir instances are never collected.
# Neither may block a login or keep anything.
#
# The test runs alone in a pid namespace of its own: ns_last_pid then hands
# out exactly the number it wants, and every process it looks at is its own.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/session_lib.sh"

RT=$S/run-polyns
REG=$RT/shared
TAKE=$REPO/tests/integration/take_pid.py
MANY=$REPO/tests/integration/many_mntns.py
PRINT='echo ipc=$(readlink /proc/self/ns/ipc)'

pam_conf user "debug share=user ns=ipc runtime_dir=$RT"
pam_conf group "debug share=group ns=ipc runtime_dir=$RT"

wait_for() { # FILE: until it has something in it (at most 5 s)
	for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.05; done
	return 1
}
# until_gone PID: until no process has the number (at most 5 s); a process
# we did not start (a holder, a session's command) is reaped by us, init.
until_gone() { timeout 5 tail --pid="$1" -s 0.05 -f /dev/null; }
field() { sed -n "s/^$1=//p" <<<"$2" | head -n 1; }
# The entry of a key prefix, and what it records.
entry_of() { find "$REG" -mindepth 1 -maxdepth 1 -name "$1-*" ! -name '*.*' | head -n 1; }
holder_of() { find "$1" -mindepth 1 -maxdepth 1 -name 'holder.*' -printf '%f\n' | cut -d. -f2,3; }
callers_of() { find "$1" -mindepth 1 -maxdepth 1 -name 'session.*' -printf '%f\n' | cut -d. -f2; }
# running PID START: a process (not a thread) with that number and start time.
running() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$(awk '{print $20}' <<<"$st")" = "$2" ] && [ "$(awk '{print $2}' <<<"$st" | cut -c1)" != Z ] &&
		grep -q "^Tgid:[[:space:]]*$1\$" "/proc/$1/status"
}
registry_empty() { [ -z "$(find "$REG" -mindepth 1 -maxdepth 1 ! -name 'pidns.*' ! -name '*.lock')" ]; }

# stale_set SERVICE USER FILE: a set whose only session's caller was SIGKILLed
# (no close_session); CALLER and HOLDER (PID.START) name them.  The
# session's command is ended too.
stale_set() {
	local e cmd
	CALLER="" HOLDER=""
	"$PAMTEST" "$S/pam.d" "$1" "$2" -- sh -c "{ $PRINT; } >$3; echo \$\$ >$3.sh; exec sleep 600" >/dev/null 2>&1 &
	local caller=$!
	wait_for "$3.sh" || return 1
	cmd=$(cat "$3.sh")
	e=$(entry_of "$1")
	[ "$(callers_of "$e")" = "$caller" ] && HOLDER=$(holder_of "$e") && CALLER=$caller
	kill -9 "$caller"
	wait "$caller" 2>/dev/null
	kill -9 "$cmd"
	until_gone "$cmd"
}

# take MODE PID FILE: a task of polyns-bob's gets number PID; TAKER is its
# process.  Its report comes through a FIFO that this shell reads with a
# builtin: no process of ours (a "sleep" of a polling loop) may be made
# between its setting ns_last_pid and its taking the number.
take() {
	rm -f "$3.fifo"
	mkfifo "$3.fifo"
	exec 8<>"$3.fifo" # open for reading without waiting for the writer
	python3 "$TAKE" "$1" "$2" 4002 "$3.fifo" >/dev/null 2>&1 &
	TAKER=$!
	local line=""
	read -t 10 -r line <&8
	exec 8<&-
	echo "$line" >"$3"
}

# --- a thread holding a dead caller's number: the set is stale ---
stale_set user polyns-alice "$S/a1"
caller=$CALLER holder=$HOLDER
take thread "$caller" "$S/t1"
taker=$TAKER
tid=$(sed -n 's/^tid=\([0-9]*\) tgid=\([0-9]*\)$/\1 \2/p' "$S/t1")
log_mark
out=$(session polyns-alice user -- sh -c "$PRINT")
logs=$(log_since)
[ -n "$caller" ] && [ "$tid" = "$caller $taker" ] && [ "$taker" != "$caller" ] &&
	grep -q '^open: Success' <<<"$out" &&
	grep -q "releasing the stale shared namespaces user-4001-" <<<"$logs" &&
	[ "$(field ipc "$out")" != "$(field ipc "$(cat "$S/a1")")" ] &&
	until_gone "${holder%.*}" && registry_empty &&
	ok thread_with_a_dead_callers_number_does_not_keep_the_set ||
	not_ok thread_with_a_dead_callers_number_does_not_keep_the_set "caller=$caller thread=$tid" "$out" "$logs"
kill "$taker"
wait "$taker" 2>/dev/null

# --- the same for a process that got the number later (another start time) ---
stale_set user polyns-alice "$S/a2"
caller=$CALLER
take process "$caller" "$S/t2"
taker=$TAKER
log_mark
out=$(session polyns-alice user -- true)
logs=$(log_since)
[ -n "$caller" ] && grep -q "^tid=$caller " "$S/t2" && grep -q '^open: Success' <<<"$out" &&
	grep -q "releasing the stale shared namespaces user-4001-" <<<"$logs" && registry_empty &&
	ok process_with_a_recycled_callers_number_does_not_keep_the_set ||
	not_ok process_with_a_recycled_callers_number_does_not_keep_the_set "caller=$caller $(cat "$S/t2")" "$out" "$logs"
kill "$taker" "$caller"
wait "$taker" 2>/dev/null
until_gone "$caller"

# --- a thread holding a dead holder's number: the set is stale, a new one is made ---
"$PAMTEST" "$S/pam.d" user polyns-alice -- sh -c "{ $PRINT; } >$S/b1; echo \$\$ >$S/b1.sh; exec sleep 600" >/dev/null 2>&1 &
first=$!
wait_for "$S/b1.sh"
holder=$(holder_of "$(entry_of user-4001)")
kill -9 "${holder%.*}"
until_gone "${holder%.*}"
take thread "${holder%.*}" "$S/t3"
taker=$TAKER
log_mark
out=$(session polyns-alice user -- sh -c "$PRINT")
logs=$(log_since)
[ -n "$holder" ] && grep -q "^tid=${holder%.*} " "$S/t3" && grep -q '^open: Success' <<<"$out" &&
	grep -q "releasing the stale shared namespaces user-4001-.*(holder gone)" <<<"$logs" &&
	[ "$(field ipc "$out")" != "$(field ipc "$(cat "$S/b1")")" ] &&
	ok thread_with_a_dead_holders_number_does_not_keep_the_set ||
	not_ok thread_with_a_dead_holders_number_does_not_keep_the_set "holder=$holder $(cat "$S/t3")" "$out" "$logs"
kill "$taker"
wait "$taker" 2>/dev/null
kill "$(cat "$S/b1.sh")"
wait "$first"
registry_empty || not_ok registry_empty_after_holder_case "$(ls -la "$REG")"

# --- another user's login sweeps a group set pinned by a thread ---
stale_set group polyns-carol "$S/c1"
caller=$CALLER holder=$HOLDER
take thread "$caller" "$S/t4"
taker=$TAKER
log_mark
out=$(session polyns-alice user -- true)
logs=$(log_since)
[ -n "$caller" ] && grep -q "^tid=$caller " "$S/t4" && grep -q '^open: Success' <<<"$out" &&
	grep -q "releasing the stale shared namespaces group-4100-" <<<"$logs" &&
	until_gone "${holder%.*}" && registry_empty &&
	ok thread_with_a_dead_callers_number_does_not_stop_other_keys_sweep ||
	not_ok thread_with_a_dead_callers_number_does_not_stop_other_keys_sweep "caller=$caller $(cat "$S/t4")" "$out" "$logs" "$(ls -la "$REG")"
kill "$taker"
wait "$taker" 2>/dev/null

# --- a user with more mount namespaces than one close could name ---
# alice's session leaves a background job: her tmpdir instance is kept.
mkdir -p "$S/vt" && chmod 1777 "$S/vt"
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
pam_conf close "debug runtime_dir=$RT"
count() { find "$S/vt-inst" -mindepth 1 -maxdepth 1 | wc -l; }
session polyns-alice close -- sh -c "sleep 600 </dev/null >/dev/null 2>&1 & echo \$! >$S/bg" >/dev/null
wait_for "$S/bg"
kept=$(count)
kill "$(cat "$S/bg")"
until_gone "$(cat "$S/bg")"
# bob keeps 1,100 mount namespaces (user namespaces of his own, as anyone may).
runuser -u polyns-bob -- python3 "$MANY" 1100 >"$S/many" &
many=$!
wait_for "$S/many"
for _ in $(seq 200); do [ "$(wc -l <"$S/many")" -ge 1100 ] && break; sleep 0.05; done
mntns=$(find /proc -maxdepth 3 -path '/proc/[0-9]*/ns/mnt' -exec readlink {} + 2>/dev/null | sort -u | wc -l)
# carol's close must still collect alice's instance.
log_mark
out=$(session polyns-carol close -- true)
logs=$(log_since)
[ "$kept" = 1 ] && [ "$mntns" -gt 1100 ] && grep -q '^close: Success' <<<"$out" && [ "$(count)" = 0 ] &&
	[ -z "$(ls -A "$RT/pending")" ] &&
	ok kept_instance_collected_while_a_user_keeps_1100_mount_namespaces ||
	not_ok kept_instance_collected_while_a_user_keeps_1100_mount_namespaces "kept=$kept mntns=$mntns left=$(count)" "$out" "$logs" "$(ls "$RT/pending")"
# shellcheck disable=SC2046
kill -9 $(cat "$S/many") "$many" 2>/dev/null
wait "$many" 2>/dev/null
echo "# no polydirs" >"$CONF"

tap_done
