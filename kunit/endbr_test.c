// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the IBT guard (src/core/endbr.c).  QEMU TCG does not emulate IBT,
 * so this is where "never call a sealed function" is proven.
 */
#include <kunit/test.h>
#include "../src/core/endbr.c"

static void pgc_test_classify_endbr(struct kunit *test)
{
	unsigned int off = 99;

	KUNIT_EXPECT_EQ(test, pgc_entry_classify(PGC_ENDBR64_WORD, &off),
			PGC_ENTRY_ENDBR);
	KUNIT_EXPECT_EQ(test, off, 4U);
	off = 99;
	KUNIT_EXPECT_EQ(test, pgc_entry_classify(PGC_ENDBR32_WORD, &off),
			PGC_ENTRY_ENDBR);
	KUNIT_EXPECT_EQ(test, off, 4U);
}

static void pgc_test_classify_sealed(struct kunit *test)
{
	unsigned int off = 99;

	KUNIT_EXPECT_EQ(test, pgc_entry_classify(PGC_SEAL_WORD, &off),
			PGC_ENTRY_SEALED);
	KUNIT_EXPECT_EQ(test, off, 4U);
	off = 99;
	KUNIT_EXPECT_EQ(test, pgc_entry_classify(PGC_SEAL_UDB_WORD, &off),
			PGC_ENTRY_SEALED);
	KUNIT_EXPECT_EQ(test, off, 4U);
}

/* Padding and ordinary instruction bytes before a function's entry. */
static void pgc_test_classify_plain(struct kunit *test)
{
	static const u32 words[] = {
		0, 0xccccccccU, 0x90909090U, 0xc3cccccc,
		PGC_ENDBR64_WORD ^ 1, PGC_SEAL_WORD << 8, 0xffffffffU,
		PGC_SEAL_UDB_WORD >> 8, 0xd6401f0eU,
		0xfa1e0ff2U,	/* one byte off ENDBR64 */
	};
	unsigned int off;
	int i;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		off = 99;
		KUNIT_EXPECT_EQ_MSG(test, pgc_entry_classify(words[i], &off),
				    PGC_ENTRY_PLAIN, "word %#x", words[i]);
		KUNIT_EXPECT_EQ(test, off, 0U);
	}
}

/* Every (entry, IBT) pair: only ENDBR is callable under enforcement. */
static void pgc_test_callable_matrix(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, pgc_entry_callable(PGC_ENTRY_PLAIN, false));
	KUNIT_EXPECT_TRUE(test, pgc_entry_callable(PGC_ENTRY_ENDBR, false));
	KUNIT_EXPECT_TRUE(test, pgc_entry_callable(PGC_ENTRY_SEALED, false));
	KUNIT_EXPECT_FALSE(test, pgc_entry_callable(PGC_ENTRY_PLAIN, true));
	KUNIT_EXPECT_TRUE(test, pgc_entry_callable(PGC_ENTRY_ENDBR, true));
	KUNIT_EXPECT_FALSE(test, pgc_entry_callable(PGC_ENTRY_SEALED, true));
}

/* Bytes b[0..3] read as a little-endian word, as x86 loads them. */
static u32 pgc_test_le32(const u8 *b)
{
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

/* The words are the instruction bytes, read little-endian. */
static void pgc_test_words_match_bytes(struct kunit *test)
{
	static const u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const u8 nop4[4] = { 0x66, 0x0f, 0x1f, 0x00 };
	static const u8 nopl_udb[4] = { 0x0f, 0x1f, 0x40, 0xd6 };

	KUNIT_EXPECT_EQ(test, pgc_test_le32(endbr64), PGC_ENDBR64_WORD);
	KUNIT_EXPECT_EQ(test, pgc_test_le32(nop4), PGC_SEAL_WORD);
	KUNIT_EXPECT_EQ(test, pgc_test_le32(nopl_udb), PGC_SEAL_UDB_WORD);
}

static void pgc_test_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pgc_entry_name(PGC_ENTRY_PLAIN), "plain");
	KUNIT_EXPECT_STREQ(test, pgc_entry_name(PGC_ENTRY_ENDBR), "endbr");
	KUNIT_EXPECT_STREQ(test, pgc_entry_name(PGC_ENTRY_SEALED), "sealed");
}

static struct kunit_case pgc_endbr_cases[] = {
	KUNIT_CASE(pgc_test_classify_endbr),
	KUNIT_CASE(pgc_test_classify_sealed),
	KUNIT_CASE(pgc_test_classify_plain),
	KUNIT_CASE(pgc_test_callable_matrix),
	KUNIT_CASE(pgc_test_words_match_bytes),
	KUNIT_CASE(pgc_test_names),
	{}
};

static struct kunit_suite pgc_endbr_suite = {
	.name = "pageclock_endbr",
	.test_cases = pgc_endbr_cases,
};

kunit_test_suite(pgc_endbr_suite);

