// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: following xenstore memory/target (own mode), as the built-in
 * driver's watch_target() (drivers/xen/xen-balloon.c) does:
 *
 *   - the value is KiB; pages = KiB >> (PAGE_SHIFT - 10), rounded down;
 *   - on the first event, an HVM guest computes target_diff = static-max
 *     (or memory_static_max; else the current size) - its current target,
 *     the memory the toolstack counts but the guest does not see (video
 *     RAM, firmware), and subtracts it from every target; PV guests and
 *     dom0 use 0;
 *   - a missing or unreadable node is not an error (dom0 has none).
 *
 * ballast's difference: a target above Xen's maximum reservation for the
 * domain (XENMEM_maximum_reservation) is refused and logged, as a sysfs
 * write of it is, instead of a worker that retries what Xen must refuse.
 * (`xl mem-set` raises the maximum before it writes the target.)
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "ballast_glue.h"

static long target_diff; /* pages; set on the first event */
static bool watch_fired;
static atomic_long_t targets_seen = ATOMIC_LONG_INIT(0);
static atomic_long_t targets_refused = ATOMIC_LONG_INIT(0);

unsigned long ballast_xenstore_targets(bool refused)
{
	return atomic_long_read(refused ? &targets_refused : &targets_seen);
}

static void watch_target(struct xenbus_watch *watch, const char *path, const char *token)
{
	unsigned long long kb, static_max;
	unsigned long pages;
	int rc;

	if (xenbus_scanf(XBT_NIL, "memory", "target", "%llu", &kb) != 1)
		return; /* no target written yet */
	atomic_long_inc(&targets_seen);
	if (kb > (~0ULL >> 10)) {
		atomic_long_inc(&targets_refused);
		pr_warn("xenstore memory/target %llu KiB out of range, refused\n", kb);
		return;
	}
	pages = kb >> (PAGE_SHIFT - 10);

	if (!watch_fired) {
		struct ballast_stats s;

		watch_fired = true;
		ballast_core_stats(&s);
		if (xenbus_scanf(XBT_NIL, "memory", "static-max", "%llu", &static_max) == 1 ||
		    xenbus_scanf(XBT_NIL, "memory", "memory_static_max", "%llu", &static_max) == 1)
			static_max >>= PAGE_SHIFT - 10;
		else
			static_max = s.current_pages;
		target_diff = (xen_pv_domain() || xen_initial_domain()) ?
				      0 :
				      (long)static_max - (long)s.target_pages;
	}
	if (target_diff > 0 && pages < (unsigned long)target_diff) {
		atomic_long_inc(&targets_refused);
		pr_warn("xenstore memory/target %llu KiB is below the memory the guest does not see (%ld pages), refused\n",
			kb, target_diff);
		return;
	}
	rc = ballast_apply_target_bytes((unsigned long long)(pages - target_diff) << PAGE_SHIFT);
	if (rc) {
		atomic_long_inc(&targets_refused);
		pr_warn_ratelimited(
			"xenstore memory/target %llu KiB refused (%d): above the domain's maximum reservation\n",
			kb, rc);
	}
}

static struct xenbus_watch target_watch = {
	.node = "memory/target",
	.callback = watch_target,
};
static bool registered;

int ballast_xenstore_init(void)
{
	int rc = register_xenbus_watch(&target_watch);

	if (rc) {
		pr_err("cannot watch xenstore memory/target: %d\n", rc);
		return rc;
	}
	registered = true;
	return 0;
}

void ballast_xenstore_exit(void)
{
	if (registered)
		unregister_xenbus_watch(&target_watch);
	registered = false;
}
