// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: module init/exit, parameters, and the lending API exported
 * to other drivers.
 *
 * Two modes, chosen by the kernel the module is built for (mode=auto):
 *
 *   own      the kernel has no built-in balloon driver (CONFIG_XEN_BALLOON
 *            off): ballast is the guest's balloon. It takes the pages of
 *            the kernel's passive balloon core (ballast_builtin.c), follows
 *            xenstore memory/target (ballast_xenstore.c), offers
 *            /sys/devices/system/xen_memory/xen_memory0 (ballast_sysfs.c)
 *            and grows past the boot memory map by memory hotplug
 *            (ballast_hotplug.c).
 *   coexist  the built-in driver is there and owns all of that: ballast
 *            has its own target and device only, and grows above its
 *            load-time size with pages borrowed from the built-in balloon.
 *
 * Asking for the mode the kernel cannot give (mode=own beside the built-in
 * driver, mode=coexist without one) fails the load with a message.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/memory.h>
#include <linux/string.h>
#include <xen/xen.h>

#include "ballast_glue.h"

static bool selftest;
static struct ballast_st_env selftest_env = {
	.fail_alloc_after = -1,
	.mem_available_override = -1,
};
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest,
		 "Run the in-kernel selftest against a simulated hypervisor (no Xen needed)");

static char *mode = "auto";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(
	mode,
	"auto (default), own (the guest's balloon: kernels without CONFIG_XEN_BALLOON) or coexist (beside the built-in driver)");

static int profile = BALLAST_PROFILE_BALLAST;
module_param(profile, int, 0444);
MODULE_PARM_DESC(
	profile,
	"Core behaviour profile: 0 ballast (hardened), 1 linux-2019, 2 linux-6.1, 3 linux-6.12");

static bool grow_from_builtin = true;
module_param(grow_from_builtin, bool, 0444);
MODULE_PARM_DESC(
	grow_from_builtin,
	"coexist mode: raise above the load-time size with unpopulated pages taken from the built-in driver's balloon (default 1)");

bool ballast_own_mode;

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

/* coexist mode: targets above ballast's balloon borrow from the built-in one. */
void ballast_target_needs(unsigned long target_pages)
{
	if (!ballast_own_mode && grow_from_builtin && !ballast_st)
		ballast_borrow_for_target(target_pages);
}

/* ---------------- the memory notifier: onlined memory kicks the worker ---------------- */

static int ballast_memory_notify(struct notifier_block *nb, unsigned long action, void *v)
{
	return ballast_core_memory_notify(action);
}

static struct notifier_block ballast_memory_nb = {
	.notifier_call = ballast_memory_notify,
	.priority = 0,
};
static bool ballast_memory_nb_registered;

/* ---------------- init / exit ---------------- */

static int ballast_check_mode(void)
{
	bool builtin = IS_ENABLED(CONFIG_XEN_BALLOON);

	if (selftest) {
		if (strcmp(mode, "auto")) {
			pr_err("mode=%s: selftest=1 takes no mode\n", mode);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(mode, "auto")) {
		ballast_own_mode = !builtin;
	} else if (!strcmp(mode, "own")) {
		if (builtin) {
			pr_err("mode=own refused: this kernel's built-in balloon driver (CONFIG_XEN_BALLOON) owns memory/target, xen_memory0 and the online-page callback; use mode=coexist (or auto), or a kernel without it (kmod/guest/)\n");
			return -EBUSY;
		}
		ballast_own_mode = true;
	} else if (!strcmp(mode, "coexist")) {
		if (!builtin) {
			pr_err("mode=coexist refused: this kernel has no built-in balloon driver to coexist with; use mode=own (or auto)\n");
			return -EINVAL;
		}
		ballast_own_mode = false;
	} else {
		pr_err("mode=%s: expected auto, own or coexist\n", mode);
		return -EINVAL;
	}
	return 0;
}

static int __init ballast_init(void)
{
	static struct ballast_boot_info boot; /* 2 KiB: not on the stack */
	struct ballast_config cfg = {
		.memory_hotplug = 0,
		.have_pvmmu = IS_ENABLED(CONFIG_XEN_HAVE_PVMMU),
		.xen_pv = 0,
		.sparsemem = IS_ENABLED(CONFIG_SPARSEMEM),
	};
	long cur;
	int rc;

	rc = ballast_check_mode();
	if (rc)
		return rc;
	if (!xen_domain() && !selftest) {
		pr_info("not running in a Xen domain (load with selftest=1 to test)\n");
		return -ENODEV;
	}
	if (profile < BALLAST_PROFILE_BALLAST || profile > BALLAST_PROFILE_LINUX_6_12 ||
	    !ballast_superpages_param_ok())
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

	cfg.superpage_order = ballast_superpage_order(selftest);
	if (selftest) {
		cfg.have_pvmmu = 0;
		/* The fake hypervisor starts with what the guest has, max +256 MiB. */
		ballast_fake_init(get_num_physpages(),
				  get_num_physpages() + (256UL << (20 - PAGE_SHIFT)));
		ballast_hv = &ballast_fake_hv;
		ballast_st = &selftest_env;
	}

	/*
	 * ballast's accounting starts from what Xen says this domain has now.
	 * In own mode its balloon then takes the kernel's ballooned pages
	 * (the PV extra region), and it hotplugs beyond them;
	 * in coexist mode those pages are the built-in driver's and ballast
	 * starts with an empty balloon and no hotplug (the online-page
	 * callback is the built-in driver's).
	 */
	cur = ballast_current_reservation();
	boot.xen_domain = 1;
	boot.pv_domain = 0;
	boot.initial_domain = !selftest && xen_initial_domain();
	boot.num_physpages = cur > 0 ? cur : get_num_physpages();
	boot.current_reservation = cur;
	boot.n_regions = 0;
	if (ballast_own_mode) {
		rc = ballast_hotplug_init();
		if (rc)
			return rc;
		cfg.memory_hotplug = 1;
	}

	rc = ballast_core_init(&boot, &cfg, profile);
	if (rc)
		goto err_hotplug;
	if (ballast_own_mode) {
		rc = ballast_adopt_builtin();
		if (rc)
			goto err_return;
	}

	if (selftest) {
		int failed = ballast_selftest_run(&selftest_env);

		if (failed)
			pr_err("selftest: %d case(s) failed\n", failed);
		/* From here on the worker is real (sysfs writes drive the fake). */
		selftest_env.sched_real = true;
	}

	ballast_env_start();

	if (ballast_own_mode) {
		rc = register_memory_notifier(&ballast_memory_nb);
		if (rc)
			goto err_stop;
		ballast_memory_nb_registered = true;
	}

	rc = ballast_sysfs_init(ballast_own_mode);
	if (rc)
		goto err_stop;

	if (ballast_own_mode) {
		rc = ballast_xenstore_init();
		if (rc)
			goto err_sysfs;
	}
	pr_info("loaded (%s, %s mode, profile %d, current %lu pages, %lu in the balloon)\n",
		ballast_hv->name,
		selftest	 ? "selftest" :
		ballast_own_mode ? "own" :
				   "coexist",
		profile, boot.num_physpages, ballast_borrowed_pages());
	return 0;

err_sysfs:
	ballast_sysfs_exit();
err_stop:
	if (ballast_memory_nb_registered)
		unregister_memory_notifier(&ballast_memory_nb);
	ballast_memory_nb_registered = false;
	ballast_env_stop();
err_return:
	if (!selftest)
		ballast_return_borrowed();
	ballast_core_drain();
err_hotplug:
	if (ballast_own_mode)
		ballast_hotplug_exit();
	return rc;
}

/*
 * Unload: no new targets (watch and sysfs gone), no worker, then give every
 * ballooned page back: up to the number taken from the kernel's balloon
 * back to it, unpopulated; the rest repopulated and freed to the page
 * allocator. If the hypervisor refuses to repopulate some of them, those
 * pages stay PageOffline and out of the page allocator (they have no
 * backing frame, so freeing them would hand out unbacked memory): the guest
 * keeps running with that much less memory until reboot, and we say so.
 * Pages lent to other drivers cannot be outstanding: a driver that calls
 * ballast_alloc_ballooned_pages() holds a reference on this module.
 */
static void __exit ballast_exit(void)
{
	unsigned long left;

	ballast_xenstore_exit();
	ballast_sysfs_exit();
	if (ballast_memory_nb_registered)
		unregister_memory_notifier(&ballast_memory_nb);
	ballast_env_stop();
	if (!ballast_st)
		ballast_return_borrowed();
	left = ballast_core_drain();
	if (left)
		pr_err("unload: the hypervisor did not repopulate %lu page(s); they stay offline (lost until reboot)\n",
		       left);
	if (ballast_own_mode)
		ballast_hotplug_exit();
	if (selftest) {
		ballast_selftest_unload_check(left);
		ballast_fake_exit();
	}
	pr_info("unloaded\n");
}

module_init(ballast_init);
module_exit(ballast_exit);

MODULE_LICENSE("GPL"); /* xen_page_to_gfn() and friends use GPL-only exports */
MODULE_AUTHOR("ballast developers");
MODULE_DESCRIPTION("ballast: a Xen balloon driver with a freestanding C++ core");
MODULE_VERSION(BALLAST_VERSION);
