// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: the one interpreter of the operations. The fuzz harness
// (core alone, fuzz/core_harness.h) and the lock-step engine (core against
// upstream, diff/engine.h) both configure their worlds with world_config()
// and run every operation through apply_op(), so an operation means the same
// in `replay`, `diff`, `minimize` and every fuzz target.
//
// apply_op is a template over the driver so that the fuzz harness calls the
// core (Balloon<world::Env>) directly, without a virtual call per operation;
// the engine passes its Subject. A driver has the upstream entry points by
// the core's names: set_target, alloc_pages, free_pages,
// set_hotplug_unpopulated, set_max_schedule_delay, set_max_retry_count,
// boot_wait (below) and dead().
#ifndef BALLAST_SCENARIO_RUNTIME_H
#define BALLAST_SCENARIO_RUNTIME_H

#include <cstdint>
#include <vector>

#include "balloon.h"
#include "scenario.h"
#include "world.h"

namespace ballast {
namespace scenario {

// The world a scenario describes (frames, hypervisor, hotplug, clock and the
// hang detection), for every tool alike.
void world_config(const Scenario &s, world::Config *out);

// Pages the scenario's other actors hold, outside the driver.
struct Holdings {
	std::vector<ballast_page *> lent;  // lent to drivers (`lend`), a stack (`giveback`)
	std::vector<ballast_page *> held;  // kept by lending callers that never returned
	std::vector<ballast_page *> guest; // taken by the rest of the kernel (`guest take`)
	std::vector<ballast_page *> buf;   // one lending call's array
	Holdings();
	void clear();
};

struct OpResult {
	long rc = 0;		  // the call's return value; run/advance: 1 if the world hung
	bool has_rc = false;	  // the operation is a call with a return value
	bool hang = false;	  // the worker ran too often without time passing (world hang)
	bool advance_cut = false; // `advance` stopped at the header's advance_runs
	size_t new_lent = 0;	  // holdings.lent[new_lent..]: pages lent by this operation
	size_t new_held = 0;	// holdings.held[new_held..]: pages kept by a caller abandoned here
	bool abandoned = false; // `lend`: the caller never returns (hung, or its task crashed)
};

// `advance S` under the header's bound: the clock moves S seconds, running
// what falls due, but at most `runs` times (0: no bound) -- then the clock
// stays at the last run (*cut). Returns true when the world hung.
bool advance(world::World &w, uint64_t secs, uint64_t runs, bool *cut);

// The late initcall balloon_wait_finish(): the core decides at each poll
// (Balloon::boot_wait_poll), the world sleeps HZ/10 between polls, as
// schedule_timeout_interruptible(HZ / 10) does for the upstream driver.
// 0; -1000 after the panic; -ETIMEDOUT when ballast gives up the wait;
// -EDEADLK when the wait can never end (HANG_WAIT after
// BALLAST_BOOT_WAIT_HANG_SECS without a change of credit) or the world hung
// while the waiter slept (HANG_SPIN).
template <class Env> long boot_wait(world::World &w, Balloon<Env> &b)
{
	using B = Balloon<Env>;
	typename B::BootWait st = b.boot_wait_poll(w.jiffies(), world::HZ, true);
	while (st == B::kBootSleep) {
		if (w.run_until(w.jiffies() + world::HZ / 10) == world::RunResult::Hang) {
			b.boot_wait_hung();
			return -35; // -EDEADLK
		}
		st = b.boot_wait_poll(w.jiffies(), world::HZ, false);
	}
	return st == B::kBootDone   ? 0 :
	       st == B::kBootPanic  ? kBootPanicked :
	       st == B::kBootGaveUp ? -kETIMEDOUT :
				      -35; // kBootHung: -EDEADLK, the waiter never returns
}
// Any other driver (diff/subject.h) runs its own.
template <class Driver> long boot_wait(world::World &, Driver &d)
{
	return d.boot_wait();
}

template <class Driver>
OpResult apply_op(world::World &w, Driver &d, Holdings &h, const Header &hdr, const Op &op)
{
	OpResult r;
	r.new_lent = h.lent.size();
	r.new_held = h.held.size();
	w.reset_wait_guard(); // the livelock guard counts waits within one operation
	const int64_t a = op.arg[0], b = op.arg[1];
	world::HypercallKnobs &pop = w.hv_knobs.populate, &dec = w.hv_knobs.decrease;
	switch (op.kind) {
	case OpKind::Target:
		r.rc = d.set_target((unsigned long)a);
		r.has_rc = true;
		break;
	case OpKind::Run:
		r.hang = w.run_pending_now() == world::RunResult::Hang;
		r.rc = r.hang;
		break;
	case OpKind::Advance:
		r.hang = advance(w, (uint64_t)a, hdr.advance_runs, &r.advance_cut);
		r.rc = r.hang;
		break;
	case OpKind::Lend: {
		const int n = (int)a;
		if (n > (int)h.buf.size())
			h.buf.resize((size_t)n);
		for (int i = 0; i < n; i++)
			h.buf[(size_t)i] = nullptr;
		const unsigned long hangs = w.event_count(BALLAST_EV_HANG_WAIT);
		r.rc = d.alloc_pages(n, h.buf.data());
		r.has_rc = true;
		if (r.rc == 0) {
			h.lent.insert(h.lent.end(), h.buf.begin(), h.buf.begin() + (n > 0 ? n : 0));
		} else if (w.event_count(BALLAST_EV_HANG_WAIT) > hangs || d.dead()) {
			// The caller never returns (it waits forever, or its task
			// crashed) and keeps what it got: upstream's pages[0..pgno).
			r.abandoned = true;
			for (int i = 0; i < n; i++)
				if (h.buf[(size_t)i])
					h.held.push_back(h.buf[(size_t)i]);
		}
		break;
	}
	case OpKind::GiveBack:
	case OpKind::GiveBackAll: {
		size_t k = op.kind == OpKind::GiveBackAll ? h.lent.size() : (size_t)a;
		if (k > h.lent.size())
			k = h.lent.size();
		d.free_pages((int)k, h.lent.data() + (h.lent.size() - k));
		h.lent.resize(h.lent.size() - k);
		r.new_lent = h.lent.size();
		break;
	}
	case OpKind::Online:
		r.rc = (long)w.online_pending();
		r.has_rc = true;
		break;
	case OpKind::HotplugUnpopulated:
		d.set_hotplug_unpopulated(a != 0);
		break;
	case OpKind::MaxScheduleDelay:
		r.rc = d.set_max_schedule_delay((unsigned long)a);
		r.has_rc = true;
		break;
	case OpKind::MaxRetryCount:
		r.rc = d.set_max_retry_count((unsigned long)a);
		r.has_rc = true;
		break;
	case OpKind::PopulateCap:
		pop.cap_extents = (unsigned long)a;
		break;
	case OpKind::PopulateFail:
		pop.fail_next = (unsigned long)a;
		pop.fail_result = b;
		break;
	case OpKind::PopulatePermille:
		pop.fail_permille = (uint32_t)a;
		break;
	case OpKind::PopulateLie:
		pop.lie_extra = a;
		break;
	case OpKind::PopulateNone:
		pop.result_when_none = a;
		break;
	case OpKind::DecreaseCap:
		dec.cap_extents = (unsigned long)a;
		break;
	case OpKind::DecreaseFail:
		dec.fail_next = (unsigned long)a;
		dec.fail_result = b;
		break;
	case OpKind::DecreasePermille:
		dec.fail_permille = (uint32_t)a;
		break;
	case OpKind::DecreaseLie:
		dec.lie_extra = a;
		break;
	case OpKind::DecreaseNone:
		dec.result_when_none = a;
		break;
	case OpKind::XenReset:
		w.hv_knobs = world::HypervisorKnobs();
		break;
	case OpKind::XenMaxPages:
		w.set_max_pages((unsigned long)a);
		break;
	case OpKind::XenHostPool:
		w.limit_host_pool((unsigned long)a);
		break;
	case OpKind::XenEnforceMaxPages:
		w.hv_knobs.enforce_max_pages = a != 0;
		break;
	case OpKind::AllocFail:
		w.alloc_knobs.fail_next = (unsigned long)a;
		break;
	case OpKind::AllocPermille:
		w.alloc_knobs.fail_permille = (uint32_t)a;
		break;
	case OpKind::AllocStorm:
		w.alloc_knobs.storm = a != 0;
		break;
	case OpKind::AllocPressure:
		w.set_pressure((unsigned long)a);
		break;
	case OpKind::AllocRelax:
		// Ends `alloc pressure` only (scenario/FORMAT.md); the other
		// allocator knobs stay as they were set.
		w.alloc_knobs.pressure = false;
		break;
	case OpKind::AllocMask:
		w.alloc_knobs.gfp_mask = (unsigned)a;
		break;
	case OpKind::HotplugResourceResult:
		w.hp_knobs.allocate_resource_result = (int)a;
		break;
	case OpKind::HotplugAddResult:
		w.hp_knobs.add_memory_result = (int)a;
		break;
	case OpKind::HotplugP2mFailAfter:
		w.hp_knobs.set_p2m_fail_after = a;
		break;
	case OpKind::HotplugAllocP2mResult:
		w.hp_knobs.alloc_p2m_result = (int)a;
		break;
	case OpKind::WaitInterrupt:
		w.wait_knobs.interrupt = a != 0;
		break;
	case OpKind::MemAvailable:
		w.set_mem_available_override((long)a);
		break;
	case OpKind::MemAvailableAuto:
		w.clear_mem_available_override();
		break;
	case OpKind::TotalReserve:
		w.set_totalreserve_pages((unsigned long)a);
		break;
	case OpKind::GuestTake:
	case OpKind::GuestFragment: // the middle frame of a wholly free block
		for (int64_t i = 0; i < a; i++) {
			ballast_page *p = op.kind == OpKind::GuestTake ? w.kernel_alloc() :
									 w.kernel_fragment();
			if (!p)
				break;
			h.guest.push_back(p);
			r.rc++;
		}
		r.has_rc = true;
		break;
	case OpKind::BootWait:
		r.rc = boot_wait(w, d);
		r.has_rc = true;
		break;
	case OpKind::XenMaxOrder:
		w.hv_knobs.max_order = (unsigned)a;
		break;
	case OpKind::XenHostFragment:
		for (int64_t i = 0; i < a && w.host_fragment(); i++)
			r.rc++;
		r.has_rc = true;
		break;
	case OpKind::GuestGive:
		for (int64_t i = 0; i < a && !h.guest.empty(); i++) {
			w.kernel_free(h.guest.back());
			h.guest.pop_back();
			r.rc++;
		}
		r.has_rc = true;
		break;
	}
	return r;
}

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_RUNTIME_H
