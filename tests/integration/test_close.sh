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

tap_done
