// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast: every behaviour switch, once. One row per switch:
//   X(name, linux-2019, linux-6.1, linux-6.12, ballast, one-line rationale)
// core/profile.h generates the Switches struct, the four profiles and the
// name table from it; core/SWITCHES.md explains each switch at length, and a
// test (tests/core/switches_doc_test.cpp) fails when its table and this one
// disagree on names, order or values. Add a switch here, never elsewhere;
// the order is only the order of the documentation.
#ifndef BALLAST_SWITCHES_H
#define BALLAST_SWITCHES_H

// clang-format off
#define BALLAST_SWITCHES(X)                                                                      \
	/* ---- version differences: linux-2019 -> linux-6.1 ---- */                                \
	X(kthread_worker, 0, 1, 1, 0,                                                                 \
	  "6.1 replaced the delayed work with a kthread that takes one step per wake-up")          \
	X(offline_in_append, 0, 1, 1, 0,                                                              \
	  "6.1 moved PageOffline handling into balloon_append/balloon_retrieve")                   \
	X(interruptible_lending_wait, 0, 1, 1, 1,                                                     \
	  "a lending caller waiting for hotplugged pages can be killed instead of hanging")        \
	X(hotplug_addr_limit_check, 1, 0, 0, 1,                                                       \
	  "the seed refuses hotplug resources above MAX_PHYSMEM_BITS; 6.1 dropped the check")      \
	X(unsigned_lending_count, 0, 1, 1, 1,                                                         \
	  "6.1 takes the lending count as unsigned int: a negative count cannot be passed (refused)") \
	X(boot_waits_for_balloon, 0, 1, 1, 1,                                                    \
	  "a late initcall holds back userspace until an HVM/PVH guest has ballooned down to its target") \
	/* ---- the initial figures: linux-6.1 -> linux-6.12 (in upstream's order) ---- */       \
	X(extra_regions_in_every_build, 0, 0, 1, 1,                                              \
	  "6.9: the boot extra regions go to the balloon in every build (PVH too), not only with CONFIG_XEN_PV") \
	X(initial_pages_from_physpages, 0, 0, 1, 1,                                              \
	  "6.15: current_pages from get_num_physpages() less released pages; extra regions subtracted") \
	X(extra_regions_lower_target, 0, 0, 1, 1,                                                \
	  "6.16: the extra regions subtracted from current_pages come off target_pages too")     \
	X(pv_initial_pages_from_start_info, 0, 0, 1, 1,                                          \
	  "7.0: PV guests count from start_info again (physpages missed pfn 0 and the ISA hole)") \
	X(dom0_initial_pages_from_reservation, 0, 0, 1, 1,                                       \
	  "7.0: dom0 starts from XENMEM_current_reservation, the figure the toolstack uses")      \
	X(extra_regions_added_when_counted_out, 0, 0, 1, 1,                                      \
	  "7.3: extra regions are added to total_pages where the initial figure does not count them") \
	/* ---- accounting fixes (6.1 has them, the seed does not) ---- */                          \
	X(undo_unpopulated_accounting, 0, 1, 1, 1,                                                    \
	  "a failed lending call must not leave target_unpopulated raised by the pages it never got") \
	X(nohotplug_target_keeps_unpopulated, 0, 1, 1, 1,                                             \
	  "without hotplug, resetting the target must keep pages lent to drivers")                 \
	/* ---- ballast hardening (neither upstream version has these) ---- */                     \
	X(clamp_increase_reply, 0, 0, 0, 1,                                                           \
	  "a hypervisor claiming more extents than requested must not crash the guest or use stale frames") \
	X(rollback_partial_decrease, 0, 0, 0, 1,                                                      \
	  "a partial decrease_reservation leaves pages populated: give them back, do not BUG")     \
	X(backoff_on_empty_decrease, 0, 0, 0, 1,                                                      \
	  "when nothing can be freed the credit loop must back off instead of spinning")           \
	X(skip_region_beyond_max_pfn, 0, 0, 0, 1,                                                     \
	  "an extra region above max_pfn must not underflow total_pages")                          \
	X(new_target_preempts_backoff, 0, 0, 0, 1,                                                    \
	  "a new target must act now, not after a pending backoff of up to 32 s")                  \
	X(bounded_lending_wait, 0, 0, 0, 1,                                                           \
	  "a lending caller must not wait forever for hotplugged memory nobody onlines")           \
	X(lending_waits_for_lowmem, 0, 0, 0, 1,                                                       \
	  "a balloon holding only highmem pages must not make a lending caller retry forever")     \
	X(validate_inputs, 0, 0, 0, 1,                                                                \
	  "insane targets, tunables and counts are refused instead of overflowing the accounting") \
	X(initial_figures_from_reservation, 0, 0, 0, 1,                                          \
	  "an HVM/PVH guest starts from what Xen reports, not its memory map alone: PoD shrinks at once") \
	X(bounded_boot_wait, 0, 0, 0, 1,                                                         \
	  "the boot wait retries cancelled ballooning and gives up after the timeout instead of panicking") \
	X(bounded_hotplug_wait, 0, 0, 0, 1,                                                        \
	  "the worker must not wait forever, in silence, for hotplugged memory nobody onlines") \
	X(superpage_extents, 0, 0, 0, 1,                                                           \
	  "move whole aligned 2 MiB blocks as one extent each: a GiB per hypercall where memory allows")
// clang-format on

#endif // BALLAST_SWITCHES_H
