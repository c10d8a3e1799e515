#!/bin/bash
# The namespace init script protocol, as the module runs it after joining.
. "$(dirname "$0")/session_lib.sh"

mkdir -p "$S/it" "$S/vt" && chmod 1777 "$S/it" "$S/vt"
INIT=$S/init.sh
script() { printf '#!/bin/sh\n%s\n' "$1" >"$INIT"; chmod 0755 "$INIT"; }
pam_conf init "init=$INIT timeout=3"
echo "$S/it $S/it-inst/ user" >"$CONF"

script "echo \"args \$# \$*\" >$S/args; echo \"\$0\" >$S/zero; env >$S/env; ls /proc/self/fd >$S/fds; readlink /proc/self/fd/3 >$S/fd3; findmnt -n -o SOURCE $S/it >$S/seen; id -u >$S/uid"
out=$(session polyns-alice init -- true)
grep -q '^open: Success' <<<"$out" &&
	[ "$(cat "$S/args")" = "args 6 $S/it $S/it-inst/polyns-alice 1 polyns-alice 1 1" ] &&
	ok init_gets_pam_namespace_arguments_plus_safety_flags || not_ok init_gets_pam_namespace_arguments_plus_safety_flags "$out" "$(cat "$S/args")"
grep -q "it-inst/polyns-alice" "$S/seen" && ok init_runs_inside_the_new_namespace_after_the_mount ||
	not_ok init_runs_inside_the_new_namespace_after_the_mount "$(cat "$S/seen")"
[ "$(grep -cv '^PWD=\|^SHLVL=\|^_=' "$S/env")" = 0 ] && ok init_has_empty_environment ||
	not_ok init_has_empty_environment "$(cat "$S/env")"
# ls lists its own fds: stdio, the script the shell reads (3) and the directory it reads (4)
[ "$(sort -n "$S/fds" | tr '\n' ' ')" = "0 1 2 3 4 " ] && [ "$(cat "$S/fd3")" = "$INIT" ] &&
	ok init_inherits_only_stdio_and_its_own_script ||
	not_ok init_inherits_only_stdio_and_its_own_script "$(cat "$S/fds")" "$(cat "$S/fd3")"
# The shell reads the script from the fd that was checked, not from its path again.
[ "$(cat "$S/zero")" = /dev/fd/3 ] && ok init_script_is_read_from_the_checked_fd ||
	not_ok init_script_is_read_from_the_checked_fd "\$0 is $(cat "$S/zero")"
[ "$(cat "$S/uid")" = 0 ] && ok init_runs_as_root || not_ok init_runs_as_root "$(cat "$S/uid")"
session polyns-alice init -- true >/dev/null
grep -q " 0 polyns-alice " "$S/args" && ok init_reused_instance_is_not_new || not_ok init_reused_instance_is_not_new "$(cat "$S/args")"

# Debian's /var/tmp layout: the instance parent inside its polydir.  Judged
# after the mount, as pam_namespace does, the parent's path now leads into
# the instance, where there is no such directory: the instance path is unsafe.
mkdir -p "$S/nt" && chmod 1777 "$S/nt"
echo "$S/nt $S/nt/nt-inst/ user" >"$CONF"
script "echo \"args \$# \$*\" >$S/args"
out=$(session polyns-alice init -- true)
grep -q '^open: Success' <<<"$out" &&
	[ "$(cat "$S/args")" = "args 6 $S/nt $S/nt/nt-inst/polyns-alice 1 polyns-alice 1 0" ] &&
	ok init_instance_parent_inside_polydir_is_unsafe ||
	not_ok init_instance_parent_inside_polydir_is_unsafe "$out" "$(cat "$S/args")"
echo "$S/it $S/it-inst/ user" >"$CONF"

script "exit 127"
out=$(session polyns-alice init -- true)
grep -q '^open: Success' <<<"$out" && ok init_nonzero_exit_is_ignored_like_pam_namespace ||
	not_ok init_nonzero_exit_is_ignored_like_pam_namespace "$out"

# The module execs the checked fd (execveat, AT_EMPTY_PATH); it never execve()s the path.
strace -f -qq -e trace=execve,execveat -o "$S/trace" \
	"$PAMTEST" "$S/pam.d" init polyns-alice -- true >/dev/null 2>&1
grep -q "execveat(3, \"\", \[\"$INIT\".*AT_EMPTY_PATH" "$S/trace" &&
	! grep -q "execve(\"$INIT\"" "$S/trace" && ok init_exec_is_from_the_checked_fd ||
	not_ok init_exec_is_from_the_checked_fd "$(grep -e "$INIT" "$S/trace")"

rm -f "$INIT"
out=$(session polyns-alice init -- true)
grep -q '^open: Success' <<<"$out" && ok init_missing_script_is_skipped || not_ok init_missing_script_is_skipped "$out"

# Failures: refused, caller back in its namespaces, tmpdirs removed.
echo "$S/vt $S/vt-inst/ tmpdir" >"$CONF"
refused() { # name log-pattern
	local out logs
	log_mark
	out=$(session polyns-alice init --print-ns -- true)
	logs=$(log_since)
	if grep -q '^open: Success' <<<"$out"; then
		not_ok "$1" "session opened" "$out"
	elif [ "$(grep '^before mnt' <<<"$out" | cut -d' ' -f3)" != "$(grep '^after mnt' <<<"$out" | cut -d' ' -f3)" ]; then
		not_ok "$1" "caller left in the session's mount namespace" "$out"
	elif [ -n "$(find "$S/vt-inst" -mindepth 1 2>/dev/null)" ]; then
		not_ok "$1" "tmpdir instance left behind" "$(ls -la "$S/vt-inst")"
	elif ! grep -qE "$2" <<<"$logs"; then
		not_ok "$1" "log lacks $2" "$logs"
	else
		ok "$1"
	fi
}
script 'kill -9 $$'
refused init_killed_by_signal_refuses_session "init script .* killed by signal 9"
script 'sleep 10'
refused init_past_deadline_refuses_session "did not finish within 3 s"
script 'true'
chmod 0775 "$INIT"
refused init_writable_by_group_is_refused "refusing namespace init script"
chmod 0755 "$INIT"
chown polyns-alice "$INIT"
refused init_not_root_owned_is_refused "refusing namespace init script"
chown root "$INIT"
echo "$S/vt $S/vt-inst/ tmpdir:noinit" >"$CONF"
script 'kill -9 $$'
out=$(session polyns-alice init -- true)
grep -q '^open: Success' <<<"$out" && ok init_noinit_skips_script || not_ok init_noinit_skips_script "$out"

tap_done
