#!/bin/bash
# polyns-check against configs written from the pam_namespace manual: the
# verdict, the exit code and the FILE:LINE of every error.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
CHECK=$PWD/build/polyns-check
T=$(mktemp -d /tmp/polyns-check.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/empty.d"

# conf NAME <<EOF: write a config file
conf() { cat >"$T/$1"; }

# expect_valid NAME CONF [DIR]: exit 0, nothing on stderr but warnings
expect_valid() {
	local name=$1 cf=$2 dir=${3:-$T/empty.d} out rc
	out=$("$CHECK" --config "$T/$cf" --config-dir "$dir" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 0 ] && ! grep -v ': warning: ' <<<"$out" | grep -q .; then
		ok "$name"
	else
		not_ok "$name" "rc=$rc" "$out"
	fi
}

# expect_error NAME CONF "FILE:LINE: text" [DIR]: exit 1 and that line
expect_error() {
	local name=$1 cf=$2 want=$3 dir=${4:-$T/empty.d} out rc
	out=$("$CHECK" --config "$T/$cf" --config-dir "$dir" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out"; then
		ok "$name"
	else
		not_ok "$name" "rc=$rc, wanted: $want" "$out"
	fi
}

conf manual.conf <<'X'
# The examples of namespace.conf(5)
/tmp     /tmp-inst/       level      root,adm
/var/tmp /var/tmp/tmp-inst/   level      root,adm
$HOME    $HOME/$USER.inst/inst- context
X
expect_valid check_accepts_manual_example manual.conf

conf methods.conf <<'X'
/tmp /tmp-inst/ user
/var/tmp /var/tmp-inst/ tmpdir:create=0700,root,root
/run/x whatever tmpfs:mntopts=size=1m,nosuid,nodev:noinit ~root
/srv/c /srv/c-inst/ context:shared
/srv/l /srv/l-inst/ level:iscript=my.init
"/srv/with space" "/srv/inst\tx/" user
X
expect_valid check_accepts_every_method_and_flag methods.conf

conf comments.conf <<'X'

   # indented comment
/tmp /tmp-inst/ user # trailing comment
	
X
expect_valid check_accepts_blank_and_comment_lines comments.conf

conf bad1.conf <<'X'
# ok line then a one-field line
/tmp /tmp-inst/ user
/tmp
X
expect_error check_rejects_line_with_one_field bad1.conf "$T/bad1.conf:3: missing instance_prefix and method fields"

conf bad2.conf <<'X'
/tmp /tmp-inst/
X
expect_error check_rejects_missing_method bad2.conf "$T/bad2.conf:1: missing method field"

conf bad3.conf <<'X'
/tmp /tmp-inst/ User
X
expect_error check_rejects_unknown_method bad3.conf "$T/bad3.conf:1: unknown method 'User'"

conf bad4.conf <<'X'
/tmp /tmp-inst/ ::
X
expect_error check_rejects_empty_method bad4.conf "$T/bad4.conf:1: empty method field"

conf bad5.conf <<'X'
tmp /tmp-inst/ user
X
expect_error check_rejects_relative_polydir bad5.conf "$T/bad5.conf:1: polydir 'tmp' must start with '/'"

conf bad6.conf <<'X'
/tmp tmp-inst/ user
X
expect_error check_rejects_relative_instance_prefix bad6.conf "$T/bad6.conf:1: instance_prefix 'tmp-inst/' must start with '/'"

conf bad7.conf <<'X'
/srv/a..b /srv/i/ user
X
expect_error check_rejects_dotdot_substring bad7.conf "$T/bad7.conf:1: polydir '/srv/a..b' must not contain '..'"

conf bad8.conf <<'X'
/ /inst/ user
X
expect_error check_rejects_root_polydir bad8.conf "$T/bad8.conf:1: polydir must not be '/'"

conf bad9.conf <<'X'
/tmp /tmp-inst/ user:create=rwx
X
expect_error check_rejects_non_numeric_create_mode bad9.conf "$T/bad9.conf:1: 'create=rwx': create mode 'rwx' is not a number"

conf bad10.conf <<'X'
/tmp /tmp-inst/ user:create=0700,no-such-user-xyz
X
expect_error check_rejects_unknown_create_owner bad10.conf "$T/bad10.conf:1: create=: unknown owner 'no-such-user-xyz'"

conf bad11.conf <<'X'
/tmp /tmp-inst/ user:create=0700,root,no-such-group-xyz
X
expect_error check_rejects_unknown_create_group bad11.conf "$T/bad11.conf:1: create=: unknown group 'no-such-group-xyz'"

conf bad12.conf <<'X'
"/p#x" /q/ user
X
expect_error check_hash_in_quotes_cuts_line bad12.conf "$T/bad12.conf:1: missing instance_prefix and method fields"

# Several errors: every one is reported, each with its line.
conf multi.conf <<'X'
/a
/tmp /tmp-inst/ user
/b /c/ bogus
X
out=$("$CHECK" --config "$T/multi.conf" --config-dir "$T/empty.d" 2>&1 >/dev/null)
if grep -q "multi.conf:1: " <<<"$out" && grep -q "multi.conf:3: " <<<"$out" &&
	! grep -q "multi.conf:2: " <<<"$out"; then
	ok check_reports_every_error_with_its_line
else
	not_ok check_reports_every_error_with_its_line "$out"
fi

# Warnings do not fail the check.
conf warn.conf <<'X'
/tmp /tmp-inst/ user:bogusflag root,no-such-user-xyz extra field
X
out=$("$CHECK" --config "$T/warn.conf" --config-dir "$T/empty.d" 2>&1)
if [ $? -eq 0 ] && grep -q "warn.conf:1: warning: unknown method flag 'bogusflag'" <<<"$out" &&
	grep -q "warn.conf:1: warning: unknown user 'no-such-user-xyz'" <<<"$out" &&
	grep -q "warn.conf:1: warning: 2 extra fields" <<<"$out"; then
	ok check_warns_but_accepts_what_pam_namespace_ignores
else
	not_ok check_warns_but_accepts_what_pam_namespace_ignores "$out"
fi

# ignore_config_error turns line errors into warnings.
if "$CHECK" --config "$T/multi.conf" --config-dir "$T/empty.d" --ignore-config-error >/dev/null 2>&1; then
	ok check_ignore_config_error_skips_bad_lines
else
	not_ok check_ignore_config_error_skips_bad_lines
fi

# Drop-ins: only *.conf, byte order, errors name the drop-in.
mkdir -p "$T/d"
echo '/d1 /d1-inst/ user' >"$T/d/b.conf"
echo '/d2 /d2-inst/ user' >"$T/d/B.conf"
echo 'garbage' >"$T/d/skipped.txt"
echo 'garbage' >"$T/d/.hidden.conf"
echo '/d3 /d3-inst/ nomethod' >"$T/d/z.conf"
expect_error check_reports_error_in_dropin manual.conf "$T/d/z.conf:1: unknown method 'nomethod'" "$T/d"
rm "$T/d/z.conf"
out=$("$CHECK" --config "$T/methods.conf" --config-dir "$T/d" --user root 2>/dev/null)
if [ "$(grep -o '^/d[12]' <<<"$out" | tr '\n' ' ')" = "/d2 /d1 " ]; then
	ok check_reads_dropins_in_byte_order
else
	not_ok check_reads_dropins_in_byte_order "$out"
fi

# The drop-in directory is walked: a symlink below /tmp (anyone's) is not followed.
ln -s "$T/d" "$T/link.d"
expect_error check_refuses_dropin_dir_behind_symlink_below_tmp manual.conf "$T/link.d: cannot open: '$T/link.d' is a symlink where none may be followed" "$T/link.d"
expect_error check_refuses_dot_dot_in_dropin_dir manual.conf "$T/d/..: cannot open: '$T/d/..' is refused" "$T/d/.."

expect_error check_rejects_missing_main_file nonexistent.conf "$T/nonexistent.conf: cannot open: No such file or directory"

conf writable.conf <<'X'
/tmp /tmp-inst/ user
X
chmod 0666 "$T/writable.conf"
expect_error check_refuses_world_writable_config writable.conf "$T/writable.conf: refusing a regular file not owned by root"

mkfifo "$T/fifo.conf"
if timeout 5 "$CHECK" --config "$T/fifo.conf" --config-dir "$T/empty.d" 2>"$T/fifo.err"; then
	not_ok check_does_not_hang_on_fifo "accepted a FIFO"
elif [ $? -eq 124 ]; then
	not_ok check_does_not_hang_on_fifo "hung"
elif grep -q "fifo.conf: not a regular file" "$T/fifo.err"; then
	ok check_does_not_hang_on_fifo
else
	not_ok check_does_not_hang_on_fifo "$(cat "$T/fifo.err")"
fi

# --user: instance paths as pam_namespace names them.
conf user.conf <<'X'
/tmp /tmp-inst/ user
$HOME $HOME/.inst/inst- user
/srv/x /srv/x-inst/ user ~nobody
X
out=$("$CHECK" --config "$T/user.conf" --config-dir "$T/empty.d" --user root 2>&1)
if grep -qx '  instance: /tmp-inst/root' <<<"$out" &&
	grep -qx '  instance: /root/.inst/inst-root' <<<"$out" &&
	grep -q 'not polyinstantiated for root' <<<"$out"; then
	ok check_user_plan_shows_instance_paths
else
	not_ok check_user_plan_shows_instance_paths "$out"
fi
want=$(printf %s root | md5sum | cut -c1-32)
out=$("$CHECK" --config "$T/user.conf" --config-dir "$T/empty.d" --user root --gen-hash 2>&1)
if grep -qx "  instance: /tmp-inst/$want" <<<"$out"; then
	ok check_user_plan_gen_hash_uses_md5
else
	not_ok check_user_plan_gen_hash_uses_md5 "want $want" "$out"
fi

"$CHECK" --config "$T/user.conf" --user no-such-user-xyz >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && ok check_unknown_user_fails || not_ok check_unknown_user_fails "rc=$rc"
"$CHECK" --bogus >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok check_bad_usage_exits_2 || not_ok check_bad_usage_exits_2 "rc=$rc"

# Limits only a session meets: flagged here, not at login time.
{
	printf '/a /b/ user %s\n' "$(seq -s, -f 'u%g' 200)"
	printf '/c /d/ user %s\n' "$(seq -s, -f 'v%g' 200)"
} >"$T/names.conf"
expect_error check_flags_more_names_than_a_session_resolves names.conf "$T/names.conf:2: more than 256 distinct user names in the configuration; a session resolves at most 256"

# 256 names in one list plus a create= owner: 257 names to resolve, one more
# than a session's query holds, so a login would refuse it.
printf '/a /b/ user:create=0755,root %s\n' "$(seq -s, -f 'u%g' 256)" >"$T/names257.conf"
expect_error check_counts_create_owner_with_list_names names257.conf "$T/names257.conf:1: more than 256 distinct user names"
printf '/a /b/ user:create=0755,root %s\n' "$(seq -s, -f 'u%g' 255)" >"$T/names256.conf"
expect_valid check_accepts_256_names_with_create_owner names256.conf

# --user looks at instances that exist already: reused as they are, so one
# that differs from what a new instance gets (a copy of the polydir) is a
# warning, and one a session would refuse is an error.
mkdir -p "$T/ptmp" "$T/ptmp-inst/nobody"
chmod 1777 "$T/ptmp"
chmod 000 "$T/ptmp-inst"
chmod 0755 "$T/ptmp-inst/nobody"
echo "$T/ptmp $T/ptmp-inst/ user" >"$T/inst.conf"
out=$("$CHECK" --config "$T/inst.conf" --config-dir "$T/empty.d" --user nobody 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -qF "$T/inst.conf:1: warning: existing instance $T/ptmp-inst/nobody is owned by root, group 0, mode 0755, and is used as it is; a new one would be owned by root, group 0, mode 1777 like $T/ptmp: nobody cannot write to it" <<<"$out"; then
	ok check_user_warns_about_existing_instance_the_user_cannot_write
else
	not_ok check_user_warns_about_existing_instance_the_user_cannot_write "rc=$rc" "$out"
fi
chmod 1777 "$T/ptmp-inst/nobody"
out=$("$CHECK" --config "$T/inst.conf" --config-dir "$T/empty.d" --user nobody 2>&1)
rc=$?
if [ $rc -eq 0 ] && ! grep -q "existing instance" <<<"$(grep -v '^  existing instance:' <<<"$out")"; then
	ok check_user_quiet_about_existing_instance_as_a_new_one_would_be
else
	not_ok check_user_quiet_about_existing_instance_as_a_new_one_would_be "rc=$rc" "$out"
fi
chown 4242 "$T/ptmp-inst/nobody"
out=$("$CHECK" --config "$T/inst.conf" --config-dir "$T/empty.d" --user nobody 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -qF "$T/inst.conf:1: existing instance $T/ptmp-inst/nobody belongs to uid 4242, neither root, the polydir's owner nor nobody: a session of nobody is refused" <<<"$out"; then
	ok check_user_errors_on_existing_instance_a_session_refuses
else
	not_ok check_user_errors_on_existing_instance_a_session_refuses "rc=$rc" "$out"
fi

# A 90-byte user name (in a private mount namespace with its own passwd).
long=$(printf 'u%.0s' $(seq 90))
cp /etc/passwd "$T/passwd"
echo "$long:x:4242:4242::/home/$long:/bin/sh" >>"$T/passwd"
out=$(unshare -m --propagation private sh -c \
	"mount --bind '$T/passwd' /etc/passwd && '$CHECK' --config '$T/user.conf' --config-dir '$T/empty.d' --user '$long'" 2>&1)
want="/tmp-inst/$(printf 'u%.0s' $(seq 47))_$(printf %s "$long" | md5sum | cut -c1-32)"
if grep -qx "  instance: $want" <<<"$out"; then
	ok check_user_plan_shortens_long_names_with_md5
else
	not_ok check_user_plan_shortens_long_names_with_md5 "want $want" "$out"
fi


# --tmpfiles: a root-owned, mode-000 line per instance parent, once each;
# parents that depend on the user only named; nothing for a bad config.
conf tmpfiles.conf <<'X'
/tmp      /tmp-inst/          user     root
/var/tmp  /var/tmp/tmp-inst/  tmpdir:create=01777
/srv/a    /srv/inst/          user
/srv/b    /srv/inst/          level
/run/s    unused              tmpfs:mntopts=size=1m
$HOME     $HOME/.inst/inst-   user
/srv/u    /srv/u-inst/$USER/  user
"/srv/sp" "/srv/in st%x/"     user
/srv/r    /inst-              user
X
out=$("$CHECK" --tmpfiles --config "$T/tmpfiles.conf" --config-dir "$T/empty.d" 2>&1)
rc=$?
want='d /run/polyns 0700 root root -
d /tmp-inst 0000 root root -
d /var/tmp/tmp-inst 0000 root root -
d /srv/inst 0000 root root -
d "/srv/in st%%x" 0000 root root -'
if [ $rc -eq 0 ] && [ "$(grep -v '^#' <<<"$out")" = "$want" ]; then
	ok check_tmpfiles_one_line_per_instance_parent
else
	not_ok check_tmpfiles_one_line_per_instance_parent "rc=$rc" "$out"
fi
if grep -q "tmpfiles.conf:6: the instance parent of \$HOME/.inst/inst- depends on the user" <<<"$out" &&
	grep -q "tmpfiles.conf:7: the instance parent of /srv/u-inst/\$USER/ depends on the user" <<<"$out" &&
	grep -q "tmpfiles.conf:5: /run/s is a tmpfs, no instance parent" <<<"$out" &&
	grep -q "tmpfiles.conf:9: the instance parent of /inst- is /; not made here" <<<"$out"; then
	ok check_tmpfiles_names_what_it_does_not_make
else
	not_ok check_tmpfiles_names_what_it_does_not_make "$out"
fi
if command -v systemd-tmpfiles >/dev/null 2>&1; then
	mkdir -p "$T/root/tmp-inst"
	chmod 0755 "$T/root/tmp-inst"
	chown 65534:65534 "$T/root/tmp-inst"
	grep -v '^#' <<<"$out" >"$T/polyns.tmpfiles"
	tout=$(systemd-tmpfiles --root="$T/root" --create "$T/polyns.tmpfiles" 2>&1)
	got=$(cd "$T/root" && stat -c '%n %U %G %a' tmp-inst var/tmp/tmp-inst srv/inst "srv/in st%x" run/polyns 2>&1)
	if [ "$got" = "tmp-inst root root 0
var/tmp/tmp-inst root root 0
srv/inst root root 0
srv/in st%x root root 0
run/polyns root root 700" ]; then
		ok check_tmpfiles_output_makes_parents_root_000_with_systemd_tmpfiles
	else
		not_ok check_tmpfiles_output_makes_parents_root_000_with_systemd_tmpfiles "$tout" "$got"
	fi
fi
out=$("$CHECK" --tmpfiles --config "$T/multi.conf" --config-dir "$T/empty.d" 2>/dev/null)
rc=$?
[ $rc -eq 1 ] && [ -z "$out" ] && ok check_tmpfiles_prints_nothing_for_invalid_config ||
	not_ok check_tmpfiles_prints_nothing_for_invalid_config "rc=$rc" "$out"
"$CHECK" --tmpfiles --user root >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok check_tmpfiles_with_user_is_usage_error || not_ok check_tmpfiles_with_user_is_usage_error "rc=$rc"

# --- instance parents on disk: a session refuses one not root's with mode 000 ---
mkdir -p "$T/pp" "$T/pp-inst"
chmod 1777 "$T/pp"
chmod 0755 "$T/pp-inst"
printf '%s\n' "$T/pp $T/pp-inst/ user" "$T/pp $T/pp-inst/ tmpdir" >"$T/parent.conf"
want="$T/parent.conf:1: warning: instance parent $T/pp-inst is owned by root, group 0, mode 0755: a session refuses it unless the module has ignore_instance_parent_mode"
out=$("$CHECK" --config "$T/parent.conf" --config-dir "$T/empty.d" --pam-dir "$T/empty.d" 2>&1)
rc=$?
[ $rc -eq 0 ] && grep -qF "$want" <<<"$out" && [ "$(grep -c 'instance parent' <<<"$out")" = 1 ] &&
	ok check_warns_about_instance_parent_with_wrong_mode_once ||
	not_ok check_warns_about_instance_parent_with_wrong_mode_once "rc=$rc" "$out"
out=$("$CHECK" --config "$T/parent.conf" --config-dir "$T/empty.d" --pam-dir "$T/empty.d" --user nobody 2>&1)
grep -qF "$want" <<<"$out" && ok check_user_warns_about_instance_parent_with_wrong_mode ||
	not_ok check_user_warns_about_instance_parent_with_wrong_mode "$out"
chmod 000 "$T/pp-inst"
chown nobody "$T/pp-inst"
out=$("$CHECK" --config "$T/parent.conf" --config-dir "$T/empty.d" --pam-dir "$T/empty.d" 2>&1)
grep -qF "$T/parent.conf:1: warning: instance parent $T/pp-inst is owned by nobody, group 0, mode 0000" <<<"$out" &&
	ok check_warns_about_instance_parent_owned_by_a_user ||
	not_ok check_warns_about_instance_parent_owned_by_a_user "$out"
chown root "$T/pp-inst"
out=$("$CHECK" --config "$T/parent.conf" --config-dir "$T/empty.d" --pam-dir "$T/empty.d" --user nobody 2>&1)
! grep -q 'warning: instance parent' <<<"$out" && ok check_quiet_about_root_sealed_instance_parent ||
	not_ok check_quiet_about_root_sealed_instance_parent "$out"
rmdir "$T/pp-inst"
out=$("$CHECK" --config "$T/parent.conf" --config-dir "$T/empty.d" --pam-dir "$T/empty.d" 2>&1)
! grep -q 'instance parent' <<<"$out" && [ ! -e "$T/pp-inst" ] && ok check_quiet_about_missing_instance_parent ||
	not_ok check_quiet_about_missing_instance_parent "$out"
# A parent reached through a symlink a user could change: refused by the session's walk.
mkdir -m 1777 "$T/pub" && mkdir -m 000 "$T/real-inst"
ln -s "$T/real-inst" "$T/pub/inst"
echo "$T/pp $T/pub/inst/ user" >"$T/plink.conf"
out=$("$CHECK" --config "$T/plink.conf" --config-dir "$T/empty.d" --pam-dir "$T/empty.d" 2>&1)
grep -qF "$T/plink.conf:1: warning: instance parent $T/pub/inst" <<<"$out" && grep -q 'a session refuses it' <<<"$out" &&
	ok check_warns_about_instance_parent_behind_users_symlink ||
	not_ok check_warns_about_instance_parent_behind_users_symlink "$out"

# --- PAM stacks: pam_polyns.so with a set in the registry must come before pam_systemd.so ---
P=$T/pam.d
mkdir -p "$P"
echo "/tmp /tmp-inst/ user" >"$T/pam-check.conf"
pamcheck() { "$CHECK" --config "$T/pam-check.conf" --config-dir "$T/empty.d" --pam-dir "$P" 2>&1; }
cat >"$P/common-session" <<'X'
session [default=1] pam_permit.so
session requisite pam_deny.so
session required pam_unix.so
session optional pam_systemd.so
X
printf '%s\n' '# sshd' '@include common-session' 'session required pam_polyns.so share=user ns=ipc' >"$P/sshd"
out=$(pamcheck)
rc=$?
want="$P/sshd:3: warning: pam_polyns.so with share=user comes after pam_systemd.so ($P/common-session:4, through @include common-session at $P/sshd:2) in the session stack of sshd"
[ $rc -eq 0 ] && grep -qF "$want" <<<"$out" && ok check_warns_pam_polyns_after_pam_systemd_through_include ||
	not_ok check_warns_pam_polyns_after_pam_systemd_through_include "rc=$rc" "want: $want" "$out"
printf '%s\n' 'session required pam_polyns.so share=user ns=ipc' '@include common-session' >"$P/sshd"
cp "$P/sshd" "$P/sshd.before-polyns"
printf '%s\n' '@include common-session' 'session required pam_polyns.so share=user' >"$P/sshd.before-polyns"
out=$(pamcheck)
! grep -q 'pam_systemd' <<<"$out" && ok check_quiet_when_pam_polyns_comes_first_and_skips_backups ||
	not_ok check_quiet_when_pam_polyns_comes_first_and_skips_backups "$out"
rm "$P/sshd.before-polyns"
printf '%s\n' '@include common-session' 'session required pam_polyns.so ns=uts,ipc' >"$P/sshd"
out=$(pamcheck)
! grep -q 'pam_systemd' <<<"$out" && ok check_quiet_about_per_session_namespaces_after_pam_systemd ||
	not_ok check_quiet_about_per_session_namespaces_after_pam_systemd "$out"
# Other spellings of a session stack: include, substack, -session, a continued line.
printf '%s\n' 'session include common-session' '-session   optional pam_polyns.so \' '   ns=pid,uts' >"$P/login"
printf '%s\n' 'session substack common-session' 'session required /lib/security/pam_polyns.so share=group' >"$P/su"
out=$(pamcheck)
grep -qF "$P/login:2: warning: pam_polyns.so with ns=pid comes after pam_systemd.so ($P/common-session:4, through include common-session at $P/login:1) in the session stack of login" <<<"$out" &&
	grep -qF "$P/su:2: warning: pam_polyns.so with share=group comes after pam_systemd.so ($P/common-session:4, through substack common-session at $P/su:1)" <<<"$out" &&
	ok check_follows_include_substack_dash_and_continued_lines ||
	not_ok check_follows_include_substack_dash_and_continued_lines "$out"
rm "$P/login" "$P/su"
# pam-auth-update's place: inside common-session, reported once for every service using it.
cat >"$P/common-session" <<'X'
session required pam_unix.so
session optional pam_systemd.so
session required pam_polyns.so user CLONE_NEWIPC
X
printf '%s\n' '@include common-session' >"$P/sshd"
printf '%s\n' '@include common-session' >"$P/login"
out=$(pamcheck)
[ "$(grep -c 'comes after pam_systemd.so' <<<"$out")" = 1 ] &&
	grep -qF "$P/common-session:3: warning: pam_polyns.so with share=user comes after pam_systemd.so ($P/common-session:2) in the session stack of common-session" <<<"$out" &&
	ok check_reports_a_shared_stack_line_once || not_ok check_reports_a_shared_stack_line_once "$out"
printf '%s\n' 'session required pam_polyns.so share=everyone' >"$P/common-session"
out=$(pamcheck)
rc=$?
[ $rc -eq 0 ] && grep -qF "$P/common-session:1: warning: pam_polyns.so arguments:" <<<"$out" &&
	grep -q 'every session through this line fails' <<<"$out" &&
	ok check_warns_about_module_arguments_the_module_refuses ||
	not_ok check_warns_about_module_arguments_the_module_refuses "rc=$rc" "$out"
out=$("$CHECK" --config "$T/pam-check.conf" --config-dir "$T/empty.d" --pam-dir "$T/no-such-pam.d" 2>&1)
rc=$?
[ $rc -eq 0 ] && grep -qF "$T/no-such-pam.d: warning: cannot read the PAM stacks" <<<"$out" &&
	ok check_names_a_pam_dir_it_cannot_read || not_ok check_names_a_pam_dir_it_cannot_read "rc=$rc" "$out"
# An include loop and a FIFO neither hang nor fail the check.
printf '%s\n' '@include loop' >"$P/loop"
mkfifo "$P/fifo"
printf '%s\n' '@include fifo' >"$P/viafifo"
timeout 10 "$CHECK" --config "$T/pam-check.conf" --config-dir "$T/empty.d" --pam-dir "$P" >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && ok check_survives_include_loops_and_fifos || not_ok check_survives_include_loops_and_fifos "rc=$rc"

tap_done
