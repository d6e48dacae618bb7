// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko selftest=1: the simulated hypervisor behind the environment
 * (ballast_hv = &ballast_fake_hv). See ballast_fake_hv.h.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/xarray.h>
#include <linux/errno.h>

#include "ballast_fake_hv.h"

struct ballast_fake ballast_fake;

void ballast_fake_init(unsigned long reservation, unsigned long max)
{
	memset(&ballast_fake, 0, sizeof(ballast_fake));
	ballast_fake.reservation = reservation;
	ballast_fake.max = max;
	xa_init(&ballast_fake.held);
}

static long fake_max_reservation(void)
{
	return ballast_fake.max;
}

static long fake_current_reservation(void)
{
	return ballast_fake.reservation;
}

static int fake_outcome(struct fake_dir *d, int count, int *processed)
{
	enum fake_mode m = d->times == 0 ? FAKE_OK : d->mode;

	if (d->times > 0 && --d->times == 0)
		d->mode = FAKE_OK;
	d->calls++;
	d->log[d->nlog++ % ARRAY_SIZE(d->log)] = count;
	switch (m) {
	case FAKE_PARTIAL:
		*processed = min(count, d->arg);
		return *processed;
	case FAKE_ERROR:
		*processed = 0;
		return d->arg;
	case FAKE_TOO_LARGE:
		*processed = count;
		return count + d->arg;
	case FAKE_ZERO:
		*processed = 0;
		return 0;
	default:
		*processed = count;
		return count;
	}
}

/*
 * Extents of 2^order frames (order 0: the 4 KiB calls): the reply counts
 * extents, and every frame of an extent done is taken or given, as Xen
 * does (per extent, all or nothing).
 */
static int fake_increase_order(unsigned int order, int count, ballast_pfn_t *frames)
{
	long per = 1L << order, j;
	int i, done, rc;

	if (count < 0 || count > 512 || order > 9) {
		ballast_fake.protocol_errors++;
		return -EINVAL;
	}
	rc = fake_outcome(&ballast_fake.inc, count, &done);
	if (ballast_fake.reservation + done * per > ballast_fake.max) { /* Xen stops at max_pages */
		done = max(0L, (ballast_fake.max - ballast_fake.reservation) / per);
		if (rc > done)
			rc = done;
	}
	for (i = 0; i < done; i++) {
		for (j = 0; j < per; j++)
			if (!xa_erase(&ballast_fake.held, frames[i] + j))
				ballast_fake
					.protocol_errors++; /* populating a frame we never took */
		/* frames = pfns: the "new MFN" written back is the pfn itself */
	}
	if (count) {
		ballast_fake.inc.first = frames[0];
		ballast_fake.inc.last = frames[count - 1];
	}
	ballast_fake.reservation += done * per;
	ballast_fake.nheld -= done * per;
	if (order)
		ballast_fake.inc.extents_super += done;
	return rc;
}

static int fake_decrease_order(unsigned int order, int count, ballast_pfn_t *frames)
{
	long per = 1L << order, j;
	int i, done, rc;

	if (count < 0 || count > 512 || order > 9) {
		ballast_fake.protocol_errors++;
		return -EINVAL;
	}
	rc = fake_outcome(&ballast_fake.dec, count, &done);
	for (i = 0; i < done; i++)
		for (j = 0; j < per; j++)
			if (xa_insert(&ballast_fake.held, frames[i] + j, xa_mk_value(1),
				      GFP_KERNEL))
				ballast_fake.protocol_errors++; /* given twice (or no memory) */
	if (count) {
		ballast_fake.dec.first = frames[0];
		ballast_fake.dec.last = frames[count - 1];
	}
	ballast_fake.reservation -= done * per;
	ballast_fake.nheld += done * per;
	if (order)
		ballast_fake.dec.extents_super += done;
	return rc;
}

static int fake_increase(int count, ballast_pfn_t *frames)
{
	return fake_increase_order(0, count, frames);
}

static int fake_decrease(int count, ballast_pfn_t *frames)
{
	return fake_decrease_order(0, count, frames);
}

void ballast_fake_set(struct fake_dir *d, enum fake_mode m, int arg, int times)
{
	d->mode = m;
	d->arg = arg;
	d->times = times;
}

void ballast_fake_reset_modes(void)
{
	ballast_fake_set(&ballast_fake.inc, FAKE_OK, 0, 0);
	ballast_fake_set(&ballast_fake.dec, FAKE_OK, 0, 0);
}

void ballast_fake_exit(void)
{
	xa_destroy(&ballast_fake.held);
}

/* Identity p2m: frames are PFNs, no mappings to update, nothing to flush. */
static ballast_pfn_t fake_page_to_pfn(struct page *page)
{
	return page_to_pfn(page);
}

static void fake_va_mapping_update(struct page *page, ballast_pfn_t frame)
{
}

static void fake_va_mapping_reset(struct page *page)
{
}

static void fake_flush_tlb_all(void)
{
}

static int fake_auto_translated(void)
{
	return 1;
}

/* Identity p2m: every block is machine-contiguous; no mappings to batch. */
static int fake_block_contiguous(struct page *page, unsigned int order)
{
	return 1;
}

static void fake_va_mapping_update_block(struct page *page, unsigned int order, ballast_pfn_t frame)
{
}

static void fake_va_mapping_reset_block(struct page *page, unsigned int order)
{
}

static int fake_alloc_p2m_entry(unsigned long pfn)
{
	return 0;
}

const struct ballast_hv_ops ballast_fake_hv = {
	.name = "selftest, simulated hypervisor",
	.increase = fake_increase,
	.decrease = fake_decrease,
	.increase_order = fake_increase_order,
	.decrease_order = fake_decrease_order,
	.block_contiguous = fake_block_contiguous,
	.va_mapping_update_block = fake_va_mapping_update_block,
	.va_mapping_reset_block = fake_va_mapping_reset_block,
	.populate_frame = fake_page_to_pfn,
	.release_frame = fake_page_to_pfn,
	.va_mapping_update = fake_va_mapping_update,
	.va_mapping_reset = fake_va_mapping_reset,
	.flush_tlb_all = fake_flush_tlb_all,
	.auto_translated = fake_auto_translated,
	.alloc_p2m_entry = fake_alloc_p2m_entry,
	.max_reservation = fake_max_reservation,
	.current_reservation = fake_current_reservation,
};
