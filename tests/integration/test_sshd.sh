#!/bin/bash
# A real OpenSSH sshd on 127.0.0.1 with pam_polyns in its session stack:
# key logins of test users get their polydir instance and new namespaces,
# cleanup happens at logout, and a failing helper refuses the login.
# In a pid namespace of its own: the holders it counts are its logins' only.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/session_lib.sh"

if ! command -v /usr/sbin/sshd >/dev/null || ! command -v ssh >/dev/null; then
	not_ok sshd_is_installed "openssh-server and openssh-client are needed (scripts/deps.sh check)"
	tap_done
	exit
fi

PORT=$((20000 + RANDOM % 20000))
K=$S/ssh
mkdir -p "$K" /run/sshd
chmod 0755 /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$K/host" >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$K/client" >/dev/null
for u in polyns-alice polyns-bob; do cp "$K/client.pub" "$K/authorized_$u"; done
chmod 0644 "$K"/authorized_*

mkdir -p "$S/tmp-ssh" && chmod 1777 "$S/tmp-ssh"
mkdir -p "$S/vt-ssh" && chmod 1777 "$S/vt-ssh"
cat >"$CONF" <<X
$S/tmp-ssh $S/tmp-ssh-inst/ user
$S/vt-ssh $S/vt-ssh-inst/ tmpdir
X

# sshd's own PAM file, in a private /etc/pam.d.
mkdir -p "$S/etc-pam.d"
write_pam() {
	cat >"$S/etc-pam.d/sshd" <<X
auth required pam_permit.so
account required pam_permit.so
session required $MODULE helper=$HELPER config=$CONF config_dir=$CONFD $*
X
}
write_pam "ns=net,uts"
mount --bind "$S/etc-pam.d" /etc/pam.d

cat >"$K/sshd_config" <<X
Port $PORT
ListenAddress 127.0.0.1
HostKey $K/host
PidFile $K/sshd.pid
UsePAM yes
KbdInteractiveAuthentication no
PasswordAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $K/authorized_%u
StrictModes no
PermitRootLogin no
UsePrivilegeSeparation sandbox
X
sed -i '/UsePrivilegeSeparation/d' "$K/sshd_config"
/usr/sbin/sshd -f "$K/sshd_config" -E "$K/sshd.log"
for _ in $(seq 50); do [ -s "$K/sshd.pid" ] && break; sleep 0.1; done
SSHD=$(cat "$K/sshd.pid" 2>/dev/null)
trap 'kill $SSHD 2>/dev/null; cleanup' EXIT

login() { # user command
	ssh -q -i "$K/client" -p "$PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 "$1@127.0.0.1" "$2" 2>&1
}

host_net=$(ns_of $$ net)
out=$(login polyns-alice "id -un; readlink /proc/self/ns/net; findmnt -n -o SOURCE $S/tmp-ssh; findmnt -n -o SOURCE $S/vt-ssh")
if grep -qx polyns-alice <<<"$out" && grep -q "tmp-ssh-inst/polyns-alice" <<<"$out" &&
	grep -q "vt-ssh-inst/" <<<"$out" && [ "$(grep '^net:' <<<"$out")" != "$host_net" ]; then
	ok sshd_key_login_gets_instances_and_namespaces
else
	not_ok sshd_key_login_gets_instances_and_namespaces "$out" "$(tail -n 20 "$K/sshd.log")"
fi

# Two concurrent logins: each its own network namespace (share=session).
login polyns-alice "readlink /proc/self/ns/net; sleep 2" >"$S/a.out" &
pa=$!
login polyns-bob "readlink /proc/self/ns/net; sleep 2" >"$S/b.out" &
pb=$!
wait $pa $pb
a=$(grep '^net:' "$S/a.out"); b=$(grep '^net:' "$S/b.out")
[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] && ok sshd_concurrent_logins_get_separate_namespaces ||
	not_ok sshd_concurrent_logins_get_separate_namespaces "$a" "$b"

# Logout removes the tmpdir instance.
sleep 0.5
left=$(find "$S/vt-ssh-inst" -mindepth 1 -maxdepth 1 | wc -l)
[ "$left" = 0 ] && ok sshd_logout_removes_tmpdir_instances ||
	not_ok sshd_logout_removes_tmpdir_instances "$(ls -la "$S/vt-ssh-inst")"

# sshd's own privilege separation still works: the session runs as the user,
# and the unprivileged pre-auth child is sshd's, not ours.
out=$(login polyns-bob "id -u; grep -c . /proc/self/status >/dev/null && echo fine")
grep -qx 4002 <<<"$out" && grep -qx fine <<<"$out" && ok sshd_session_runs_as_the_user ||
	not_ok sshd_session_runs_as_the_user "$out"

# share=user with a pid namespace: two concurrent logins of alice share one
# set (the second joins while the first runs), bob gets his own, and after
# logout nothing of the set is left.
RT=$S/run-polyns
write_pam "share=user ns=net,pid runtime_dir=$RT"
show='echo net=$(readlink /proc/self/ns/net) pid=$(readlink /proc/self/ns/pid) one=$(cat /proc/1/comm)'
login polyns-alice "$show; sleep 2" >"$S/u1.out" &
pa=$!
for _ in $(seq 100); do grep -q '^net=' "$S/u1.out" 2>/dev/null && break; sleep 0.05; done
u2=$(login polyns-alice "$show")
u3=$(login polyns-bob "$show")
wait $pa
u1=$(grep '^net=' "$S/u1.out")
u2=$(grep '^net=' <<<"$u2")
u3=$(grep '^net=' <<<"$u3")
[ -n "$u1" ] && [ "$u1" = "$u2" ] && [ "$u1" != "$u3" ] && grep -q 'one=polyns-holder' <<<"$u1" &&
	ok sshd_share_user_logins_share_one_set || not_ok sshd_share_user_logins_share_one_set "$u1" "$u2" "$u3" "$(tail -n 5 "$LOG")"
# A killed PID 1 finishes exiting once the pid namespace's last zombies are
# reaped, here sshd's own child, by sshd or by init: give it time.
for _ in $(seq 100); do
	holders=$(ps -eo stat=,comm= | awk '$2 == "polyns-holder" && $1 !~ /^Z/' | wc -l)
	[ "$holders" = 0 ] && break
	sleep 0.1
done
[ -z "$(ls -A "$RT/shared" | grep -v '^pidns\.')" ] && [ "$holders" = 0 ] &&
	ok sshd_share_user_released_after_logouts ||
	not_ok sshd_share_user_released_after_logouts "$(ls -la "$RT/shared")" "$(ps -eo pid,stat,comm | grep holder)"

# A failing helper refuses the login (session required).
write_pam "ns=net helper=$S/no-such-helper"
sed -i "s|helper=$HELPER ||" "$S/etc-pam.d/sshd"
out=$(login polyns-alice "echo LOGGED-IN")
! grep -q LOGGED-IN <<<"$out" && ok sshd_login_refused_when_helper_fails || not_ok sshd_login_refused_when_helper_fails "$out"
grep -q "cannot start the helper" "$LOG" && ok sshd_refusal_is_logged || not_ok sshd_refusal_is_logged "$(tail -n 5 "$LOG")"

kill "$SSHD" 2>/dev/null
umount /etc/pam.d
tap_done
