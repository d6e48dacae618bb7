// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "generate.h"

namespace ballast {
namespace scenario {

namespace {
struct Rng {
	uint64_t s;
	uint64_t next()
	{ // splitmix64
		uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
		return z ^ (z >> 31);
	}
	uint64_t below(uint64_t n) { return n ? next() % n : 0; }
	int64_t range(int64_t lo, int64_t hi)
	{
		return lo + (int64_t)below((uint64_t)(hi - lo + 1));
	}
	bool chance(unsigned pct) { return below(100) < pct; }
	template <class T, size_t N> T pick(const T (&a)[N]) { return a[below(N)]; }
};
} // namespace

void generate_scenario(uint64_t seed, const GenOptions &opt, Scenario *out)
{
	Rng r{seed * 0x2545F4914F6CDD1DULL + 0x1234567};
	*out = Scenario();
	Header &h = out->header;
	static const uint64_t kFrames[] = {64, 128, 256, 512, 1024};
	static const uint64_t kPps[] = {16, 32, 64, 128};
	h.frames = r.pick(kFrames);
	h.pv = opt.pv && r.chance(35) ? 1 : 0;
	h.populated = r.chance(40) ? h.frames : h.frames - r.below(h.frames / 2);
	h.kernel = r.below(h.populated / 2 + 1);
	h.highmem = r.chance(30) ? r.below(h.frames + 1) : Header::kNone;
	h.max_pages = r.chance(60) ? 0 : h.frames + r.below(h.frames * 2);
	h.host_pool = r.chance(20) ? r.below(64) : h.frames + r.below(h.frames * 2);
	h.pps = r.pick(kPps);
	h.online = r.below(3);
	h.hotplug = r.chance(60);
	h.pvmmu = r.chance(70);
	h.xen_pv = r.chance(70);
	h.sparsemem = r.chance(70);
	h.mem_reserve = r.chance(70) ? 0 : r.below(64);
	h.totalreserve = r.chance(60) ? 0 : r.below(48);
	h.released = r.chance(85) ? 0 : r.below(32);
	h.seed = r.below(1u << 16) + 1;
	if (r.chance(10)) {
		// MAX_PHYSMEM_BITS: the limit is a power of two.
		unsigned bits = 0;
		while ((1ULL << bits) < h.frames)
			bits++;
		h.addr_limit = 1ULL << (bits + r.below(3));
	}
	if (r.chance(10))
		h.iomem_limit = h.frames + r.below(4 * h.frames);
	if (r.chance(10))
		h.xen_domain = r.chance(50);
	// The boot types (scenario/FORMAT.md): dom0, PVH or HVM, PV pages that
	// are not RAM, populate-on-demand, unpopulated-alloc taking the regions.
	h.dom0 = r.chance(15);
	if (!h.pv)
		h.pvh = r.chance(35);
	if (h.pv && r.chance(30))
		h.firmware = r.below((h.populated < 100 ? h.populated : 100) + 1);
	if (!h.pv && !h.pvh && !h.dom0 && h.populated < h.frames && r.chance(40)) {
		h.populated = h.frames / 2 + r.below(h.frames / 2); // E820 RAM above what Xen backs
		h.kernel = r.below(h.populated / 2 + 1);
		h.pod = r.below(h.frames - h.populated + 1);
	}
	if ((h.pv || h.pvh) && r.chance(15))
		h.unpopulated_alloc = 1;
	if ((h.pv || h.pvh) && r.chance(20)) {
		h.auto_region = r.chance(50);
		h.n_regions = 1 + r.below(3);
		for (unsigned i = 0; i < h.n_regions; i++) {
			h.region_start[i] = h.populated + r.below(h.frames - h.populated + 1);
			h.region_pages[i] = r.below(h.frames / 4 + 1);
		}
	}
	// A mem= limit: at or above the populated boot pages (below them no
	// machine boots, scenario/FORMAT.md), often below an extra region.
	if (r.chance(10))
		h.max_pfn = (h.populated ? h.populated : 1) + r.below(h.frames);
	// Superpage blocks: x86-64's 2 MiB, or blocks small enough that these
	// worlds hold many of them, or none.
	static const uint64_t kOrders[] = {9, 9, 0, 2, 3, 4, 5, 6};
	h.sp_order = r.pick(kOrders);

	unsigned nops = (unsigned)r.range(opt.min_ops, opt.max_ops);
	int64_t lent = 0;
	int64_t pop = (int64_t)h.populated;
	if (h.pod && r.chance(60)) {
		// The toolstack's first target (what Xen backs), then the late
		// initcall that waits for the balloon to get there.
		Op t, w;
		t.kind = OpKind::Target;
		t.arg[0] = (int64_t)(h.populated + h.pod);
		w.kind = OpKind::BootWait;
		out->ops.push_back(t);
		if (r.chance(70))
			out->ops.push_back(w);
	}
	for (unsigned k = 0; k < nops; k++) {
		Op o;
		unsigned w = (unsigned)r.below(opt.hostile ? 100 : 70);
		if (w < 18) {
			o.kind = OpKind::Target;
			int64_t span = pop / 2 + 1;
			int64_t t = pop + r.range(-span, span + (int64_t)h.pps);
			if (r.chance(5))
				t = 0;
			else if (h.frames >= 1024 && r.chance(10))
				t = pop / 8; // a balloon of more than one 512-page batch
			if (r.chance(2))
				t = (int64_t)(1ULL << 41);
			o.arg[0] = t < 0 ? 0 : t;
		} else if (w < 32) {
			o.kind = OpKind::Run;
		} else if (w < 44) {
			static const int64_t kSecs[] = {1, 1, 2, 3, 4, 8, 16, 33, 64, 200};
			o.kind = OpKind::Advance;
			o.arg[0] = r.pick(kSecs);
		} else if (w < 51) {
			o.kind = OpKind::Lend;
			o.arg[0] = r.range(1, 48);
			if (opt.negative_lending && r.chance(10))
				o.arg[0] = -r.range(1, 8);
			lent += o.arg[0];
		} else if (w < 56) {
			if (r.chance(30)) {
				o.kind = OpKind::GiveBackAll;
				lent = 0;
			} else {
				o.kind = OpKind::GiveBack;
				o.arg[0] = r.range(1, lent > 1 ? lent : 1);
			}
		} else if (w < 60) {
			o.kind = OpKind::Online;
		} else if (w < 63) {
			// With highmem, hotplug_unpopulated lending livelocks upstream and
			// the core alike (retrieve(lowmem) fails while the list is never
			// empty): a known hang of 32-bit guests, kept out of random runs.
			o.kind = OpKind::HotplugUnpopulated;
			o.arg[0] = h.highmem == Header::kNone ? r.chance(60) : 0;
		} else if (w < 65) {
			o.kind = r.chance(50) ? OpKind::MaxScheduleDelay : OpKind::MaxRetryCount;
			static const int64_t kVals[] = {0, 1, 2, 4, 8, 32, 100};
			o.arg[0] = r.pick(kVals);
		} else if (w < 67) {
			o.kind = r.chance(50) ? OpKind::GuestTake : OpKind::GuestGive;
			o.arg[0] = r.range(1, 64);
			if (r.chance(8))
				o.kind = OpKind::BootWait;
		} else if (w < 70) {
			o.kind = r.chance(70) ? OpKind::TotalReserve : OpKind::MemAvailableAuto;
			o.arg[0] = (int64_t)r.below(64);
		} else {
			// hostile world behaviour
			static const OpKind kHostile[] = {
				OpKind::PopulateCap,
				OpKind::PopulateFail,
				OpKind::PopulatePermille,
				OpKind::PopulateLie,
				OpKind::PopulateNone,
				OpKind::DecreaseCap,
				OpKind::DecreaseFail,
				OpKind::DecreasePermille,
				OpKind::DecreaseLie,
				OpKind::DecreaseNone,
				OpKind::XenReset,
				OpKind::XenMaxPages,
				OpKind::XenHostPool,
				OpKind::XenEnforceMaxPages,
				OpKind::AllocFail,
				OpKind::AllocPermille,
				OpKind::AllocStorm,
				OpKind::AllocPressure,
				OpKind::AllocRelax,
				OpKind::AllocMask,
				OpKind::HotplugResourceResult,
				OpKind::HotplugAddResult,
				OpKind::HotplugP2mFailAfter,
				OpKind::HotplugAllocP2mResult,
				OpKind::WaitInterrupt,
				OpKind::MemAvailable,
			};
			// Superpage blocks broken or refused: rarer, the other
			// misbehaviour keeps its share.
			static const OpKind kSuperpage[] = {
				OpKind::XenMaxOrder,
				OpKind::XenHostFragment,
				OpKind::GuestFragment,
			};
			o.kind = h.sp_order && r.chance(8) ? r.pick(kSuperpage) : r.pick(kHostile);
			switch (o.kind) {
			case OpKind::PopulateCap:
			case OpKind::DecreaseCap:
				o.arg[0] = r.range(0, 64);
				break;
			case OpKind::PopulateFail:
			case OpKind::DecreaseFail:
				o.arg[0] = r.range(1, 4);
				o.arg[1] = r.chance(60) ? -12 : r.range(-22, 3);
				break;
			case OpKind::PopulatePermille:
			case OpKind::DecreasePermille:
			case OpKind::AllocPermille:
				o.arg[0] = r.range(0, 600);
				break;
			case OpKind::PopulateLie:
				// Mostly small lies; sometimes a reply beyond one 512-entry
				// batch (UB_FRAME_OVERRUN upstream, HOSTILE_REPLY in ballast).
				o.arg[0] = r.chance(25) ? r.range(505, 1100) : r.range(-4, 8);
				if (o.arg[0] > 8 && h.frames >= 1024 && r.chance(50)) {
					// ... and the episode that makes it matter: a balloon of
					// more than one batch, then a reason to deflate it.
					Op deep, run, up;
					deep.kind = OpKind::Target;
					deep.arg[0] = pop / 8;
					run.kind = OpKind::Run;
					up.kind = OpKind::Target;
					up.arg[0] = pop;
					out->ops.push_back(deep);
					out->ops.push_back(run);
					out->ops.push_back(o);
					out->ops.push_back(up);
					o = run;
				}
				break;
			case OpKind::DecreaseLie:
				o.arg[0] = r.range(-4, 8);
				break;
			case OpKind::PopulateNone:
			case OpKind::DecreaseNone:
				o.arg[0] = r.range(-12, 2);
				break;
			case OpKind::XenMaxPages:
				o.arg[0] = pop + r.range(-pop / 2, pop);
				break;
			case OpKind::XenHostPool:
				o.arg[0] = r.range(0, pop);
				break;
			case OpKind::XenEnforceMaxPages:
			case OpKind::AllocStorm:
			case OpKind::WaitInterrupt:
				o.arg[0] = r.chance(50);
				break;
			case OpKind::AllocFail:
				o.arg[0] = r.range(1, 16);
				break;
			case OpKind::AllocPressure:
				o.arg[0] = r.range(0, 64);
				break;
			case OpKind::AllocMask:
				o.arg[0] = r.range(0, 3);
				break;
			case OpKind::HotplugResourceResult:
			case OpKind::HotplugAddResult:
			case OpKind::HotplugAllocP2mResult:
				o.arg[0] = r.chance(50) ? 0 : -r.range(1, 22);
				break;
			case OpKind::HotplugP2mFailAfter:
				o.arg[0] = r.range(-1, 64);
				break;
			case OpKind::MemAvailable:
				o.arg[0] = r.range(-16, pop);
				break;
			case OpKind::XenMaxOrder:
				o.arg[0] = r.range(0, 10);
				break;
			case OpKind::XenHostFragment:
			case OpKind::GuestFragment:
				o.arg[0] = r.chance(30) ? 65536 : r.range(1, 8);
				break;
			default:
				break;
			}
		}
		out->ops.push_back(o);
	}
	sanitize(out);
}

} // namespace scenario
} // namespace ballast
