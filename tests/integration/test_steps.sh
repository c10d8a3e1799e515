#!/bin/bash
# The step table as the kernel sees it: the helper (or its child) parked at
# each step shows, in /proc/PID/status, the capabilities the step table
# declares (effective and permitted), every step's filter stacked so far,
# no_new_privs, uid 0 and empty bounding, ambient and inheritable sets.
. "$(dirname "$0")/session_lib.sh"
HELPER=$TEST_HELPER # fault injection (hook)

RT=$S/run-polyns
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
mkdir -p "$S/vt"
chmod 1777 "$S/vt"
pam_conf plain "ns=net runtime_dir=$RT timeout=10"
pam_conf shared "share=user ns=net runtime_dir=$RT timeout=10"
pam_conf unm "unmount_on_close ns=net runtime_dir=$RT timeout=10"
pam_conf nonet "runtime_dir=$RT timeout=10"

# Capability bits: chown 0, dac_override 1, fowner 3, fsetid 4, net_admin 12, sys_admin 21.
caps() {
	local bits=0 c
	for c in "$@"; do
		case $c in
		chown) bits=$((bits | 1 << 0)) ;;
		dac_override) bits=$((bits | 1 << 1)) ;;
		fowner) bits=$((bits | 1 << 3)) ;;
		fsetid) bits=$((bits | 1 << 4)) ;;
		net_admin) bits=$((bits | 1 << 12)) ;;
		sys_admin) bits=$((bits | 1 << 21)) ;;
		esac
	done
	printf '%016x' "$bits"
}
ALL=$(caps chown dac_override fowner net_admin sys_admin)
POLY=$(caps chown dac_override fowner sys_admin)
NONE=$(caps)

# status_at STEP SERVICE: /proc/PID/status of our helper parked at STEP.
status_at() {
	local step=$1 service=$2 spid hpid="" _
	echo "$step hang" >/run/polyns-test-hook
	session polyns-alice "$service" -- true >/dev/null 2>&1 </dev/null &
	spid=$!
	for _ in $(seq 100); do
		hpid=$(parked_helper) && break
		sleep 0.05
	done
	ST=$(cat "/proc/$hpid/status" 2>/dev/null)
	[ -n "$hpid" ] && kill -9 "$hpid"
	wait "$spid" 2>/dev/null
	rm -f /run/polyns-test-hook
}

field() { awk -v f="$1:" '$1 == f {print $2}' <<<"$ST"; }

# expect STEP SERVICE CAPEFF CAPPRM FILTERS
expect() {
	local step=$1 service=$2 eff=$3 prm=$4 filters=$5 got want
	status_at "$step" "$service"
	got="$(field CapEff) $(field CapPrm) $(field Seccomp_filters) $(field CapInh) $(field CapBnd)"
	got="$got $(field CapAmb) $(field NoNewPrivs) $(field Seccomp)"
	got="$got $(awk '$1 == "Uid:" {print $2 $3 $4 $5}' <<<"$ST")"
	got="$got groups:$(awk '$1 == "Groups:" {print NF - 1}' <<<"$ST")"
	want="$eff $prm $filters $NONE $NONE $NONE 1 2 0000 groups:0"
	[ "$got" = "$want" ] && ok "step_${step}_${service}_has_its_privileges" ||
		not_ok "step_${step}_${service}_has_its_privileges" \
			"want (eff prm filters inh bnd amb nnp seccomp uids groups): $want" "got: $got"
}

# Open: one new set with a net namespace and one tmpdir polydir.
expect setup plain "$NONE" "$ALL" 1
# forked before setup: its own program only, taken before anything else
expect plan plain "$NONE" "$NONE" 1
# namespaces keeps setup's filter (steps.c says why)
expect namespaces plain "$(caps net_admin sys_admin)" "$ALL" 1
# without ns=net, no CAP_NET_ADMIN from the first step after the request
expect namespaces nonet "$(caps sys_admin)" "$POLY" 1
expect polydirs plain "$POLY" "$POLY" 2
# no pid namespace: nothing mounts after the polydirs
expect sets plain "$(caps dac_override)" "$(caps dac_override)" 3
expect reply plain "$NONE" "$NONE" 4
# the registry step is a child of its own
expect registry shared "$NONE" "$NONE" 2
# Close: the tree child, then the helper's own steps.
expect tree plain "$(caps dac_override)" "$(caps dac_override)" 2
expect cleanup plain "$(caps dac_override)" "$(caps dac_override)" 2
expect close-reply plain "$NONE" "$NONE" 3
expect unmount unm "$(caps dac_override sys_admin)" "$(caps dac_override sys_admin)" 2
expect close-registry shared "$NONE" "$(caps dac_override)" 2
# That close was cut short: the next login releases the stale set and its holder.
session polyns-alice shared -- true >/dev/null 2>&1 </dev/null
left=$(ls -A "$RT/shared" 2>/dev/null | grep -v '^pidns\.')
[ -z "$left" ] && ok stale_set_of_cut_close_released || not_ok stale_set_of_cut_close_released "$left"
tap_done
