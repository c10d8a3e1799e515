# Shared setup for tests that open real PAM sessions.  Source it first thing:
# it re-runs the test inside a private mount namespace, where it mounts its
# own /run, /dev (with a /dev/log listener), /etc/passwd, /etc/group and
# /etc/pam.d, so the machine is left as it was.
# shellcheck shell=bash
#
# With POLYNS_OWN_PIDNS=1 set before sourcing, the test also gets a pid
# namespace of its own (and a /proc that shows it) and is its init: every
# process it sees is one it started, and any it forgot ends with it.
if [ -z "${POLYNS_IN_SANDBOX:-}" ]; then
	if [ -n "${POLYNS_OWN_PIDNS:-}" ]; then
		exec unshare -m --propagation private --pid --fork --kill-child --mount-proc \
			env POLYNS_IN_SANDBOX=1 bash "$0" "$@"
	fi
	exec unshare -m --propagation private env POLYNS_IN_SANDBOX=1 bash "$0" "$@"
fi
set -u
REPO=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../..")
. "$REPO/tests/lib.sh"
BUILD=$REPO/build
MODULE=$BUILD/pam_polyns.so
# The helper that ships; suites that inject faults (the hook below) set
# HELPER=$TEST_HELPER, the same sources with src/testhooks/ linked in.
HELPER=$BUILD/polyns-helper
TEST_HELPER=$BUILD/test/polyns-helper
PAMTEST=$BUILD/test/pam_session

S=$(mktemp -d /tmp/polyns-it.XXXXXX)
mount -t tmpfs -o mode=0755 tmpfs "$S"
cleanup() {
	[ -n "${LOGGER_PID:-}" ] && kill "$LOGGER_PID" 2>/dev/null
	umount -l "$S" 2>/dev/null
	rmdir "$S" 2>/dev/null
}
trap cleanup EXIT

# A root that propagates (as on systemd hosts), private to this namespace.
mount --make-rshared /

mount -t tmpfs -o mode=0755 tmpfs /run

# /dev with the real device nodes and our own /dev/log.
mkdir "$S/dev"
mount -t tmpfs -o mode=0755 tmpfs "$S/dev"
for n in null zero full random urandom tty; do
	touch "$S/dev/$n"
	mount --bind "/dev/$n" "$S/dev/$n"
done
mkdir "$S/dev/pts" "$S/dev/shm"
ln -s /proc/self/fd "$S/dev/fd"
ln -s /proc/self/fd/0 "$S/dev/stdin"
ln -s /proc/self/fd/1 "$S/dev/stdout"
ln -s /proc/self/fd/2 "$S/dev/stderr"
# A private devpts instance, so that login and script get terminals here.
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$S/dev/pts"
ln -s pts/ptmx "$S/dev/ptmx"
mount --rbind "$S/dev" /dev
LOG=$S/syslog
python3 "$REPO/tests/integration/syslog_listener.py" /dev/log "$LOG" &
LOGGER_PID=$!
for _ in $(seq 100); do [ -e "$LOG.ready" ] && break; sleep 0.05; done

# Test users: alice and bob in their own groups, carol and dave share one.
mkdir -p "$S/home"
cp /etc/passwd "$S/passwd"
cp /etc/group "$S/group"
add_user() { # name uid gid
	mkdir -p "$S/home/$1"
	echo "$1:x:$2:$3::$S/home/$1:/bin/sh" >>"$S/passwd"
	chown "$2:$3" "$S/home/$1"
	chmod 0750 "$S/home/$1"
}
echo "polyns-alice:x:4001:" >>"$S/group"
echo "polyns-bob:x:4002:" >>"$S/group"
echo "polyns-team:x:4100:" >>"$S/group"
add_user polyns-alice 4001 4001
add_user polyns-bob 4002 4002
add_user polyns-carol 4003 4100
add_user polyns-dave 4004 4100
mount --bind "$S/passwd" /etc/passwd
mount --bind "$S/group" /etc/group

# Configuration: empty by default; tests write their own.
CONF=$S/namespace.conf
CONFD=$S/namespace.d
mkdir -p "$CONFD" "$S/pam.d"
echo "# no polydirs" >"$CONF"

# pam_conf SERVICE MODULE-ARGS...: a session-only PAM config in $S/pam.d.
pam_conf() {
	local service=$1
	shift
	cat >"$S/pam.d/$service" <<X
session required $MODULE helper=$HELPER config=$CONF config_dir=$CONFD $*
X
}

# session USER SERVICE [pam_session options] -- CMD: run, output on stdout.
session() {
	local user=$1 service=$2
	shift 2
	"$PAMTEST" "$S/pam.d" "$service" "$user" "$@"
}

# hook STEP ACTION: fault injection in the test helper (see test_hook.h).
hook() { echo "$1 $2" >/run/polyns-test-hook; }
unhook() { rm -f /run/polyns-test-hook; }

# log_mark; ...; log_since: the syslog lines written after the mark.
log_mark() { LOG_MARK=$(wc -l <"$LOG"); }
log_since() {
	sleep 0.1
	tail -n +"$((LOG_MARK + 1))" "$LOG"
}

ns_of() { readlink "/proc/$1/ns/$2"; }

# Our own descendants only: other tests and real logins may run helpers too.
is_ours() { # PID
	local p=$1
	# The init of a pid namespace of our own (POLYNS_OWN_PIDNS): all is ours.
	[ "$$" = 1 ] && [ -n "$p" ] && return 0
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		[ "$p" = "$$" ] && return 0
		p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)
	done
	return 1
}
# The pid of one of our helpers (or children) parked by the "hang" hook (in futex, syscall 202).
parked_helper() {
	local p
	for p in $(pgrep -x polyns-helper); do
		is_ours "$p" && [ "$(cut -d' ' -f1 "/proc/$p/syscall" 2>/dev/null)" = 202 ] &&
			{ echo "$p"; return 0; }
	done
	return 1
}
