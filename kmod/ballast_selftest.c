// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko selftest=1: the core against the kernel's real page allocator
 * and an in-module fake hypervisor. Prints KTAP (version 1).
 *
 * The cases use only the core's C API (ballast_core_*), the fake backend
 * (ballast_fake_hv.c) and the environment's instrumentation (ballast_st): they check
 * results through ballast_core_stats/counters and the backend's own count,
 * so they hold for any correct core, not one implementation.
 *
 * Invariants checked after every case ("no page lost"):
 *   fake.held         == balloon_low + balloon_high + pages lent to us
 *   allocated - freed == fake.held     (every page out came from alloc_page)
 *   current_pages     == initial - fake.held
 *   the fake saw no frame twice and no frame it does not hold
 */
#define pr_fmt(fmt) fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/xarray.h>
#include <linux/random.h>
#include <linux/errno.h>
#include <linux/page-flags.h>

#include "ballast_fake_hv.h"

/* ======================= test harness ======================= */

static struct ballast_st_env *st; /* the environment's instrumentation */
static unsigned long cur0;	  /* current_pages right after init */
static long res0;		  /* fake reservation right after init */
static long lent;		  /* pages the selftest holds via alloc_pages */
static bool case_ok;
static const char *skip_reason;

#define EXPECT(c)                                                                      \
	do {                                                                           \
		if (!(c)) {                                                            \
			pr_info("    # %s:%d: expected %s\n", __func__, __LINE__, #c); \
			case_ok = false;                                               \
		}                                                                      \
	} while (0)

#define EXPECT_EQ(a, b)                                                                      \
	do {                                                                                 \
		long long _a = (long long)(a), _b = (long long)(b);                          \
		if (_a != _b) {                                                              \
			pr_info("    # %s:%d: expected %s == %s (%lld != %lld)\n", __func__, \
				__LINE__, #a, #b, _a, _b);                                   \
			case_ok = false;                                                     \
		}                                                                            \
	} while (0)

static struct ballast_stats S(void) {
	struct ballast_stats s;

	ballast_core_stats(&s);
	return s;
}

static struct ballast_counters
C(void) {
	struct ballast_counters c;

	ballast_core_counters(&c);
	return c;
}

static unsigned long
events_total(const struct ballast_counters *c)
{
	unsigned long n = 0;
	int i;

	for (i = 1; i < BALLAST_EV_COUNT; i++)
		n += c->events[i];
	return n;
}

/* Run the worker as the workqueue would, ignoring delays (simulated time). */
static int drive(int max_runs)
{
	int runs = 0;

	while (st->pending && runs < max_runs) {
		st->pending = false;
		ballast_core_process();
		runs++;
	}
	return runs;
}

/* One worker pass if any was requested; returns the delay it asked next or -1. */
static long step(void)
{
	st->pending = false;
	ballast_core_process();
	return st->pending ? (long)st->pending_delay : -1;
}

static void target(unsigned long pages)
{
	int rc = ballast_core_set_target(pages);

	if (rc)
		pr_info("    # set_target(%lu) = %d\n", pages, rc);
	EXPECT_EQ(rc, 0);
}

static void settle_at(unsigned long pages)
{
	target(pages);
	drive(200);
	EXPECT_EQ(S().current_pages, pages);
}

static void check_invariants(void)
{
	struct ballast_stats s = S();
	long alloc = atomic_long_read(&st->allocated);
	long freed = atomic_long_read(&st->freed);

	EXPECT_EQ(ballast_fake.nheld, s.balloon_low + s.balloon_high + lent);
	EXPECT_EQ(alloc - freed, ballast_fake.nheld);
	EXPECT_EQ(s.current_pages, cur0 - ballast_fake.nheld);
	EXPECT_EQ(ballast_fake.reservation, res0 - (long)ballast_fake.nheld);
	EXPECT_EQ(ballast_fake.protocol_errors, 0);
	if (!IS_ENABLED(CONFIG_HIGHMEM))
		EXPECT_EQ(s.balloon_high, 0);
}

/* ======================= the cases ======================= */

static void t_stats_init(void)
{
	struct ballast_stats s = S();
	struct ballast_counters c = C();

	EXPECT_EQ(s.current_pages, cur0);
	EXPECT_EQ(s.target_pages, cur0);
	EXPECT_EQ(s.total_pages, cur0);
	EXPECT_EQ(s.target_unpopulated, 0);
	EXPECT_EQ(s.balloon_low, 0);
	EXPECT_EQ(s.balloon_high, 0);
	EXPECT_EQ(s.schedule_delay, 1);
	EXPECT_EQ(s.max_schedule_delay, 32);
	EXPECT_EQ(s.retry_count, 1);
	EXPECT_EQ(s.max_retry_count, 4);
	EXPECT_EQ(c.pages_in + c.pages_out + c.hypercalls_increase + c.hypercalls_decrease, 0);
	EXPECT_EQ(events_total(&c), 0);
	check_invariants();
}

static void t_balloon_out(void)
{
	unsigned long ram = totalram_pages();
	struct ballast_counters c0 = C(), c1;

	target(cur0 - 100);
	EXPECT(st->pending);
	drive(10);
	c1 = C();
	EXPECT_EQ(S().current_pages, cur0 - 100);
	EXPECT_EQ(S().balloon_low + S().balloon_high, 100);
	EXPECT_EQ(c1.pages_out - c0.pages_out, 100);
	EXPECT(c1.hypercalls_decrease > c0.hypercalls_decrease);
	EXPECT_EQ(ram - totalram_pages(), 100); /* managed count went down */
	EXPECT(!st->pending);
	check_invariants();
}

static void t_balloon_in(void)
{
	unsigned long ram = totalram_pages();
	struct ballast_counters c0 = C();

	settle_at(cur0);
	EXPECT_EQ(S().balloon_low + S().balloon_high, 0);
	EXPECT_EQ(C().pages_in - c0.pages_in, 100);
	EXPECT_EQ(totalram_pages() - ram, 100);
	check_invariants();
}

/* Lowmem pages are repopulated first and the newest first (list head). */
static void t_list_order(void)
{
	ballast_pfn_t a, b;

	settle_at(cur0 - 1);
	a = ballast_fake.dec.last;
	settle_at(cur0 - 2);
	b = ballast_fake.dec.last;
	EXPECT(a != b);
	settle_at(cur0 - 1);
	EXPECT_EQ(ballast_fake.inc.first, b);
	settle_at(cur0);
	EXPECT_EQ(ballast_fake.inc.first, a);
	EXPECT_EQ(S().balloon_high, 0); /* x86-64: no highmem */
	check_invariants();
}

static void batches(struct fake_dir *d, unsigned long to)
{
	unsigned long calls = d->calls;
	unsigned int first = d->nlog;

	target(to);
	EXPECT_EQ(step(), -1); /* one worker pass does it all via the credit loop */
	EXPECT_EQ(S().current_pages, to);
	EXPECT_EQ(d->calls - calls, 3);
	if (d->calls - calls == 3) {
		EXPECT_EQ(d->log[first % 8], 512);
		EXPECT_EQ(d->log[(first + 1) % 8], 512);
		EXPECT_EQ(d->log[(first + 2) % 8], 1300 - 1024);
	}
	check_invariants();
}

static void t_batches_out(void)
{
	batches(&ballast_fake.dec, cur0 - 1300);
}

static void t_batches_in(void)
{
	batches(&ballast_fake.inc, cur0);
}

/* Ballooning out never takes more than si_mem_available() in one step. */
static void t_mem_available_cap(void)
{
	unsigned int i, first = ballast_fake.dec.nlog;

	st->mem_available_override = 40;
	target(cur0 - 100);
	step();
	for (i = first; i < ballast_fake.dec.nlog; i++)
		EXPECT(ballast_fake.dec.log[i % 8] <= 40);
	EXPECT(S().current_pages >= cur0 - 100);
	EXPECT(S().current_pages < cur0);
	st->mem_available_override = -1;
	drive(50);
	EXPECT_EQ(S().current_pages, cur0 - 100);
	settle_at(cur0);
	check_invariants();
}

static void t_alloc_failure(void)
{
	struct ballast_counters c0 = C();
	long delay;

	st->fail_alloc_after = 10;
	target(cur0 - 100);
	delay = step();
	EXPECT_EQ(S().current_pages, cur0 - 10);
	EXPECT(C().alloc_failures > c0.alloc_failures);
	EXPECT(delay >= 1); /* retried later, with a delay */
	check_invariants();
	st->fail_alloc_after = -1;
	drive(50);
	EXPECT_EQ(S().current_pages, cur0 - 100);
	settle_at(cur0);
	check_invariants();
}

/* A failing hypervisor: the delay doubles, the retries stop at the limit. */
static void t_backoff_retry_limit(void)
{
	struct ballast_stats s;
	long d, prev = 1;
	int runs = 0;

	settle_at(cur0 - 50);
	ballast_fake_set(&ballast_fake.inc, FAKE_ERROR, -ENOMEM, -1);
	target(cur0);
	do {
		d = step();
		runs++;
		if (d >= 0) {
			EXPECT_EQ(d, min(prev * 2, 32L));
			prev = d;
		}
	} while (d >= 0 && runs < 20);
	EXPECT_EQ(runs, 4); /* max_retry_count = 4 */
	s = S();
	EXPECT_EQ(s.schedule_delay, 1);
	EXPECT_EQ(s.retry_count, 1);
	EXPECT_EQ(s.current_pages, cur0 - 50);
	check_invariants();
	ballast_fake_reset_modes();
	settle_at(cur0);
	check_invariants();
}

/* Unlimited retries: the delay saturates at max_schedule_delay; success resets. */
static void t_backoff_cap_and_reset(void)
{
	static const long want[] = {2, 4, 4, 4, 4, 4};
	struct ballast_stats s;
	int i;

	EXPECT_EQ(ballast_core_set_max_retry_count(BALLAST_RETRY_UNLIMITED), 0);
	EXPECT_EQ(ballast_core_set_max_schedule_delay(4), 0);
	settle_at(cur0 - 50);
	ballast_fake_set(&ballast_fake.inc, FAKE_ERROR, -ENOMEM, -1);
	target(cur0);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		EXPECT_EQ(step(), want[i]);
	s = S();
	EXPECT_EQ(s.schedule_delay, 4);
	EXPECT_EQ(s.retry_count, 1 + ARRAY_SIZE(want));
	ballast_fake_reset_modes();
	EXPECT_EQ(step(), -1);
	s = S();
	EXPECT_EQ(s.current_pages, cur0);
	EXPECT_EQ(s.schedule_delay, 1);
	EXPECT_EQ(s.retry_count, 1);
	EXPECT_EQ(ballast_core_set_max_retry_count(4), 0);
	EXPECT_EQ(ballast_core_set_max_schedule_delay(32), 0);
	check_invariants();
}

static void t_partial_decrease(void)
{
	struct ballast_counters c0 = C();

	ballast_fake_set(&ballast_fake.dec, FAKE_PARTIAL, 7, 1);
	target(cur0 - 100);
	drive(50);
	EXPECT_EQ(S().current_pages, cur0 - 100);
	{
		struct ballast_counters c1 = C();

		EXPECT(events_total(&c1) > events_total(&c0)); /* reported, not silent */
	}
	check_invariants();
	settle_at(cur0);
	check_invariants();
}

static void t_partial_increase(void)
{
	settle_at(cur0 - 100);
	ballast_fake_set(&ballast_fake.inc, FAKE_PARTIAL, 30, 1);
	target(cur0);
	drive(50);
	EXPECT_EQ(S().current_pages, cur0);
	check_invariants();
}

static void hostile(struct fake_dir *d, enum fake_mode m, int arg, int times, bool out)
{
	struct ballast_counters c0 = C(), c1;

	if (!out)
		settle_at(cur0 - 100);
	ballast_fake_set(d, m, arg, times);
	target(out ? cur0 - 100 : cur0);
	drive(100);
	ballast_fake_reset_modes();
	drive(100);
	c1 = C();
	EXPECT_EQ(S().current_pages, out ? cur0 - 100 : cur0);
	if (m == FAKE_TOO_LARGE)
		EXPECT(c1.events[BALLAST_EV_HOSTILE_REPLY] +
			       c1.events[BALLAST_EV_BUG_INCREASE_NO_PAGE] +
			       c1.events[BALLAST_EV_BUG_DECREASE_MISMATCH] >
		       c0.events[BALLAST_EV_HOSTILE_REPLY] +
			       c0.events[BALLAST_EV_BUG_INCREASE_NO_PAGE] +
			       c0.events[BALLAST_EV_BUG_DECREASE_MISMATCH]);
	check_invariants();
	settle_at(cur0);
	check_invariants();
}

static void t_hostile_increase_too_large(void)
{
	hostile(&ballast_fake.inc, FAKE_TOO_LARGE, 1000, 1, false);
}

static void t_hostile_increase_negative(void)
{
	hostile(&ballast_fake.inc, FAKE_ERROR, INT_MIN, 2, false);
}

static void t_hostile_increase_zero(void)
{
	hostile(&ballast_fake.inc, FAKE_ZERO, 0, 2, false);
}

static void t_hostile_decrease_too_large(void)
{
	hostile(&ballast_fake.dec, FAKE_TOO_LARGE, 7, 1, true);
}

static void t_hostile_decrease_negative(void)
{
	hostile(&ballast_fake.dec, FAKE_ERROR, -ENOMEM, 2, true);
}

static void t_hostile_decrease_zero(void)
{
	hostile(&ballast_fake.dec, FAKE_ZERO, 0, 2, true);
}

/* A long random mix of misbehaviour: afterwards nothing is lost. */
static void t_hostile_storm(void)
{
	static const int args[FAKE_NMODES] = {0, 3, -EFAULT, 5, 0};
	u32 seed = 0x6a11a57;
	int i;

	for (i = 0; i < 300; i++) {
		u32 r;

		seed = seed * 1103515245 + 12345;
		r = seed >> 8;
		ballast_fake_set(&ballast_fake.inc, r % FAKE_NMODES, args[r % FAKE_NMODES],
				 (r >> 4) % 3);
		ballast_fake_set(&ballast_fake.dec, (r >> 8) % FAKE_NMODES,
				 args[(r >> 8) % FAKE_NMODES], (r >> 12) % 3);
		if ((r >> 16) % 4 == 0)
			st->fail_alloc_after = (r >> 18) % 64;
		ballast_core_set_target(cur0 - ((r >> 2) % 3000));
		drive(1 + (r >> 20) % 3);
		st->fail_alloc_after = -1;
		if (i % 50 == 0)
			check_invariants();
	}
	ballast_fake_reset_modes();
	settle_at(cur0);
	EXPECT_EQ(S().balloon_low + S().balloon_high, 0);
	check_invariants();
}

static void t_set_target_validation(void)
{
	unsigned long t = S().target_pages;

	EXPECT_EQ(ballast_core_set_target(ULONG_MAX), -EINVAL);
	EXPECT_EQ(S().target_pages, t);
	/* the glue's own range check: above the maximum reservation */
	EXPECT_EQ(ballast_apply_target_bytes(((unsigned long long)ballast_fake.max + 1)
					     << PAGE_SHIFT),
		  -EINVAL);
	EXPECT_EQ(S().target_pages, t);
	EXPECT_EQ(ballast_apply_target_bytes((unsigned long long)cur0 << PAGE_SHIFT), 0);
	drive(10);
	EXPECT_EQ(S().current_pages, cur0);
	check_invariants();
}

static void t_parse_strict(void)
{
	static const struct {
		const char *in;
		int kb_ok;
		unsigned long long kb;
		int b_ok;
		unsigned long long b;
	} v[] = {
		{"1024", 1, 1024ULL << 10, 1, 1024},
		{"1024\n", 1, 1024ULL << 10, 1, 1024},
		{"0x10", 1, 16ULL << 10, 1, 16},
		{"4K", 0, 0, 1, 4096},
		{"512M\n", 0, 0, 1, 512ULL << 20},
		{"2G", 0, 0, 1, 2ULL << 30},
		{"0x1E", 1, 30ULL << 10, 1, 30},
		{"", 0, 0, 0, 0},
		{"\n", 0, 0, 0, 0},
		{"abc", 0, 0, 0, 0},
		{"12abc", 0, 0, 0, 0},
		{"-1", 0, 0, 0, 0},
		{"-1M", 0, 0, 0, 0},
		{" 12", 0, 0, 0, 0},
		{"12 ", 0, 0, 0, 0},
		{"1Q", 0, 0, 0, 0},
		{"K", 0, 0, 0, 0},
		{"99999999999999999999999", 0, 0, 0, 0},
		{"18446744073709551615", 0, 0, 1, 18446744073709551615ULL},
		{"18014398509481984", 0, 0, 1, 18014398509481984ULL},
		{"17179869184G", 0, 0, 0, 0},
		{"16E", 0, 0, 0, 0},
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		unsigned long long kb = 0, b = 0;
		int kr = ballast_parse_kb(v[i].in, &kb);
		int br = ballast_parse_bytes(v[i].in, &b);

		if ((kr == 0) != v[i].kb_ok || (kr == 0 && kb != v[i].kb) ||
		    (br == 0) != v[i].b_ok || (br == 0 && b != v[i].b)) {
			pr_info("    # parse '%s': kb rc=%d %llu, bytes rc=%d %llu\n", v[i].in, kr,
				kb, br, b);
			case_ok = false;
		}
		if (kr)
			EXPECT_EQ(kr, -EINVAL);
		if (br)
			EXPECT_EQ(br, -EINVAL);
	}
}

static struct page *lend[64];

static bool pages_usable(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		void *va;

		if (!lend[i] || PageOffline(lend[i]))
			return false;
		va = kmap_local_page(lend[i]);
		memset(va, 0x5a, PAGE_SIZE);
		kunmap_local(va);
	}
	return true;
}

static void t_lend_from_balloon(void)
{
	struct ballast_stats s;

	settle_at(cur0 - 64);
	memset(lend, 0, sizeof(lend));
	EXPECT_EQ(ballast_core_alloc_pages(16, (struct ballast_page **)lend), 0);
	lent = 16;
	s = S();
	EXPECT_EQ(s.balloon_low + s.balloon_high, 48);
	EXPECT_EQ(s.target_unpopulated, 16);
	EXPECT_EQ(s.current_pages, cur0 - 64);
	EXPECT(pages_usable(16));
	check_invariants();
	ballast_core_free_pages(16, (struct ballast_page **)lend);
	lent = 0;
	s = S();
	EXPECT_EQ(s.balloon_low + s.balloon_high, 64);
	EXPECT_EQ(s.target_unpopulated, 0);
	check_invariants();
	settle_at(cur0);
	check_invariants();
}

/* Empty balloon: lending balloons pages out on the spot (GFP_USER). */
static void t_lend_empty_balloon(void)
{
	struct ballast_stats s;

	memset(lend, 0, sizeof(lend));
	EXPECT_EQ(S().balloon_low + S().balloon_high, 0);
	EXPECT_EQ(ballast_core_alloc_pages(8, (struct ballast_page **)lend), 0);
	lent = 8;
	s = S();
	EXPECT_EQ(s.current_pages, cur0 - 8);
	EXPECT_EQ(s.target_unpopulated, 8);
	EXPECT(pages_usable(8));
	check_invariants();
	ballast_core_free_pages(8, (struct ballast_page **)lend);
	lent = 0;
	drive(50); /* the balloon is now larger than the target: shrinks back */
	s = S();
	EXPECT_EQ(s.current_pages, cur0);
	EXPECT_EQ(s.target_unpopulated, 0);
	check_invariants();
}

static void t_lend_failure(void)
{
	memset(lend, 0, sizeof(lend));
	st->fail_alloc_after = 3;
	EXPECT(ballast_core_alloc_pages(8, (struct ballast_page **)lend) < 0);
	st->fail_alloc_after = -1;
	drive(50);
	settle_at(cur0);
	check_invariants();
}

static void t_hotplug_disabled(void)
{
	struct ballast_counters c0 = C();

	/* the memory notifier's MEM_ONLINE kicks the worker */
	st->pending = false;
	ballast_core_memory_notify(BALLAST_MEM_ONLINE);
	drive(10);
	/* above the boot size with hotplug off: nothing to populate, no loop */
	ballast_core_set_target(cur0 + 100);
	EXPECT(drive(20) < 20);
	EXPECT_EQ(S().current_pages, cur0);
	EXPECT_EQ(C().pages_in, c0.pages_in);
	settle_at(cur0);
	check_invariants();
}

static void t_hotplug_online(void)
{
	skip_reason = "the selftest runs without hotplug; own mode hotplugs on Xen (kmod_xen_domu)";
}

/* ======================= superpages=1: 2 MiB extents ======================= */

#define SP_PER 512UL /* pages of one 2 MiB extent */

/*
 * 32 MiB out, then back: whole aligned blocks as 2 MiB extents (the fake
 * takes or gives each extent's 512 frames), up to 512 extents per
 * hypercall: one call each way here. The counters say what moved how, and
 * match the fake's own count.
 */
static void super_move(bool out)
{
	struct fake_dir *d = out ? &ballast_fake.dec : &ballast_fake.inc;
	struct ballast_counters c0 = C(), c1;
	unsigned long x0 = d->extents_super, calls = d->calls, super, small, pages;

	settle_at(out ? cur0 - 16 * SP_PER : cur0);
	c1 = C();
	super = out ? c1.extents_out_super - c0.extents_out_super :
		      c1.extents_in_super - c0.extents_in_super;
	small = out ? c1.extents_out_4k - c0.extents_out_4k : c1.extents_in_4k - c0.extents_in_4k;
	pages = out ? c1.pages_out - c0.pages_out : c1.pages_in - c0.pages_in;
	EXPECT_EQ(pages, 16 * SP_PER);
	EXPECT(super > 0);
	EXPECT_EQ(super, d->extents_super - x0);
	EXPECT_EQ(super * SP_PER + small, 16 * SP_PER);
	EXPECT(d->calls - calls <= 2);
	pr_info("    # %s: %lu extents of 2 MiB, %lu of 4 KiB, %lu hypercalls\n",
		out ? "out" : "in", super, small, d->calls - calls);
	check_invariants();
}

static void t_super_out(void)
{
	super_move(true);
}

static void t_super_in(void)
{
	super_move(false);
	EXPECT_EQ(S().balloon_low + S().balloon_high, 0);
}

/*
 * After a refusal the core moves the next 32 batches of 512 pages or more
 * in that direction as 4 KiB extents: 33 of each, one worker step each,
 * make the next batch try 2 MiB extents again.
 */
static void super_rearm(void)
{
	int i;

	for (i = 0; i < 33; i++) {
		settle_at(cur0 - SP_PER);
		settle_at(cur0);
	}
}

/* Xen takes 3 extents of a batch: the rest are rolled back, reported, no page lost. */
static void t_super_partial_decrease(void)
{
	struct ballast_counters c0, c1;

	super_rearm();
	c0 = C();

	ballast_fake_set(&ballast_fake.dec, FAKE_PARTIAL, 3, 1);
	target(cur0 - 8 * SP_PER);
	drive(50);
	c1 = C();
	EXPECT_EQ(S().current_pages, cur0 - 8 * SP_PER);
	EXPECT(events_total(&c1) > events_total(&c0)); /* reported, not silent */
	EXPECT(c1.extents_out_super - c0.extents_out_super >= 3);
	check_invariants();
	settle_at(cur0);
	check_invariants();
}

/* Xen populates 2 extents of a batch: the others stay ballooned, retried later. */
static void t_super_partial_increase(void)
{
	struct ballast_counters c0;

	super_rearm();
	settle_at(cur0 - 8 * SP_PER);
	c0 = C();
	ballast_fake_set(&ballast_fake.inc, FAKE_PARTIAL, 2, 1);
	target(cur0);
	drive(50);
	EXPECT_EQ(S().current_pages, cur0);
	EXPECT(C().extents_in_super - c0.extents_in_super >= 2);
	check_invariants();
}

/* A fragmented guest (no block to allocate): the same move in 4 KiB extents. */
static void t_super_no_block_fallback(void)
{
	struct ballast_counters c0 = C(), c1;

	st->fail_blocks = true;
	target(cur0 - 4 * SP_PER);
	drive(10);
	st->fail_blocks = false;
	c1 = C();
	EXPECT_EQ(S().current_pages, cur0 - 4 * SP_PER);
	EXPECT_EQ(c1.extents_out_super, c0.extents_out_super);
	EXPECT_EQ(c1.extents_out_4k - c0.extents_out_4k, 4 * SP_PER);
	EXPECT(c1.super_fallbacks > c0.super_fallbacks);
	check_invariants();
	settle_at(cur0);
	check_invariants();
}

/* A storm of hostile replies on 2 MiB extents: no page lost. */
static void t_super_hostile(void)
{
	super_rearm();
	hostile(&ballast_fake.dec, FAKE_TOO_LARGE, 2, 1, true);
	hostile(&ballast_fake.inc, FAKE_TOO_LARGE, 2, 1, false);
	hostile(&ballast_fake.dec, FAKE_ERROR, -ENOMEM, 2, true);
	hostile(&ballast_fake.inc, FAKE_ZERO, 0, 2, false);
}

static void t_all_pages_back(void)
{
	struct ballast_stats s;

	ballast_fake_reset_modes();
	settle_at(cur0);
	s = S();
	EXPECT_EQ(s.balloon_low + s.balloon_high, 0);
	EXPECT_EQ(ballast_fake.nheld, 0);
	EXPECT(xa_empty(&ballast_fake.held));
	EXPECT_EQ(atomic_long_read(&st->allocated), atomic_long_read(&st->freed));
	pr_info("    # allocated=%ld freed=%ld pages\n", atomic_long_read(&st->allocated),
		atomic_long_read(&st->freed));
	check_invariants();
}

struct st_case {
	const char *name;
	void (*fn)(void);
};

static const struct st_case super_cases[] = {
	{"stats_init", t_stats_init},
	{"superpages_out", t_super_out},
	{"superpages_in", t_super_in},
	{"superpages_no_block_fallback", t_super_no_block_fallback},
	{"superpages_partial_decrease", t_super_partial_decrease},
	{"superpages_partial_increase", t_super_partial_increase},
	{"superpages_hostile", t_super_hostile},
	{"all_pages_back", t_all_pages_back},
};

static const struct st_case cases[] = {
	{"stats_init", t_stats_init},
	{"balloon_out", t_balloon_out},
	{"balloon_in", t_balloon_in},
	{"list_order_lowmem_lifo", t_list_order},
	{"batches_of_512_out", t_batches_out},
	{"batches_of_512_in", t_batches_in},
	{"mem_available_cap", t_mem_available_cap},
	{"alloc_failure_retry", t_alloc_failure},
	{"backoff_doubling_retry_limit", t_backoff_retry_limit},
	{"backoff_cap_and_reset", t_backoff_cap_and_reset},
	{"partial_decrease", t_partial_decrease},
	{"partial_increase", t_partial_increase},
	{"hostile_increase_too_large", t_hostile_increase_too_large},
	{"hostile_increase_negative", t_hostile_increase_negative},
	{"hostile_increase_zero", t_hostile_increase_zero},
	{"hostile_decrease_too_large", t_hostile_decrease_too_large},
	{"hostile_decrease_negative", t_hostile_decrease_negative},
	{"hostile_decrease_zero", t_hostile_decrease_zero},
	{"hostile_storm_no_page_lost", t_hostile_storm},
	{"set_target_validation", t_set_target_validation},
	{"sysfs_parse_strict", t_parse_strict},
	{"lend_from_balloon", t_lend_from_balloon},
	{"lend_empty_balloon", t_lend_empty_balloon},
	{"lend_failure", t_lend_failure},
	{"hotplug_disabled_paths", t_hotplug_disabled},
	{"hotplug_online_pages", t_hotplug_online},
	{"all_pages_back", t_all_pages_back},
};

int ballast_selftest_run(struct ballast_st_env *env)
{
	/* superpages=1: the 2 MiB cases; else the 4 KiB ones (they count batches). */
	bool super = ballast_superpage_order(true) != 0;
	const struct st_case *list = super ? super_cases : cases;
	size_t n = super ? ARRAY_SIZE(super_cases) : ARRAY_SIZE(cases);
	int i, pass = 0, fail = 0, skip = 0;

	st = env;
	cur0 = S().current_pages;
	res0 = ballast_fake.reservation;
	pr_info("KTAP version 1\n");
	pr_info("# ballast selftest: core vs. real page allocator, simulated hypervisor%s\n",
		super ? ", 2 MiB extents" : "");
	pr_info("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		case_ok = true;
		skip_reason = NULL;
		list[i].fn();
		ballast_fake_reset_modes();
		st->fail_alloc_after = -1;
		st->fail_blocks = false;
		st->mem_available_override = -1;
		if (skip_reason) {
			pr_info("ok %d %s # SKIP %s\n", i + 1, list[i].name, skip_reason);
			skip++;
		} else if (case_ok) {
			pr_info("ok %d %s\n", i + 1, list[i].name);
			pass++;
		} else {
			pr_info("not ok %d %s\n", i + 1, list[i].name);
			fail++;
		}
	}
	pr_info("# Totals: pass:%d fail:%d skip:%d total:%zu\n", pass, fail, skip, n);

	/* Leave 4 MiB ballooned so every unload's drain has work to do. */
	ballast_core_set_target(cur0 - (4UL << (20 - PAGE_SHIFT)));
	drive(20);
	return fail;
}

/* Called at unload, after ballast_core_drain(). */
void ballast_selftest_unload_check(unsigned long left)
{
	long alloc = atomic_long_read(&st->allocated);
	long freed = atomic_long_read(&st->freed);

	if (!left && alloc == freed && ballast_fake.nheld == 0 && xa_empty(&ballast_fake.held))
		pr_info("ballast-selftest: unload: pages balanced allocated=%ld freed=%ld\n", alloc,
			freed);
	else
		pr_err("ballast-selftest: unload: pages NOT balanced allocated=%ld freed=%ld held=%lu left=%lu\n",
		       alloc, freed, ballast_fake.nheld, left);
}
