/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast world: the page frame type of the simulated guest.
 *
 * core/ballast_env.h declares `struct ballast_page` opaque; the user-space
 * world defines it here. Valid C and C++, includes only ballast_env.h, so a
 * C kernel-API shim can include it too (its `struct page` may be made
 * layout-compatible: `lru` is the first member, at offset 0).
 *
 * The core never looks inside; it uses the Env accessors. Tests and the
 * invariant checker may.
 */
#ifndef BALLAST_WORLD_PAGE_H
#define BALLAST_WORLD_PAGE_H

#include "ballast_env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Invalid p2m entry / MFN (INVALID_P2M_ENTRY in Linux). */
#define BALLAST_WORLD_INVALID_MFN (~0UL)
/* Auto-translated p2m entry of a populate-on-demand page: RAM to the guest,
 * backed by Xen from the domain's PoD cache when first touched. */
#define BALLAST_WORLD_POD_ENTRY (~1UL)

/* World-side ownership state of a frame (world::FrameState in C++). */
enum ballast_world_frame_state {
	BALLAST_WFS_ABSENT = 0, /* not in guest space */
	BALLAST_WFS_FREE = 1,	/* in the guest allocator's free list */
	BALLAST_WFS_KERNEL = 2, /* held by the guest kernel (boot-held, or World::kernel_alloc) */
	BALLAST_WFS_CORE =
		3, /* handed to the balloon (alloc_page, online callback, seen in the list) */
	BALLAST_WFS_UNPOPULATED =
		4, /* in guest space, never populated or handed out (e.g. PV extra region) */
	BALLAST_WFS_HOTPLUG_OFFLINE = 5 /* added by add_memory_resource, not yet onlined */
};

struct ballast_page {
	struct ballast_list lru; /* must stay first: the core threads its list through it */
	unsigned long pfn;
	/* PV: the guest's p2m entry; auto-translated: the hypervisor's gfn->mfn.
	 * BALLAST_WORLD_INVALID_MFN when not populated. */
	unsigned long p2m;
	unsigned char highmem;	/* pfn >= highmem_start_pfn */
	unsigned char offline;	/* PageOffline */
	unsigned char reserved; /* PageReserved */
	unsigned char wstate;	/* enum ballast_world_frame_state */
	/* invariant-checker scratch: (epoch << 2) | 1 in the ballooned list | 2 lent */
	unsigned int mark;
};

#ifdef __cplusplus
}
#endif

#endif /* BALLAST_WORLD_PAGE_H */
