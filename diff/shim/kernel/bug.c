// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: printing, BUG() and panic() (customised: they
 * report events to the world), and the death of the running task.
 */
#include "runtime.h"

/* ------------------------------------------------------------- printing */
void bshim_printk(int level, const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	bshim_host_vlog(level, fmt, ap);
	__builtin_va_end(ap);
}

/* ------------------------------------------------ BUG, panic, task death */
void bshim_task_dies(int thread_status)
{
	if (bshim_in_fiber() && bshim_cur->nest == 0)
		bshim_cur->thread_status = thread_status;
	bshim_host_abort();
}

void bshim_bug(const char *cond, const char *file, int line)
{
	bshim_printk(0, "kernel BUG at %s:%d: %s\n", file, line, cond);
	if (str_eq(cond, "page == NULL"))
		event(BALLAST_EV_BUG_INCREASE_NO_PAGE, bshim_cur->inc_rc, bshim_cur->inc_done);
	else if (str_eq(cond, "ret != nr_pages"))
		event(BALLAST_EV_BUG_DECREASE_MISMATCH, bshim_cur->dec_ret, bshim_cur->dec_n);
	else
		event(BALLAST_EV_NONE, line, -1);
	bshim_task_crashes();
}

void bshim_task_crashes(void)
{
	bshim_cur->dead = 1;
	if (bshim_cur->held) {
		/* balloon_mutex stays held by the dead task; the world's lock is
		 * only the checker's instrument and is released, as the core does. */
		bshim_cur->held->owner_dead = 1;
		ballast_world_unlock(bshim_cur->world);
		bshim_cur->held = NULL;
	}
	bshim_task_dies(TS_DIED);
}

void panic(const char *fmt, ...)
{
	bshim_printk(0, "Kernel panic - not syncing: %s", fmt);
	event(BALLAST_EV_PANIC_BOOT_TIMEOUT, credit_now(), 0);
	bshim_cur->dead = 1;
	bshim_cur->panicked = 1;
	bshim_task_dies(TS_DIED);
}
