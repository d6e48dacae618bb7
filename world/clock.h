// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// ballast world: the virtual clock and its scheduler. Time is jiffies (HZ)
// and passes only when the harness says so; what is due runs in time order:
// the balloon's delayed work (the seed) or its kthread (Linux 6.1), with a
// hang reported when callbacks run on without time passing. Waits for pages
// (wait_pages) are decided at once: satisfied, interrupted, timed out, or
// never ending.
#ifndef BALLAST_WORLD_CLOCK_H
#define BALLAST_WORLD_CLOCK_H

#include <cstdint>

namespace world {

constexpr unsigned long HZ = 250; // Debian's CONFIG_HZ

using WorkFn = void (*)(void *ctx);
using WaitCondFn = int (*)(void *arg);

// Linux 6.1 balloon_thread, as hooks: before each wait the thread calls
// prepare (timeout and credit snapshot), then waits until woken with
// cond(snapshot) true or the timeout passes, then calls step.
struct KthreadHooks {
	void (*prepare)(void *ctx, unsigned long *timeout_secs, long *credit_snapshot) = nullptr;
	int (*cond)(void *ctx, long credit_snapshot) = nullptr;
	void (*step)(void *ctx) = nullptr;
	void *ctx = nullptr;
};

enum class RunResult : uint8_t { Ok, Hang };

// Called around every run of the balloon's worker the scheduler makes (one
// delayed-work callback, or one kthread step), whoever registered the worker:
// the core (world/bind.h) or the upstream driver through the kernel-API shim,
// which registers its work function again at every schedule_delayed_work.
// The oracles (oracle/) watch the worker's state machine this way.
struct WorkerObserver {
	void (*before)(void *ctx, bool kthread) = nullptr;
	void (*after)(void *ctx, bool kthread) = nullptr;
	void *ctx = nullptr;
};

struct WaitKnobs {
	bool interrupt = false; // interruptible waits return INTERRUPTED
};

// Where the kthread is in its loop.
enum class KthreadPhase : uint8_t { NeedPrepare, Sleeping, Runnable };

// The clock's state (World::clock_).
struct ClockState {
	uint64_t now = 0;
	// delayed work
	WorkFn work_fn = nullptr;
	void *work_ctx = nullptr;
	bool work_pending = false;
	uint64_t work_due = 0;
	// the kthread
	KthreadHooks kt{};
	bool kt_active = false;
	KthreadPhase kt_phase = KthreadPhase::NeedPrepare;
	bool kt_woken = false;
	uint64_t kt_deadline = 0;
	long kt_snapshot = 0;
	WorkerObserver observer{};
	// counters
	unsigned long hangs = 0, work_runs = 0, kt_steps = 0, wakes = 0, waits = 0;
	unsigned long waits_same = 0; // consecutive unsatisfied waits at wait_jiffy
	uint64_t wait_jiffy = 0;
};

} // namespace world

#endif // BALLAST_WORLD_CLOCK_H
