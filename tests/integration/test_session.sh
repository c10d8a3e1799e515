#!/bin/bash
# Real PAM sessions through build/pam_polyns.so and the test helper:
# namespaces made and joined, the helper's sandbox, and every fault we can
# inject ending in a refused session with the caller untouched.
. "$(dirname "$0")/session_lib.sh"
HELPER=$TEST_HELPER # fault injection (hook)

ALL_NS="mnt ipc uts net cgroup"

# The caller's namespaces printed by pam_session --print-ns, before and after.
caller_unchanged() { # output
	local ns
	for ns in mnt ipc uts net cgroup pid time user; do
		[ "$(grep "^before $ns " <<<"$1" | cut -d' ' -f3)" = \
			"$(grep "^after $ns " <<<"$1" | cut -d' ' -f3)" ] || return 1
	done
}

# expect_refused NAME LOG-PATTERN SERVICE [USER]: open fails, caller untouched,
# and the log explains why.
expect_refused() {
	local name=$1 pattern=$2 service=$3 user=${4:-polyns-alice} out rc logs
	log_mark
	out=$(session "$user" "$service" --print-ns -- true 2>&1)
	rc=$?
	logs=$(log_since)
	if [ $rc -ne 99 ]; then
		not_ok "$name" "session was not refused (rc=$rc)" "$out" "$logs"
	elif ! caller_unchanged "$out"; then
		not_ok "$name" "caller's namespaces changed" "$out"
	elif ! grep -qE -- "$pattern" <<<"$logs"; then
		not_ok "$name" "log lacks: $pattern" "$logs"
	else
		ok "$name"
	fi
}

# --- namespaces are made and joined ---
pam_conf all "ns=mnt,ipc,uts,net,cgroup"
out=$(session polyns-alice all --print-ns -- sh -c \
	'for n in mnt ipc uts net cgroup; do echo "inside $n $(readlink /proc/self/ns/$n)"; done')
bad=""
for ns in $ALL_NS; do
	host=$(ns_of $$ "$ns")
	inside=$(grep "^inside $ns " <<<"$out" | cut -d' ' -f3)
	after=$(grep "^after $ns " <<<"$out" | cut -d' ' -f3)
	[ -n "$inside" ] && [ "$inside" != "$host" ] && [ "$inside" = "$after" ] || bad="$bad $ns"
done
grep -q '^open: Success' <<<"$out" && [ -z "$bad" ] && ok session_gets_every_requested_namespace ||
	not_ok session_gets_every_requested_namespace "bad:$bad" "$out"

for ns in pid time user; do
	[ "$(grep "^after $ns " <<<"$out" | cut -d' ' -f3)" = "$(ns_of $$ "$ns")" ] || bad="$bad $ns"
done
[ -z "$bad" ] && ok session_keeps_namespaces_not_asked_for ||
	not_ok session_keeps_namespaces_not_asked_for "changed:$bad"

pam_conf net "ns=net"
out=$(session polyns-alice net -- ip -o link show lo)
grep -q 'LOOPBACK,UP' <<<"$out" && ok session_netns_has_loopback_up ||
	not_ok session_netns_has_loopback_up "$out"
out=$(session polyns-alice net -- ip -o link)
[ "$(grep -c . <<<"$(grep -v '^open\|^close' <<<"$out")")" -eq 1 ] &&
	ok session_netns_has_only_loopback || not_ok session_netns_has_only_loopback "$out"

pam_conf mnt "ns=mnt"
out=$(session polyns-alice mnt -- awk '$5 == "/" {print $7}' /proc/self/mountinfo)
grep -q '^master:' <<<"$out" && ok session_mount_ns_is_slave_by_default ||
	not_ok session_mount_ns_is_slave_by_default "$out"
pam_conf mntp "ns=mnt mount_private"
out=$(session polyns-alice mntp -- awk '$5 == "/" {print $7}' /proc/self/mountinfo)
! grep -qE '^(master|shared):' <<<"$out" && grep -q '^open: Success' <<<"$out" &&
	ok session_mount_private_makes_root_private || not_ok session_mount_private_makes_root_private "$out"

# A mount made in the session does not reach the host, and vice versa.
mkdir -p "$S/mp"
out=$(session polyns-alice mnt -- sh -c "mount -t tmpfs none $S/mp && echo mounted")
if grep -q mounted <<<"$out" && ! mountpoint -q "$S/mp"; then
	ok session_mounts_do_not_reach_the_host
else
	not_ok session_mounts_do_not_reach_the_host "$out"
	umount "$S/mp" 2>/dev/null
fi

pam_conf pamns "session CLONE_NEWIPC CLONE_NEWUTS"
out=$(session polyns-alice pamns --print-ns -- true)
[ "$(grep '^after ipc ' <<<"$out" | cut -d' ' -f3)" != "$(ns_of $$ ipc)" ] &&
	[ "$(grep '^after uts ' <<<"$out" | cut -d' ' -f3)" != "$(ns_of $$ uts)" ] &&
	ok session_accepts_pam_ns_spelling || not_ok session_accepts_pam_ns_spelling "$out"

# Callers that could not join namespaces are refused before anything is done.
pam_conf pre "ns=net"
log_mark
out=$(session polyns-alice pre --thread --print-ns -- true)
logs=$(log_since)
grep -q '^open: Cannot' <<<"$out" && caller_unchanged "$out" && grep -q "threads" <<<"$logs" &&
	! grep -q helper <<<"$logs" && ok module_refuses_multithreaded_caller ||
	not_ok module_refuses_multithreaded_caller "$out" "$logs"
log_mark
out=$(session polyns-alice pre --drop-sys-admin --print-ns -- true)
logs=$(log_since)
grep -q '^open: Cannot' <<<"$out" && grep -q "lacks CAP_SYS_ADMIN" <<<"$logs" &&
	ok module_refuses_caller_without_sys_admin || not_ok module_refuses_caller_without_sys_admin "$out" "$logs"
# Close asks the same of its caller: a second thread there, and the tmpdir
# instance is left (and said so) rather than worked on from a threaded caller.
mkdir -p "$S/ct" && chmod 1777 "$S/ct"
echo "$S/ct $S/ct-inst/ tmpdir" >"$CONF"
pam_conf preclose ""
log_mark
out=$(session polyns-alice preclose --thread-at-close -- true)
logs=$(log_since)
grep -q '^close: Success' <<<"$out" &&
	grep -q "close: leaving the session's instances and shared sets as they are: .*threads" <<<"$logs" &&
	[ -n "$(ls -A "$S/ct-inst")" ] && ! grep -q "helper:" <<<"$logs" &&
	ok module_close_refuses_multithreaded_caller || not_ok module_close_refuses_multithreaded_caller "$out" "$logs"
echo "# no polydirs" >"$CONF"

# Parsed but not built: refused, never half done.
pam_conf nsuser "ns=net,user"
expect_refused ns_user_is_refused "ns=user is not supported by this release" nsuser

pam_conf nothing ""
out=$(session polyns-alice nothing --print-ns -- true)
grep -q '^open: Success' <<<"$out" && caller_unchanged "$out" &&
	ok session_without_namespaces_or_polydirs_changes_nothing ||
	not_ok session_without_namespaces_or_polydirs_changes_nothing "$out"

# Each session gets its own set.
a=$(session polyns-alice net -- readlink /proc/self/ns/net | grep '^net:')
b=$(session polyns-alice net -- readlink /proc/self/ns/net | grep '^net:')
[ -n "$a" ] && [ "$a" != "$b" ] && ok share_session_gives_each_session_new_namespaces ||
	not_ok share_session_gives_each_session_new_namespaces "$a" "$b"

# No fd of ours stays open in the caller or reaches the session's programs.
out=$(session polyns-alice all --print-fds -- sh -c 'ls /proc/$$/fd')
before=$(grep '^inheritable-before:' <<<"$out" | cut -d: -f2 | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
inside=$(grep -x '[0-9]*' <<<"$out" | sort -n | tr '\n' ' ')
[ -n "$inside" ] && [ "$inside" = "$before" ] && ok session_programs_inherit_no_fd_from_the_module ||
	not_ok session_programs_inherit_no_fd_from_the_module "$out"
leaked=$(grep '^new-after:' <<<"$out" | grep -v 'socket:.*cloexec=1')
[ -z "$leaked" ] && ok caller_keeps_no_fd_after_open || not_ok caller_keeps_no_fd_after_open "$leaked"

# The session runs as the user where asked.
out=$(session polyns-alice all --as-user -- id -un)
grep -qx polyns-alice <<<"$out" && ok session_command_runs_as_user || not_ok session_command_runs_as_user "$out"

# --- configuration and arguments ---
pam_conf badarg "ns=net,bogus"
expect_refused module_rejects_unknown_namespace_type "invalid module argument 'ns=net,bogus': unknown namespace type 'bogus'" badarg
pam_conf badarg2 "ns=net fast"
expect_refused module_rejects_unknown_argument "invalid module argument 'fast': unknown option" badarg2

echo "/tmp /tmp-inst/ User" >"$CONF"
pam_conf conf "ns=net"
expect_refused session_refuses_bad_config_line "helper: $CONF:1: unknown method 'User'" conf
pam_conf confign "ns=net ignore_config_error"
out=$(session polyns-alice confign -- true)
grep -q '^open: Success' <<<"$out" && ok session_ignore_config_error_skips_bad_line ||
	not_ok session_ignore_config_error_skips_bad_line "$out"
mkdir -p "$S/ptmp" && chmod 1777 "$S/ptmp"
echo "$S/ptmp $S/ptmp-inst/ user" >"$CONF"
out=$(session polyns-alice conf -- sh -c "findmnt -n -o SOURCE $S/ptmp")
grep -q "ptmp-inst/polyns-alice" <<<"$out" && ok session_with_polydir_gets_its_instance ||
	not_ok session_with_polydir_gets_its_instance "$out"
# Long polydirs (about 3000 bytes each): every job's paths go from the plan
# child to the helper, and back to the module in the reply, whole.  Eight
# fit; with twelve the reply (each polydir's path twice, for the init
# script) would not fit one message, and with twenty-four the plan would not:
# both sessions are refused, saying which.
long_dir() { # N: a directory about 3000 bytes long under $S, made
	local d=$S/long$1 k
	for k in $(seq 15); do d=$d/$(printf "%0200d" "$k"); done
	mkdir -p "$d" && echo "$d"
}
: >"$CONF"
for i in $(seq 8); do echo "$(long_dir "$i") $S/li-$i/ user" >>"$CONF"; done
out=$(session polyns-alice conf -- sh -c "while read -r d rest; do findmnt -n -o SOURCE \"\$d\"; done <$CONF")
[ "$(grep -c '/li-[0-9]*/polyns-alice\]$' <<<"$out")" = 8 ] && ok session_with_long_polydirs_gets_every_instance ||
	not_ok session_with_long_polydirs_gets_every_instance "$(tail -n 5 <<<"$out")"
for i in $(seq 9 12); do echo "$(long_dir "$i") $S/li-$i/ user" >>"$CONF"; done
expect_refused session_refuses_a_reply_over_one_message \
	"the reply for 12 polydirs would not fit in one message of 65536 bytes" conf
for i in $(seq 13 24); do echo "$(long_dir "$i") $S/li-$i/ user" >>"$CONF"; done
plan_over="$CONF:21: with this entry the plan of a session of polyns-alice is longer than one message \(65536 bytes\)"
expect_refused session_refuses_a_plan_over_one_message "helper: $plan_over" conf
out=$("$REPO/build/polyns-check" --config "$CONF" --config-dir "$CONFD" --user polyns-alice 2>&1 >/dev/null)
check_rc=$?
[ "$check_rc" = 1 ] && grep -qE "^$plan_over" <<<"$out" && ok check_names_the_entry_where_the_plan_overflows ||
	not_ok check_names_the_entry_where_the_plan_overflows "polyns-check $check_rc" "$out"
[ -e "$S/li-13" ] && not_ok plan_over_one_message_makes_nothing "$S/li-13 exists" ||
	ok plan_over_one_message_makes_nothing
# At the edge (a job is about 3225 bytes here, $S being of fixed length):
# twenty noinit entries make a plan of about 64.5 KiB, which goes through;
# the twenty-first is over.
sed -i '21,$d; s/ user$/ user:noinit/' "$CONF"
out=$(session polyns-alice conf -- sh -c "while read -r d rest; do findmnt -n -o SOURCE \"\$d\"; done <$CONF")
[ "$(grep -c '/li-[0-9]*/polyns-alice\]$' <<<"$out")" = 20 ] && ok session_with_a_plan_of_64k_gets_every_instance ||
	not_ok session_with_a_plan_of_64k_gets_every_instance "$(tail -n 5 <<<"$out")"
echo "$(long_dir 21) $S/li-21/ user:noinit" >>"$CONF"
expect_refused session_refuses_a_plan_one_entry_over "helper: $plan_over" conf
# A polydir that cannot be set up is said once, naming it and the reason.
echo "$S/no-such-polydir $S/nsp-inst/ user" >"$CONF"
log_mark
out=$(session polyns-alice conf -- true)
logs=$(log_since)
grep -q '^open: Cannot' <<<"$out" &&
	grep -q "helper: polydir $S/no-such-polydir: '$S/no-such-polydir': No such file or directory" <<<"$logs" &&
	[ "$(grep -cE '^<8[0-4]>.* helper: ' <<<"$logs")" = 1 ] && ok session_says_once_why_a_polydir_failed ||
	not_ok session_says_once_why_a_polydir_failed "$out" "$logs"
echo "$S/ptmp $S/ptmp-inst/ user polyns-alice" >"$CONF"
out=$(session polyns-alice conf -- true)
grep -q '^open: Success' <<<"$out" && ok session_user_exempt_by_list_gets_no_polydir ||
	not_ok session_user_exempt_by_list_gets_no_polydir "$out"
# The checker and a login decide with the same plan: at the name limit
# (256 list names plus a create= owner is one name too many) both refuse, one
# name below it both accept.
CHECK=$REPO/build/polyns-check
for n in 256 255; do
	printf '%s %s user:create=0755,root %s\n' "$S/ptmp" "$S/ptmp-inst/" \
		"$(seq -s, -f 'polyns-u%g' "$n")" >"$CONF"
	"$CHECK" --config "$CONF" --config-dir "$CONFD" >/dev/null 2>&1
	check_rc=$?
	out=$(session polyns-alice conf -- true 2>&1)
	grep -q '^open: Success' <<<"$out" && login_rc=0 || login_rc=1
	want=$([ "$n" = 256 ] && echo 1 || echo 0)
	[ "$check_rc" = "$want" ] && [ "$login_rc" = "$want" ] &&
		ok "check_and_login_agree_on_${n}_list_names_plus_create_owner" ||
		not_ok "check_and_login_agree_on_${n}_list_names_plus_create_owner" \
			"want $want: polyns-check $check_rc, login $login_rc" "$out"
done
# One polydir more than a session takes: both refuse, the helper with a
# message (it used to write past its job table and die of SIGSEGV).
: >"$CONF"
for i in $(seq 65); do echo "$S/ptmp/d$i $S/ptmp-inst/d$i/ user:create=1777" >>"$CONF"; done
"$CHECK" --config "$CONF" --config-dir "$CONFD" --user polyns-alice >/dev/null 2>&1
check_rc=$?
log_mark
out=$(session polyns-alice conf -- true 2>&1)
logs=$(log_since)
if [ "$check_rc" = 1 ] && ! grep -q '^open: Success' <<<"$out" &&
	grep -qF "$CONF:65: more than 64 polydirs apply to polyns-alice" <<<"$logs" &&
	! grep -q "signal" <<<"$logs"; then
	ok check_and_login_refuse_65_polydirs
else
	not_ok check_and_login_refuse_65_polydirs "polyns-check $check_rc" "$out" "$logs"
fi
echo "# no polydirs" >"$CONF"
chmod 0666 "$CONF"
expect_refused session_refuses_world_writable_config "refusing a regular file not owned by root" conf
chmod 0644 "$CONF"

# --- the helper binary ---
pam_conf missing "ns=net helper=$S/no-such-helper"
sed -i "s|helper=$HELPER ||" "$S/pam.d/missing"
expect_refused helper_missing_refuses_session "cannot start the helper: $S/no-such-helper: '$S/no-such-helper': No such file" missing
cp "$HELPER" "$S/helper-noexec"
chmod 0644 "$S/helper-noexec"
pam_conf noexec "ns=net"
sed -i "s|helper=$HELPER|helper=$S/helper-noexec|" "$S/pam.d/noexec"
expect_refused helper_not_executable_refuses_session "'$S/helper-noexec' is not executable" noexec
cp "$HELPER" "$S/helper-gw"
chmod 0775 "$S/helper-gw"
sed "s|helper=$S/helper-noexec|helper=$S/helper-gw|" "$S/pam.d/noexec" >"$S/pam.d/gw"
expect_refused helper_group_writable_is_refused "'$S/helper-gw' is not root-owned, or group or others may write to it" gw
cp "$HELPER" "$S/helper-user"
chown 4001 "$S/helper-user"
sed "s|helper=$S/helper-noexec|helper=$S/helper-user|" "$S/pam.d/noexec" >"$S/pam.d/uown"
expect_refused helper_not_root_owned_is_refused "'$S/helper-user' is not root-owned" uown
mkdir -m 0777 "$S/opendir"
cp "$HELPER" "$S/opendir/polyns-helper"
sed "s|helper=$S/helper-noexec|helper=$S/opendir/polyns-helper|" "$S/pam.d/noexec" >"$S/pam.d/odir"
expect_refused helper_in_world_writable_dir_is_refused "'$S/opendir' is not root-owned, or group or others may write to it" odir
ln -s "$HELPER" "$S/helper-link"
sed "s|helper=$S/helper-noexec|helper=$S/helper-link|" "$S/pam.d/noexec" >"$S/pam.d/link"
expect_refused helper_symlink_is_refused "'$S/helper-link' is a symlink where none may be followed" link
pam_conf relhelper "ns=net helper=relative/helper"
expect_refused helper_relative_path_is_refused "'helper=relative/helper': path must be absolute" relhelper

# A caller short of fds (RLIMIT_NOFILE lowered, here from 5 to 20) fails at
# one step or another: each refusal logs a readable reason naming the error.
# Two module lines cannot name it: receiving the namespace fds past the limit
# is seen as a truncated message (MSG_CTRUNC), reported as malformed; and a
# helper that ran out itself is reported by its exit status.
mkdir -p "$S/nf" && chmod 1777 "$S/nf"
printf '#!/bin/sh\ntrue\n' >"$S/nf-init.sh" && chmod 0755 "$S/nf-init.sh"
pam_conf nofile "ns=ipc,uts,net init=$S/nf-init.sh"
echo "$S/nf $S/nf-inst/ user" >"$CONF"
bad=""
for n in $(seq 5 20); do
	log_mark
	out=$(prlimit --nofile="$n" -- "$PAMTEST" "$S/pam.d" nofile polyns-alice -- true 2>&1)
	logs=$(log_since | grep 'pam_polyns(nofile' | grep -v 'init script .* exited with status')
	grep -q '^open: Success' <<<"$out" && [ -z "$logs" ] && continue
	if [ -z "$logs" ] || LC_ALL=C grep -q '[^[:print:]]' <<<"$logs" ||
		grep -v -e 'Too many open files' -e 'malformed message' \
			-e 'helper exited with status [0-9]*$' <<<"$logs" | grep -q .; then
		bad="$bad nofile=$n: ${logs:-(nothing logged)};"
	fi
done
[ -z "$bad" ] && ok module_out_of_fds_logs_the_reason_at_every_step ||
	not_ok module_out_of_fds_logs_the_reason_at_every_step "$bad"
echo "# no polydirs" >"$CONF"

# --- faults injected into the helper ---
pam_conf fault "ns=net,ipc timeout=2"
# Killed from outside while parked at each step (the hook waits in futex(),
# syscall 202, which every step's filter allows).
kill_when_parked() {
	local hpid="" _
	for _ in $(seq 100); do
		hpid=$(parked_helper)
		[ -n "$hpid" ] && break
		sleep 0.05
	done
	kill -9 "$hpid"
}
for step in start sandboxed request namespaces sets; do
	hook "$step" hang
	kill_when_parked &
	expect_refused "helper_killed_at_${step}_refuses_session" "helper killed by signal 9" fault
	wait $!
done
hook request crash
expect_refused helper_crash_refuses_session "helper killed by signal 11" fault
hook request garbage
expect_refused helper_garbage_reply_refuses_session "malformed message" fault
hook namespaces extra-fds
expect_refused helper_too_many_fds_refuses_session "malformed message" fault
hook reply exit
expect_refused helper_exit_without_reply_refuses_session "helper exited without a reply" fault
# The module joins while the helper exits: a helper that dies after a good
# reply still refuses the session, with the join undone (expect_refused
# checks the caller's namespaces) and a shared set's count given back.
hook replied crash
expect_refused helper_crash_after_reply_refuses_session "helper killed by signal 11" fault
pam_conf faultshared "share=user ns=ipc timeout=2"
expect_refused helper_crash_after_shared_reply_refuses_session "helper killed by signal 11" faultshared
left=$(ls /run/polyns/shared | grep '^user-' | grep -v '\.lock$')
[ -d /run/polyns/shared ] && [ -z "$left" ] && ok crash_after_shared_reply_leaves_no_set ||
	not_ok crash_after_shared_reply_leaves_no_set "no registry, or left in it: $left"
# The registry child is reaped after the reply: if it failed after its
# answer, the helper exits 1, and the session is refused and counted out
# again.  A new set is then released; a joined one keeps only the session
# that holds it.
hook answered crash
expect_refused registry_child_crash_after_make_refuses_session \
	"the registry child failed after its answer: .*signal 11" faultshared
left=$(ls /run/polyns/shared | grep '^user-' | grep -v '\.lock$')
[ -z "$left" ] && ok refused_new_set_is_released ||
	not_ok refused_new_set_is_released "left in the registry: $left"
unhook
session polyns-alice faultshared -- sh -c "echo \$\$ >$S/held.pid; exec sleep 600" \
	>/dev/null 2>&1 &
held_session=$!
for _ in $(seq 100); do [ -s "$S/held.pid" ] && break; sleep 0.05; done
hook answered crash
expect_refused registry_child_crash_after_join_refuses_session \
	"the registry child failed after its answer: .*signal 11" faultshared
unhook
records=$(find /run/polyns/shared -mindepth 2 -maxdepth 2 -name 'session.*' | wc -l)
[ "$records" = 1 ] && ok refused_join_is_counted_out ||
	not_ok refused_join_is_counted_out "$records session records, not 1"
# After the reply the module reads nothing until the helper has exited: a
# child that logs on and on after its answer must not hold the helper until
# the deadline (2 s here).  The first 32 lines go on, the rest are counted.
hook answered log=500
log_mark
out=$(session polyns-alice faultshared -- true 2>&1)
logs=$(log_since)
unhook
grep -q '^open: Success' <<<"$out" &&
	grep -q "468 more lines the registry child logged after its answer were dropped" <<<"$logs" &&
	ok late_lines_of_a_child_are_capped ||
	not_ok late_lines_of_a_child_are_capped "$out" "$(tail -n 5 <<<"$logs")"
# The module reads what the helper logs while it waits for its exit: a
# helper logging far more after its reply than the socket holds still ends
# (the lines past the module's budget of 512 are read and dropped).
hook replied log=2000
log_mark
out=$(session polyns-alice faultshared -- true 2>&1)
logs=$(log_since)
unhook
grep -q '^open: Success' <<<"$out" && grep -q "helper: test: line 1500" <<<"$logs" &&
	! grep -q "helper: test: line 1400" <<<"$logs" &&
	ok module_reads_the_helpers_late_lines_while_it_exits ||
	not_ok module_reads_the_helpers_late_lines_while_it_exits "$out" "$(tail -n 3 <<<"$logs")"
kill "$(cat "$S/held.pid")"
wait "$held_session"
hook request hang
start=$(date +%s)
expect_refused helper_hang_is_killed_at_deadline "did not answer within 2 s" fault
[ $(($(date +%s) - start)) -le 6 ] && ok helper_deadline_is_kept || not_ok helper_deadline_is_kept "took $(($(date +%s) - start)) s"
for sc in execve ptrace socket open_by_handle_at unshare_user mount_bind open_no_cloexec open_for_writing; do
	hook sandboxed "syscall=$sc"
	expect_refused "seccomp_kills_helper_on_$sc" "helper killed by signal 31" fault
done
# A child of the helper that dies or quits: one line, the helper's, saying how.
child_fault() { # NAME SERVICE HOOK PATTERN
	local out logs
	hook $3
	log_mark
	out=$(session polyns-alice "$2" -- true)
	logs=$(log_since)
	unhook
	grep -q -- "$4" <<<"$logs" && [ "$(grep -cE '^<8[0-4]>.* helper: ' <<<"$logs")" = 1 ] &&
		ok "$1" || not_ok "$1" "$out" "$logs"
}
child_fault plan_child_killed_is_said_once fault "plan syscall=ptrace" \
	"helper: the plan child gave no usable plan: the plan child was killed by signal 31"
child_fault plan_child_quitting_is_said_once fault "plan exit" \
	"helper: the plan child gave no usable plan: the child ended without answering"
# It is reaped after the reply: a crash after its plan still refuses the session.
child_fault plan_child_crash_after_plan_is_said_once fault "planned crash" \
	"helper: the plan child failed after its plan: the plan child was killed by signal 11"
hook planned crash
expect_refused plan_child_crash_after_plan_refuses_session \
	"the plan child failed after its plan" fault
unhook
pam_conf faultreg "share=user ns=ipc runtime_dir=$S/fault-rt"
child_fault registry_child_killed_is_said_once faultreg "registry syscall=ptrace" \
	"helper: the registry child gave no usable answer: the registry child was killed by signal 31"
mkdir -p "$S/ft" && chmod 1777 "$S/ft"
echo "$S/ft $S/ft-inst/ tmpdir" >"$CONF"
child_fault tree_child_killed_is_said_once fault "tree syscall=ptrace" \
	"helper: removing tmpdir instance $S/ft-inst/.* failed: the tree child was killed by signal 31"
find "$S/ft-inst" -mindepth 1 -maxdepth 1 -exec rmdir {} +
echo "# no polydirs" >"$CONF"
unhook

# The running helper's privileges at every step: test_steps.sh.

# --- what the caller does itself ---
strace -qq -o "$S/strace" -e trace=mount,umount2,unshare,setns,openat,open,execve \
	"$PAMTEST" "$S/pam.d" all polyns-alice -- true >/dev/null 2>&1
calls=$(cat "$S/strace")
if grep -qE '^(mount|umount2|unshare)\(' <<<"$calls"; then
	not_ok caller_never_mounts_or_unshares "$(grep -E '^(mount|umount2|unshare)' <<<"$calls")"
else
	ok caller_never_mounts_or_unshares
fi
grep -q "namespace.conf\|$CONFD" <<<"$calls" && not_ok caller_never_reads_the_config "$(grep namespace <<<"$calls")" ||
	ok caller_never_reads_the_config
[ "$(grep -c '^setns(' <<<"$calls")" -eq 5 ] && ok caller_joins_with_setns ||
	not_ok caller_joins_with_setns "$(grep setns <<<"$calls")"

# --- real clients: runuser and su ---
mkdir -p "$S/etc-pam.d"
for svc in runuser su; do
	cat >"$S/etc-pam.d/$svc" <<X
auth sufficient pam_rootok.so
account required pam_permit.so
session required $MODULE helper=$HELPER config=$CONF config_dir=$CONFD ns=net,uts
X
done
mount --bind "$S/etc-pam.d" /etc/pam.d
host_net=$(ns_of $$ net)
out=$(runuser -u polyns-bob -- sh -c 'id -un; readlink /proc/self/ns/net' 2>&1)
inside=$(grep '^net:' <<<"$out")
grep -qx polyns-bob <<<"$out" && [ -n "$inside" ] && [ "$inside" != "$host_net" ] &&
	ok runuser_session_lands_in_new_namespaces || not_ok runuser_session_lands_in_new_namespaces "$out"
out=$(su polyns-bob -c 'id -un; readlink /proc/self/ns/net' 2>&1)
inside=$(grep '^net:' <<<"$out")
grep -qx polyns-bob <<<"$out" && [ -n "$inside" ] && [ "$inside" != "$host_net" ] &&
	ok su_session_lands_in_new_namespaces || not_ok su_session_lands_in_new_namespaces "$out"
sed -i 's/ns=net,uts/ns=net,bogus/' "$S/etc-pam.d/su"
out=$(su polyns-bob -c 'echo SHELL-RAN' 2>&1)
! grep -q SHELL-RAN <<<"$out" && ok su_refused_when_module_fails || not_ok su_refused_when_module_fails "$out"
umount /etc/pam.d

# --- debug: where the open's time went, in one line from each side ---
mkdir -p "$S/timing" && chmod 1777 "$S/timing"
echo "$S/timing $S/timing-inst/ user:noinit" >"$CONF"
pam_conf timing "debug"
log_mark
out=$(session polyns-alice timing -- true 2>&1)
logs=$(log_since)
h=$(grep -o 'helper: timing of open (us after main): .*' <<<"$logs")
m=$(grep -o 'timing of open (us): spawn [0-9]*, helper [0-9]*, join [0-9]*, init scripts [0-9]*, total [0-9]*' <<<"$logs")
marks=$(sed 's/.*main): //; s/ [0-9][0-9]*//g' <<<"$h")
total=$(sed 's/.*total //' <<<"$m")
sum=$(sed 's/.*spawn \([0-9]*\), helper \([0-9]*\), join \([0-9]*\), init scripts \([0-9]*\).*/\1 + \2 + \3 + \4/' <<<"$m")
if ! grep -q '^open: Success' <<<"$out"; then
	not_ok debug_logs_where_the_open_time_went "session failed" "$out" "$logs"
elif [ "$marks" != "setup, request, namespaces, plan, polydirs, sets, done" ]; then
	not_ok debug_logs_where_the_open_time_went "helper marks: '$marks'" "$logs"
elif [ -z "$m" ] || [ "$((sum))" -gt "$total" ]; then
	not_ok debug_logs_where_the_open_time_went "module line: '$m'" "$logs"
else
	ok debug_logs_where_the_open_time_went
fi
# A close that starts the helper (a shared set's) says the same.
pam_conf timing_close "debug share=user runtime_dir=$S/rt-timing"
log_mark
session polyns-alice timing_close -- true >/dev/null 2>&1
logs=$(log_since)
if grep -q 'helper: timing of close (us after main): setup [0-9]*, request [0-9]*, close-registry [0-9]*' <<<"$logs" &&
	grep -q 'timing of close (us): before the helper [0-9]*, spawn [0-9]*, helper [0-9]*, total [0-9]*' <<<"$logs"; then
	ok debug_logs_where_the_close_time_went
else
	not_ok debug_logs_where_the_close_time_went "$logs"
fi
pam_conf quiet ""
log_mark
session polyns-alice quiet -- true >/dev/null 2>&1
! log_since | grep -q 'timing of' && ok timing_not_logged_without_debug ||
	not_ok timing_not_logged_without_debug "$(log_since)"
echo "# empty" >"$CONF"

# --- set-id bits: the set-group-ID bit is copied, as pam_namespace copies it
# (new files in the instance take its group), also when the polydir's group is
# not root's; the set-user-ID bit never is (the filter would refuse it), said
# at LOG_NOTICE ---
mkdir -p "$S/sgid" && chgrp 4100 "$S/sgid" && chmod 3777 "$S/sgid"
mkdir -p "$S/suid" && chmod 4755 "$S/suid"
echo "$S/sgid $S/sgid-inst/ user:noinit
$S/suid $S/suid-inst/ user:noinit
$S/made $S/made-inst/ user:create=06755,root,root:noinit" >"$CONF"
pam_conf setid "debug"
log_mark
out=$(session polyns-alice setid -- sh -c "stat -c '%a %g' '$S/sgid' '$S/suid' '$S/made'; \
	touch '$S/sgid/f' && stat -c 'file %g' '$S/sgid/f'" 2>&1)
logs=$(log_since)
modes=$(grep -E '^[0-7]+ [0-9]+$|^file ' <<<"$out" | tr '\n' ' ')
if [ "$modes" = "3777 4100 755 0 2755 0 file 4100 " ] &&
	[ "$(stat -c '%a %g' "$S/sgid-inst/polyns-alice")" = "3777 4100" ] &&
	[ "$(stat -c %a "$S/made")" = 2755 ] &&
	grep -q "suid-inst/polyns-alice: mode 4755 without its set-user-ID bit" <<<"$logs" &&
	grep -q "$S/made: mode 6755 without its set-user-ID bit" <<<"$logs" &&
	! grep -q "sgid-inst.*without" <<<"$logs"; then
	ok instances_keep_set_group_id_never_set_user_id
else
	not_ok instances_keep_set_group_id_never_set_user_id "modes: $modes" "$out" "$logs"
fi
rm -rf "$S/sgid-inst" "$S/suid-inst"
echo "# empty" >"$CONF"

# --- the helper's command line: its operation, and nothing else ---
out=$("$BUILD/polyns-helper" 2>&1 3>&-)
rc=$?
[ $rc -eq 2 ] && grep -q 'polyns-helper open' <<<"$out" && ok helper_without_operation_prints_usage ||
	not_ok helper_without_operation_prints_usage "rc=$rc" "$out"
out=$("$BUILD/polyns-helper" open extra 2>&1 3>&-)
rc=$?
[ $rc -eq 2 ] && ok helper_with_extra_arguments_prints_usage ||
	not_ok helper_with_extra_arguments_prints_usage "rc=$rc" "$out"
# A well-formed open request (the fuzz seed) to a helper started for a close.
out=$(python3 - "$BUILD/polyns-helper" "$REPO/fuzz/corpus/wire/request" <<'PY'
import socket, subprocess, sys
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
p = subprocess.Popen([sys.argv[1], "close"], close_fds=False, env={},
                     preexec_fn=lambda: __import__("os").dup2(b.fileno(), 3))
b.close()
a.send(open(sys.argv[2], "rb").read())
got = b""
while True:
    m = a.recv(1 << 17)
    if not m:
        break
    got += m
print("exit", p.wait())
print("mismatch logged", b"not for the operation" in got)
PY
)
grep -q '^exit 1$' <<<"$out" && grep -q 'mismatch logged True' <<<"$out" &&
	ok helper_refuses_a_request_for_another_operation ||
	not_ok helper_refuses_a_request_for_another_operation "$out"

# unmnt_remnt and unmnt_only (as su run inside a polyinstantiated session
# would use them): the requester's instance at the polydir is detached
# first; with unmnt_remnt the new user's instance then takes its place (one
# mount there, not two stacked), with unmnt_only the polydir's own content
# shows again.  The requester is the caller (root): its polydir is the same
# path.
mkdir -p "$S/um" && chmod 1777 "$S/um"
echo "$S/um $S/um-inst/ user:noinit" >"$CONF"
pam_conf um ""
pam_conf umre "unmnt_remnt"
pam_conf umonly "unmnt_only"
inner() { # SERVICE: a second session, for bob, inside alice's; it leaves a mark
	session polyns-alice um -- "$PAMTEST" "$S/pam.d" "$1" polyns-bob -- \
		sh -c "echo mounts=\$(grep -c ' $S/um ' /proc/self/mountinfo); touch $S/um/mark-$1" 2>&1
}
out=$(inner um)
grep -q '^mounts=2$' <<<"$out" && [ -e "$S/um-inst/polyns-bob/mark-um" ] &&
	ok nested_session_stacks_its_instance_without_unmnt ||
	not_ok nested_session_stacks_its_instance_without_unmnt "$out" "$(ls -R "$S/um-inst")"
out=$(inner umre)
grep -q '^mounts=1$' <<<"$out" && [ -e "$S/um-inst/polyns-bob/mark-umre" ] &&
	ok unmnt_remnt_replaces_the_requesters_instance ||
	not_ok unmnt_remnt_replaces_the_requesters_instance "$out" "$(ls -R "$S/um-inst")"
out=$(inner umonly)
grep -q '^mounts=0$' <<<"$out" && [ -e "$S/um/mark-umonly" ] &&
	ok unmnt_only_shows_the_polydir_again ||
	not_ok unmnt_only_shows_the_polydir_again "$out" "$(ls "$S/um")"

tap_done
