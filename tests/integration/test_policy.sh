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
# The AppArmor profile and the SELinux module build with their own toolchains.
if out=$(apparmor_parser -Q -K -T -I /etc/apparmor.d policy/apparmor/usr.libexec.polyns-helper 2>&1); then
	ok policy_apparmor_profile_compiles
else
	not_ok policy_apparmor_profile_compiles "$out"
fi
W=$(mktemp -d /tmp/polyns-sepol.XXXXXX)
cp policy/selinux/polyns.te policy/selinux/polyns.if policy/selinux/polyns.fc "$W/"
if out=$(make -C "$W" -f /usr/share/selinux/devel/Makefile polyns.pp 2>&1) && [ -s "$W/polyns.pp" ]; then
	ok policy_selinux_module_compiles
else
	not_ok policy_selinux_module_compiles "$out"
fi
rm -rf "$W"
# The AppArmor profile keeps exactly the capabilities the helper keeps.
aa=$(grep -o '^  capability [a-z_]*' policy/apparmor/usr.libexec.polyns-helper | awk '{print $2}' | sort | tr '\n' ' ')
# setup's permitted set is the union of every step's; setpcap is used before it.
src=$({ echo setpcap; sed -n 's/^setup: [^/]*\/ \([^;]*\);.*/\1/p' policy/capabilities.txt |
	tr ',' '\n'; } | sort | tr '\n' ' ')
[ "$aa" = "$src" ] && ok policy_apparmor_capabilities_match_source || not_ok policy_apparmor_capabilities_match_source "apparmor: $aa" "source: $src"
tap_done
