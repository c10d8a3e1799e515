#!/bin/sh
# Static checks over src/: `lint.sh clang-tidy` or `lint.sh cppcheck`.
set -eu
cd "$(dirname "$0")/.."
SOURCES=$(find src -name '*.c' | sort)
# Test hooks on, so that the test-only helper code is checked too.
INC="-Isrc/common -Isrc/conf -Isrc/helper -Isrc/check -Isrc/admin -DPOLYNS_TEST_HOOKS"
case ${1:-} in
clang-tidy)
	# shellcheck disable=SC2086
	clang-tidy --quiet $SOURCES -- -std=gnu11 -D_GNU_SOURCE $INC \
		$(pkg-config --cflags libseccomp libcap-ng libselinux pam)
	;;
cppcheck)
	# shellcheck disable=SC2086
	cppcheck -q --std=c11 --enable=warning,style,performance,portability \
		--error-exitcode=1 --inline-suppr --suppress=missingIncludeSystem \
		-D_GNU_SOURCE $INC $SOURCES
	;;
*)
	echo "usage: lint.sh clang-tidy|cppcheck" >&2
	exit 2
	;;
esac
