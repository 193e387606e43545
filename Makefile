# SPDX-License-Identifier: GPL-2.0
#
# pageclock: user-facing targets.  The kernel build itself reads Kbuild.
#
#   make [KVER=6.1|6.12|7.2|debug-6.1|debug-6.12|<release>] [W=1]
#                                         build pageclock.ko (default: newest kernel)
#   make modules                          build for every supported kernel installed
#   make cli                              build userspace/pageclock
#   make demo                             set up, build, boot a VM, show the module at work
#   make check                            every test; ends with "N passed, N failed"
#   make kunit / kunit-debug              KUnit suites under kunit.py (debug: KASAN, lockdep)
#   make kunit-module KVER=debug-6.1      the suites as pageclock_kunit.ko (a kernel with KUnit)
#   make debug-kernel                     build the KASAN/lockdep kernel make check uses (debug-6.12;
#                                         PAGECLOCK_DEBUG_LINES="6.1 6.12" both)
#   make checkpatch                       checkpatch.pl on src/ include/ kunit/ bench/hookprobe/
#   make dkms-install / dkms-remove       install with DKMS for every supported kernel
#   make install                          the CLI, bpftrace tools, man page, docs, completion
#   make clean

ifeq ($(KVER),)
override KVER := $(shell tools/kver 2>/dev/null)
else
override KVER := $(shell tools/kver $(KVER))
endif
BUILD := build/$(KVER)
KDIR := $(shell tools/kver --build $(KVER) 2>/dev/null)
# The kernel built against too: a debug kernel rebuilt with other options
# under the same release made an old pageclock.ko look current, and its
# load failed ("Invalid relocation target").
MOD_SRCS := Kbuild $(shell find src include -name '*.[ch]') \
	$(wildcard $(KDIR)/Module.symvers)
PREFIX ?= /usr/local

.PHONY: all module modules cli kunit kunit-debug kunit-module debug-kernel checkpatch \
	check check-quick demo install clean dkms-install dkms-remove

all: module cli

module: $(BUILD)/pageclock.ko

# Each kernel builds in its own copy of the sources, so two kernels never
# share object files.
$(BUILD)/pageclock.ko: $(MOD_SRCS)
	@test -n "$(KVER)" || { echo "no such kernel: tools/setup-deps installs the Debian ones, tools/debug-kernel LINE builds debug-LINE" >&2; exit 1; }
	rm -rf $(BUILD) && mkdir -p $(BUILD)
	cp -r Kbuild src include $(BUILD)/
	tools/kmake $(KDIR) $(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD) $(if $(W),W=$(W)) modules

# The KUnit suites as a module, for a kernel with KUnit built in (the debug
# kernels; Debian's own kernels have none): loading it runs them.
KUNIT_BUILD := build/$(KVER)-kunit
kunit-module: $(KUNIT_BUILD)/kunit/pageclock_kunit.ko

$(KUNIT_BUILD)/kunit/pageclock_kunit.ko: $(MOD_SRCS) $(wildcard kunit/*.[ch]) kunit/Makefile
	@test -n "$(KVER)" || { echo "no such kernel: tools/setup-deps installs the Debian ones, tools/debug-kernel LINE builds debug-LINE" >&2; exit 1; }
	rm -rf $(KUNIT_BUILD) && mkdir -p $(KUNIT_BUILD)
	cp -r kunit src include $(KUNIT_BUILD)/
	tools/kmake $(KDIR) $(MAKE) -C $(KDIR) M=$(CURDIR)/$(KUNIT_BUILD)/kunit $(if $(W),W=$(W)) modules

modules:
	@for v in $$(tools/kver all); do $(MAKE) --no-print-directory module KVER=$$v || exit 1; done

cli:
	$(MAKE) -C userspace

kunit:
	tools/kunit

kunit-debug:
	tools/kunit --debug

debug-kernel:
	for l in $${PAGECLOCK_DEBUG_LINES:-6.12}; do tools/debug-kernel $$l || exit 1; done

checkpatch:
	tools/checkpatch

check:
	tests/run

check-quick:
	tests/run --quick

demo:
	tools/demo

dkms-install:
	tools/dkms install

dkms-remove:
	tools/dkms remove

# The bpftrace tools as pageclock-NAME.bt beside the CLI (where Debian's
# bpftrace puts its own), the documents the man page names.
DOCS := Documentation/cli.md Documentation/abi.md Documentation/user-guide.md

install: cli
	install -D -m 0755 userspace/pageclock $(DESTDIR)$(PREFIX)/sbin/pageclock
	for t in tools/bpftrace/*.bt; do \
		install -D -m 0755 $$t $(DESTDIR)$(PREFIX)/sbin/pageclock-$${t##*/} || exit; \
	done
	install -D -m 0644 Documentation/man/pageclock.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/pageclock.8
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/doc/pageclock $(DOCS)
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/doc/pageclock/schema \
		Documentation/schema/*.json
	install -D -m 0644 tools/completion/pageclock.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/pageclock

clean:
	rm -rf build
	$(MAKE) -C userspace clean
