# SPDX-License-Identifier: GPL-2.0
# Sourced by tools/vm/run (the whole guest log) and tests/guest-run (each
# scenario's part): what a kernel prints when something is wrong.  Most
# reports start with BUG: or WARNING: (lockdep's among them); the rest are
# named.
PGC_COMPLAINTS='BUG:|WARNING:|Oops|general protection fault|Kernel panic|KASAN|UBSAN|refcount_t:|possible circular locking|possible recursive locking|inconsistent lock state|INFO: trying to register non-static key|blocked for more than|list_(add|del) corruption|stack-protector|kernel stack overflow'
