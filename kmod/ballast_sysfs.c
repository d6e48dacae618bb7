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
 *   counters/{worker_runs,...} (ro), and counters/ev_* generated from the core's event table
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
#include <linux/ctype.h>

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
	ballast_target_needs(pages);
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
CTR_RO(faults_injected, ballast_faults_injected());
CTR_RO(worker_ns, ballast_worker_ns());
CTR_RO(xenstore_targets, ballast_xenstore_targets(false));
CTR_RO(xenstore_targets_refused, ballast_xenstore_targets(true));
CTR_RO(extents_in_4k, c.extents_in_4k);
CTR_RO(extents_out_4k, c.extents_out_4k);
CTR_RO(extents_in_2m, c.extents_in_super);
CTR_RO(extents_out_2m, c.extents_out_super);
CTR_RO(super_fallbacks, c.super_fallbacks);
CTR_RO(hypercalls_direct, ballast_direct_hypercalls());

/*
 * One counter per core event, generated from the event table
 * (BALLAST_EVENTS in core/ballast_env.h): counters/ev_<name in lower case>.
 */
struct ballast_ev_attr {
	struct device_attribute attr;
	unsigned int ev;
	char name[32];
};
static struct ballast_ev_attr ballast_ev_attrs[BALLAST_EV_COUNT - 1]; /* all but NONE */

static ssize_t ev_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct ballast_ev_attr *ea = container_of(attr, struct ballast_ev_attr, attr);
	struct ballast_counters c;

	ballast_core_counters(&c);
	return sysfs_emit(buf, "%lu\n", c.events[ea->ev]);
}

#define BALLAST_FIXED_COUNTERS 17
static struct attribute *ballast_counter_attrs[BALLAST_FIXED_COUNTERS + BALLAST_EV_COUNT] = {
	&dev_attr_worker_runs.attr,
	&dev_attr_steps.attr,
	&dev_attr_hypercalls_increase.attr,
	&dev_attr_hypercalls_decrease.attr,
	&dev_attr_pages_in.attr,
	&dev_attr_pages_out.attr,
	&dev_attr_alloc_failures.attr,
	&dev_attr_faults_injected.attr,
	&dev_attr_worker_ns.attr,
	&dev_attr_xenstore_targets.attr,
	&dev_attr_xenstore_targets_refused.attr,
	&dev_attr_extents_in_4k.attr,
	&dev_attr_extents_out_4k.attr,
	&dev_attr_extents_in_2m.attr,
	&dev_attr_extents_out_2m.attr,
	&dev_attr_super_fallbacks.attr,
	&dev_attr_hypercalls_direct.attr,
	/* ev_* filled in by ballast_ev_attrs_init(); NULL-terminated */
};

static void ballast_ev_attrs_init(void)
{
	unsigned int i, j;

	for (i = 1; i < BALLAST_EV_COUNT; i++) {
		struct ballast_ev_attr *ea = &ballast_ev_attrs[i - 1];
		const char *id = ballast_event_id(i);

		strscpy(ea->name, "ev_", sizeof(ea->name));
		for (j = 3; j + 1 < sizeof(ea->name) && id[j - 3]; j++)
			ea->name[j] = tolower(id[j - 3]);
		ea->name[j] = '\0';
		ea->ev = i;
		sysfs_attr_init(&ea->attr.attr);
		ea->attr.attr.name = ea->name;
		ea->attr.attr.mode = 0444;
		ea->attr.show = ev_show;
		ballast_counter_attrs[BALLAST_FIXED_COUNTERS + i - 1] = &ea->attr.attr;
	}
}
static const struct attribute_group ballast_counter_group = {
	.name = "counters",
	.attrs = ballast_counter_attrs,
};

static const struct attribute_group *ballast_groups[] = {&ballast_group, &ballast_info_group,
							 &ballast_counter_group, NULL};

/*
 * Own mode: /sys/devices/system/xen_memory/xen_memory0 with exactly the
 * upstream attributes (xen-balloon.c: the main group and info/ with
 * current_kb, low_kb, high_kb), so tools written for the built-in driver
 * work unchanged; ballast0 keeps the extra read-outs.
 */
static struct attribute *ballast_upstream_info_attrs[] = {
	&dev_attr_current_kb.attr, &dev_attr_low_kb.attr, &dev_attr_high_kb.attr, NULL};
static const struct attribute_group ballast_upstream_info_group = {
	.name = "info",
	.attrs = ballast_upstream_info_attrs,
};
static const struct attribute_group *ballast_upstream_groups[] = {
	&ballast_group, &ballast_upstream_info_group, NULL};

/* ---------------- devices ---------------- */

struct ballast_sysdev {
	struct bus_type subsys;
	const struct attribute_group **groups;
	struct device *dev;
};

static struct ballast_sysdev ballast_devs[] = {
	{.subsys = {.name = "ballast", .dev_name = "ballast"}, .groups = ballast_groups},
	{.subsys = {.name = "xen_memory", .dev_name = "xen_memory"},
	 .groups = ballast_upstream_groups},
};

static void ballast_dev_release(struct device *dev)
{
	kfree(dev);
}

/* A system subsystem with one device <dev_name>0, as xen-balloon.c registers xen_memory0. */
static int ballast_sysdev_add(struct ballast_sysdev *d)
{
	int rc = subsys_system_register(&d->subsys, NULL);

	if (rc)
		return rc;
	d->dev = kzalloc(sizeof(*d->dev), GFP_KERNEL);
	if (!d->dev) {
		bus_unregister(&d->subsys);
		return -ENOMEM;
	}
	d->dev->id = 0;
	d->dev->bus = &d->subsys;
	d->dev->groups = d->groups;
	d->dev->release = ballast_dev_release;
	rc = device_register(d->dev);
	if (rc) {
		put_device(d->dev);
		d->dev = NULL;
		bus_unregister(&d->subsys);
	}
	return rc;
}

static void ballast_sysdev_del(struct ballast_sysdev *d)
{
	if (d->dev) {
		device_unregister(d->dev);
		d->dev = NULL;
		bus_unregister(&d->subsys);
	}
}

int ballast_sysfs_init(bool own_mode)
{
	int rc;

	ballast_ev_attrs_init();
	rc = ballast_sysdev_add(&ballast_devs[0]);
	if (rc || !own_mode)
		return rc;
	rc = ballast_sysdev_add(&ballast_devs[1]);
	if (rc) {
		pr_err("cannot register xen_memory0: %d\n", rc);
		ballast_sysdev_del(&ballast_devs[0]);
	}
	return rc;
}

void ballast_sysfs_exit(void)
{
	ballast_sysdev_del(&ballast_devs[1]);
	ballast_sysdev_del(&ballast_devs[0]);
}
