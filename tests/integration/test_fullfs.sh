#!/bin/bash
# Filesystems that refuse to grow: an instance parent with no inode or block
# left, a read-only one, a full runtime directory.  Every login fails closed:
# the session is refused, the caller keeps its namespaces, nothing is left
# half-made (no instance, no registry entry, no holder, no pending record) and
# the log says why.  Its own pid namespace: every holder it sees is its own.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/session_lib.sh"

mkdir -p "$S/pd"
chmod 1777 "$S/pd"

# tinyfs DIR OPTIONS: a tmpfs of its own at DIR, root's (mode 000 unless
# OPTIONS say otherwise).
tinyfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "mode=000,$2" tinyfs "$1"
}

# refused NAME SERVICE PATTERN CHECK...: the session is refused with the
# caller's namespaces as they were, the log matches PATTERN, and each CHECK
# (a shell command) holds afterwards.
refused() {
	local name=$1 service=$2 pattern=$3 out rc logs check ns
	shift 3
	log_mark
	out=$(session polyns-alice "$service" --print-ns -- true 2>&1)
	rc=$?
	logs=$(log_since)
	if [ $rc -ne 99 ]; then
		not_ok "$name" "session not refused (rc=$rc)" "$out" "$logs"
		return
	fi
	for ns in mnt ipc pid; do
		if [ "$(grep "^before $ns " <<<"$out")" != "$(grep "^after $ns " <<<"$out" | sed 's/^after/before/')" ]; then
			not_ok "$name" "the caller's $ns namespace changed" "$out"
			return
		fi
	done
	if ! grep -qE -- "$pattern" <<<"$logs"; then
		not_ok "$name" "log lacks: $pattern" "$logs"
		return
	fi
	for check in "$@"; do
		if ! eval "$check"; then
			not_ok "$name" "afterwards: $check failed" "$logs"
			return
		fi
	done
	ok "$name"
	printf '%s\n' "$logs" | grep -v _pam_init_handlers | sed 's/^.*helper: /#   /' >&2
}

empty() { [ -z "$(ls -A "$1" 2>/dev/null)" ]; }
no_holder() { ! pgrep -x polyns-holder >/dev/null; }

# 1. The instance parent has no inode left: the instance cannot be made.
tinyfs "$S/noinode" "nr_inodes=1"
echo "$S/pd $S/noinode/ user:noinit" >"$CONF"
pam_conf plain ""
refused instance_parent_without_inodes_fails_closed plain \
	"$S/noinode.*(No space left on device|ENOSPC)" "empty $S/noinode"

# 2. The instance parent is read-only.
tinyfs "$S/ro" "ro"
echo "$S/pd $S/ro/ user:noinit" >"$CONF"
refused instance_parent_read_only_fails_closed plain \
	"$S/ro.*Read-only file system" "empty $S/ro"

# 3. A tmpdir instance on a parent with no block left: the instance is made
#    (a directory takes no block on tmpfs) but the user's files do not fit;
#    the session works, the user's write fails, and close removes it.
tinyfs "$S/noblock" "size=4k,nr_inodes=3"
chmod 000 "$S/noblock"
echo "$S/pd $S/noblock/ tmpdir" >"$CONF"
RT=$S/rt-ok
pam_conf tmp "runtime_dir=$RT"
log_mark
out=$(session polyns-alice tmp -- sh -c 'head -c 8192 /dev/zero >"$0/f" 2>&1; echo "write rc $?"' "$S/pd" 2>&1)
logs=$(log_since)
if grep -q '^open: Success' <<<"$out" && grep -q 'write rc [1-9]' <<<"$out" && empty "$S/noblock"; then
	ok full_tmpdir_instance_refuses_writes_and_goes_at_close
else
	not_ok full_tmpdir_instance_refuses_writes_and_goes_at_close "$out" "$(ls -la "$S/noblock")" "$logs"
fi

# 4. The runtime directory is full: a shared set cannot be recorded.
# (A runtime directory must be root's with mode 0700.)
tinyfs "$S/rt-full" "nr_inodes=1,mode=700"
echo "$S/pd $S/pd-inst/ user:noinit" >"$CONF"
pam_conf shared "share=user ns=pid,ipc runtime_dir=$S/rt-full"
refused full_runtime_dir_fails_shared_login_closed shared \
	"rt-full.*(No space left on device|ENOSPC)" "empty $S/rt-full" no_holder

# 5. The runtime directory is read-only: no set, no holder, no record.
tinyfs "$S/rt-ro" "ro,mode=700"
pam_conf sharedro "share=user ns=pid,ipc runtime_dir=$S/rt-ro"
refused read_only_runtime_dir_fails_shared_login_closed sharedro \
	"rt-ro.*Read-only file system" "empty $S/rt-ro" no_holder

# 6. A tmpdir session whose pending record cannot be written (runtime
#    directory full): its instance is never made.
tinyfs "$S/inst6" "size=1m"
echo "$S/pd $S/inst6/ tmpdir" >"$CONF"
pam_conf tmpfull "runtime_dir=$S/rt-full"
refused tmpdir_without_room_for_its_record_is_never_made tmpfull \
	"rt-full.*(No space left on device|ENOSPC)" "empty $S/inst6"

tap_done
