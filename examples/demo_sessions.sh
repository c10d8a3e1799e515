#!/bin/bash
# The live part of `make demo`: real PAM sessions through build/pam_polyns.so
# and the test build of the helper (the same code plus fault-injection hooks,
# one of which pauses it so that /proc can show its state),
# all inside a private mount namespace with its own test users, and a pid
# namespace of its own: the holders and helpers it shows are its own.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/../tests/integration/session_lib.sh"
HELPER=$TEST_HELPER

mkdir -p "$S/tmp" && chmod 1777 "$S/tmp"
cat >"$CONF" <<X
$S/tmp  $S/tmp-inst/  user
X
pam_conf demo "ns=net,uts,ipc"
say() { printf '%s\n' "$*"; }

say "== two sessions, each with a private /tmp (a polydir at $S/tmp here)"
for u in polyns-alice polyns-bob; do
	session "$u" demo --as-user -- sh -c "echo hello from $u >$S/tmp/note; printf '  %-13s sees in /tmp: %s\n' $u \"\$(ls $S/tmp)\"; printf '  %-13s net namespace %s, instance %s\n' $u \$(readlink /proc/self/ns/net) \$(findmnt -n -o SOURCE $S/tmp)" | grep -v '^open\|^close'
done
say "  the host's /tmp holds: $(ls -A "$S/tmp" | tr '\n' ' ')(nothing: each user's file is in their instance)"
say "  instances on disk: $(cd "$S/tmp-inst" && ls | tr '\n' ' ')under a root-only, mode $(stat -c %a "$S/tmp-inst") parent"
say

say "== share=user: two concurrent sessions of one user share one set of namespaces"
RT=$S/run-polyns
pam_conf shared "share=user ns=net,ipc,pid runtime_dir=$RT"
show='printf "  %s: net %s, pid %s, PID 1 is %s, my pid %s\n"'
session polyns-alice shared -- sh -c "$show first \$(readlink /proc/self/ns/net) \$(readlink /proc/self/ns/pid) \$(cat /proc/1/comm) \$\$ >$S/first; sleep 1.5" >/dev/null &
first=$!
for _ in $(seq 100); do [ -s "$S/first" ] && break; sleep 0.05; done
cat "$S/first"
session polyns-alice shared -- sh -c "$show second \$(readlink /proc/self/ns/net) \$(readlink /proc/self/ns/pid) \$(cat /proc/1/comm) \$\$" | grep -v '^open\|^close'
session polyns-bob shared -- sh -c "$show 'bob   ' \$(readlink /proc/self/ns/net) \$(readlink /proc/self/ns/pid) \$(cat /proc/1/comm) \$\$" | grep -v '^open\|^close'
say "  while both run, the root-only registry holds: $(ls "$RT/shared" | grep -v '\.lock$\|^pidns\.' | tr '\n' ' ')"
wait "$first"
# A holder ends when its registry entry is retired: give it a moment to go.
for _ in $(seq 100); do
	[ "$(ps -eo stat=,comm= | awk '$2 == "polyns-holder" && $1 !~ /^Z/' | wc -l)" = 0 ] && break
	sleep 0.05
done
say "  after the last close: registry $(ls -A "$RT/shared" | grep -vc '^pidns\.') entries, $(ps -eo stat=,comm= | awk '$2 == "polyns-holder" && $1 !~ /^Z/' | wc -l) holders left"
say

say "== the helper at its polydirs step (read from /proc; see policy/capabilities.txt)"
hook polydirs hang
pam_conf slow "ns=net timeout=5"
session polyns-alice slow -- true >/dev/null 2>&1 &
spid=$!
for _ in $(seq 50); do
	hpid=$(parked_helper)
	[ -n "$hpid" ] && grep -q '^Seccomp:[[:space:]]*2' "/proc/$hpid/status" 2>/dev/null && break
	sleep 0.1
done
st=$(cat "/proc/$hpid/status")
kill -9 "$hpid" 2>/dev/null
wait $spid 2>/dev/null
unhook
cap_names() {
	local names="" pair
	for pair in 0:chown 1:dac_override 3:fowner 4:fsetid 12:net_admin 21:sys_admin; do
		(( 16#$1 >> ${pair%%:*} & 1 )) && names="$names ${pair#*:}"
	done
	echo "${names:- none}"
}
eff=$(awk '$1=="CapEff:" {print $2}' <<<"$st")
prm=$(awk '$1=="CapPrm:" {print $2}' <<<"$st")
say "  effective:$(cap_names "$eff"); permitted:$(cap_names "$prm") (net_admin gone: it was needed only to bring lo up)"
say "  bounding set $(awk '$1=="CapBnd:" {print $2}' <<<"$st"), no_new_privs $(awk '$1=="NoNewPrivs:" {print $2}' <<<"$st"), $(awk '$1=="Seccomp_filters:" {print $2}' <<<"$st") seccomp programs stacked (one per step so far; anything off them kills it)"
say "  uid: $(awk '$1=="Uid:" {print $2"/"$3"/"$4"/"$5}' <<<"$st"), and it cannot exec, ptrace or open files for writing"
