#!/bin/bash
# Close: tmpdir instances removed, kept while session processes still run and
# removed at a later close once they are gone, and unmount_on_close.
. "$(dirname "$0")/session_lib.sh"

mkdir -p "$S/vt" && chmod 1777 "$S/vt"
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
RT=$S/run-polyns
pam_conf close "debug runtime_dir=$RT"
count() { find "$S/vt-inst" -mindepth 1 -maxdepth 1 | wc -l; }

out=$(session polyns-alice close -- sh -c "touch $S/vt/file; mkdir $S/vt/d; ln -s /etc $S/vt/d/link")
[ "$(count)" = 0 ] && grep -q '^close: Success' <<<"$out" && [ -e /etc/passwd ] &&
	ok close_removes_tmpdir_instance || not_ok close_removes_tmpdir_instance "$(ls -la "$S/vt-inst")" "$out"

# A background job that outlives the session keeps its instance...
log_mark
session polyns-alice close -- sh -c "sleep 3 </dev/null >/dev/null 2>&1 &" >/dev/null
logs=$(log_since)
[ "$(count)" = 1 ] && grep -q "goes at a later close" <<<"$logs" &&
	ok close_keeps_instance_while_session_processes_run || not_ok close_keeps_instance_while_session_processes_run "$(count)" "$logs"
[ -n "$(ls "$RT/pending" 2>/dev/null)" ] && [ "$(stat -c %a "$RT")" = 700 ] &&
	ok close_records_kept_instance_in_private_runtime_dir || not_ok close_records_kept_instance_in_private_runtime_dir "$(ls -la "$RT" "$RT/pending" 2>&1)"
# ...and a later close, after the job ended, collects it.
sleep 3.5
session polyns-alice close -- true >/dev/null
[ "$(count)" = 0 ] && [ -z "$(ls "$RT/pending")" ] && ok later_close_collects_kept_instance ||
	not_ok later_close_collects_kept_instance "$(ls -la "$S/vt-inst" "$RT/pending")"

# A later polydir failing: the helper removes the tmpdir it already made.
printf '%s\n' "$S/vt $S/vt-inst/ tmpdir" "$S/missing $S/missing-inst/ user" >"$CONF"
out=$(session polyns-alice close -- true)
grep -q '^open: Cannot' <<<"$out" && [ "$(count)" = 0 ] && ok failed_open_leaves_no_tmpdir_instance ||
	not_ok failed_open_leaves_no_tmpdir_instance "$out" "$(ls -la "$S/vt-inst")"

# What a close cannot do is said once, by the helper, with the path and the
# reason; the module adds only that the close was incomplete.
helper_errors() { grep -cE '^<8[0-4]>.* helper: ' <<<"$1"; } # at LOG_WARNING or above
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
log_mark
out=$(session polyns-alice close -- sh -c "chmod 0755 $S/vt-inst")
logs=$(log_since)
chmod 000 "$S/vt-inst"
grep -q "helper: removing tmpdir instance $S/vt-inst/.* failed: mode of instance parent $S/vt-inst is not 000 or its owner is not root" <<<"$logs" &&
	[ "$(helper_errors "$logs")" = 1 ] && ok close_says_once_why_an_instance_stays ||
	not_ok close_says_once_why_an_instance_stays "$out" "$logs"
find "$S/vt-inst" -mindepth 1 -maxdepth 1 -exec rmdir {} +
log_mark
out=$(session polyns-alice close -- sh -c "rm -rf $RT/pending; touch $RT/pending")
logs=$(log_since)
rm -f "$RT/pending"
grep -q "helper: close: cannot open the records of instances kept for a later close: runtime directory $RT: pending: 'pending' is not a directory" <<<"$logs" &&
	[ "$(helper_errors "$logs")" = 1 ] && [ "$(count)" = 0 ] &&
	ok close_without_pending_records_says_so_once_and_removes_its_own ||
	not_ok close_without_pending_records_says_so_once_and_removes_its_own "$out" "$logs" "$(count)"
pam_conf closeshared "share=user ns=ipc runtime_dir=$RT"
log_mark
out=$(session polyns-alice closeshared -- sh -c "chmod 0755 $RT/shared")
logs=$(log_since)
chmod 0700 "$RT/shared"
grep -q "helper: close: cannot open the registry: $RT/shared must be root's, mode 0700" <<<"$logs" &&
	[ "$(helper_errors "$logs")" = 1 ] && ok close_without_registry_says_so_once ||
	not_ok close_without_registry_says_so_once "$out" "$logs"
session polyns-alice closeshared -- true >/dev/null # the set, released

# unmount_on_close: the polydirs are unmounted in the caller's namespace.
mkdir -p "$S/ut" && chmod 1777 "$S/ut"
echo "$S/ut $S/ut-inst/ user" >"$CONF"
pam_conf unm "unmount_on_close runtime_dir=$RT"
out=$(strace -f -qq -e trace=umount2 -o "$S/umount.trace" "$PAMTEST" "$S/pam.d" unm polyns-alice -- true 2>&1)
grep -q "umount2(\"/proc/self/fd/[0-9]*\", MNT_DETACH)" "$S/umount.trace" && grep -q '^close: Success' <<<"$out" &&
	ok unmount_on_close_unmounts_polydirs || not_ok unmount_on_close_unmounts_polydirs "$out" "$(cat "$S/umount.trace")"

# --- no instance is ever left unknown: a helper, caller or close killed ---
# half-way leaves it recorded (it is recorded before it is made), and a later
# close removes it once its namespace is empty and its session's caller gone.
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
echo "session required $MODULE helper=$TEST_HELPER config=$CONF config_dir=$CONFD runtime_dir=$RT" \
	>"$S/pam.d/faulty"
later_close() { session polyns-bob close -- true >/dev/null; }
wait_for() { for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }
until_gone() { timeout 5 tail --pid="$1" -s 0.05 -f /dev/null; }
pending_empty() { [ -z "$(ls -A "$RT/pending")" ]; }

# The helper killed after making the instance (entering its sets step).
hook sets kill
out=$(session polyns-alice faulty -- true)
unhook
made=$(count)
later_close
[ "$made" = 1 ] && grep -q '^open: Cannot' <<<"$out" && [ "$(count)" = 0 ] && pending_empty &&
	ok open_helper_killed_after_making_a_tmpdir_leaves_it_to_a_later_close ||
	not_ok open_helper_killed_after_making_a_tmpdir_leaves_it_to_a_later_close "made=$made" "$out" \
		"$(ls -la "$S/vt-inst" "$RT/pending")"

# The caller killed during the session (no close at all): kept while the
# session's process runs, removed by a later close once it is gone.
rm -f "$S/k.pid"
"$PAMTEST" "$S/pam.d" close polyns-alice -- sh -c "echo \$\$ >$S/k.pid; exec sleep 600" >/dev/null 2>&1 &
caller=$!
wait_for "$S/k.pid"
kill -9 "$caller"
wait "$caller" 2>/dev/null
later_close
kept=$(count)
kill -9 "$(cat "$S/k.pid")"
until_gone "$(cat "$S/k.pid")"
later_close
[ "$kept" = 1 ] && [ "$(count)" = 0 ] && pending_empty &&
	ok caller_killed_before_close_leaves_its_tmpdir_to_a_later_close ||
	not_ok caller_killed_before_close_leaves_its_tmpdir_to_a_later_close "kept=$kept" \
		"$(ls -la "$S/vt-inst" "$RT/pending")"

# The close helper killed before it removes anything, and the tree child killed.
for step in cleanup tree; do
	hook "$step" kill
	out=$(session polyns-alice faulty -- true)
	unhook
	left=$(count)
	later_close
	[ "$left" = 1 ] && grep -q '^close: Success' <<<"$out" && [ "$(count)" = 0 ] && pending_empty &&
		ok "close_with_${step}_killed_leaves_the_tmpdir_to_a_later_close" ||
		not_ok "close_with_${step}_killed_leaves_the_tmpdir_to_a_later_close" "left=$left" "$out" \
			"$(ls -la "$S/vt-inst" "$RT/pending")"
done

# Between the helper's exit and its caller's join, the session's namespace
# has no process: a record is kept while the caller that opened it runs.
mkfifo "$S/hold"
hook sets kill
"$PAMTEST" "$S/pam.d" faulty polyns-alice --wait-stdin -- true <"$S/hold" >"$S/held.out" 2>&1 &
held=$!
exec 9>"$S/hold"
wait_for "$S/held.out"
unhook
later_close
kept=$(count)
echo >&9
exec 9>&-
wait "$held"
later_close
[ "$kept" = 1 ] && grep -q '^open: Cannot' "$S/held.out" && [ "$(count)" = 0 ] && pending_empty &&
	ok tmpdir_record_kept_while_its_caller_runs ||
	not_ok tmpdir_record_kept_while_its_caller_runs "kept=$kept" "$(cat "$S/held.out")" \
		"$(ls -la "$S/vt-inst" "$RT/pending")"

# More kept instances than one close can hand to the tree child (8 fds in
# one message): each close removes what it can, none is stuck.
for i in $(seq 10); do
	session polyns-alice close -- sh -c "sleep 600 </dev/null >/dev/null 2>&1 & echo \$! >$S/bg.$i" \
		>/dev/null
done
kept=$(count)
for i in $(seq 10); do
	kill "$(cat "$S/bg.$i")"
	until_gone "$(cat "$S/bg.$i")"
done
later_close
after1=$(count)
later_close
after2=$(count)
[ "$kept" = 10 ] && [ "$after1" -lt "$kept" ] && [ "$after2" = 0 ] && pending_empty &&
	ok more_kept_instances_than_one_close_takes_are_all_collected ||
	not_ok more_kept_instances_than_one_close_takes_are_all_collected \
		"kept=$kept after one close=$after1, two=$after2" "$(ls -la "$RT/pending")"

# A process that vanishes while close reads its mount namespace (reaped
# between the listing of /proc and that read, its namespace answers EACCES)
# is gone, not a process close may not see: the pass goes on.
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
sh -c 'setpriv --reuid 4001 --regid 4001 --clear-groups sleep 600; :' 2>/dev/null &
for _ in $(seq 100); do
	victim=$(pgrep -P $! -x sleep) && [ "$(stat -c %u "/proc/$victim")" = 4001 ] && break
	sleep 0.05
done
log_mark
out=$(LD_PRELOAD=$BUILD/test/vanish_shim.so POLYNS_VANISH_PID=$victim session polyns-bob close -- true)
logs=$(log_since)
wait $!
[ -n "$victim" ] && [ ! -e "/proc/$victim" ] && grep -q '^close: Success' <<<"$out" &&
	! grep -q "cannot scan" <<<"$logs" && [ "$(count)" = 0 ] && pending_empty &&
	ok process_vanishing_during_the_close_scan_is_gone ||
	not_ok process_vanishing_during_the_close_scan_is_gone "victim=$victim" "$out" "$logs"

# A reply that would pass 64 KiB (many polydirs with long paths) is refused
# before the namespaces are handed over, and its tmpdirs are undone at once.
long=$S/$(printf 'l%.0s' $(seq 200))/$(printf 'm%.0s' $(seq 200))/$(printf 'n%.0s' $(seq 200))
: >"$CONF"
for i in $(seq 32); do
	mkdir -p "$long/p$i" && chmod 1777 "$long/p$i"
	echo "$long/p$i $long/p$i-inst/ tmpdir" >>"$CONF"
done
log_mark
out=$(session polyns-alice close -- true)
logs=$(log_since)
left=$(find "$long" -mindepth 2 -maxdepth 2 -path '*-inst/*' | wc -l)
grep -q '^open: Cannot' <<<"$out" && grep -q "would not fit in one message" <<<"$logs" &&
	[ "$left" = 0 ] && pending_empty && ok reply_over_64k_refused_and_its_tmpdirs_undone ||
	not_ok reply_over_64k_refused_and_its_tmpdirs_undone "$out" "$logs" "instances left: $left"
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"

tap_done
