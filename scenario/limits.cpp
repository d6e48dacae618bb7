// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "limits.h"

namespace ballast {
namespace scenario {

namespace {

// Extra regions are unpopulated guest RAM: inside [populated, frames) and
// disjoint and ascending (in Linux they come from the E820 map). Anything
// else describes no real machine and makes the world report frames twice.
bool regions_ok(const Header &h)
{
	uint64_t floor = h.populated;
	for (unsigned i = 0; i < h.n_regions; i++) {
		if (h.region_pages[i] == 0 || h.region_start[i] < floor ||
		    h.region_start[i] + h.region_pages[i] > h.frames)
			return false;
		floor = h.region_start[i] + h.region_pages[i];
	}
	return true;
}

// The PoD entries an HVM header describes (scenario/FORMAT.md, `pod`).
uint64_t pod_entries(const Header &h)
{
	if (h.pv || h.pvh || h.dom0)
		return 0;
	const uint64_t end = h.max_pfn && h.max_pfn < h.frames ? h.max_pfn : h.frames;
	return end > h.populated ? end - h.populated : 0;
}

} // namespace

void fit_to_limits(Scenario *s, const FuzzLimits &lim)
{
	Header &h = s->header;
	if (h.frames > lim.max_frames)
		h.frames = lim.max_frames;
	if (h.populated > h.frames)
		h.populated = h.frames;
	if (h.kernel > h.populated)
		h.kernel = h.populated;
	if (h.max_pfn > 2 * lim.max_frames)
		h.max_pfn = 2 * lim.max_frames;
	// A PV guest's populated boot pages all lie below max_pfn (Linux releases
	// those above a mem= limit at boot); a header saying otherwise describes
	// no real machine and breaks tot_pages == current_pages at init.
	if (h.max_pfn && h.max_pfn < h.populated)
		h.max_pfn = h.populated;
	if (h.host_pool > lim.max_host_pool)
		h.host_pool = lim.max_host_pool;
	if (h.pps > lim.max_pps)
		h.pps = lim.max_pps;
	if (h.iomem_limit > lim.max_iomem_pfn)
		h.iomem_limit = lim.max_iomem_pfn;
	h.advance_runs = lim.advance_runs;
	// The boot keys only where they mean something, and within what they
	// can mean (scenario/FORMAT.md): the world would ignore or cut the rest.
	if (h.pv)
		h.pvh = 0;
	else if (h.dom0)
		h.pvh = 1; // there is no HVM dom0
	if (!h.pv || h.firmware > h.populated)
		h.firmware = h.pv ? h.populated : 0;
	if (h.pod > pod_entries(h))
		h.pod = pod_entries(h);
	uint64_t floor = h.populated;
	unsigned kept = 0;
	for (unsigned i = 0; i < h.n_regions && i < Header::kMaxRegions; i++) {
		uint64_t start = h.region_start[i] < floor ? floor : h.region_start[i];
		uint64_t end = h.region_start[i] + h.region_pages[i];
		if (end > h.frames)
			end = h.frames;
		if (start >= end)
			continue; // empty or outside guest space: dropped
		h.region_start[kept] = start;
		h.region_pages[kept] = end - start;
		kept++;
		floor = end;
	}
	for (unsigned i = kept; i < Header::kMaxRegions; i++)
		h.region_start[i] = h.region_pages[i] = 0;
	h.n_regions = kept;
	if (s->ops.size() > lim.max_ops)
		s->ops.resize(lim.max_ops);
	for (Op &o : s->ops)
		if (o.kind == OpKind::Lend && o.arg[0] > lim.max_lend)
			o.arg[0] = lim.max_lend;
}

bool within_limits(const Scenario &s, std::string *why, const FuzzLimits &lim)
{
	const Header &h = s.header;
	auto over = [&](const char *what, uint64_t v, uint64_t max) {
		if (why)
			*why = std::string(what) + "=" + std::to_string(v) +
			       " is above the fuzz limit " + std::to_string(max);
		return false;
	};
	auto bad = [&](const std::string &what) {
		if (why)
			*why = what;
		return false;
	};
	if (h.frames > lim.max_frames)
		return over("frames", h.frames, lim.max_frames);
	if (h.host_pool > lim.max_host_pool)
		return over("host_pool", h.host_pool, lim.max_host_pool);
	if (h.pps > lim.max_pps)
		return over("pps", h.pps, lim.max_pps);
	if (h.iomem_limit > lim.max_iomem_pfn)
		return over("iomem_limit", h.iomem_limit, lim.max_iomem_pfn);
	if (h.max_pfn > 2 * lim.max_frames)
		return over("max_pfn", h.max_pfn, 2 * lim.max_frames);
	if (h.populated > h.frames || h.kernel > h.populated)
		return bad("fuzz inputs have kernel <= populated <= frames");
	if (h.max_pfn && h.max_pfn < h.populated)
		return bad("fuzz inputs have max_pfn=0 or max_pfn >= populated");
	if (h.pv && h.pvh)
		return bad("fuzz inputs have pvh=0 with pv=1");
	if (!h.pv && h.dom0 && !h.pvh)
		return bad("fuzz inputs have pvh=1 with dom0=1 and pv=0 (there is no HVM dom0)");
	if ((!h.pv && h.firmware) || h.firmware > h.populated)
		return bad("fuzz inputs have firmware only with pv=1, at most populated");
	if (h.pod > pod_entries(h))
		return bad(
			"fuzz inputs have pod at most the PoD entries (HVM: min(frames, max_pfn) - "
			"populated)");
	if (!regions_ok(h))
		return bad(
			"fuzz inputs have non-empty regions inside [populated, frames), ascending "
			"and disjoint");
	if (h.advance_runs != lim.advance_runs)
		return bad("advance_runs=" + std::to_string(h.advance_runs) +
			   ": fuzz inputs always run with advance_runs=" +
			   std::to_string(lim.advance_runs));
	if (s.ops.size() > lim.max_ops)
		return over("operations", s.ops.size(), lim.max_ops);
	for (size_t i = 0; i < s.ops.size(); i++)
		if (s.ops[i].kind == OpKind::Lend && s.ops[i].arg[0] > lim.max_lend)
			return bad("operation " + std::to_string(i + 1) + ": lend " +
				   std::to_string(s.ops[i].arg[0]) + " is above the fuzz limit " +
				   std::to_string(lim.max_lend));
	if (!s.left.empty() || !s.right.empty())
		return bad("a pair line cannot be a fuzz input (the selector byte chooses only the "
			   "profile)");
	return true;
}

} // namespace scenario
} // namespace ballast
