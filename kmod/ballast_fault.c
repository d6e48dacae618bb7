// SPDX-License-Identifier: GPL-2.0
/*
 * ballast.ko: fault injection, in the spirit of the Windows PV drivers'
 * fault-injection switches. Module parameters, writable by root only (mode
 * 0644, /sys/module/ballast/parameters/), all 0 (off) by default:
 *
 *   fail_increase=N     the next N populate hypercalls (increase_reservation)
 *                       are not issued; the backend replies 0 extents, as Xen
 *                       does when it refuses
 *   fail_decrease=N     the next N decrease_reservation hypercalls are not
 *                       issued; the backend replies 0 extents
 *   partial_increase=K  the next populate hypercall is issued to Xen with at
 *                       most K extents (1..511) and Xen's real reply is
 *                       returned: a genuine partial result (one shot)
 *   partial_decrease=K  the same for the next decrease_reservation (Xen really
 *                       releases only the first K frames; the core must remap
 *                       and give back the rest) (one shot)
 *   fail_alloc=N        the next N balloon page allocations fail
 *
 * Writes are validated strictly: decimal digits only (one trailing newline
 * allowed), counts up to 1000000, partial sizes up to 511 (one batch - 1);
 * anything else is -EINVAL and changes nothing. Every injected fault counts
 * in counters/faults_injected. The switches act on the real hypervisor as
 * well as on the selftest's fake one.
 */
#define pr_fmt(fmt) "ballast: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/atomic.h>

#include "ballast_glue.h"

#define BALLAST_FAULT_MAX_COUNT 1000000U
#define BALLAST_FAULT_MAX_PARTIAL 511U /* less than one batch of 512 */

static atomic_t fault_fail_increase = ATOMIC_INIT(0);
static atomic_t fault_fail_decrease = ATOMIC_INIT(0);
static atomic_t fault_partial_increase = ATOMIC_INIT(0);
static atomic_t fault_partial_decrease = ATOMIC_INIT(0);
static atomic_t fault_fail_alloc = ATOMIC_INIT(0);
static atomic_long_t faults_injected = ATOMIC_LONG_INIT(0);

/* Digits only (kstrtouint alone would accept a leading '+'), then range. */
static int ballast_fault_parse(const char *val, unsigned int max, unsigned int *out)
{
	unsigned int v;

	if (!val || val[0] < '0' || val[0] > '9')
		return -EINVAL;
	if (kstrtouint(val, 10, &v) || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int ballast_fault_set(const char *val, const struct kernel_param *kp, unsigned int max)
{
	unsigned int v;

	if (ballast_fault_parse(val, max, &v))
		return -EINVAL;
	atomic_set((atomic_t *)kp->arg, v);
	return 0;
}

static int ballast_fault_set_count(const char *val, const struct kernel_param *kp)
{
	return ballast_fault_set(val, kp, BALLAST_FAULT_MAX_COUNT);
}

static int ballast_fault_set_partial(const char *val, const struct kernel_param *kp)
{
	return ballast_fault_set(val, kp, BALLAST_FAULT_MAX_PARTIAL);
}

static int ballast_fault_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read((atomic_t *)kp->arg));
}

static const struct kernel_param_ops ballast_fault_count_ops = {
	.set = ballast_fault_set_count,
	.get = ballast_fault_get,
};

static const struct kernel_param_ops ballast_fault_partial_ops = {
	.set = ballast_fault_set_partial,
	.get = ballast_fault_get,
};

module_param_cb(fail_increase, &ballast_fault_count_ops, &fault_fail_increase, 0644);
MODULE_PARM_DESC(fail_increase,
		 "Fault injection: fail the next N populate hypercalls (reply 0 extents)");
module_param_cb(fail_decrease, &ballast_fault_count_ops, &fault_fail_decrease, 0644);
MODULE_PARM_DESC(fail_decrease,
		 "Fault injection: fail the next N decrease_reservation hypercalls (reply 0)");
module_param_cb(partial_increase, &ballast_fault_partial_ops, &fault_partial_increase, 0644);
MODULE_PARM_DESC(
	partial_increase,
	"Fault injection: issue the next populate hypercall with at most K (1..511) extents");
module_param_cb(partial_decrease, &ballast_fault_partial_ops, &fault_partial_decrease, 0644);
MODULE_PARM_DESC(
	partial_decrease,
	"Fault injection: issue the next decrease hypercall with at most K (1..511) extents");
module_param_cb(fail_alloc, &ballast_fault_count_ops, &fault_fail_alloc, 0644);
MODULE_PARM_DESC(fail_alloc, "Fault injection: fail the next N balloon page allocations");

/*
 * Before a hypercall of `*count` extents: true if it must not be issued
 * (the caller replies 0 extents); else *count may have been lowered to
 * make Xen's reply a genuine partial one.
 */
bool ballast_fault_hypercall(bool increase, int *count)
{
	atomic_t *fail = increase ? &fault_fail_increase : &fault_fail_decrease;
	atomic_t *partial = increase ? &fault_partial_increase : &fault_partial_decrease;
	int k;

	if (atomic_dec_if_positive(fail) >= 0) {
		atomic_long_inc(&faults_injected);
		pr_info("fault injected: %s of %d extent(s) failed\n",
			increase ? "increase" : "decrease", *count);
		return true;
	}
	k = atomic_xchg(partial, 0);
	if (k > 0 && k < *count) {
		atomic_long_inc(&faults_injected);
		pr_info("fault injected: %s of %d extent(s) issued with %d\n",
			increase ? "increase" : "decrease", *count, k);
		*count = k;
	} else if (k > 0) {
		atomic_set(partial, k); /* not applicable to this call: keep it armed */
	}
	return false;
}

bool ballast_fault_alloc(void)
{
	if (atomic_dec_if_positive(&fault_fail_alloc) >= 0) {
		atomic_long_inc(&faults_injected);
		return true;
	}
	return false;
}

unsigned long ballast_faults_injected(void)
{
	return atomic_long_read(&faults_injected);
}
