// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: spin detection (HANG_SPIN), the harness's
 * instrument on the driver's credit loop, called from mutex_lock() and
 * cond_resched() (sched.c).
 *
 * The core's definition: an iteration of the credit loop that ends in state
 * DONE with non-zero credit and leaves current_pages, balloon_low,
 * balloon_high and total_pages unchanged is a spin. An iteration starts at
 * the loop's mutex_lock (not the re-lock in reserve_additional_memory) and
 * ends at its cond_resched().
 *   6.1: balloon_state is a static, so the check is at cond_resched().
 *   seed: the state is a local of balloon_process; that the loop goes round
 *   again proves state == DONE and credit != 0, so the check is at the next
 *   iteration's mutex_lock, before anything else happens.
 */
#include "runtime.h"

static struct spin_track *spin_of_running_task(void)
{
	if (bshim_cur->nest)
		return NULL;
	if (bshim_in_fiber())
		return &bshim_cur->thread_spin;
	if (bshim_cur->worker_active)
		return &bshim_cur->worker_spin;
	return NULL;
}

void bshim_spin_at_lock(void)
{
	struct spin_track *t = spin_of_running_task();

	if (!t || t->phase == SP_OFF || t->phase == SP_IN_ITER)
		return;
	if (t->phase == SP_AFTER_RESCHED && t == &bshim_cur->worker_spin &&
	    progress_eq(t->before, progress_now())) {
		event(BALLAST_EV_HANG_SPIN, t->credit, 0);
		t->phase = SP_OFF;
		bshim_host_abort(); /* the worker would loop forever; the mutex is free */
	}
	t->phase = SP_IN_ITER;
	t->before = progress_now();
	t->credit = credit_now();
}

void bshim_spin_at_resched(void)
{
	struct spin_track *t = spin_of_running_task();

	if (!t || t->phase != SP_IN_ITER)
		return;
	t->phase = SP_AFTER_RESCHED;
	if (t == &bshim_cur->thread_spin) {
		if (bshim_cur->ops->thread_state &&
		    bshim_cur->ops->thread_state() == 0 /* BP_DONE */ && t->credit &&
		    progress_eq(t->before, progress_now()))
			event(BALLAST_EV_HANG_SPIN, t->credit, 0);
	}
	/* the seed: compared at the next iteration's lock */
}
