#!/bin/bash
# `make bench`: session open/close latency of pam_polyns against Debian's
# pam_namespace.so, same workloads, alternating, in one run (ratios matter;
# absolute times on a shared machine are noise).  See docs/benchmarks.md.
. "$(dirname "$0")/../integration/session_lib.sh"
DRIVER=$BUILD/bench/bench_driver
PN=/lib/x86_64-linux-gnu/security/pam_namespace.so
N=${BENCH_SESSIONS:-40}     # sessions per batch
ROUNDS=${BENCH_ROUNDS:-5}   # batches per module, alternating
RELEASE_HELPER=$BUILD/polyns-helper
HWM=$BUILD/bench/helper_hwm

. "$(dirname "$0")/bench_lib.sh"
echo "session required $PN" >"$S/pam.d/pn"

ours_args() { echo "session required $MODULE helper=$RELEASE_HELPER $*" >"$S/pam.d/ours"; }

pct() { # file column percentile
	sort -n -k"$2","$2" "$1" | awk -v c="$2" -v p="$3" '{v[NR]=$c} END {i=int(NR*p/100); if (i<1) i=1; print v[i]}'
}

# helper_rss [SERVICE]: the helper's peak RSS (KiB) over 10 sessions, taken
# under ptrace at each helper's exit (helper_hwm.c says why not getrusage).
helper_rss() {
	"$HWM" "$RELEASE_HELPER" "$DRIVER" "$S/pam.d" "${1:-ours}" polyns-alice 10 |
		awk '/^helpers/ {print $4}'
}

# breakdown: where ours spends an open, from 20 sessions with `debug`
# (tests/bench/breakdown.py names the parts); printed under the row.
breakdown() {
	local args mark
	args=$(cat "$S/pam.d/ours")
	echo "$args debug" >"$S/pam.d/ours"
	mark=$(wc -l <"$LOG")
	"$DRIVER" "$S/pam.d" ours polyns-alice 20 >/dev/null
	echo "$args" >"$S/pam.d/ours"
	tail -n +"$((mark + 1))" "$LOG" >"$S/breakdown.log"
	printf '    breakdown, us, median: %s\n' "$(python3 "$REPO/tests/bench/breakdown.py" "$S/breakdown.log")"
}

# run_pair NAME TARGET: alternate batches of pn and ours; the row, its
# breakdown.
run_pair() {
	local name=$1 target=${2:-} a=$S/bench-pn b=$S/bench-ours
	: >"$a"; : >"$b"
	for _ in $(seq "$ROUNDS"); do
		"$DRIVER" "$S/pam.d" pn polyns-alice "$N" >>"$a"
		"$DRIVER" "$S/pam.d" ours polyns-alice "$N" >>"$b"
	done
	report "$name" "$a" "$b" "$target"
	breakdown
}

# verdict TARGET RATIO FAIL-OURS RSS CLOSE: "met"/"MISSED" for the row's own
# target (ratio<=X, close<X us, nofail), plus the helper's RSS target, which
# every row has.
verdict() {
	local targets=$1 ratio=$2 fails=$3 rss=$4 close=$5 v="met" t
	for t in ${targets//,/ }; do
		case $t in
		ratio\<=*) [ "$(echo "$ratio <= ${t#ratio<=}" | bc -l)" = 1 ] || v="MISSED" ;;
		close\<*) [ "$close" -lt "${t#close<}" ] || v="MISSED" ;;
		nofail) [ "$fails" = 0 ] || v="MISSED" ;;
		growth) v="see growth below" ;;
		esac
	done
	[ "${rss:-0}" -lt 1024 ] || v="$v; RSS MISSED"
	echo "$target: $v"
}

report() { # name pn-file ours-file target
	local name=$1 a=$2 b=$3 target=${4:-} fa fb
	fa=$(grep -c failures "$a"); fb=$(grep -c failures "$b")
	sed -i '/failures/d' "$a" "$b"
	local a50 a90 a99 b50 b90 b99 c50 d50 rss
	a50=$(pct "$a" 1 50); a90=$(pct "$a" 1 90); a99=$(pct "$a" 1 99)
	b50=$(pct "$b" 1 50); b90=$(pct "$b" 1 90); b99=$(pct "$b" 1 99)
	c50=$(pct "$a" 2 50); d50=$(pct "$b" 2 50)
	rss=$(helper_rss)
	local ratio
	ratio=$(echo "$b50 / $a50" | bc -l)
	printf '%-34s %7s %7s %7s | %7s %7s %7s | %5.2fx %5.2fx | close %5s %5s | %s | %s\n' \
		"$name" "$a50" "$a90" "$a99" "$b50" "$b90" "$b99" \
		"$ratio" "$(echo "$b99 / $a99" | bc -l)" "$c50" "$d50" \
		"rss ${rss}KiB fail ${fa}/${fb}" "$(verdict "$target" "$ratio" "$fb" "$rss" "$d50")"
	echo "$name $a50 $b50" >>"$S/growth"
}

echo "open latency in microseconds: pam_namespace p50 p90 p99 | pam_polyns p50 p90 p99 | ratio p50 p99 | close p50"

# 1. one /tmp polydir, user method, noinit
polydirs 1 noinit; ours_args ""; run_pair "w1 one polydir noinit" "ratio<=2.0"
# 1b. the same from a caller with 64 MiB mapped and touched (an sshd session
#     process has tens of MiB): starting a child must not cost more for it
BENCH_BALLAST_MIB=64 run_pair "w1b w1 from a 64 MiB caller" "ratio<=2.0"
# 2. the same with the distribution's namespace.init
polydirs 1; ours_args ""; run_pair "w2 one polydir + namespace.init" "ratio<=1.2"
# 3. 8 and 32 polydirs
polydirs 8 noinit; ours_args ""; run_pair "w3 8 polydirs" growth
polydirs 32 noinit; ours_args ""; run_pair "w3 32 polydirs" growth
# 4. many mounts on the host (each session copies them)
polydirs 1 noinit; ours_args ""
mkdir -p "$S/mnts"
made=0
for k in 20 200 2000; do
	while [ $made -lt $k ]; do
		mkdir -p "$S/mnts/$made" && mount -t tmpfs -o size=4k none "$S/mnts/$made"
		made=$((made + 1))
	done
	run_pair "w4 $k extra mounts" growth
done
for i in $(seq 0 $((made - 1))); do umount "$S/mnts/$i"; done
# 5. share=user: joining a live set (one session holds it open), against
#    pam_namespace's workload 1
polydirs 1 noinit; ours_args "share=user runtime_dir=$S/rt"
"$PAMTEST" "$S/pam.d" ours polyns-alice -- sh -c "echo \$\$ >$S/w5.pid; exec sleep 600" >/dev/null 2>&1 &
w5=$!
for _ in $(seq 100); do
	ls "$S/rt/shared" 2>/dev/null | grep -q '^user-' && break
	sleep 0.05
done
run_pair "w5 share=user joining a live set" "ratio<=1.5,close<500"
# The session that held the set ends (its command, by pid) and closes.
kill "$(cat "$S/w5.pid")"
wait "$w5"
# 6. 32 simultaneous logins of one user, share=user (every batch starts with
#    no set: the first makes it, the others wait for the lock and join)
: >"$S/bench-pn"; : >"$S/bench-ours"
for _ in $(seq "$ROUNDS"); do
	"$DRIVER" "$S/pam.d" pn polyns-alice 32 32 >>"$S/bench-pn"
	"$DRIVER" "$S/pam.d" ours polyns-alice 32 32 >>"$S/bench-ours"
done
report "w6 32 simultaneous, share=user" "$S/bench-pn" "$S/bench-ours" nofail
# 7. ns=ipc,uts,net without polydirs, against pam_namespace's workload 1
echo "# no polydirs" >/etc/security/namespace.conf
ours_args "ns=ipc,uts,net"
: >"$S/bench-ours"
for _ in $(seq "$ROUNDS"); do "$DRIVER" "$S/pam.d" ours polyns-alice "$N" >>"$S/bench-ours"; done
breakdown >"$S/w7-breakdown"
polydirs 1 noinit
: >"$S/bench-pn"
for _ in $(seq "$ROUNDS"); do "$DRIVER" "$S/pam.d" pn polyns-alice "$N" >>"$S/bench-pn"; done
report "w7 ns=ipc,uts,net vs pn w1" "$S/bench-pn" "$S/bench-ours" "ratio<=1.00"
cat "$S/w7-breakdown"

# The caller after 1000 sessions in one process.
polydirs 1 noinit; ours_args ""
loop=$("$DRIVER" --loop "$S/pam.d" ours polyns-alice 1000)
echo
echo "caller over 1000 sessions in one process: $loop"

# Growth: from the smallest to the largest of w3 (and of w4), ours must add no
# more time than pam_namespace adds.
growth() { # first-name last-name label
	local f l label=$3
	f=$(grep "^$1 " "$S/growth" | tail -n 1); l=$(grep "^$2 " "$S/growth" | tail -n 1)
	set -- $f; local pf=${@: -2:1} of=${@: -1}
	set -- $l; local pl=${@: -2:1} ol=${@: -1}
	local dp=$((pl - pf)) do=$((ol - of)) v=met
	[ "$do" -le "$dp" ] || v=MISSED
	echo "$label: pam_namespace adds ${dp} us, pam_polyns adds ${do} us: $v"
}
echo
growth "w3 8 polydirs" "w3 32 polydirs" "w3 growth from 8 to 32 polydirs"
growth "w4 20 extra mounts" "w4 2000 extra mounts" "w4 growth from 20 to 2000 mounts"

echo
echo "targets: w1, w1b <= 2.0x; w2 <= 1.2x; w3/w4 grow no faster than pam_namespace;"
echo "         w5 <= 1.5x of pam_namespace w1, its close p50 < 500 us; w6 without a failure"
echo "         (fail pn/ours: 0/0); w7 <= 1.00x of pam_namespace w1; helper peak RSS < 1024 KiB"
echo "         (VmHWM at exit, under ptrace, in a separate pass); no growth in caller fds/RSS"
