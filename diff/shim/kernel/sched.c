// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: scheduling and waits (customised). The mutex,
 * cond_resched(), wait queues, time and delayed work, over the world's
 * lock, virtual clock, scheduler and waits. A task that could never go on
 * (a dead lock holder, a sleep nothing ends) is reported and unwound.
 */
#include "runtime.h"

/* -------------------------------------------------------------- mutex */
void mutex_lock(struct mutex *m)
{
	if (m->locked) {
		/* Single-threaded and deterministic: a held mutex here is held by a
		 * task that will never release it (it died in BUG()). */
		event(BALLAST_EV_HANG_LOCK, 0, 0);
		bshim_task_dies(TS_BLOCKED);
	}
	bshim_spin_at_lock();
	ballast_world_lock(bshim_cur->world);
	m->locked = 1;
	bshim_cur->held = m;
}

void mutex_unlock(struct mutex *m)
{
	m->locked = 0;
	if (bshim_cur->held == m)
		bshim_cur->held = NULL;
	ballast_world_unlock(bshim_cur->world);
}

void cond_resched(void)
{
	ballast_world_cond_resched(bshim_cur->world);
	bshim_spin_at_resched();
}

/* --------------------------------------------------------- wait queues */
struct woken_arg {
	struct wait_queue_head *wq;
	unsigned long wakes;
};

static int woken(void *arg)
{
	struct woken_arg *a = arg;

	return a->wq->wakes != a->wakes;
}

void wake_up(struct wait_queue_head *wq)
{
	wq->wakes++;
	if (wq->kind == BSHIM_WQ_THREAD)
		ballast_world_wake_worker(bshim_cur->world);
	else
		ballast_world_wake_page_waiters(bshim_cur->world);
}

static int always(void *arg)
{
	(void)arg;
	return 1;
}

void bshim_wait_guard(long what)
{
	if (ballast_world_wait_pages(bshim_cur->world, always, NULL, 0, 0) == BALLAST_WAIT_NEVER) {
		event(BALLAST_EV_HANG_WAIT, what, 0);
		bshim_task_dies(TS_BLOCKED);
	}
}

int bshim_wait_once(struct wait_queue_head *wq, int interruptible, long what)
{
	struct woken_arg a = {wq, wq->wakes};
	int r = ballast_world_wait_pages(bshim_cur->world, woken, &a, interruptible, 0);

	if (r == BALLAST_WAIT_INTERRUPTED && interruptible)
		return -ERESTARTSYS;
	if (r == BALLAST_WAIT_NEVER) {
		/* Nothing can ever wake it: the task sleeps forever. */
		event(BALLAST_EV_HANG_WAIT, what, 0);
		bshim_task_dies(TS_BLOCKED);
	}
	return 0; /* woken (or a spurious timeout): re-check the condition */
}

/* -------------------------------------------------------------- time */
unsigned long bshim_jiffies(void)
{
	return (unsigned long)ballast_world_jiffies(bshim_cur->world);
}

/* Only balloon_wait_finish() sleeps this way: a wait whose credit has not
 * moved for BALLAST_BOOT_WAIT_HANG_SECS never ends (the core's boot wait
 * decides the same at the same point of its loop). */
long schedule_timeout_interruptible(long timeout)
{
	const unsigned long now = bshim_jiffies();
	const long credit = credit_now();

	if (credit != bshim_cur->bw_credit) {
		bshim_cur->bw_credit = credit;
		bshim_cur->bw_since = now;
	}
	if (bshim_cur->bw_since + HZ * BALLAST_BOOT_WAIT_HANG_SECS <= now) {
		event(BALLAST_EV_HANG_WAIT, credit, 0);
		bshim_task_dies(TS_BLOCKED);
	}
	if (ballast_world_run_until(bshim_cur->world, ballast_world_jiffies(bshim_cur->world) +
							      (unsigned long)timeout)) {
		/* the world hung while this task slept: it would never wake */
		event(BALLAST_EV_HANG_SPIN, credit_now(), 1);
		bshim_task_dies(TS_BLOCKED);
	}
	return 0;
}

/* ------------------------------------------------------- delayed work */
static void work_task(void *arg)
{
	struct delayed_work *dw = arg;

	dw->work.func(&dw->work);
}

static void work_entry(void *ctx)
{
	struct bshim_ctx *saved = bshim_cur;
	struct delayed_work *dw;

	bshim_cur = ctx;
	dw = bshim_cur->work;
	if (dw) {
		bshim_cur->worker_active = 1;
		bshim_cur->worker_spin.phase = SP_START;
		(void)bshim_host_protect(work_task, dw);
		bshim_cur->worker_spin.phase = SP_OFF;
		bshim_cur->worker_active = 0;
	}
	bshim_cur = saved;
}

bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	bshim_cur->work = dwork;
	ballast_world_set_work(bshim_cur->world, work_entry, bshim_cur);
	ballast_world_schedule_work(bshim_cur->world, jiffies_to_secs(delay), 0);
	return true;
}
