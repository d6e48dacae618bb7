// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: module init/exit, parameters, the optional xenstore watch and
 * the lending API exported to other drivers.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/memory_hotplug.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/balloon.h>
#include <linux/slab.h>
#include <linux/mutex.h>

#include "ballast_glue.h"

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest,
		 "Run the in-kernel selftest against a simulated hypervisor (no Xen needed)");

static bool follow_xenstore;
module_param(follow_xenstore, bool, 0444);
MODULE_PARM_DESC(
	follow_xenstore,
	"Follow xenstore memory/target (only for kernels without the built-in balloon driver)");

static int profile = BALLAST_PROFILE_BALLAST;
module_param(profile, int, 0444);
MODULE_PARM_DESC(profile,
		 "Core behaviour profile: 0 ballast (hardened), 1 linux-2019, 2 linux-6.1");

static bool grow_from_builtin = IS_ENABLED(CONFIG_XEN_BALLOON);
module_param(grow_from_builtin, bool, 0444);
MODULE_PARM_DESC(
	grow_from_builtin,
	"Raise above the load-time size with unpopulated pages taken from the built-in driver's balloon (default: on with CONFIG_XEN_BALLOON)");

/*
 * ---------------- growing above the start ----------------
 * ballast has no memory hotplug (see ballast_init), so its balloon only
 * holds pages it ballooned out itself. To raise the domain above the size
 * it had when ballast was loaded, ballast takes unpopulated pages from the
 * built-in driver's balloon through its lending API
 * (xen_alloc_ballooned_pages(): the same pages the built-in driver would
 * populate to grow, i.e. the PV extra region up to the maximum
 * reservation) and puts them into its own balloon as a hotplug online
 * callback would (ballast_core_online_page()); the worker then populates
 * them like any ballooned page. Only what the target needs beyond
 * ballast's own balloon is taken, at most what the built-in balloon holds
 * (more would make xen_alloc_ballooned_pages() balloon out guest memory).
 * On unload, ballooned pages up to the number borrowed go back to the
 * built-in driver unpopulated (xen_free_ballooned_pages()), the rest is
 * repopulated: Xen's count returns to where it was at load if ballast's
 * target was back at its start.
 */
static DEFINE_MUTEX(ballast_borrow_mutex);
static unsigned long ballast_borrowed; /* under ballast_borrow_mutex */

unsigned long ballast_borrowed_pages(void)
{
	return READ_ONCE(ballast_borrowed);
}

void ballast_borrow_for_target(unsigned long target)
{
#ifdef CONFIG_XEN_BALLOON
	struct ballast_stats s;
	struct page **pages;
	unsigned long have, avail, need;

	if (!grow_from_builtin || ballast_selftest_mode || !xen_domain())
		return;
	mutex_lock(&ballast_borrow_mutex);
	ballast_core_stats(&s);
	have = s.current_pages + s.balloon_low + s.balloon_high;
	avail = READ_ONCE(balloon_stats.balloon_low) + READ_ONCE(balloon_stats.balloon_high);
	need = target > have ? min(target - have, avail) : 0;
	pages = need ? kmalloc_array(512, sizeof(*pages), GFP_KERNEL) : NULL;
	while (pages && need) {
		unsigned int i, n = min(need, 512UL);

		if (xen_alloc_ballooned_pages(n, pages)) {
			pr_warn("could not take %u page(s) from the built-in driver's balloon\n",
				n);
			break;
		}
		for (i = 0; i < n; i++)
			ballast_core_online_page((struct ballast_page *)pages[i], 0);
		ballast_borrowed += n;
		need -= n;
	}
	kfree(pages);
	mutex_unlock(&ballast_borrow_mutex);
#endif
}

/* Unload (worker stopped): hand borrowed pages back to the built-in driver, unpopulated. */
static void ballast_return_borrowed(void)
{
#ifdef CONFIG_XEN_BALLOON
	struct ballast_stats s;
	struct page **pages;
	unsigned long n;

	mutex_lock(&ballast_borrow_mutex);
	ballast_core_stats(&s);
	n = min(ballast_borrowed, s.balloon_low + s.balloon_high);
	pages = n ? kmalloc_array(512, sizeof(*pages), GFP_KERNEL) : NULL;
	while (pages && n) {
		unsigned int c = min(n, 512UL);

		if (ballast_core_alloc_pages(c, (struct ballast_page **)pages))
			break;
		xen_free_ballooned_pages(c, pages);
		ballast_borrowed -= c;
		n -= c;
	}
	kfree(pages);
	if (ballast_borrowed)
		pr_info("unload: %lu page(s) taken from the built-in driver's balloon stay populated (the domain keeps them)\n",
			ballast_borrowed);
	mutex_unlock(&ballast_borrow_mutex);
#endif
}

/* ---------------- lending to other drivers ---------------- */

/* Same contract as alloc_xenballooned_pages(), on ballast's own balloon. */
int ballast_alloc_ballooned_pages(int nr_pages, struct page **pages)
{
	if (nr_pages < 0 || !pages)
		return -EINVAL;
	return ballast_core_alloc_pages(nr_pages, (struct ballast_page **)pages);
}
EXPORT_SYMBOL_GPL(ballast_alloc_ballooned_pages);

/* Same contract as free_xenballooned_pages(). */
void ballast_free_ballooned_pages(int nr_pages, struct page **pages)
{
	if (nr_pages <= 0 || !pages)
		return;
	ballast_core_free_pages(nr_pages, (struct ballast_page **)pages);
}
EXPORT_SYMBOL_GPL(ballast_free_ballooned_pages);

/* ---------------- xenstore memory/target (follow_xenstore=1) ---------------- */

static void ballast_watch_target(struct xenbus_watch *watch, const char *path, const char *token)
{
	unsigned long long kb;
	int rc;

	rc = xenbus_scanf(XBT_NIL, "memory", "target", "%llu", &kb);
	if (rc != 1)
		return; /* no target written yet */
	if (kb > (~0ULL >> 10)) {
		pr_warn("xenstore memory/target %llu KiB out of range, ignored\n", kb);
		return;
	}
	rc = ballast_apply_target_bytes(kb << 10);
	if (rc)
		pr_warn("xenstore memory/target %llu KiB rejected (%d)\n", kb, rc);
}

static struct xenbus_watch ballast_target_watch = {
	.node = "memory/target",
	.callback = ballast_watch_target,
};
static bool ballast_watch_registered;

/* ---------------- init / exit ---------------- */

static int __init ballast_init(void)
{
	static struct ballast_boot_info boot; /* 2 KiB: not on the stack */
	struct ballast_config cfg = {
		/*
		 * Memory hotplug stays off. A module cannot do it safely here:
		 * add_memory_resource() and set_phys_to_machine() are not
		 * exported, and where the built-in driver exists (Debian:
		 * CONFIG_XEN_BALLOON=y) it already owns the single
		 * online_page callback, so set_online_page_callback() would
		 * fail with -EINVAL anyway. Growing beyond the boot size is
		 * left to the built-in driver.
		 */
		.memory_hotplug = 0,
		.have_pvmmu = IS_ENABLED(CONFIG_XEN_HAVE_PVMMU),
		/* The boot-time extra regions belong to the built-in driver. */
		.xen_pv = 0,
		.sparsemem = IS_ENABLED(CONFIG_SPARSEMEM),
	};
	long cur;
	int rc;

	if (!xen_domain() && !selftest) {
		pr_info("not running in a Xen domain (load with selftest=1 to test)\n");
		return -ENODEV;
	}
	if (profile < BALLAST_PROFILE_BALLAST || profile > BALLAST_PROFILE_LINUX_6_12)
		return -EINVAL;
	/*
	 * Only the delayed-work worker is wired up (the kthread model of the
	 * 6.1 and 6.12 profiles is not), and the selftest's hostile cases
	 * expect the hardened profile: upstream profiles "crash" there by design.
	 */
	if (profile == BALLAST_PROFILE_LINUX_6_1 || profile == BALLAST_PROFILE_LINUX_6_12 ||
	    (selftest && profile != BALLAST_PROFILE_BALLAST)) {
		pr_err("profile %d is not supported by the module%s\n", profile,
		       selftest ? " in selftest mode" : "");
		return -EINVAL;
	}
	if (follow_xenstore && IS_ENABLED(CONFIG_XEN_BALLOON) && !selftest) {
		pr_err("follow_xenstore=1 refused: this kernel's built-in balloon driver already follows memory/target\n");
		return -EBUSY;
	}

	ballast_selftest_mode = selftest;
	if (selftest) {
		cfg.have_pvmmu = 0;
		/* The fake hypervisor starts with what the guest has, max +256 MiB. */
		ballast_fake_init(get_num_physpages(),
				  get_num_physpages() + (256UL << (20 - PAGE_SHIFT)));
	}

	/*
	 * ballast's own accounting starts from what Xen says this domain has
	 * now (the built-in driver's balloon and extra regions are not ours).
	 */
	cur = ballast_current_reservation();
	boot.xen_domain = 1;
	boot.pv_domain = 0;
	boot.initial_domain = !selftest && xen_initial_domain();
	boot.num_physpages = cur > 0 ? cur : get_num_physpages();
	boot.current_reservation = cur;
	boot.n_regions = 0;

	rc = ballast_core_init(&boot, &cfg, profile);
	if (rc)
		return rc;

	if (selftest) {
		int failed = ballast_selftest_run();

		if (failed)
			pr_err("selftest: %d case(s) failed\n", failed);
		/* From here on the worker is real (sysfs writes drive the fake). */
		ballast_st.sched_real = true;
	}

	ballast_env_start();

	rc = ballast_sysfs_init();
	if (rc)
		goto err_stop;

	if (follow_xenstore && !selftest) {
		rc = register_xenbus_watch(&ballast_target_watch);
		if (rc) {
			pr_err("cannot watch memory/target: %d\n", rc);
			goto err_sysfs;
		}
		ballast_watch_registered = true;
	}
	pr_info("loaded (%s, profile %d, current %lu pages)\n",
		selftest ? "selftest, simulated hypervisor" : "Xen", profile, boot.num_physpages);
	return 0;

err_sysfs:
	ballast_sysfs_exit();
err_stop:
	ballast_env_stop();
	ballast_core_drain();
	return rc;
}

/*
 * Unload: no new targets (watch and sysfs gone), no worker, then give every
 * ballooned page back. If the hypervisor refuses to repopulate some of them,
 * those pages stay PageOffline and out of the page allocator (they have no
 * backing frame, so freeing them would hand out unbacked memory): the guest
 * keeps running with that much less memory until reboot, and we say so.
 * Pages lent to other drivers cannot be outstanding: a driver that calls
 * ballast_alloc_ballooned_pages() holds a reference on this module.
 */
static void __exit ballast_exit(void)
{
	unsigned long left;

	if (ballast_watch_registered)
		unregister_xenbus_watch(&ballast_target_watch);
	ballast_sysfs_exit();
	ballast_env_stop();
	ballast_return_borrowed();
	left = ballast_core_drain();
	if (left)
		pr_err("unload: the hypervisor did not repopulate %lu page(s); they stay offline (lost until reboot)\n",
		       left);
	if (selftest)
		ballast_selftest_unload_check(left);
	pr_info("unloaded\n");
}

module_init(ballast_init);
module_exit(ballast_exit);

MODULE_LICENSE("GPL"); /* xen_page_to_gfn() and friends use GPL-only exports */
MODULE_AUTHOR("ballast developers");
MODULE_DESCRIPTION("ballast: a Xen balloon driver with a freestanding C++ core");
MODULE_VERSION(BALLAST_VERSION);
