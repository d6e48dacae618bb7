// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: /sys/devices/system/ballast/ballast0.
 *
 * Why a system subsystem ("bus") and not a platform device: the built-in
 * driver's interface is /sys/devices/system/xen_memory/xen_memory0, created
 * the same way (subsys_system_register + one device). Mirroring it gives the
 * same layout one directory over, so tools written for xen_memory0 only
 * change the path; a platform device would add driver binding and a
 * platform bus entry with nothing to bind.
 *
 * Same attributes and units as xen_memory0, plus ballast's counters:
 *   target_kb (rw, KiB)  target (rw, bytes, K/M/G/T/P/E suffixes)
 *   schedule_delay (ro, s)  max_schedule_delay (rw, s)
 *   retry_count (ro)  max_retry_count (rw)
 *   info/{current_kb,low_kb,high_kb} (ro)
 *   info/xen_current_kb (ro): Xen's XENMEM_current_reservation, ballast's own addition
 *   counters/{worker_runs,...,ev_*} (ro)
 * Writes: mode 0644 (owner root) and CAP_SYS_ADMIN, like xen_memory0.
 * Parsing is strict: anything but a non-negative in-range number (plus one
 * trailing newline) is -EINVAL and changes nothing.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/capability.h>
#include <linux/string.h>
#include <linux/mm.h>

#include "ballast_glue.h"

/* ---------------- strict parsing ---------------- */

int ballast_parse_kb(const char *buf, unsigned long long *bytes)
{
	unsigned long long kb;

	/* kstrtoull: digits only (base prefix allowed), one trailing '\n', no sign. */
	if (kstrtoull(buf, 0, &kb))
		return -EINVAL;
	if (kb > (~0ULL >> 10))
		return -EINVAL;
	*bytes = kb << 10;
	return 0;
}

/* memparse() semantics (K/M/G/T/P/E suffix, base prefix), without its leniency. */
int ballast_parse_bytes(const char *buf, unsigned long long *bytes)
{
	char tmp[32];
	size_t len = strlen(buf);
	unsigned int shift = 0;
	unsigned long long v;
	bool hex;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	hex = len > 2 && tmp[0] == '0' && (tmp[1] == 'x' || tmp[1] == 'X');

	switch (tmp[len - 1]) {
	case 'E':
	case 'e':
		if (hex) /* a hex digit, not a suffix */
			break;
		shift = 60;
		break;
	case 'P':
	case 'p':
		shift = 50;
		break;
	case 'T':
	case 't':
		shift = 40;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'K':
	case 'k':
		shift = 10;
		break;
	}
	if (shift)
		tmp[--len] = '\0';
	if (len == 0 || kstrtoull(tmp, 0, &v))
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

int ballast_apply_target_bytes(unsigned long long bytes)
{
	unsigned long pages = bytes >> PAGE_SHIFT;
	long max = ballast_max_reservation();

	/* Above the domain's maximum reservation: the hypervisor would refuse. */
	if (max > 0 && pages > (unsigned long)max)
		return -EINVAL;
	ballast_borrow_for_target(pages);
	return ballast_core_set_target(pages) ? -EINVAL : 0;
}

/* ---------------- attributes ---------------- */

#define PAGES2KB(p) ((unsigned long long)(p) << (PAGE_SHIFT - 10))

static struct ballast_stats *snap(struct ballast_stats *s)
{
	ballast_core_stats(s);
	return s;
}

#define STAT_RO(name, expr)                                                                      \
	static ssize_t name##_show(struct device *dev, struct device_attribute *attr, char *buf) \
	{                                                                                        \
		struct ballast_stats s;                                                          \
		snap(&s);                                                                        \
		return sysfs_emit(buf, "%llu\n", (unsigned long long)(expr));                    \
	}

STAT_RO(schedule_delay, s.schedule_delay)
STAT_RO(retry_count, s.retry_count)
STAT_RO(current_kb, PAGES2KB(s.current_pages))
STAT_RO(low_kb, PAGES2KB(s.balloon_low))
STAT_RO(high_kb, PAGES2KB(s.balloon_high))
STAT_RO(target_kb, PAGES2KB(s.target_pages))
STAT_RO(target, (unsigned long long)s.target_pages << PAGE_SHIFT)
STAT_RO(max_schedule_delay, s.max_schedule_delay)
STAT_RO(max_retry_count, s.max_retry_count)

/* Xen's own count for this domain (XENMEM_current_reservation), to check against. */
static ssize_t xen_current_kb_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	long r = ballast_current_reservation();

	if (r < 0)
		return r;
	return sysfs_emit(buf, "%llu\n", PAGES2KB(r));
}

static ssize_t target_kb_store(struct device *dev, struct device_attribute *attr, const char *buf,
			       size_t count)
{
	unsigned long long bytes;
	int rc;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (ballast_parse_kb(buf, &bytes))
		return -EINVAL;
	rc = ballast_apply_target_bytes(bytes);
	return rc ? rc : count;
}

static ssize_t target_store(struct device *dev, struct device_attribute *attr, const char *buf,
			    size_t count)
{
	unsigned long long bytes;
	int rc;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (ballast_parse_bytes(buf, &bytes))
		return -EINVAL;
	rc = ballast_apply_target_bytes(bytes);
	return rc ? rc : count;
}

static ssize_t max_schedule_delay_store(struct device *dev, struct device_attribute *attr,
					const char *buf, size_t count)
{
	unsigned long v;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (kstrtoul(buf, 0, &v) || ballast_core_set_max_schedule_delay(v))
		return -EINVAL;
	return count;
}

static ssize_t max_retry_count_store(struct device *dev, struct device_attribute *attr,
				     const char *buf, size_t count)
{
	unsigned long v;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (kstrtoul(buf, 0, &v) || ballast_core_set_max_retry_count(v))
		return -EINVAL;
	return count;
}

static DEVICE_ATTR_RW(target_kb);
static DEVICE_ATTR_RW(target);
static DEVICE_ATTR_RO(schedule_delay);
static DEVICE_ATTR_RW(max_schedule_delay);
static DEVICE_ATTR_RO(retry_count);
static DEVICE_ATTR_RW(max_retry_count);

static struct attribute *ballast_attrs[] = {&dev_attr_target_kb.attr,
					    &dev_attr_target.attr,
					    &dev_attr_schedule_delay.attr,
					    &dev_attr_max_schedule_delay.attr,
					    &dev_attr_retry_count.attr,
					    &dev_attr_max_retry_count.attr,
					    NULL};
static const struct attribute_group ballast_group = {.attrs = ballast_attrs};

static DEVICE_ATTR_RO(current_kb);
static DEVICE_ATTR_RO(low_kb);
static DEVICE_ATTR_RO(high_kb);
static DEVICE_ATTR_RO(xen_current_kb);

/* XENMEM_maximum_reservation, KiB. */
static ssize_t xen_max_kb_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	long r = ballast_max_reservation();

	if (r < 0)
		return r;
	return sysfs_emit(buf, "%llu\n", PAGES2KB(r));
}
static DEVICE_ATTR_RO(xen_max_kb);

/* Pages taken from the built-in driver's balloon to grow above the start, KiB. */
static ssize_t borrowed_kb_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", PAGES2KB(ballast_borrowed_pages()));
}
static DEVICE_ATTR_RO(borrowed_kb);
static struct attribute *ballast_info_attrs[] = {&dev_attr_xen_current_kb.attr,
						 &dev_attr_xen_max_kb.attr,
						 &dev_attr_borrowed_kb.attr,
						 &dev_attr_current_kb.attr,
						 &dev_attr_low_kb.attr,
						 &dev_attr_high_kb.attr,
						 NULL};
static const struct attribute_group ballast_info_group = {
	.name = "info",
	.attrs = ballast_info_attrs,
};

/* counters/: ballast_core_counters(), read-only. */
#define CTR_RO(name, expr)                                                                       \
	static ssize_t name##_show(struct device *dev, struct device_attribute *attr, char *buf) \
	{                                                                                        \
		struct ballast_counters c;                                                       \
		ballast_core_counters(&c);                                                       \
		return sysfs_emit(buf, "%lu\n", (unsigned long)(expr));                          \
	}                                                                                        \
	static DEVICE_ATTR_RO(name)

CTR_RO(worker_runs, c.worker_runs);
CTR_RO(steps, c.steps);
CTR_RO(hypercalls_increase, c.hypercalls_increase);
CTR_RO(hypercalls_decrease, c.hypercalls_decrease);
CTR_RO(pages_in, c.pages_in);
CTR_RO(pages_out, c.pages_out);
CTR_RO(alloc_failures, c.alloc_failures);
CTR_RO(ev_bug_increase_no_page, c.events[BALLAST_EV_BUG_INCREASE_NO_PAGE]);
CTR_RO(ev_bug_decrease_mismatch, c.events[BALLAST_EV_BUG_DECREASE_MISMATCH]);
CTR_RO(ev_hang_spin, c.events[BALLAST_EV_HANG_SPIN]);
CTR_RO(ev_hang_wait, c.events[BALLAST_EV_HANG_WAIT]);
CTR_RO(ev_panic_boot_timeout, c.events[BALLAST_EV_PANIC_BOOT_TIMEOUT]);
CTR_RO(ev_hostile_reply, c.events[BALLAST_EV_HOSTILE_REPLY]);
CTR_RO(ev_decrease_rollback, c.events[BALLAST_EV_DECREASE_ROLLBACK]);
CTR_RO(ev_rejected_input, c.events[BALLAST_EV_REJECTED_INPUT]);
CTR_RO(ev_region_skipped, c.events[BALLAST_EV_REGION_SKIPPED]);
CTR_RO(ev_hang_lock, c.events[BALLAST_EV_HANG_LOCK]);
CTR_RO(faults_injected, ballast_faults_injected());
#ifdef BALLAST_EVENTS
CTR_RO(ev_ub_frame_overrun, c.events[BALLAST_EV_UB_FRAME_OVERRUN]);
CTR_RO(ev_hotplug_not_onlined, c.events[BALLAST_EV_HOTPLUG_NOT_ONLINED]);
#endif

static struct attribute *ballast_counter_attrs[] = {&dev_attr_worker_runs.attr,
						    &dev_attr_steps.attr,
						    &dev_attr_hypercalls_increase.attr,
						    &dev_attr_hypercalls_decrease.attr,
						    &dev_attr_pages_in.attr,
						    &dev_attr_pages_out.attr,
						    &dev_attr_alloc_failures.attr,
						    &dev_attr_ev_bug_increase_no_page.attr,
						    &dev_attr_ev_bug_decrease_mismatch.attr,
						    &dev_attr_ev_hang_spin.attr,
						    &dev_attr_ev_hang_wait.attr,
						    &dev_attr_ev_panic_boot_timeout.attr,
						    &dev_attr_ev_hostile_reply.attr,
						    &dev_attr_ev_decrease_rollback.attr,
						    &dev_attr_ev_rejected_input.attr,
						    &dev_attr_ev_region_skipped.attr,
						    &dev_attr_ev_hang_lock.attr,
						    &dev_attr_faults_injected.attr,
#ifdef BALLAST_EVENTS
						    &dev_attr_ev_ub_frame_overrun.attr,
						    &dev_attr_ev_hotplug_not_onlined.attr,
#endif
						    NULL};
static const struct attribute_group ballast_counter_group = {
	.name = "counters",
	.attrs = ballast_counter_attrs,
};

static const struct attribute_group *ballast_groups[] = {&ballast_group, &ballast_info_group,
							 &ballast_counter_group, NULL};

/* ---------------- device ---------------- */

static struct bus_type ballast_subsys = {
	.name = "ballast",
	.dev_name = "ballast",
};

static struct device *ballast_dev;

static void ballast_dev_release(struct device *dev)
{
	kfree(dev);
}

int ballast_sysfs_init(void)
{
	int rc;

	rc = subsys_system_register(&ballast_subsys, NULL);
	if (rc)
		return rc;

	ballast_dev = kzalloc(sizeof(*ballast_dev), GFP_KERNEL);
	if (!ballast_dev) {
		bus_unregister(&ballast_subsys);
		return -ENOMEM;
	}
	ballast_dev->id = 0;
	ballast_dev->bus = &ballast_subsys;
	ballast_dev->groups = ballast_groups;
	ballast_dev->release = ballast_dev_release;

	rc = device_register(ballast_dev);
	if (rc) {
		put_device(ballast_dev);
		ballast_dev = NULL;
		bus_unregister(&ballast_subsys);
	}
	return rc;
}

void ballast_sysfs_exit(void)
{
	if (ballast_dev) {
		device_unregister(ballast_dev);
		ballast_dev = NULL;
		bus_unregister(&ballast_subsys);
	}
}
