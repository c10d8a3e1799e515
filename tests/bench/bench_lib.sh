# Shared by the benchmarks (run.sh, ab.sh); source it after session_lib.sh.
# shellcheck shell=bash

# A copy of /etc/security of our own, bind-mounted (in our mount namespace).
mkdir -p "$S/etc-security/namespace.d"
cp -a /etc/security/. "$S/etc-security/"
mount --bind "$S/etc-security" /etc/security
P=$S/p
mkdir -p "$P"

# polydirs COUNT [FLAGS]: a config with COUNT /tmp-like polydirs.
polydirs() {
	: >/etc/security/namespace.conf
	for i in $(seq "$1"); do
		mkdir -p "$P/d$i" && chmod 1777 "$P/d$i"
		echo "$P/d$i $P/d$i-inst/ user${2:+:$2}" >>/etc/security/namespace.conf
	done
}
