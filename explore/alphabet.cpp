// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "alphabet.h"

#include <set>

#include "text.h"

namespace ballast {
namespace explore {

namespace {

// Every class of input the core has (explore/README.md, "The bound"); the
// small alphabet keeps one operation of each class. Targets are per world
// (targets_of).
struct CommonOp {
	const char *text;
	bool small;
};
const CommonOp kCommonOps[] = {
	// the clock and the worker
	{"run", true},
	{"advance 1", true},
	{"advance 32", false}, // the longest backoff delay (max_schedule_delay 32)
	// lending: one page, a negative count, giving back
	{"lend 1", true},
	{"lend -1", false},
	{"giveback 1", true},
	// memory onlining and knob writes
	{"online", true},
	{"hotplug_unpopulated 1", true},
	{"max_retry_count 1", true},
	{"max_schedule_delay 0", false}, // insane: validate_inputs
	// hypervisor replies: partial, error, zero, over-large; honest again
	{"xen populate cap 1", true},
	{"xen populate fail 1 -12", true},
	{"xen populate fail 1 0", false},
	{"xen populate lie 1", true},
	{"xen decrease cap 1", false},
	{"xen decrease fail 1 -12", true},
	{"xen decrease lie 1", false},
	{"xen reset", true},
	// the allocator: one failure, pressure (nothing more to take), relief
	{"alloc fail 1", true},
	{"alloc pressure 0", false},
	{"alloc relax", false},
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
	{"hvm", "frames=24 populated=24 kernel=4 host_pool=8 pps=8 iomem_limit=64",
	 "HVM, 24 pages of which 20 free, a host pool of 8; hotplug in sections of 8, onlined "
	 "by `online`: the batch world's inputs in a world small enough for depth"},
	{"pv",
	 "frames=24 populated=16 highmem=12 pv=1 pps=8 host_pool=16 iomem_limit=64 online=deferred",
	 "PV, 16 pages populated, pages 12.. highmem, the extra region 16..23 ballooned at boot; "
	 "hotplug in sections of 8, onlined at the next scheduler run"},
};

// Targets that land on every boundary the driver has: down by one page, by a
// batch (512) and one more, to zero; back to boot; up into the extra region,
// by a hotplug section and one more; and an insane one above any maximum.
// The full alphabet has all of them (512 and 513 down where the world has the
// pages); the small one one of each kind.
std::vector<unsigned long long> targets_of(const scenario::Header &h, bool small)
{
	const unsigned long long pop = h.populated < h.frames ? h.populated : h.frames;
	unsigned long long pps = 1;
	while (pps * 2 <= h.pps)
		pps *= 2;
	// small: down by one, across a batch (or to zero), back, up across a
	// section, insane
	std::set<unsigned long long> t = {pop, h.frames + pps + 1, 1ULL << 48};
	if (pop >= 1)
		t.insert(pop - 1);
	t.insert(pop >= 513 ? pop - 513 : 0);
	if (!small) {
		t.insert({0, h.frames, h.frames + pps});
		if (pop >= 512)
			t.insert(pop - 512);
	}
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

bool alphabet_from_name(const std::string &name, Alphabet *out)
{
	if (name == "full")
		*out = Alphabet::Full;
	else if (name == "small")
		*out = Alphabet::Small;
	else
		return false;
	return true;
}

bool make_world(const std::string &spec, Alphabet a, ExploreWorld *out, std::string *err)
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
	const bool small = a == Alphabet::Small;
	for (unsigned long long t : targets_of(head.header, small))
		text += "target " + std::to_string(t) + "\n";
	for (const CommonOp &op : kCommonOps)
		if (op.small || !small)
			text += std::string(op.text) + "\n";
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
