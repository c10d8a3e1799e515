#!/bin/bash
# `make check`: every test and static check; ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
MAKE=${MAKE:-make}
# Warnings are errors here (a plain `make` leaves them warnings).
export WERROR=${WERROR:-1}
FUZZ_RUNS=${FUZZ_RUNS:-20000}
LOG=build/check-logs
mkdir -p "$LOG"
passed=0
failed=0

# Count TAP lines from a log; print failures with their diagnostics.
count_tap() {
	local log=$1 p f
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	grep -A15 '^not ok ' "$log" | grep -E '^(not ok|#)' | sed 's/^/    /'
	echo "    $p passed, $f failed"
}

# One pass/fail step (a build, a linter).
step() {
	local name=$1 log="$LOG/$1.log"
	shift
	printf '== %s\n' "$name"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "    ok"
	else
		failed=$((failed + 1))
		echo "    FAILED; last lines of $log:"
		tail -n 25 "$log" | sed 's/^/    /'
	fi
}

# Run every binary in a directory as cmocka TAP.
run_unit() {
	local dir=$1 label=$2 log="$LOG/$2.log" bin
	printf '== %s\n' "$label"
	: >"$log"
	for bin in "$dir"/test_*; do
		[ -x "$bin" ] || continue
		echo "# $bin" >>"$log"
		if ! CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >>"$log" 2>&1; then
			grep -q '^not ok ' "$log" || echo "not ok - $bin exited non-zero" >>"$log"
		fi
	done
	count_tap "$log"
}

step build $MAKE -s all
step build-test-programs $MAKE -s test-programs
step build-unit $MAKE -s unit
run_unit build/unit unit
step build-unit-asan-ubsan $MAKE -s BUILDDIR=build/san SAN=1 unit
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_unit build/san/unit unit-asan-ubsan
step clang-tidy scripts/lint.sh clang-tidy
step cppcheck scripts/lint.sh cppcheck
step build-fuzz $MAKE -s -f fuzz/Makefile BUILDDIR=build/fuzz libfuzzer replay
# The wire seeds must be of the current protocol version, or the fuzzer never
# gets past the header: regenerate them and compare.
seeds_current() {
	rm -rf build/fuzz/seeds && mkdir -p build/fuzz/seeds &&
		$MAKE -s -f fuzz/Makefile BUILDDIR=build/fuzz WIRE_SEEDS_DIR=build/fuzz/seeds wire-seeds &&
		diff -r fuzz/corpus/wire build/fuzz/seeds
}
step fuzz-wire-seeds-current seeds_current
# Each target for a fixed number of inputs with seed 1, inputs capped as the
# campaigns cap them (fuzz/Makefile), over its seeds and fixed crashes; then
# the inputs at the limits (fuzz/limits), larger than the cap, once each whole.
fuzz_var() { $MAKE -s -f fuzz/Makefile "print-$1"; }
fuzz_smoke() { # TARGET
	local target=$1 name=${1#fuzz_} dict work seeds
	dict=$(fuzz_var "DICT_$target")
	work=build/fuzz/work/$target
	seeds=("fuzz/corpus/$name")
	[ -d "fuzz/regressions/$name" ] && seeds+=("fuzz/regressions/$name")
	rm -rf "$work" && mkdir -p "$work" &&
		"build/fuzz/libfuzzer/$target" -runs="$FUZZ_RUNS" -seed=1 ${dict:+-dict="$dict"} \
			-max_len="$(fuzz_var "MAXLEN_$target")" "$work" "${seeds[@]}" &&
		if [ -d "fuzz/limits/$name" ]; then
			"build/fuzz/libfuzzer/$target" "fuzz/limits/$name"/*
		fi
}
for target in $(fuzz_var TARGETS); do
	step "fuzz-smoke-$target" fuzz_smoke "$target"
done
# AFL++: the campaign build of each harness (fuzz/Makefile, afl-clang-fast with
# ASan and UBSan), run by afl-fuzz over its seeds for about FUZZ_RUNS
# executions with seed 1.  It fails when the build or afl-fuzz cannot run, when
# nothing was executed, or when a crash or a hang was saved (kept in $out).
afl_smoke() { # TARGET
	local target=$1 name=${1#fuzz_} dict out=build/fuzz/afl-out/$1
	dict=$(fuzz_var "DICT_$target")
	rm -rf "$out" && mkdir -p build/fuzz/afl-out &&
		AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
			afl-fuzz -E "$FUZZ_RUNS" -s 1 -i "fuzz/corpus/$name" -o "$out" ${dict:+-x "$dict"} \
			-G "$(fuzz_var "MAXLEN_$target")" -- "build/fuzz/afl/$target" &&
		grep -Eq '^execs_done +: [1-9]' "$out/default/fuzzer_stats" &&
		grep -Eq '^saved_crashes +: 0$' "$out/default/fuzzer_stats" &&
		grep -Eq '^saved_hangs +: 0$' "$out/default/fuzzer_stats"
}
afl_build() {
	command -v afl-clang-fast >/dev/null || { echo "afl-clang-fast is missing (Debian: afl++)"; return 1; }
	$MAKE -s -f fuzz/Makefile BUILDDIR=build/fuzz afl
}
step build-fuzz-afl afl_build
for target in $(fuzz_var TARGETS); do
	step "afl-smoke-$target" afl_smoke "$target"
done
for t in tests/integration/test_*.sh; do
	name=$(basename "$t" .sh)
	printf '== %s\n' "$name"
	bash "$t" >"$LOG/$name.log" 2>&1 || grep -q '^not ok ' "$LOG/$name.log" ||
		echo "not ok - $t exited non-zero" >>"$LOG/$name.log"
	count_tap "$LOG/$name.log"
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
