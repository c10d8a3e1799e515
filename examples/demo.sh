#!/bin/bash
# `make demo`: what pam_polyns does today, on the example configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
check=$build/polyns-check
tmp=$(mktemp -d /tmp/polyns-demo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# polyns-check refuses configs that are not root-owned and private: copy it.
install -m 0644 examples/namespace.conf "$tmp/namespace.conf"
mkdir -p "$tmp/namespace.d"
user=$(id -un)

echo "== polyns-check: is examples/namespace.conf valid?"
"$check" --config "$tmp/namespace.conf" --config-dir "$tmp/namespace.d"
echo
for u in "$user" nobody; do
	echo "== polyns-check --user $u: what a session of $u would get"
	"$check" --config "$tmp/namespace.conf" --config-dir "$tmp/namespace.d" --user "$u"
	echo
done
echo "== a broken line is reported with its file and line"
printf '/tmp /tmp-inst/ User\n' >"$tmp/namespace.d/broken.conf"
if "$check" --config "$tmp/namespace.conf" --config-dir "$tmp/namespace.d" >/dev/null; then
	echo "demo: a broken config was accepted" >&2
	exit 1
fi
echo
# Real sessions need root (namespaces, mounts); the checker part above does not.
if [ "$(id -u)" -ne 0 ]; then
	echo "Run 'make demo' as root to see real sessions (in a private mount namespace)."
	exit 0
fi
bash examples/demo_sessions.sh
