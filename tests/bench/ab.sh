#!/bin/bash
# `make bench-ab OLD=DIR`: this build's session-open latency against another
# build of pam_polyns (DIR holds its pam_polyns.so and polyns-helper, e.g. a
# worktree of 0.4.0 after `make`), workload by workload.  Each round opens
# AB_SESSIONS sessions with one build, then with the other (the order
# alternates), and the figure is the median over AB_ROUNDS rounds of the
# round's ratio new/old of open p50: short rounds cancel the drift of a
# shared machine, which is larger than the differences looked for.  An A/A
# run (OLD=build) shows what "the same" looks like (docs/benchmarks.md).
# In a pid namespace of its own: whatever it started (live sessions, the
# sets' holders) ends with it, even when it stops half-way.
POLYNS_OWN_PIDNS=1
. "$(dirname "$0")/../integration/session_lib.sh"
DRIVER=$BUILD/bench/bench_driver
OLD=${OLD:?usage: make bench-ab OLD=<build dir of the other pam_polyns>}
ROUNDS=${AB_ROUNDS:-200}
N=${AB_SESSIONS:-5}
for f in pam_polyns.so polyns-helper; do
	[ -e "$OLD/$f" ] || { echo "bench-ab: $OLD/$f is missing" >&2; exit 2; }
done
OLD=$(realpath "$OLD") # PAM reads a relative module path as one under its own directory
case $OLD in *[[:space:]]*) echo "bench-ab: OLD must not contain white space" >&2; exit 2 ;; esac

. "$(dirname "$0")/bench_lib.sh"

# services ARGS: "old" and "new", each with its own runtime_dir.
services() {
	echo "session required $OLD/pam_polyns.so helper=$OLD/polyns-helper $* runtime_dir=$S/rt-old" >"$S/pam.d/old"
	echo "session required $MODULE helper=$BUILD/polyns-helper $* runtime_dir=$S/rt-new" >"$S/pam.d/new"
}
pct() { # file column percentile (nearest rank: the median of 5 is the 3rd)
	sort -n -k"$2","$2" "$1" |
		awk -v c="$2" -v p="$3" '{v[NR]=$c} END {i=int((NR*p+99)/100); if (i<1) i=1; print v[i]}'
}

# run NAME: the rounds, and one line of results.
run() {
	local i w order
	: >"$S/ratios"; : >"$S/all-old"; : >"$S/all-new"
	for i in $(seq "$ROUNDS"); do
		if [ $((i % 2)) = 0 ]; then order="old new"; else order="new old"; fi
		for w in $order; do
			"$DRIVER" "$S/pam.d" "$w" polyns-alice "$N" >"$S/round-$w" || exit 1
			if grep -q failures "$S/round-$w" || [ "$(wc -l <"$S/round-$w")" != "$N" ]; then
				echo "bench-ab: $1: sessions of the $w build failed:" >&2
				grep pam_polyns "$LOG" | tail -n 5 >&2
				exit 1
			fi
		done
		cat "$S/round-old" >>"$S/all-old"
		cat "$S/round-new" >>"$S/all-new"
		echo "$(pct "$S/round-new" 1 50) $(pct "$S/round-old" 1 50)" |
			awk '{ if ($2 > 0) printf "%.4f\n", $1 / $2 }' >>"$S/ratios"
	done
	printf '%-34s ratio %s (IQR %s-%s) | open p50 old %5s new %5s | close p50 old %5s new %5s\n' \
		"$1" "$(pct "$S/ratios" 1 50)" "$(pct "$S/ratios" 1 25)" "$(pct "$S/ratios" 1 75)" \
		"$(pct "$S/all-old" 1 50)" "$(pct "$S/all-new" 1 50)" \
		"$(pct "$S/all-old" 2 50)" "$(pct "$S/all-new" 2 50)"
}

# live: one session of each build that stays open (its set is then joined).
live() {
	local w
	for w in old new; do
		"$PAMTEST" "$S/pam.d" "$w" polyns-alice -- sh -c "echo \$\$ >$S/live-$w.pid; exec sleep infinity" \
			>/dev/null 2>&1 &
		echo $! >"$S/live-$w.caller"
	done
	for w in old new; do
		for _ in $(seq 100); do [ -s "$S/live-$w.pid" ] && break; sleep 0.05; done
		[ -s "$S/live-$w.pid" ] || { echo "bench-ab: the $w build's live session did not start" >&2; exit 1; }
	done
}
# end_live: their commands end (by pid), and their callers close the sessions.
end_live() {
	local w
	for w in old new; do
		kill "$(cat "$S/live-$w.pid")" 2>/dev/null
		timeout 10 tail --pid="$(cat "$S/live-$w.caller")" -s 0.05 -f /dev/null
		rm -f "$S/live-$w.pid" "$S/live-$w.caller"
	done
}

echo "new: $BUILD; old: $OLD; $ROUNDS rounds of $N sessions; ratio = median of per-round new/old open p50"
polydirs 1 noinit; services share=session
run "w1 one polydir"
polydirs 1; services share=session
run "w2 one polydir + namespace.init"
polydirs 32 noinit; services share=session
run "w3 32 polydirs"
polydirs 1 noinit; services share=user
run "share=user, a new set each session"
live
run "share=user, joining a live set"
for w in old new; do # still live: every session of the run joined its set
	kill -0 "$(cat "$S/live-$w.pid")" || { echo "bench-ab: the $w build's live session ended early" >&2; exit 1; }
done
end_live
: >/etc/security/namespace.conf; services ns=ipc,uts,net
run "w7 ns=ipc,uts,net, no polydir"
# many mounts on the host, each copied into every session's namespace (the
# mount namespace is this script's own: they go with it)
polydirs 1 noinit; services share=session
mkdir -p "$S/mnts"
for i in $(seq 0 1999); do
	mkdir "$S/mnts/$i" && mount -t tmpfs -o size=4k none "$S/mnts/$i" || exit 1
done
run "w4 2000 extra mounts"
