// SPDX-License-Identifier: GPL-2.0
/* KUnit: page-fault classification (src/core/fault.c). */
#include <kunit/test.h>
#include "../src/core/fault.c"

static struct pgc_fault pgc_f(u8 before, u8 after)
{
	struct pgc_fault f = { };

	f.before.kind = before;
	f.after.kind = after;
	f.after.pfn = 1;
	f.before.pfn = 1;
	return f;
}

static void pgc_test_first_touch(struct kunit *test)
{
	struct pgc_fault f = pgc_f(PGC_PTE_NONE, PGC_PTE_PRESENT);

	f.vma_anon = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_ANON_NEW);
	f.after.kind = PGC_PTE_HUGE;
	f.thp_possible = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_ANON_NEW_THP);
	f.vma_anon = false;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_FILE_MINOR);
	f.major = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_FILE_MAJOR);
	f.major = false;
	f.tried = true;		/* the read happened in the retried attempt */
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_FILE_MAJOR);
}

static void pgc_test_swapin(struct kunit *test)
{
	struct pgc_fault f = pgc_f(PGC_PTE_SWAP, PGC_PTE_PRESENT);

	f.vma_anon = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_SWAPIN_CACHE);
	f.major = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_SWAPIN_DEVICE);
	f.major = false;
	f.tried = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_SWAPIN_DEVICE);
}

static void pgc_test_write_protect(struct kunit *test)
{
	struct pgc_fault f = pgc_f(PGC_PTE_PRESENT, PGC_PTE_PRESENT);

	f.vma_anon = true;
	f.write = true;
	f.before.anon = true;
	f.after.pfn = 2;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_COW_COPY);
	f.after.pfn = 1;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_COW_REUSE);
	f.before.exclusive = true;	/* soft-dirty or uffd-wp */
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_WP_OTHER);
	f.before.exclusive = false;
	f.vma_shared = true;		/* mkwrite */
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_WP_OTHER);
	f.vma_shared = false;
	f.before.anon = false;		/* private file page, first write */
	f.after.pfn = 3;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_COW_COPY);
	f.before.zero = true;		/* read first, then write */
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_ANON_NEW);
	f.before.zero = false;
	f.after.kind = PGC_PTE_NONE;	/* raced with an unmap */
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_OTHER);
}

static void pgc_test_spurious(struct kunit *test)
{
	struct pgc_fault f = pgc_f(PGC_PTE_PRESENT, PGC_PTE_PRESENT);

	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_SPURIOUS);
	f.write = true;
	f.before.writable = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_SPURIOUS);
}

static void pgc_test_special_entries(struct kunit *test)
{
	struct pgc_fault f = pgc_f(PGC_PTE_PROTNONE, PGC_PTE_PRESENT);

	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_NUMA);
	f.before.kind = PGC_PTE_MIGRATION;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_MIGRATION);
	f.before.kind = PGC_PTE_OTHER;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_OTHER);
	f.before.kind = PGC_PTE_NONE;
	f.vma_other = true;		/* hugetlb */
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_OTHER);
}

/* Outcome flags win over the entry state, in a fixed order. */
static void pgc_test_outcome_priority(struct kunit *test)
{
	struct pgc_fault f = pgc_f(PGC_PTE_NONE, PGC_PTE_PRESENT);

	f.sigsegv = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_OTHER); /* uaccess */
	f.user = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_NONE); /* a signal */
	f.gup = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_GUP);
	f.sigbus = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_SIGBUS);
	f.oom = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_OOM);
	f.retry = true;
	KUNIT_EXPECT_EQ(test, pgc_fault_classify(&f), PGC_FC_RETRY);
}

/*
 * Every combination of inputs: the class is valid, NONE only for SIGSEGV,
 * and the kernel's accounting (min_flt/maj_flt) counts exactly the faults
 * that did not fail or retry.
 */
static void pgc_test_exhaustive(struct kunit *test)
{
	const unsigned int nbits = 17, kinds = PGC_PTE_OTHER + 1;
	unsigned int i, bits, n = 0;

	for (i = 0; i < kinds * kinds * (1U << nbits); i++) {
		struct pgc_fault f = pgc_f(i % kinds, (i / kinds) % kinds);
		enum pgc_fault_class fc;
		bool failed;

		bits = i / (kinds * kinds);
		f.write = bits & 1;
		f.tried = bits & 2;
		f.gup = bits & 4;
		f.vma_anon = bits & 8;
		f.vma_shared = bits & 16;
		f.vma_other = bits & 32;
		f.retry = bits & 64;
		f.major = bits & 128;
		f.oom = bits & 256;
		f.sigbus = bits & 512;
		f.sigsegv = bits & 1024;
		f.before.writable = bits & 2048;
		f.before.anon = bits & 4096;
		f.before.exclusive = bits & 8192;
		f.before.zero = bits & 16384;
		f.thp_possible = bits & 32768;
		f.user = bits & 65536;
		f.after.pfn = (bits & 1) ? 1 : 2;

		fc = pgc_fault_classify(&f);
		failed = f.retry || f.oom || f.sigbus || f.sigsegv;
		KUNIT_ASSERT_TRUE(test, fc <= PGC_FC_NR);
		/* NONE only where a signal will count it: never lost. */
		KUNIT_ASSERT_EQ(test, fc == PGC_FC_NONE,
				f.sigsegv && !f.retry && !f.oom && !f.sigbus &&
				!f.gup && f.user);
		KUNIT_ASSERT_EQ(test, pgc_fault_accounted(&f), !failed);
		KUNIT_ASSERT_EQ(test, pgc_fault_kernel_major(&f),
				f.major || f.tried);
		/* A fault classified as a segv class never comes from here. */
		KUNIT_ASSERT_FALSE(test, fc >= PGC_FC_FIRST_SEGV &&
				   fc <= PGC_FC_LAST_SEGV);
		/* Where the walk after the fault is skipped, it cannot matter. */
		if (!pgc_fault_needs_after(&f)) {
			struct pgc_fault g = f;

			memset(&g.after, 0, sizeof(g.after));
			KUNIT_ASSERT_EQ(test, pgc_fault_classify(&g), fc);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, kinds * kinds * (1U << nbits));
}

static void pgc_test_thp_fits(struct kunit *test)
{
	const u64 pmd = 2 << 20;

	KUNIT_EXPECT_TRUE(test, pgc_thp_fits(0, 2 * pmd, pmd + 4096, pmd));
	KUNIT_EXPECT_TRUE(test, pgc_thp_fits(pmd, 2 * pmd, pmd, pmd));
	KUNIT_EXPECT_FALSE(test, pgc_thp_fits(pmd + 4096, 3 * pmd, pmd + 8192, pmd));
	KUNIT_EXPECT_FALSE(test, pgc_thp_fits(0, pmd + 4096, pmd, pmd));
	KUNIT_EXPECT_FALSE(test, pgc_thp_fits(0, 1 << 20, 4096, pmd));
}

/*
 * Bug (review): a first touch of memory mapped again where the hand had
 * taken a page counted as its refault.  Only a swap entry brings back an
 * anonymous page; a file's leaves its entry empty.
 */
static void pgc_test_may_refault(struct kunit *test)
{
	struct pgc_fault f = {};

	f.vma_anon = true;
	f.before.kind = PGC_PTE_NONE;
	KUNIT_EXPECT_FALSE(test, pgc_fault_may_refault(&f));
	f.before.kind = PGC_PTE_SWAP;
	KUNIT_EXPECT_TRUE(test, pgc_fault_may_refault(&f));
	f.before.kind = PGC_PTE_PRESENT;	/* a write to a page swapped in */
	KUNIT_EXPECT_FALSE(test, pgc_fault_may_refault(&f));
	f.gup = true;	/* its entry was not read */
	KUNIT_EXPECT_TRUE(test, pgc_fault_may_refault(&f));
	f.gup = false;
	f.vma_anon = false;
	f.before.kind = PGC_PTE_NONE;
	KUNIT_EXPECT_TRUE(test, pgc_fault_may_refault(&f));
	f.vma_shared = true;	/* shmem: its swapped pages leave none either */
	KUNIT_EXPECT_TRUE(test, pgc_fault_may_refault(&f));
}

/*
 * Only faults that may wait for a userfaultfd handler are left out of
 * the kretprobe (bug: every fault of a registered range was, which took
 * a post-copy target's hard budget and PFF signal away).
 */
static void pgc_test_uffd_may_wait(struct kunit *test)
{
	struct pgc_fault f = {};
	unsigned int i;
	u8 kind;

	for (kind = PGC_PTE_NONE; kind <= PGC_PTE_OTHER; kind++) {
		bool empty = kind == PGC_PTE_NONE || kind == PGC_PTE_OTHER;

		/* Each of write and a write-protected range, or not. */
		for (i = 0; i < 4; i++) {
			bool wp = i & 1;

			f.before.kind = kind;
			f.write = i & 2;
			KUNIT_EXPECT_EQ(test, pgc_fault_uffd_may_wait(&f, wp),
					empty || (f.write && wp));
		}
	}
	f.before.kind = PGC_PTE_PRESENT;
	f.write = false;
	f.gup = true;		/* its entry not read: as it may */
	KUNIT_EXPECT_TRUE(test, pgc_fault_uffd_may_wait(&f, false));
	f.gup = false;
	f.vma_other = true;	/* hugetlb: the same */
	KUNIT_EXPECT_TRUE(test, pgc_fault_uffd_may_wait(&f, false));
}

static void pgc_test_segv(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pgc_segv_classify(true, false, true, false),
			PGC_FC_SEGV_UNMAPPED);
	KUNIT_EXPECT_EQ(test, pgc_segv_classify(false, true, true, false),
			PGC_FC_SEGV_PKEY);
	KUNIT_EXPECT_EQ(test, pgc_segv_classify(false, false, false, true),
			PGC_FC_SEGV_EXEC_NX);
	KUNIT_EXPECT_EQ(test, pgc_segv_classify(false, false, true, false),
			PGC_FC_SEGV_WRITE_RO);
	KUNIT_EXPECT_EQ(test, pgc_segv_classify(false, false, false, false),
			PGC_FC_SEGV_ACCESS);
}

static void pgc_test_class_names(struct kunit *test)
{
	int i, j;

	for (i = 0; i < PGC_FC_NR; i++) {
		KUNIT_ASSERT_NOT_NULL(test, pgc_fault_class_name(i));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, pgc_fault_class_name(i),
					    pgc_fault_class_name(j));
	}
	KUNIT_EXPECT_STREQ(test, pgc_fault_class_name(PGC_FC_NONE), "none");
}

static struct kunit_case pgc_fault_cases[] = {
	KUNIT_CASE(pgc_test_first_touch),
	KUNIT_CASE(pgc_test_swapin),
	KUNIT_CASE(pgc_test_write_protect),
	KUNIT_CASE(pgc_test_spurious),
	KUNIT_CASE(pgc_test_special_entries),
	KUNIT_CASE(pgc_test_outcome_priority),
	KUNIT_CASE(pgc_test_exhaustive),
	KUNIT_CASE(pgc_test_thp_fits),
	KUNIT_CASE(pgc_test_may_refault),
	KUNIT_CASE(pgc_test_uffd_may_wait),
	KUNIT_CASE(pgc_test_segv),
	KUNIT_CASE(pgc_test_class_names),
	{}
};

static struct kunit_suite pgc_fault_suite = {
	.name = "pageclock_fault",
	.test_cases = pgc_fault_cases,
};

kunit_test_suite(pgc_fault_suite);
