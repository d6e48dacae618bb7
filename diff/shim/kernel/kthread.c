// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: the 6.1 balloon kthread (customised). It runs
 * on a fiber of its own; the world's kthread model steps it through the
 * hooks below.
 */
#include "runtime.h"

static void thread_task(void *arg)
{
	struct bshim_ctx *ctx = arg;

	(void)ctx->thread_fn(ctx->thread_data);
}

static void thread_resume(int cmd)
{
	bshim_cur->kt_cmd = cmd;
	if (bshim_fiber_resume(bshim_cur->fiber) && bshim_cur->thread_status == TS_ALIVE)
		bshim_cur->thread_status = TS_DIED; /* returned: cannot happen (never stopped) */
}

/*
 * World kthread hooks. While the thread lives, its fiber is parked inside
 * wait_event_freezable_timeout(); prepare reads the timeout it computed,
 * cond lets it evaluate its own condition, step lets it run one iteration up
 * to the next wait. A thread that died (BUG) or blocks forever on the mutex
 * is modelled as the core models its dead worker: every step reports
 * HANG_LOCK.
 */
static void kt_prepare(void *ctx, unsigned long *timeout_secs, long *credit_snapshot)
{
	struct bshim_ctx *saved = bshim_cur;

	bshim_cur = ctx;
	if (bshim_cur->thread_status == TS_ALIVE && !bshim_cur->thread_started) {
		bshim_cur->thread_started = 1;
		thread_resume(BSHIM_KT_GO);
	}
	*credit_snapshot = credit_now();
	switch (bshim_cur->thread_status) {
	case TS_ALIVE:
		*timeout_secs = jiffies_to_secs((unsigned long)bshim_cur->kt_timeout);
		break;
	case TS_BLOCKED:
		*timeout_secs = bshim_cur->ops->thread_timeout_secs ?
					bshim_cur->ops->thread_timeout_secs() :
					3600;
		break;
	default:
		*timeout_secs = 3600;
		break;
	}
	bshim_cur = saved;
}

static int kt_cond(void *ctx, long credit_snapshot)
{
	struct bshim_ctx *saved = bshim_cur;
	int r;

	bshim_cur = ctx;
	switch (bshim_cur->thread_status) {
	case TS_ALIVE:
		thread_resume(BSHIM_KT_CHECK);
		r = bshim_cur->thread_status == TS_ALIVE ? bshim_cur->kt_cond : 0;
		break;
	case TS_BLOCKED:
		r = bshim_cur->ops->thread_cond ? bshim_cur->ops->thread_cond(credit_snapshot) : 0;
		break;
	default:
		r = credit_now() != credit_snapshot;
		break;
	}
	bshim_cur = saved;
	return r;
}

static void kt_step(void *ctx)
{
	struct bshim_ctx *saved = bshim_cur;

	bshim_cur = ctx;
	if (bshim_cur->thread_status == TS_ALIVE)
		thread_resume(BSHIM_KT_GO);
	else
		event(BALLAST_EV_HANG_LOCK, 0, 0);
	bshim_cur = saved;
}

struct task_struct *bshim_kthread_run(int (*fn)(void *), void *data, const char *name)
{
	(void)name;
	bshim_cur->thread_fn = fn;
	bshim_cur->thread_data = data;
	bshim_cur->thread_status = TS_ALIVE;
	bshim_cur->thread_started = 0;
	if (!bshim_cur->fiber)
		bshim_cur->fiber = bshim_fiber_new();
	bshim_fiber_arm(bshim_cur->fiber, thread_task, bshim_cur);
	ballast_world_start_kthread(bshim_cur->world, kt_prepare, kt_cond, kt_step, bshim_cur);
	return &bshim_cur->task;
}

void bshim_kt_sleep_begin(struct wait_queue_head *wq, long timeout)
{
	(void)wq;
	bshim_cur->kt_timeout = timeout;
	bshim_cur->thread_spin.phase = SP_OFF;
}

int bshim_kt_sleep_poll(int cond_value)
{
	struct bshim_ctx *ctx = bshim_cur;

	ctx->kt_cond = cond_value;
	bshim_fiber_yield();
	bshim_cur = ctx;
	return ctx->kt_cmd;
}

long bshim_kt_sleep_end(int cond_value)
{
	bshim_cur->thread_spin.phase = SP_START;
	return cond_value ? 1 : 0;
}
