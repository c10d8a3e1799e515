#!/bin/bash
# polyns-admin: list shows the live sets with the facts this test knows from
# /proc (holder pid, namespace inodes, sessions, owners), as a table and as
# JSON; release refuses a set in use and changes nothing, ends a set whose
# sessions are gone (its holder ends with its entry, waited for on a pidfd)
# and names an unknown key; a runtime directory someone else could change is
# refused.  The holders name themselves "polyns-holder KEY".
#
# In a pid namespace of its own (POLYNS_OWN_PIDNS): every holder it sees is
# one its sessions made.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/session_lib.sh"
ADMIN=$BUILD/polyns-admin
RT=$S/run-polyns
REG=$RT/shared
admin() { "$ADMIN" --runtime-dir "$RT" "$@"; }

pam_conf user "share=user ns=ipc,uts,net runtime_dir=$RT"
pam_conf group "share=group ns=ipc runtime_dir=$RT"
PRINT='for t in ipc uts net; do echo $t=$(readlink /proc/self/ns/$t); done'
field() { sed -n "s/^$1=//p" <<<"$2" | head -n 1; }
wait_for() { # FILE: until it exists and is not empty (at most 5 s)
	for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.05; done
	return 1
}
# The holder whose ipc namespace is IPC (every process here is ours).
holder_of() {
	local d
	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2>/dev/null)" = polyns-holder ] &&
			[ "$(readlink "$d/ns/ipc" 2>/dev/null)" = "$1" ] && { echo "${d#/proc/}"; return 0; }
	done
	return 1
}
# Until the process PID ends, waited for on its pidfd (at most 10 s).
pid_ends() {
	python3 -c 'import os, select, sys
try:
    fd = os.pidfd_open(int(sys.argv[1]))
except ProcessLookupError:
    sys.exit(0)
p = select.poll()
p.register(fd, select.POLLIN)
sys.exit(0 if p.poll(10000) else 1)' "$1"
}
# A session that stays open until its FIFO is written to; its namespaces in FILE.
open_session() { # USER SERVICE NAME
	mkfifo "$S/go.$3"
	"$PAMTEST" "$S/pam.d" "$2" "$1" -- sh -c "{ $PRINT; } >$S/$3.ns; read _ <$S/go.$3" \
		>"$S/$3.out" 2>&1 &
	eval "pid_$3=\$!"
	wait_for "$S/$3.ns"
}
close_session() { # NAME
	echo >"$S/go.$1"
	wait "$(eval echo "\$pid_$1")" 2>/dev/null
}
row_of() { admin list | awk -v k="$1" '$1 == k'; }
snapshot() { find "$REG" | sort; }

# ---- an empty or missing registry ----
out=$(admin list 2>&1)
rc=$?
[ $rc = 0 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q '^KEY ' <<<"$out" && [ ! -e "$RT" ] &&
	ok list_without_registry_is_empty_and_makes_nothing ||
	not_ok list_without_registry_is_empty_and_makes_nothing "rc=$rc" "$out" "$(ls -la "$RT" 2>&1)"

# ---- two sets: alice's (share=user, two sessions), the team's (share=group) ----
open_session polyns-alice user a1
open_session polyns-alice user a2
open_session polyns-carol group c1
a1=$(cat "$S/a1.ns")
c1=$(cat "$S/c1.ns")
ukey=$(ls "$REG" | grep '^user-4001-[0-9a-f]*$')
gkey=$(ls "$REG" | grep '^group-4100-[0-9a-f]*$')
uholder=$(holder_of "$(field ipc "$a1")")
gholder=$(holder_of "$(field ipc "$c1")")
ino() { sed 's/.*\[\(.*\)\]/\1/' <<<"$1"; }
want_ns="ipc:[$(ino "$(readlink "/proc/$uholder/ns/ipc")")],net:[$(ino "$(readlink "/proc/$uholder/ns/net")")],uts:[$(ino "$(readlink "/proc/$uholder/ns/uts")")]"
urow=$(row_of "$ukey")
grow=$(row_of "$gkey")
# KEY KIND OWNER HOLDER SESSIONS AGE STATE NAMESPACES
read -r _ kind owner holder sessions _ state nss <<<"$urow"
[ -n "$uholder" ] && [ "$kind $owner $holder $sessions $state" = "user polyns-alice $uholder 2 in-use" ] &&
	[ "$nss" = "$want_ns" ] && [ "$(field ipc "$a1")" = "$(readlink "/proc/$uholder/ns/ipc")" ] &&
	[ "$(field net "$(cat "$S/a2.ns")")" = "$(readlink "/proc/$uholder/ns/net")" ] &&
	ok list_shows_user_set_with_its_holder_namespaces_and_two_sessions ||
	not_ok list_shows_user_set_with_its_holder_namespaces_and_two_sessions "row: $urow" \
		"want holder $uholder, namespaces $want_ns" "$(admin list 2>&1)"
read -r _ kind owner holder sessions _ state nss <<<"$grow"
[ -n "$gholder" ] && [ "$kind $owner $holder $sessions $state" = "group polyns-team $gholder 1 in-use" ] &&
	[ "$nss" = "ipc:[$(ino "$(field ipc "$c1")")]" ] &&
	ok list_shows_group_set_with_its_holder_and_namespace ||
	not_ok list_shows_group_set_with_its_holder_and_namespace "row: $grow" "want holder $gholder, $(field ipc "$c1")"

json=$(admin list --json)
rc=$?
if [ $rc = 0 ] && python3 -m json.tool <<<"$json" >/dev/null 2>&1; then
	ok list_json_is_valid
else
	not_ok list_json_is_valid "rc=$rc" "$json"
fi
# The same facts through JSON, compared with what /proc says.
facts=$(python3 -c 'import json, sys
d = json.load(sys.stdin)
for s in d["sets"]:
    ns = ",".join("%s:[%d]" % (n["type"], n["ino"]) for n in sorted(s["namespaces"], key=lambda n: n["type"]))
    print(s["key"], s["kind"], s.get("name"), s.get("uid", s.get("gid")), s["holder"]["pid"],
          s["holder"]["running"], s["sessions"]["open"], s["state"], ns, s["age_seconds"] >= 0)' <<<"$json" 2>&1)
want_u="$ukey user polyns-alice 4001 $uholder True 2 in-use $want_ns True"
want_g="$gkey group polyns-team 4100 $gholder True 1 in-use ipc:[$(ino "$(field ipc "$c1")")] True"
grep -qxF "$want_u" <<<"$facts" && grep -qxF "$want_g" <<<"$facts" && [ "$(wc -l <<<"$facts")" = 2 ] &&
	ok list_json_has_the_same_facts ||
	not_ok list_json_has_the_same_facts "$facts" "want: $want_u" "want: $want_g"

# ---- the holders name themselves ----
[ "$(ps -o args= -p "$uholder")" = "polyns-holder $ukey" ] && [ "$(cat "/proc/$uholder/comm")" = polyns-holder ] &&
	[ "$(pgrep -f "^polyns-holder $ukey\$")" = "$uholder" ] &&
	[ "$(pgrep -f "^polyns-holder $gkey\$")" = "$gholder" ] &&
	ok holder_shows_its_key_in_ps_and_pgrep ||
	not_ok holder_shows_its_key_in_ps_and_pgrep "args: $(ps -o args= -p "$uholder")" \
		"comm: $(cat "/proc/$uholder/comm")" "pgrep: $(pgrep -af polyns-holder)"

# ---- release refuses a set in use, and changes nothing ----
before=$(snapshot)
out=$(admin release "$ukey" 2>&1)
rc=$?
[ $rc = 3 ] && grep -q "$ukey is in use: not released" <<<"$out" && grep -q "2 session(s)" <<<"$out" &&
	[ "$(snapshot)" = "$before" ] && kill -0 "$uholder" &&
	ok release_of_set_in_use_fails_and_changes_nothing ||
	not_ok release_of_set_in_use_fails_and_changes_nothing "rc=$rc" "$out" "$(diff <(echo "$before") <(snapshot))"

# ---- list and release change nothing of a set whose callers are gone ----
# a1's caller is killed (no close_session): its record stays until someone looks.
kill -9 "$pid_a1"
wait "$pid_a1" 2>/dev/null
before=$(snapshot)
read -r _ _ _ _ sessions _ state _ <<<"$(row_of "$ukey")"
[ "$sessions $state" = "1 in-use" ] && [ "$(snapshot)" = "$before" ] &&
	ok list_counts_only_live_sessions_and_forgets_nothing ||
	not_ok list_counts_only_live_sessions_and_forgets_nothing "sessions=$sessions state=$state" \
		"$(diff <(echo "$before") <(snapshot))"
kill -9 "$pid_a2"
wait "$pid_a2" 2>/dev/null
read -r _ _ _ _ sessions _ state _ <<<"$(row_of "$ukey")"
[ "$sessions $state" = "0 unused" ] && ok list_shows_set_without_sessions_as_unused ||
	not_ok list_shows_set_without_sessions_as_unused "$(admin list 2>&1)"

# ---- release ends it: the holder ends with its entry ----
out=$(admin release "$ukey" 2>&1)
rc=$?
[ $rc = 0 ] && grep -qx "released $ukey" <<<"$out" && grep -q "its holder $uholder ended" <<<"$out" &&
	pid_ends "$uholder" && [ ! -e "$REG/$ukey" ] && [ ! -e "$REG/$ukey.lock" ] &&
	[ -z "$(row_of "$ukey")" ] && [ -n "$(row_of "$gkey")" ] &&
	ok release_after_sessions_are_gone_ends_holder_and_entry ||
	not_ok release_after_sessions_are_gone_ends_holder_and_entry "rc=$rc" "$out" "$(ls -la "$REG")"
echo >"$S/go.a1"
echo >"$S/go.a2"

# ---- unknown and malformed keys ----
before=$(snapshot)
out=$(admin release "$ukey" 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "no shared set $ukey in $RT" <<<"$out" && [ "$(snapshot)" = "$before" ] &&
	ok release_of_unknown_key_fails_clearly_and_makes_no_lock ||
	not_ok release_of_unknown_key_fails_clearly_and_makes_no_lock "rc=$rc" "$out" "$(diff <(echo "$before") <(snapshot))"
out=$(admin release "../$gkey" 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "is not the key of a set" <<<"$out" && [ -e "$REG/$gkey" ] &&
	ok release_of_malformed_key_is_refused || not_ok release_of_malformed_key_is_refused "rc=$rc" "$out"
out=$(admin frobnicate 2>&1)
[ $? = 2 ] && grep -q "unknown command" <<<"$out" && ok unknown_command_is_a_usage_error ||
	not_ok unknown_command_is_a_usage_error "$out"

# ---- release waits for the key's lock, as a helper does, and runs confined ----
# carol's session ends first: the set is then unused, and released once the lock is free.
close_session c1
# Her close released it already (the last session): make another, and kill its caller.
mkfifo "$S/go.c2"
"$PAMTEST" "$S/pam.d" group polyns-dave -- sh -c "{ $PRINT; } >$S/c2.ns; read _ <$S/go.c2" >/dev/null 2>&1 &
pid_c2=$!
wait_for "$S/c2.ns"
gkey=$(ls "$REG" | grep '^group-4100-[0-9a-f]*$')
gholder=$(holder_of "$(field ipc "$(cat "$S/c2.ns")")")
kill -9 "$pid_c2"
wait "$pid_c2" 2>/dev/null
mkfifo "$S/unlock"
flock "$REG/$gkey.lock" -c "echo locked >$S/locked; read _ <$S/unlock" &
locker=$!
wait_for "$S/locked"
"$ADMIN" --runtime-dir "$RT" release "$gkey" >"$S/rel.out" 2>&1 &
rel=$!
# Blocked in flock (syscall 73) on the lock the test holds.
for _ in $(seq 100); do [ "$(cut -d' ' -f1 "/proc/$rel/syscall" 2>/dev/null)" = 73 ] && break; sleep 0.05; done
status=$(cat "/proc/$rel/status" 2>/dev/null)
blocked=$(cut -d' ' -f1 "/proc/$rel/syscall" 2>/dev/null)
still=$([ -e "$REG/$gkey" ] && echo yes)
echo >"$S/unlock"
wait "$locker"
wait "$rel"
rc=$?
[ "$blocked" = 73 ] && [ "$still" = yes ] && [ $rc = 0 ] && pid_ends "$gholder" && [ ! -e "$REG/$gkey" ] &&
	ok release_waits_for_the_keys_lock ||
	not_ok release_waits_for_the_keys_lock "syscall: $blocked, entry while locked: $still, rc=$rc" "$(cat "$S/rel.out")"
grep -q '^CapEff:[[:space:]]*0000000000000000' <<<"$status" &&
	grep -q '^CapPrm:[[:space:]]*0000000000000000' <<<"$status" &&
	grep -q '^CapBnd:[[:space:]]*0000000000000000' <<<"$status" &&
	grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$status" && grep -q '^Seccomp:[[:space:]]*2' <<<"$status" &&
	ok admin_has_no_capability_no_new_privs_and_a_filter ||
	not_ok admin_has_no_capability_no_new_privs_and_a_filter "$status"
echo >"$S/go.c2"

# ---- an entry someone tampered with is shown as refused, never used ----
open_session polyns-alice user t1
ukey=$(ls "$REG" | grep '^user-4001-[0-9a-f]*$')
chmod 0755 "$REG/$ukey"
out=$(admin list 2>"$S/err")
rc=$?
json=$(admin list --json 2>/dev/null)
[ $rc = 1 ] && awk -v k="$ukey" '$1 == k && $7 == "refused"' <<<"$out" | grep -q . &&
	grep -q "registry entry $ukey is not root's or is malformed" "$S/err" &&
	python3 -c 'import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(s["key"] == sys.argv[1] and "error" in s for s in d["sets"]) else 1)' "$ukey" <<<"$json" &&
	ok list_shows_tampered_entry_as_refused ||
	not_ok list_shows_tampered_entry_as_refused "rc=$rc" "$out" "$(cat "$S/err")" "$json"
out=$(admin release "$ukey" 2>&1)
rc=$?
[ $rc = 1 ] && grep -q "not root's or is malformed" <<<"$out" && [ -e "$REG/$ukey" ] &&
	ok release_of_tampered_entry_is_refused || not_ok release_of_tampered_entry_is_refused "rc=$rc" "$out"
chmod 0700 "$REG/$ukey"
close_session t1

# ---- runtime directories someone else could change ----
mkdir -m 1777 "$S/pub"
hostile() { # NAME RUNTIME-DIR PATTERN
	local out rc
	out=$("$ADMIN" --runtime-dir "$2" list 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -q -- "$3" <<<"$out" && ! grep -q '^KEY' <<<"$out" && ok "$1" ||
		not_ok "$1" "rc=$rc" "$out"
}
mkdir -m 700 "$S/real-rt" "$S/real-rt/shared"
runuser -u polyns-alice -- ln -s "$S/real-rt" "$S/pub/rt"
hostile runtime_dir_behind_users_symlink_is_refused "$S/pub/rt" "runtime directory"
mkdir -m 700 "$S/alices-rt"
chown polyns-alice "$S/alices-rt"
hostile runtime_dir_owned_by_user_is_refused "$S/alices-rt" "must be root's, mode 0700"
mkdir -m 1777 "$S/open-rt"
hostile runtime_dir_world_writable_is_refused "$S/open-rt" "must be root's, mode 0700"
mkdir -m 700 "$S/link-rt" "$S/elsewhere"
ln -s "$S/elsewhere" "$S/link-rt/shared"
hostile registry_as_symlink_is_refused "$S/link-rt" "cannot open the registry"
mkdir -m 700 "$S/other-rt" "$S/other-rt/shared" "$S/other-rt/shared/pidns.1"
hostile registry_of_another_pid_namespace_is_refused "$S/other-rt" "belongs to another pid namespace"
out=$("$ADMIN" --runtime-dir "$S/open-rt" release user-1-0123456789abcdef 2>&1)
[ $? = 1 ] && grep -q "must be root's, mode 0700" <<<"$out" && ok release_in_hostile_runtime_dir_is_refused ||
	not_ok release_in_hostile_runtime_dir_is_refused "$out"
out=$(runuser -u polyns-alice -- "$ADMIN" --runtime-dir "$RT" list 2>&1)
[ $? = 1 ] && grep -q "must run as root" <<<"$out" && ok admin_refuses_to_run_as_a_user ||
	not_ok admin_refuses_to_run_as_a_user "$out"

# ---- a share=session set (its key is random hex: no owner in it) ----
pam_conf sess "share=session ns=ipc,pid runtime_dir=$RT"
open_session polyns-bob sess s1
read -r skey kind owner _ <<<"$(admin list | awk '$1 ~ /^session-/')"
sjson=$(admin list --json | python3 -c 'import json, sys
for s in json.load(sys.stdin)["sets"]:
    if s["key"].startswith("session-"):
        print(s["kind"], sorted(k for k in ("caller_pid", "uid", "gid", "name") if k in s))' 2>&1)
close_session s1
[ -n "$skey" ] && [ "$kind $owner" = "session -" ] && [ "$sjson" = "session []" ] &&
	ok session_set_is_listed_as_a_session ||
	not_ok session_set_is_listed_as_a_session "row: $skey $kind $owner" "json: $sjson"

[ -z "$(ls "$REG" | grep -v '^pidns\.')" ] && ok registry_empty_at_the_end ||
	not_ok registry_empty_at_the_end "$(ls -la "$REG")"
tap_done
