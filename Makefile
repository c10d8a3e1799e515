# pam_polyns: see README.md.  `make`, `make check`, `make demo`, `make install`.
VERSION := 0.6.0

CC ?= gcc
PKG_CONFIG ?= pkg-config
BUILDDIR ?= build

PREFIX ?= /usr
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
PAMDIR ?= $(LIBDIR)/security
LIBEXECDIR ?= $(PREFIX)/libexec
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR ?=

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2);
endif

# Warnings are errors in `make check` (tests/run.sh) and with WERROR=1, not for
# every distribution build with a newer compiler.
WARNINGS := -Wall -Wextra -Wformat=2 -Wformat-security -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla \
	-Wwrite-strings -Wundef -Wcast-align -Wimplicit-fallthrough \
	-Wnull-dereference -Wmissing-declarations -Wold-style-definition
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
HARDEN_CFLAGS := -fstack-protector-strong -fstack-clash-protection \
	-fcf-protection -fno-strict-aliasing -fno-common
HARDEN_LDFLAGS := -Wl,-z,relro -Wl,-z,now -Wl,--as-needed -Wl,-z,noexecstack

# CFLAGS, CPPFLAGS and LDFLAGS from the environment or the command line come
# after ours; without them, -O2 -g.  Fortify level 3 unless the packager chose one.
CFLAGS ?= -O2 -g
ifeq ($(SAN),1)
# ASan/UBSan build of the unit tests: no fortify (it conflicts with ASan).
SAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
SAN_LDFLAGS := -fsanitize=address,undefined
FORTIFY := -U_FORTIFY_SOURCE
else
SAN_CFLAGS :=
SAN_LDFLAGS :=
FORTIFY := $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),,-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3)
endif

PKGS_MODULE := pam libselinux
PKGS_CHECK := libselinux libmd
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# Include paths by source directory, so by role: the module sees only its own
# headers and src/common; the configuration library src/conf and src/common;
# the helper and polyns-check the library too.  (inc picks the set of $<.)
INC_common := -Isrc/common
INC_conf := -Isrc/conf -Isrc/common
INC_helper := -Isrc/helper -Isrc/conf -Isrc/common
INC_check := -Isrc/check -Isrc/conf -Isrc/common
INC_admin := -Isrc/admin -Isrc/helper -Isrc/common
INC_module := -Isrc/module -Isrc/common
INC_unit := -Isrc/helper -Isrc/conf -Isrc/common
INC_integration := -Isrc/helper -Isrc/common
INC_bench := -Isrc/common
INC_gen := -Isrc/helper -Isrc/common
INC_tools := -Isrc/helper -Isrc/common
INC_testhooks := -Isrc/testhooks -Isrc/helper -Isrc/conf -Isrc/common
inc = $(INC_$(notdir $(patsubst %/,%,$(dir $<))))

CFLAGS_ALL = -std=gnu11 $(FORTIFY) $(WARNINGS) $(HARDEN_CFLAGS) $(inc) \
	-DPOLYNS_VERSION='"$(VERSION)"' $(CPPFLAGS) $(CFLAGS) $(SAN_CFLAGS)
# The helper's (musl: below): no sanitizer, no fortify (musl's headers have none).
CFLAGS_HELPER = -std=gnu11 -U_FORTIFY_SOURCE $(WARNINGS) $(HARDEN_CFLAGS) $(inc) \
	-DPOLYNS_VERSION='"$(VERSION)"' $(CPPFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(HARDEN_LDFLAGS) $(SAN_LDFLAGS) $(LDFLAGS)

COMMON_SRC := src/common/options.c src/common/wire.c src/common/channel.c
CONF_SRC := src/conf/diag.c src/conf/conf_lex.c src/conf/conf_parse.c \
	src/conf/conf_expand.c src/conf/conf_resolve.c \
	src/conf/instance_name.c src/conf/conf_load.c src/conf/plan.c \
	src/conf/name_table.c src/conf/plan_wire.c
HELPER_SRC := src/helper/main.c src/helper/hlog.c src/helper/timing.c src/helper/peer.c \
	src/helper/privs.c src/helper/steps.c src/helper/sandbox.c src/helper/landlock.c \
	src/helper/child.c src/helper/tree.c src/helper/planner.c src/helper/registrar.c src/helper/names.c \
	src/helper/nsmake.c src/helper/session.c src/common/walk.c \
	src/helper/mounts.c src/helper/polydir.c src/helper/cleanup.c \
	src/helper/selinux_label.c src/helper/hexname.c src/helper/rundir.c \
	src/helper/procid.c src/helper/holder.c src/helper/registry.c \
	src/helper/shared.c src/helper/release.c src/helper/pending.c src/helper/pending_name.c \
	src/helper/reg_wire.c src/helper/relro.c \
	$(CONF_SRC) $(COMMON_SRC)
MODULE_SRC := src/module/pam_polyns.c src/module/preflight.c \
	src/module/spawn.c src/module/vspawn.c src/module/converse.c src/module/join.c \
	src/module/inits.c src/module/close_data.c src/module/request.c src/module/secontext.c \
	src/common/walk.c \
	$(COMMON_SRC)
CHECK_SRC := src/check/polyns-check.c src/check/existing.c src/check/pamstack.c \
	$(CONF_SRC) $(COMMON_SRC) src/common/walk.c
# polyns-admin reads and releases sets with the helper's own registry code.
ADMIN_SRC := src/admin/polyns-admin.c src/admin/report.c src/admin/confine.c \
	src/helper/release.c src/helper/registry.c src/helper/procid.c src/helper/rundir.c \
	src/helper/pending.c src/helper/pending_name.c src/helper/hexname.c src/helper/hlog.c \
	src/helper/privs.c \
	src/common/walk.c $(COMMON_SRC)

obj = $(patsubst src/%.c,$(BUILDDIR)/obj/$(2)/%.o,$(1))

MODULE := $(BUILDDIR)/pam_polyns.so
HELPER := $(BUILDDIR)/polyns-helper
CHECKER := $(BUILDDIR)/polyns-check
ADMIN := $(BUILDDIR)/polyns-admin

.PHONY: all check demo fuzz bench bench-ab install uninstall clean deps deps-check unit test-programs policy-text \
	lint distclean
.DEFAULT_GOAL := all

# Plain `make` never installs anything; `make deps` (and demo, check, bench)
# install what is missing on Debian, as root.
all: $(MODULE) $(HELPER) $(CHECKER) $(ADMIN)

deps:
	$(Q)scripts/deps.sh check

# Position-independent objects: PIE for programs, PIC for the module.
$(BUILDDIR)/obj/pie/%.o: src/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -fPIE $(call pkg_cflags,libselinux libmd libseccomp) -MMD -MP -c -o $@ $<

# The installed helper's path is compiled into the module: rebuild when it changes.
PATHS_H := $(BUILDDIR)/paths.h
$(PATHS_H): FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)echo '#define POLYNS_DEFAULT_HELPER "$(LIBEXECDIR)/polyns-helper"' >$@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
.PHONY: FORCE
FORCE:

$(BUILDDIR)/obj/pic/%.o: src/%.c $(PATHS_H)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -include $(PATHS_H) -fPIC -fvisibility=hidden $(call pkg_cflags,$(PKGS_MODULE)) -MMD -MP -c -o $@ $<

$(MODULE): $(call obj,$(MODULE_SRC),pic) src/module/pam_polyns.map
	$(call msg,LD,$@)
	$(Q)$(CC) -shared -Wl,--version-script=src/module/pam_polyns.map \
		-Wl,--no-undefined $(LDFLAGS_ALL) -o $@ $(call obj,$(MODULE_SRC),pic) \
		$(call pkg_libs,$(PKGS_MODULE))

# The helper is a static PIE built against musl: every login execs it, and
# glibc's start-up cost 0.2-0.4 ms more here (it probes the CPU with cpuid,
# which traps to the hypervisor in a VM; docs/benchmarks.md, "musl helper").  It links nothing but musl's libc: SELinux through the kernel's
# interfaces (selinux_label.c), MD5 from src/musl/ (Debian's libmd.a is
# built against glibc).  Its seccomp table lists the syscalls musl makes.
MUSL_CC ?= musl-gcc
MUSL_TRIPLET ?= $(subst -gnu,-musl,$(MULTIARCH))
MUSL_LIBDIR ?= /usr/lib/$(MUSL_TRIPLET)
UAPI_INCLUDE ?= /usr/include

# musl ships no Linux UAPI headers (linux/, asm/): the kernel's, as
# linux-libc-dev installs them, through a directory of links, so that no
# glibc header can come with them.
MUSL_UAPI := $(BUILDDIR)/musl-uapi
$(MUSL_UAPI)/.links:
	$(Q)for d in $(UAPI_INCLUDE)/linux $(UAPI_INCLUDE)/asm-generic \
		$(UAPI_INCLUDE)/$(MULTIARCH)/asm $(MUSL_LIBDIR)/rcrt1.o; do \
		[ -e "$$d" ] || { echo "polyns-helper: $$d is missing (scripts/deps.sh installs" \
			"musl-tools and linux-libc-dev)" >&2; exit 1; }; done
	$(Q)mkdir -p $(MUSL_UAPI)
	$(Q)ln -sfn $(UAPI_INCLUDE)/linux $(MUSL_UAPI)/linux
	$(Q)ln -sfn $(UAPI_INCLUDE)/asm-generic $(MUSL_UAPI)/asm-generic
	$(Q)ln -sfn $(UAPI_INCLUDE)/$(MULTIARCH)/asm $(MUSL_UAPI)/asm
	$(Q)touch $@

# src/musl/ first for <md5.h>; the UAPI links after musl's own headers.
HELPER_CC = $(MUSL_CC) $(CFLAGS_HELPER) -fPIE -Isrc/musl -isystem $(MUSL_UAPI)

# A static PIE: musl's rcrt1.o relocates the program itself.  Debian's
# musl-gcc.specs does not know -static-pie (it would pick Scrt1.o and musl's
# dynamic loader), so the start and end files are named here.
HELPER_LD = $(MUSL_CC) -static-pie -nostdlib $(HARDEN_LDFLAGS) $(LDFLAGS) \
	-Wl,-static -Wl,--no-dynamic-linker -Wl,-z,text
HELPER_START = $(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o \
	$(shell $(MUSL_CC) -print-file-name=crtbeginS.o)
HELPER_END = -Wl,--start-group $(MUSL_LIBDIR)/libc.a \
	$(shell $(MUSL_CC) -print-libgcc-file-name) -Wl,--end-group \
	$(shell $(MUSL_CC) -print-file-name=crtendS.o) $(MUSL_LIBDIR)/crtn.o

HELPER_MUSL_SRC := src/musl/md5_rfc1321.c

$(BUILDDIR)/obj/musl/%.o: src/%.c | $(MUSL_UAPI)/.links
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HELPER_CC) -MMD -MP -c -o $@ $<

# The seccomp programs, compiled from the table at build time (src/tools/seccomp_gen.c).
SECCOMP_GEN := $(BUILDDIR)/gen/seccomp-gen
SECCOMP_PROG_C := $(BUILDDIR)/gen/seccomp_prog.c
SECCOMP_PROG_O := $(BUILDDIR)/gen/seccomp_prog.musl.o
$(SECCOMP_GEN): $(call obj,src/tools/seccomp_gen.c src/helper/sandbox_rules.c src/helper/steps.c src/helper/privs.c,pie)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -pie $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,libseccomp)
$(SECCOMP_PROG_C): $(SECCOMP_GEN)
	$(call msg,GEN,$@)
	$(Q)$(SECCOMP_GEN) >$@.tmp && mv $@.tmp $@
$(SECCOMP_PROG_O): $(SECCOMP_PROG_C) | $(MUSL_UAPI)/.links
	$(call msg,CC,$@)
	$(Q)$(HELPER_CC) -c -o $@ $<
# The test build's: the same, and futex for its hang hook.
SECCOMP_PROG_TEST_C := $(BUILDDIR)/gen/seccomp_prog_test.c
SECCOMP_PROG_TEST_O := $(BUILDDIR)/gen/seccomp_prog_test.musl.o
$(SECCOMP_PROG_TEST_C): $(SECCOMP_GEN)
	$(call msg,GEN,$@)
	$(Q)$(SECCOMP_GEN) --test-hooks >$@.tmp && mv $@.tmp $@
$(SECCOMP_PROG_TEST_O): $(SECCOMP_PROG_TEST_C) | $(MUSL_UAPI)/.links
	$(call msg,CC,$@)
	$(Q)$(HELPER_CC) -c -o $@ $<

$(HELPER): $(call obj,$(HELPER_SRC) $(HELPER_MUSL_SRC),musl) $(SECCOMP_PROG_O)
	$(call msg,LD,$@)
	$(Q)$(HELPER_LD) -o $@ $(HELPER_START) $^ $(HELPER_END)

$(CHECKER): $(call obj,$(CHECK_SRC),pie)
	$(call msg,LD,$@)
	$(Q)$(CC) -pie $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,$(PKGS_CHECK))

$(ADMIN): $(call obj,$(ADMIN_SRC),pie)
	$(call msg,LD,$@)
	$(Q)$(CC) -pie $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,libseccomp)

# ---- unit tests (cmocka) ----
UNIT_TESTS := test_options test_conf_lex test_conf_parse test_conf_expand \
	test_conf_resolve test_instance_name test_conf_load test_registry_names test_plan \
	test_walk test_step_table test_md5 test_selinux_label test_release_rule \
	test_plan_wire
UNIT_BINS := $(addprefix $(BUILDDIR)/unit/,$(UNIT_TESTS))
UNIT_LIB_SRC := $(CONF_SRC) $(COMMON_SRC) src/helper/hexname.c src/helper/procid.c \
	src/common/walk.c src/helper/steps.c src/helper/privs.c src/helper/sandbox_rules.c \
	src/helper/release.c src/helper/registry.c src/helper/reg_wire.c src/helper/rundir.c \
	src/helper/pending.c src/helper/pending_name.c src/helper/hlog.c

$(BUILDDIR)/obj/pie/tests/%.o: tests/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -fPIE $(call pkg_cflags,cmocka libmd libseccomp) $(UNIT_CPPFLAGS) -MMD -MP -c -o $@ $<

$(BUILDDIR)/unit/%: $(BUILDDIR)/obj/pie/tests/unit/%.o $(call obj,$(UNIT_LIB_SRC),pie)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -pie $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,cmocka libmd libseccomp) $(UNIT_LIBS)

# The musl helper's MD5 against libmd, and its SELinux against libselinux.
$(BUILDDIR)/obj/pie/tests/unit/test_md5.o: UNIT_CPPFLAGS := -iquote src/musl
$(BUILDDIR)/unit/test_md5: $(call obj,src/musl/md5_rfc1321.c,pie)
$(BUILDDIR)/unit/test_selinux_label: $(call obj,src/helper/selinux_label.c,pie)
$(BUILDDIR)/unit/test_selinux_label: UNIT_LIBS = $(call pkg_libs,libselinux)

unit: $(UNIT_BINS)

# ---- programs the integration tests need ----
# The helper with fault-injection hooks and hostile operations (src/testhooks/), and a PAM client.
TEST_HELPER := $(BUILDDIR)/test/polyns-helper
TEST_PAM := $(BUILDDIR)/test/pam_session

$(BUILDDIR)/obj/musl-test/%.o: src/%.c | $(MUSL_UAPI)/.links
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HELPER_CC) -DPOLYNS_TEST_HOOKS -MMD -MP -c -o $@ $<

$(TEST_HELPER): $(call obj,$(HELPER_SRC) $(HELPER_MUSL_SRC) src/testhooks/test_hook.c src/testhooks/test_attack.c,musl-test) $(SECCOMP_PROG_TEST_O)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HELPER_LD) -o $@ $(HELPER_START) $^ $(HELPER_END)

$(TEST_PAM): tests/integration/pam_session.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -fPIE -pie $(LDFLAGS_ALL) -o $@ $< $(call pkg_libs,pam libcap-ng) -lpthread

# A process that vanishes while the module reads it (test_close.sh).
VANISH_SHIM := $(BUILDDIR)/test/vanish_shim.so
$(VANISH_SHIM): tests/integration/vanish_shim.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -U_FORTIFY_SOURCE -fPIC -shared $(LDFLAGS_ALL) -o $@ $< -ldl

# The soak's driver (tests/soak/run.sh; a short run is in make check).
SOAK_DRIVER := $(BUILDDIR)/test/soak_driver
$(SOAK_DRIVER): tests/soak/soak_driver.c tests/proc_status.h src/common/util.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -iquote tests -iquote src/common -fPIE -pie $(LDFLAGS_ALL) -o $@ $< $(call pkg_libs,pam)

TEST_POLICY := $(BUILDDIR)/test/print_policy
$(TEST_POLICY): tests/integration/print_policy.c $(call obj,src/helper/sandbox_rules.c src/helper/steps.c src/helper/privs.c,pie)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -fPIE -pie $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,libseccomp)

# Regenerate the reviewed policy text after changing the tables (then review the diff).
policy-text: $(TEST_POLICY)
	$(TEST_POLICY) seccomp >policy/seccomp-allowlist.txt
	$(TEST_POLICY) capabilities >policy/capabilities.txt

test-programs: $(TEST_HELPER) $(TEST_PAM) $(TEST_POLICY) $(SOAK_DRIVER) $(VANISH_SHIM)

# ---- checks ----
check: deps-check
	$(Q)tests/run.sh

deps-check:
	$(Q)scripts/deps.sh check

demo: deps-check all test-programs
	$(Q)examples/demo.sh $(BUILDDIR)

BENCH_DRIVER := $(BUILDDIR)/bench/bench_driver
$(BENCH_DRIVER): tests/bench/bench_driver.c tests/proc_status.h src/common/util.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -iquote tests -iquote src/common -fPIE -pie $(LDFLAGS_ALL) -o $@ $< $(call pkg_libs,pam)

HELPER_HWM := $(BUILDDIR)/bench/helper_hwm
$(HELPER_HWM): tests/bench/helper_hwm.c tests/proc_status.h src/common/util.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -iquote tests -fPIE -pie $(LDFLAGS_ALL) -o $@ $<

bench: deps-check all test-programs $(BENCH_DRIVER) $(HELPER_HWM)
	$(Q)bash tests/bench/run.sh

# This build against another build of pam_polyns (OLD=its build directory),
# in short alternating rounds (docs/benchmarks.md, "A/B against another build").
bench-ab: deps-check all test-programs $(BENCH_DRIVER)
	$(Q)OLD="$(OLD)" bash tests/bench/ab.sh

# The soak: SOAK_LOGINS logins (10,000) through the release helper while faults
# are injected; checks that nothing leaks and writes docs/reliability.md.  A
# short run of it is tests/integration/test_soak.sh, in `make check`.
.PHONY: soak
soak: deps-check all test-programs
	$(Q)SOAK_REPORT=docs/reliability.md bash tests/soak/run.sh

# The Debian package: build, lintian, install in a private mount namespace,
# a session through it, remove and purge (also part of `make check` when
# dpkg-buildpackage and debhelper are installed).
.PHONY: package-check
package-check: test-programs
	$(Q)scripts/deps.sh package
	$(Q)bash tests/integration/test_package.sh

fuzz:
	$(Q)scripts/deps.sh fuzz
	$(Q)$(MAKE) -f fuzz/Makefile BUILDDIR=$(BUILDDIR)/fuzz all
	@echo "Fuzzers are in $(BUILDDIR)/fuzz; see fuzz/README.md for campaigns."

# ---- install ----
install: all
	install -d $(DESTDIR)$(PAMDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 $(MODULE) $(DESTDIR)$(PAMDIR)/pam_polyns.so
	install -m 0755 $(HELPER) $(DESTDIR)$(LIBEXECDIR)/polyns-helper
	install -m 0755 $(CHECKER) $(DESTDIR)$(SBINDIR)/polyns-check
	install -m 0755 $(ADMIN) $(DESTDIR)$(SBINDIR)/polyns-admin
	install -m 0644 man/pam_polyns.8 man/polyns-helper.8 man/polyns-check.8 \
		man/polyns-admin.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/polyns.conf.5 $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(PAMDIR)/pam_polyns.so $(DESTDIR)$(LIBEXECDIR)/polyns-helper \
		$(DESTDIR)$(SBINDIR)/polyns-check $(DESTDIR)$(SBINDIR)/polyns-admin \
		$(DESTDIR)$(MANDIR)/man8/pam_polyns.8 $(DESTDIR)$(MANDIR)/man8/polyns-helper.8 \
		$(DESTDIR)$(MANDIR)/man8/polyns-check.8 $(DESTDIR)$(MANDIR)/man8/polyns-admin.8 \
		$(DESTDIR)$(MANDIR)/man5/polyns.conf.5

clean:
	rm -rf $(BUILDDIR)

-include $(shell find $(BUILDDIR)/obj -name '*.d' 2>/dev/null)
