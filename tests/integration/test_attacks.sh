#!/bin/bash
# Hostile paths: what a user can plant where polyinstantiation walks.  Every
# case must end with the session refused (or safely done), a log line, no
# hang, and nothing created, chowned, chmodded or mounted where it should not.
. "$(dirname "$0")/session_lib.sh"

V=$S/victim # stands for /etc: root's files a user would love to own
mkdir -p "$V/sub"
echo secret >"$V/shadow"
chmod 0640 "$V/shadow"
fingerprint() { find "$V" -printf '%p %m %u %g %y\n' | sort; }
FP=$(fingerprint)

pam_conf attack "debug timeout=5"
H=$S/home/polyns-alice

# run_attack NAME LOG-PATTERN: the session must be refused with that log line,
# the victim untouched, nothing mounted over it, and it must not hang.
run_attack() {
	local name=$1 pattern=$2 out rc logs
	log_mark
	out=$(timeout 20 "$PAMTEST" "$S/pam.d" attack polyns-alice -- sh -c "findmnt -rn -o TARGET | grep -c '^$V' || true" 2>&1)
	rc=$?
	logs=$(log_since)
	if [ $rc -eq 124 ]; then
		not_ok "$name" "hung"
	elif [ $rc -ne 99 ]; then
		not_ok "$name" "session was not refused (rc=$rc)" "$out" "$logs"
	elif [ "$(fingerprint)" != "$FP" ]; then
		not_ok "$name" "victim changed" "$(diff <(echo "$FP") <(fingerprint))"
	elif ! grep -qE -- "$pattern" <<<"$logs"; then
		not_ok "$name" "log lacks: $pattern" "$logs"
	else
		ok "$name"
	fi
}

reset_home() {
	rm -rf "$H"
	mkdir -p "$H"
	chown polyns-alice:polyns-alice "$H"
	chmod 0750 "$H"
}

# 1. The polydir itself is a user's symlink in a user-writable directory.
mkdir -p "$S/pub" && chmod 1777 "$S/pub"
ln -s "$V" "$S/pub/link"
chown -h polyns-alice "$S/pub/link"
echo "$S/pub/link $S/pub-inst/ user" >"$CONF"
run_attack attack_symlinked_polydir_refused "link' is a symlink where none may be followed"

# 2. The instance parent is a user's symlink (in the user's home).
reset_home
echo "\$HOME \$HOME/.inst/ user" >"$CONF"
ln -s "$V" "$H/.inst"
chown -h polyns-alice "$H/.inst"
run_attack attack_symlinked_instance_parent_refused ".inst' is a symlink where none may be followed"

# 3. An intermediate directory of the instance parent is a user's symlink.
reset_home
echo "\$HOME \$HOME/a/.inst/ user" >"$CONF"
ln -s "$V" "$H/a"
chown -h polyns-alice "$H/a"
run_attack attack_symlinked_intermediate_refused "/a' is a symlink where none may be followed"

# 4-7. The instance, pre-made by the user (parent the user's: with
# ignore_instance_parent_mode, as some sites run it).
pam_conf attack "debug timeout=5 ignore_instance_parent_mode"
for kind in symlink file fifo hardlink; do
	reset_home
	echo "\$HOME \$HOME/.inst/ user" >"$CONF"
	mkdir "$H/.inst"
	chown polyns-alice "$H/.inst"
	case $kind in
	symlink) ln -s "$V" "$H/.inst/polyns-alice" ;;
	file) echo x >"$H/.inst/polyns-alice" ;;
	fifo) mkfifo "$H/.inst/polyns-alice" ;;
	hardlink) ln "$V/shadow" "$H/.inst/polyns-alice" ;;
	esac
	chown -h polyns-alice "$H/.inst/polyns-alice" 2>/dev/null
	[ $kind = hardlink ] && chown root "$V/shadow"
	run_attack "attack_instance_premade_as_${kind}_refused" "instance .* is not a directory we can use"
done
pam_conf attack "debug timeout=5"

# 8. The polydir is a FIFO: no hang (CVE-2024-22365).
reset_home
mkfifo "$S/pub/fifo"
echo "$S/pub/fifo $S/pub-inst/ user" >"$CONF"
run_attack attack_fifo_polydir_does_not_hang "fifo' is not a directory"

# 9. A home owned by someone else.
reset_home
chown polyns-bob "$H"
echo "\$HOME \$HOME/.inst/ user" >"$CONF"
run_attack attack_home_owned_by_other_user_refused "belongs to uid 4002, neither the user nor root"
[ ! -e "$H/.inst" ] && ok attack_nothing_created_in_foreign_home || not_ok attack_nothing_created_in_foreign_home "$(ls -la "$H")"

# 10. A home with '..' in it.
reset_home
# (rewrite in place: the bind mount of /etc/passwd follows the inode)
set_home() { sed "s|^polyns-alice:x:4001:4001::[^:]*:|polyns-alice:x:4001:4001::$1:|" "$S/passwd" >"$S/passwd.new" && cat "$S/passwd.new" >"$S/passwd"; }
set_home "$S/home/../victim"
echo "\$HOME \$HOME/.inst/ user" >"$CONF"
run_attack attack_dotdot_in_home_refused "must not contain '..'"
set_home "$H"

# 11. A user name that is not one path component.
echo "evil/x:x:4009:4009::$S/home/evil:/bin/sh" >>"$S/passwd"
echo "$S/pub2 $S/pub2-inst/ user" >"$CONF"
mkdir -p "$S/pub2"
log_mark
out=$(timeout 20 "$PAMTEST" "$S/pam.d" attack "evil/x" -- true 2>&1)
logs=$(log_since)
[ $? -ne 124 ] && grep -q '^open: Cannot' <<<"$out" && [ ! -e "$S/pub2-inst/evil" ] &&
	grep -q "cannot be used in a path" <<<"$logs" && ok attack_slash_in_user_name_refused ||
	not_ok attack_slash_in_user_name_refused "$out" "$logs"

# 12. Symlink swaps racing a loop of logins.
reset_home
echo "\$HOME \$HOME/.inst/ user" >"$CONF"
(
	for _ in $(seq 3000); do
		mkdir "$H/.swap" 2>/dev/null
		mv -T "$H/.swap" "$H/.inst" 2>/dev/null
		ln -sfn "$V" "$H/.tmp-link" && mv -T "$H/.tmp-link" "$H/.inst" 2>/dev/null
		rm -rf "$H/.inst" 2>/dev/null
	done
) &
racer=$!
mounted=0
for _ in $(seq 40); do
	out=$(timeout 20 "$PAMTEST" "$S/pam.d" attack polyns-alice -- sh -c "findmnt -rn -o TARGET | grep -c '^$V' || true" 2>/dev/null)
	n=$(grep -x '[0-9]*' <<<"$out" | head -n1)
	[ -n "$n" ] && [ "$n" != 0 ] && mounted=$((mounted + 1))
done
kill $racer 2>/dev/null
wait $racer 2>/dev/null
[ "$(fingerprint)" = "$FP" ] && [ $mounted -eq 0 ] && ok attack_symlink_swap_race_changes_nothing ||
	not_ok attack_symlink_swap_race_changes_nothing "mounted over victim: $mounted" "$(diff <(echo "$FP") <(fingerprint))"

tap_done
