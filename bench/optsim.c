// SPDX-License-Identifier: GPL-2.0
/*
 * optsim FRAMES[,FRAMES...] [POLICY...] < trace: the misses of Belady's
 * OPT, LRU, FIFO and CLOCK (one reference bit, set on load and on hit) on
 * a reference stream from "clockbench trace", at each number of frames.
 * The stream is little-endian uint32 page ids with 0xffffffff once where
 * the measured part begins; each policy runs over all of it, so that it
 * enters the measured part in its own state, but only misses after the
 * marker count.  Prints "frames F refs N opt A lru B fifo C clock D",
 * N being the references of the measured part.  Without a marker all of
 * it counts.  Each POLICY (esc, age:K, gclock:K) adds "POLICY M": the
 * module's own hand policy (src/core/hand.c, built in through
 * bench/kshim) on a ring of frames, with each page's history byte kept
 * across its evictions as the module keeps it by address.  "sweep M" is
 * CLOCK as the module's hand moves: by address, a sweep's worth at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/clock.h"
#include "core/hand.h"

#define MARK 0xffffffffu
#define NEVER 0xffffffffu	/* next use of a page not used again */
#define NONE 0xffffffffu

static uint32_t *refs;		/* the trace, without the marker */
static uint32_t *nextuse;	/* index of the next reference to refs[i] */
static size_t n, mstart;	/* references; where the measured part starts */
static uint32_t nids;		/* page ids are below this */

static void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size);

	if (!p) {
		perror("optsim");
		exit(1);
	}
	return p;
}

static void *xmalloc(size_t nmemb, size_t size)
{
	void *p = malloc((nmemb ? nmemb : 1) * size);

	if (!p) {
		perror("optsim");
		exit(1);
	}
	return p;
}

static void read_trace(void)
{
	size_t cap = 1 << 20, got = 0, r;
	unsigned char *buf = xmalloc(cap, 1);
	int marked = 0;

	while ((r = fread(buf + got, 1, cap - got, stdin)) > 0) {
		got += r;
		if (got == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf) {
				perror("optsim");
				exit(1);
			}
		}
	}
	if (ferror(stdin) || got % 4) {
		fprintf(stderr, "optsim: bad trace (%zu bytes)\n", got);
		exit(1);
	}
	refs = xmalloc(got / 4, sizeof(*refs));
	for (size_t i = 0; i < got; i += 4) {
		uint32_t v = buf[i] | buf[i + 1] << 8 | buf[i + 2] << 16 |
			     (uint32_t)buf[i + 3] << 24;

		if (v == MARK) {
			if (marked++) {
				fprintf(stderr, "optsim: more than one marker\n");
				exit(1);
			}
			mstart = n;
			continue;
		}
		/* Arrays are indexed by page id: refuse absurd ones. */
		if (v >= 1u << 24) {
			fprintf(stderr, "optsim: page id %u too large\n", v);
			exit(1);
		}
		if (v >= nids)
			nids = v + 1;
		refs[n++] = v;
	}
	free(buf);
	if (n >= NEVER) {
		fprintf(stderr, "optsim: trace too long\n");
		exit(1);
	}
}

/* One backward pass: where each reference's page is used next. */
static void compute_nextuse(void)
{
	uint32_t *last = xmalloc(nids, sizeof(*last));

	for (uint32_t id = 0; id < nids; id++)
		last[id] = NEVER;
	nextuse = xmalloc(n, sizeof(*nextuse));
	for (size_t i = n; i-- > 0;) {
		nextuse[i] = last[refs[i]];
		last[refs[i]] = i;
	}
	free(last);
}

/* Max-heap of resident pages by next use; stale entries are skipped. */
struct entry {
	uint32_t key, id;
};

static void sift_down(struct entry *h, size_t len, size_t i)
{
	struct entry e = h[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= len)
			break;
		if (c + 1 < len && h[c + 1].key > h[c].key)
			c++;
		if (h[c].key <= e.key)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = e;
}

static void push(struct entry *h, size_t *len, uint32_t key, uint32_t id)
{
	size_t i = (*len)++;

	while (i && h[(i - 1) / 2].key < key) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i].key = key;
	h[i].id = id;
}

static long sim_opt(size_t f)
{
	/* Next use of each resident page, 0 if not resident (never a key). */
	uint32_t *cur = xcalloc(nids, sizeof(*cur));
	size_t cap = 2 * f + 1, len = 0, used = 0;
	struct entry *h = xmalloc(cap, sizeof(*h));
	long misses = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t p = refs[i];

		if (!cur[p]) {
			misses += i >= mstart;
			if (used == f) {
				/* Evict the resident page used farthest ahead. */
				for (;;) {
					struct entry e = h[0];

					h[0] = h[--len];
					sift_down(h, len, 0);
					if (cur[e.id] == e.key) {
						cur[e.id] = 0;
						break;
					}
				}
			} else {
				used++;
			}
		}
		/*
		 * A page's keys only grow, so its older entries never match
		 * cur[] again.  Drop them when the heap is full: at most f
		 * are live, so this happens at most once every f + 1 pushes.
		 */
		if (len == cap) {
			size_t k = 0;

			for (size_t j = 0; j < len; j++)
				if (cur[h[j].id] == h[j].key)
					h[k++] = h[j];
			len = k;
			for (size_t j = len / 2; j-- > 0;)
				sift_down(h, len, j);
		}
		cur[p] = nextuse[i];
		push(h, &len, cur[p], p);
	}
	free(h);
	free(cur);
	return misses;
}

/* Exact LRU: a doubly linked list over page ids, most recent at head. */
static long sim_lru(size_t f)
{
	uint32_t *prev = xmalloc(nids, sizeof(*prev));
	uint32_t *next = xmalloc(nids, sizeof(*next));
	unsigned char *in = xcalloc(nids, 1);
	uint32_t head = NONE, tail = NONE;
	size_t used = 0;
	long misses = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t p = refs[i];

		if (in[p]) {
			if (p == head)
				continue;
			/* Unlink; p is not the head, so prev[p] exists. */
			next[prev[p]] = next[p];
			if (next[p] != NONE)
				prev[next[p]] = prev[p];
			else
				tail = prev[p];
		} else {
			misses += i >= mstart;
			if (used == f) {
				uint32_t v = tail;

				in[v] = 0;
				tail = prev[v];
				if (tail != NONE)
					next[tail] = NONE;
				else
					head = NONE;
			} else {
				used++;
			}
			in[p] = 1;
		}
		prev[p] = NONE;
		next[p] = head;
		if (head != NONE)
			prev[head] = p;
		head = p;
		if (tail == NONE)
			tail = p;
	}
	free(in);
	free(next);
	free(prev);
	return misses;
}

/*
 * The module's hand policy @hp on a ring of @f frames: on a miss the hand
 * judges frame after frame until one is a victim (pgc_hand_judge()), a
 * lap being one round of the ring; the floor (pgc_hand_floor()) rises
 * after a lap that only spared pages, so the search ends.  Without
 * @chance no reference bit is ever set: esc is then FIFO, with it CLOCK.
 */
static long sim_hand(size_t f, const struct pgc_hand_params *hp, int chance)
{
	uint32_t *frame = xmalloc(f, sizeof(*frame));
	unsigned char *bit = xcalloc(f, 1);
	uint32_t *slot = xmalloc(nids, sizeof(*slot));
	uint8_t *hist = xcalloc(nids, 1);
	struct pgc_hand_lap l = { 0 };
	size_t hand = 0;
	uint64_t lap = 0;
	long misses = 0;

	for (size_t j = 0; j < f; j++)
		frame[j] = NONE;
	for (uint32_t id = 0; id < nids; id++)
		slot[id] = NONE;
	for (size_t i = 0; i < n; i++) {
		uint32_t p = refs[i];

		if (slot[p] != NONE) {
			bit[slot[p]] = chance;
			continue;
		}
		misses += i >= mstart;
		for (;;) {
			enum pgc_hand_verdict v = PGC_HAND_CLEAN;
			uint32_t q = frame[hand];
			bool wrapped = hand + 1 == f;

			if (q != NONE)
				v = pgc_hand_judge(hp, &hist[q], lap, l.floor,
						   bit[hand], false, false);
			if (v == PGC_HAND_CLEAN) {
				if (q != NONE)
					slot[q] = NONE;
				frame[hand] = p;
				slot[p] = hand;
			}
			bit[hand] = v == PGC_HAND_CLEAN ? chance : 0;
			pgc_hand_pass(&l, v == PGC_HAND_CLEAN, v == PGC_HAND_KEEP,
				      v == PGC_HAND_SPARE, wrapped);
			lap += wrapped;
			hand = wrapped ? 0 : hand + 1;
			if (v == PGC_HAND_CLEAN)
				break;
		}
	}
	free(hist);
	free(slot);
	free(bit);
	free(frame);
	return misses;
}

/*
 * The esc hand as the module moves it on @f frames: round the page ids in
 * address order, not a ring in load order, and only once the resident
 * pages pass @f, taking a sweep's worth (pgc_clock_own_need(): what is
 * over plus a margin), not one page a miss.
 */
static long sim_sweep(size_t f)
{
	const struct pgc_hand_params esc = { PGC_HAND_ESC, 0 };
	unsigned char *in = xcalloc(nids, 1), *bit = xcalloc(nids, 1);
	uint8_t *hist = xcalloc(nids, 1);
	struct pgc_hand_lap l = { 0 };
	size_t res = 0, hand = 0;
	uint64_t lap = 0;
	long misses = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t p = refs[i];
		unsigned long need;

		bit[p] = 1;
		if (in[p])
			continue;
		misses += i >= mstart;
		in[p] = 1;
		/* A margin above what is there (a few frames) takes it all. */
		need = pgc_clock_own_need(++res, f);
		if (need > res)
			need = res;
		while (need) {
			bool wrapped = hand + 1 == nids;

			if (in[hand]) {
				enum pgc_hand_verdict v;

				v = pgc_hand_judge(&esc, &hist[hand], lap, l.floor,
						   bit[hand], false, false);
				if (v == PGC_HAND_CLEAN) {
					in[hand] = 0;
					res--;
					need--;
				}
				bit[hand] = 0;
				pgc_hand_pass(&l, v == PGC_HAND_CLEAN,
					      v == PGC_HAND_KEEP,
					      v == PGC_HAND_SPARE, wrapped);
			}
			lap += wrapped;
			hand = wrapped ? 0 : hand + 1;
		}
	}
	free(hist);
	free(bit);
	free(in);
	return misses;
}

/* "esc", "age:K" or "gclock:K" into @hp; 0, or -1 if it is none. */
static int parse_policy(const char *s, struct pgc_hand_params *hp)
{
	static const char *const names[] = { "esc", "age", "gclock" };
	char *end;

	for (unsigned int i = 0; i < PGC_HAND_NR; i++) {
		size_t len = strlen(names[i]);

		if (strncmp(s, names[i], len))
			continue;
		hp->policy = i;
		hp->k = 0;
		if (s[len] == ':') {
			unsigned long k = strtoul(s + len + 1, &end, 10);

			if (end == s + len + 1 || *end || k > PGC_HAND_K_MAX)
				return -1;
			hp->k = k;
		} else if (s[len] || i != PGC_HAND_ESC) {
			return -1;
		}
		return pgc_hand_params_check(hp) ? -1 : 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	const struct pgc_hand_params esc = { PGC_HAND_ESC, 0 };
	struct pgc_hand_params *hps;
	char *s, *end;
	int np = argc - 2;

	if (argc < 2)
		return fprintf(stderr, "usage: optsim FRAMES[,FRAMES...] [esc|age:K|gclock:K ...] < trace\n"), 2;
	hps = xcalloc(np, sizeof(*hps));
	for (int i = 0; i < np; i++)
		if (parse_policy(argv[i + 2], &hps[i]))
			return fprintf(stderr, "optsim: bad policy '%s' (esc, age:K with K 1-15, gclock:K with K 0-15)\n",
				       argv[i + 2]), 2;
	/* Check the frame counts before reading a possibly long trace. */
	for (s = argv[1]; ; s = end + 1) {
		unsigned long f = strtoul(s, &end, 10);

		if (end == s || !f || f >= 1ul << 30 || (*end && *end != ','))
			return fprintf(stderr, "optsim: bad frame count '%s'\n", s), 2;
		if (!*end)
			break;
	}
	read_trace();
	compute_nextuse();
	for (s = argv[1]; ; s = end + 1) {
		size_t f = strtoul(s, &end, 10);

		printf("frames %zu refs %zu opt %ld lru %ld fifo %ld clock %ld sweep %ld",
		       f, n - mstart, sim_opt(f), sim_lru(f), sim_hand(f, &esc, 0),
		       sim_hand(f, &esc, 1), sim_sweep(f));
		for (int i = 0; i < np; i++)
			printf(" %s %ld", argv[i + 2], sim_hand(f, &hps[i], 1));
		putchar('\n');
		fflush(stdout);
		if (!*end)
			break;
	}
	free(hps);
	return 0;
}
