// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "alphabet.h"

#include <set>

#include "text.h"

namespace ballast {
namespace explore {

namespace {

// Every class of input the core has, once each (explore/README.md, "The
// bound"). Targets are per world (targets_of).
const char *const kCommonOps[] = {
	// the clock and the worker
	"run",
	"advance 1",
	"advance 32", // the longest backoff delay (max_schedule_delay 32)
	// lending: one page, a negative count, giving back
	"lend 1",
	"lend -1",
	"giveback 1",
	// memory onlining and knob writes
	"online",
	"hotplug_unpopulated 1",
	"max_retry_count 1",
	"max_schedule_delay 0", // insane: validate_inputs
	// hypervisor replies: partial, error, zero, over-large; honest again
	"xen populate cap 1",
	"xen populate fail 1 -12",
	"xen populate fail 1 0",
	"xen populate lie 1",
	"xen decrease cap 1",
	"xen decrease fail 1 -12",
	"xen decrease lie 1",
	"xen reset",
	// the allocator: one failure, pressure (nothing more to take), relief
	"alloc fail 1",
	"alloc pressure 0",
	"alloc relax",
};

struct Builtin {
	const char *name;
	const char *header;
	const char *what;
};
const Builtin kBuiltins[] = {
	{"batch", "frames=640 populated=640 kernel=96 host_pool=64 pps=64 iomem_limit=832",
	 "HVM, 640 pages of which 544 free: targets 512 and 513 pages down cross a batch; "
	 "hotplug in sections of 64, onlined by `online`"},
	{"pv",
	 "frames=24 populated=16 highmem=12 pv=1 pps=8 host_pool=16 iomem_limit=64 online=deferred",
	 "PV, 16 pages populated, pages 12.. highmem, the extra region 16..23 ballooned at boot; "
	 "hotplug in sections of 8, onlined at the next scheduler run"},
};

// Targets that land on every boundary the driver has: down by one page, by a
// batch (512) and one more, to zero; back to boot; up into the extra region,
// by a hotplug section and one more; and an insane one above any maximum.
std::vector<unsigned long long> targets_of(const scenario::Header &h)
{
	const unsigned long long pop = h.populated < h.frames ? h.populated : h.frames;
	unsigned long long pps = 1;
	while (pps * 2 <= h.pps)
		pps *= 2;
	std::set<unsigned long long> t = {
		0, pop, h.frames, h.frames + pps, h.frames + pps + 1, 1ULL << 48};
	if (pop >= 1)
		t.insert(pop - 1);
	if (pop >= 512)
		t.insert(pop - 512);
	if (pop >= 513)
		t.insert(pop - 513);
	return std::vector<unsigned long long>(t.begin(), t.end());
}

} // namespace

const std::vector<std::string> &world_names()
{
	static const std::vector<std::string> names = [] {
		std::vector<std::string> n;
		for (const Builtin &b : kBuiltins)
			n.push_back(b.name);
		return n;
	}();
	return names;
}

bool make_world(const std::string &spec, ExploreWorld *out, std::string *err)
{
	const Builtin *b = nullptr;
	for (const Builtin &c : kBuiltins)
		if (spec == c.name)
			b = &c;
	if (!b && spec.find('=') == std::string::npos) {
		std::string names;
		for (const Builtin &c : kBuiltins)
			names += std::string(names.empty() ? "" : ", ") + c.name;
		*err = "unknown world '" + spec + "' (one of " + names +
		       ", or a world header: KEY=VALUE ...)";
		return false;
	}
	std::string text = "world " + std::string(b ? b->header : spec) + "\n";
	scenario::Scenario head;
	scenario::ParseError pe;
	if (!scenario::parse_scenario(text, &head, &pe)) {
		*err = "world '" + spec + "': " + pe.message;
		return false;
	}
	for (unsigned long long t : targets_of(head.header))
		text += "target " + std::to_string(t) + "\n";
	for (const char *op : kCommonOps)
		text += std::string(op) + "\n";
	scenario::Scenario s;
	if (!scenario::parse_scenario(text, &s, &pe)) {
		*err = "world '" + spec + "': " + pe.to_string();
		return false;
	}
	out->name = b ? b->name : "custom";
	out->header = s.header;
	out->ops = s.ops;
	out->what = b ? b->what : "given on the command line";
	return true;
}

} // namespace explore
} // namespace ballast
