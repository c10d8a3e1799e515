#!/bin/bash
# A compromised helper stays contained.  At each step of the helper's step
# table, the test helper runs one hostile operation (src/testhooks/test_attack.c)
# against a root-owned decoy tree, a host mount, the host's mount propagation,
# the host network namespace and a root process; then the test looks at the
# host from outside.  Each step is held to what SECURITY.md claims for it
# (CONTAINED below): every operation listed there must have no effect.  The
# operations a step is not claimed to stop are still run and their effect is
# printed as a "#" line, so the table in SECURITY.md can be checked against it.
#
# STEPS=... can be set to run other hook points and claims (for example the
# full list at 0.4.0's hook points "request" and "reply", to see it fail).
if [ -z "${POLYNS_IN_NETNS:-}" ]; then
	# Our own network namespace: "the host network" is this test's.
	exec unshare -n env POLYNS_IN_NETNS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/session_lib.sh"
HELPER=$TEST_HELPER # fault injection (hook)
ip link set lo up

RT=$S/run-polyns
ALICE_UID=4001
OPS="read chmod setuid setgid fchown rename unlink mkdir overmount umount propagation netlink kill"
ALL="$OPS"
HOST="overmount umount propagation netlink"

# One line per step: STEP SERVICE OPERATIONS-IT-MUST-NOT-BE-ABLE-TO-DO (SECURITY.md's
# table).  setup and namespaces run before any input is read (setup reads only
# the module's request; namespaces is the unshare itself): only that they
# cannot kill (no step may signal another process) is claimed.
STEPS=${STEPS:-"setup plain kill
plan plain $ALL
namespaces plain kill
registry shared $ALL
polydirs plain setuid unlink $HOST kill
sets shared chmod setuid setgid fchown unlink $HOST kill
reply plain $ALL
unmount unm kill
close-registry shared $ALL
cleanup plain $ALL
tree plain $ALL
close-reply plain $ALL"}

echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
mkdir -p "$S/vt"
chmod 1777 "$S/vt"
pam_conf plain "debug ns=net runtime_dir=$RT"
pam_conf shared "debug share=user ns=net runtime_dir=$RT"
pam_conf unm "debug unmount_on_close ns=net runtime_dir=$RT"

# A root process of the host, restarted whenever an attack got it.
VICTIM=
start_victim() {
	sleep 1000 &
	VICTIM=$!
}
start_victim
trap 'kill "$VICTIM" 2>/dev/null; cleanup' EXIT

fresh_targets() {
	while mountpoint -q /run/hostdir; do umount -l /run/hostdir; done
	while mountpoint -q /run/hostmnt; do umount -l /run/hostmnt; done
	rm -rf /run/decoy /run/userdir /run/hostdir /run/hostmnt
	mkdir -m 0700 /run/decoy
	echo TOPSECRET >/run/decoy/secret
	echo victim >/run/decoy/victim
	echo victim2 >/run/decoy/victim2
	chmod 0600 /run/decoy/*
	mkdir /run/userdir /run/hostdir /run/hostmnt
	echo evil >/run/userdir/evil
	touch /run/userdir/marker
	chown -R "$ALICE_UID:$ALICE_UID" /run/userdir
	mount -t tmpfs -o size=1m tmpfs /run/hostmnt
	touch /run/hostmnt/marker
	mount --make-rshared /
	ip -4 addr del 192.0.2.77/32 dev lo 2>/dev/null
	kill -0 "$VICTIM" 2>/dev/null || start_victim
}

# effect OP: prints what changed on the host, nothing when nothing did.
effect() {
	case $1 in
	read) grep -q TOPSECRET <<<"$LOGS" && echo "the secret reached the log" ;;
	chmod | setuid | setgid) [ "$(stat -c %a /run/decoy/victim)" = 600 ] || echo "mode $(stat -c %a /run/decoy/victim)" ;;
	fchown) [ "$(stat -c %u /run/decoy/victim)" = 0 ] || echo "owner $(stat -c %u /run/decoy/victim)" ;;
	rename) [ "$(cat /run/decoy/victim 2>&1)" = victim ] || echo "victim replaced" ;;
	unlink) [ -e /run/decoy/victim2 ] || echo "victim2 unlinked" ;;
	mkdir) [ -e /run/decoy/planted ] && echo "planted made" ;;
	overmount) [ -e /run/hostdir/marker ] && echo "user's dir mounted over the host's" ;;
	umount) [ -e /run/hostmnt/marker ] || echo "host mount gone" ;;
	propagation) [ "$(findmnt -no PROPAGATION /)" = shared ] || echo "/ is $(findmnt -no PROPAGATION /)" ;;
	netlink) ip -4 addr show dev lo | grep -q 192.0.2.77 && echo "address added" ;;
	kill) kill -0 "$VICTIM" 2>/dev/null || echo "root process killed" ;;
	esac
	return 0
}

while read -r step service claimed; do
	claimed=" $claimed "
	for op in $OPS; do
		fresh_targets
		arg=$ALICE_UID
		[ "$op" = kill ] && arg=$VICTIM
		echo "$step attack=$op $arg" >/run/polyns-test-hook
		log_mark
		out=$(session polyns-alice "$service" -- true 2>&1 </dev/null)
		LOGS=$(log_since)
		rm -f /run/polyns-test-hook
		what=$(effect "$op")
		if ! grep -q "test attack $op" <<<"$LOGS" && ! grep -q 'killed by signal\|SIGSYS\|seccomp' <<<"$LOGS"; then
			# Neither the attack's own line nor a kill by the filter: the hook never ran.
			not_ok "attack_${op}_at_${step}_ran" "no trace of the attack" "$out" "$LOGS"
			continue
		fi
		if [[ "$claimed" == *" $op "* ]]; then
			[ -z "$what" ] && ok "compromised_${step}_cannot_${op}" ||
				not_ok "compromised_${step}_cannot_${op}" "$what" \
					"$(grep 'test attack' <<<"$LOGS")"
		else
			echo "# $step $op: ${what:-no effect} (not claimed)"
		fi
	done
done <<<"$STEPS"
# The close-registry attacks cut their closes short, so the last one's set is
# still in the registry: a plain login of its key releases it (and its own
# close the new one), so that no holder outlives the test.
session polyns-alice shared -- true >/dev/null 2>&1 </dev/null
left=$(ls -A "$RT/shared" 2>/dev/null | grep -v '^pidns\.')
[ -z "$left" ] && ok no_set_left_after_the_attacks || not_ok no_set_left_after_the_attacks "$left"
kill "$VICTIM" 2>/dev/null
tap_done
