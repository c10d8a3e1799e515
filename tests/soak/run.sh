#!/bin/bash
# The soak (`make soak`; a short run is tests/integration/test_soak.sh):
# SOAK_LOGINS logins of four users through the real module and the release
# helper, by SOAK_WORKERS workers at once (one of them a long-lived caller
# that runs its logins in one process), in share=session, share=user and
# share=group sets with a pid namespace and in plain sessions, with user-
# and tmpdir-method polydirs, while callers, helpers, the helpers' children
# and holders are SIGKILLed at random points (tests/soak/soak_driver.c).
# Then, looking only at what it made (its own pid namespace, mount namespace,
# runtime directory and instance parents): no mount, registry entry, pending
# record, instance, holder, pid namespace or process left, no fd leaked by
# the long-lived caller, every login a success or a failure with a log line.
#
# SOAK_LOGINS (10000), SOAK_WORKERS (4), SOAK_SEED (1), SOAK_FAULTS (percent
# of logins with a fault, 30); SOAK_REPORT=FILE writes the figures there;
# SOAK_DEBUG=1 gives the module "debug" and keeps the run's files in SOAK_KEEP.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/../integration/session_lib.sh"

LOGINS=${SOAK_LOGINS:-10000}
WORKERS=${SOAK_WORKERS:-4}
SEED=${SOAK_SEED:-1}
FAULTS=${SOAK_FAULTS:-30}
DRIVER=$BUILD/test/soak_driver
RT=$S/run-polyns
SD=$S/soak
OUT=$S/soak-out
mkdir -p "$SD/tmp" "$SD/var" "$SD/grp" "$OUT"
chmod 1777 "$SD/tmp" "$SD/var" "$SD/grp"

# Polydirs: a tmpdir and a user-method one; a group set gets a tmpfs (a
# per-user instance cannot be shared by a group).
printf '%s\n' "$SD/tmp $SD/tmp-inst/ tmpdir" "$SD/var $SD/var-inst/ user" >"$S/soak-user.conf"
echo "$SD/grp tmpfs tmpfs" >"$S/soak-group.conf"
line() { # SERVICE CONFIG ARGS...
	local service=$1 conf=$2
	shift 2
	echo "session required $MODULE helper=$HELPER config=$conf config_dir=$CONFD runtime_dir=$RT $* ${SOAK_DEBUG:+debug}" \
		>"$S/pam.d/$service"
}
line sess "$S/soak-user.conf" ns=pid,ipc,uts
line user "$S/soak-user.conf" share=user ns=pid,ipc
line group "$S/soak-group.conf" share=group ns=pid,uts
line plain "$S/soak-user.conf" ns=ipc
echo "session required pam_permit.so" >"$S/pam.d/other" # libpam wants one

mountinfo() { sort /proc/self/mountinfo; }
mountinfo >"$OUT/mounts.before"
ourpidns=$(readlink /proc/self/ns/pid)

start=$(date +%s.%N)
"$DRIVER" --logins "$LOGINS" --workers "$WORKERS" --long-lived 1 --seed "$SEED" \
	--fault-percent "$FAULTS" --services sess,user,group,plain \
	--users polyns-alice,polyns-bob,polyns-carol,polyns-dave --sweep group \
	"$S/pam.d" "$RT" "$OUT" >"$OUT/driver.log" 2>&1
driver=$?
end=$(date +%s.%N)
mountinfo >"$OUT/mounts.after"

# What is left, looking only at what the soak made.
# Processes: our pid namespace holds only us, the syslog listener and this check.
# (Called without a pipe or a substitution: no process of the check's own.)
left_processes() {
	local p kids comm
	read -r -a kids </proc/1/task/1/children
	for p in "${kids[@]}"; do
		[ "$p" = "$LOGGER_PID" ] && continue
		read -r comm <"/proc/$p/comm"
		echo "$p $comm"
	done
}
# Pid namespaces: any process in one that is not ours.
left_pidns() {
	local d
	for d in /proc/[0-9]*; do
		n=$(readlink "$d/ns/pid" 2>/dev/null) && [ "$n" != "$ourpidns" ] && echo "${d#/proc/} $n"
	done
}
left_processes >"$OUT/processes"
{
	echo "driver_status=$driver"
	echo "seconds=$(echo "$end - $start" | bc)"
	echo "mounts_left=$(comm -13 "$OUT/mounts.before" "$OUT/mounts.after" | wc -l)"
	echo "mounts_gone=$(comm -23 "$OUT/mounts.before" "$OUT/mounts.after" | wc -l)"
	echo "processes_left=$(wc -l <"$OUT/processes")"
	echo "pidns_left=$(left_pidns | wc -l)"
	echo "registry_dir_left=$(find "$RT/shared" -mindepth 1 -maxdepth 1 ! -name 'pidns.*' 2>/dev/null | wc -l)"
	echo "pending_dir_left=$(find "$RT/pending" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
	echo "tmpdir_instances_left=$(find "$SD/tmp-inst" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
	# user-method instances are kept (as pam_namespace keeps them): one per user at most
	echo "user_instances=$(find "$SD/var-inst" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
	echo "user_instances_unexpected=$(find "$SD/var-inst" -mindepth 1 -maxdepth 1 ! -name 'polyns-*' 2>/dev/null | wc -l)"
} >"$OUT/checks"
{
	comm -13 "$OUT/mounts.before" "$OUT/mounts.after" | sed 's/^/mount left: /'
	sed 's/^/process left: /' "$OUT/processes"
	left_pidns | sed 's/^/pid namespace left: /'
	find "$RT/shared" "$RT/pending" "$SD/tmp-inst" -mindepth 1 -maxdepth 1 ! -name 'pidns.*' 2>/dev/null |
		sed 's/^/left: /'
} >"$OUT/leftovers"

[ -n "${SOAK_KEEP:-}" ] && cp -a "$OUT" "$LOG" "$SOAK_KEEP/"
python3 "$REPO/tests/soak/report.py" "$OUT" "$LOG" "$LOGINS" "$WORKERS" "$SEED" "$FAULTS" \
	${SOAK_REPORT:+"$(cd "$REPO" && realpath -m "$SOAK_REPORT")"}
