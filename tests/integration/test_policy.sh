#!/bin/bash
# policy/ holds the helper's seccomp allowlist and capability table as
# reviewed text; it must say exactly what the source tables say.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
for what in seccomp:seccomp-allowlist capabilities:capabilities; do
	kind=${what%%:*}
	file=policy/${what#*:}.txt
	if out=$(diff -u "$file" <(build/test/print_policy "$kind") 2>&1); then
		ok "policy_${kind}_text_matches_source"
	else
		not_ok "policy_${kind}_text_matches_source" "run 'make policy-text' and review:" "$out"
	fi
done
tap_done
