// SPDX-License-Identifier: GPL-2.0 OR MIT
// extent_bench: what a balloon costs per GiB it moves, in the simulated
// world -- reservation hypercalls (counted by the world's hypervisor) and
// CPU time (the process's, the world's simulation included, the same for
// every subject) -- for each subject on each scenario, side by side with
// ratios. The default subjects: the upstream drivers under the kernel-API
// shim, the ballast core at 4 KiB (superpage_extents off: today's path) and
// ballast. A benchmark, not a timed test: --max-ratio / --max-ratio-4k
// check only hypercall counts, which are deterministic.
//
//   extent_bench [--repeat N] [--subject SPEC]... [--max-ratio R]
//                [--max-ratio-4k R] FILE...
//
// Every run must end at its last target with the world's books clean (the
// invariant checker on the core's subjects), else the run is an error.
#include <getopt.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "core_subject.h"
#include "engine.h"
#include "invariants.h"
#include "load.h"
#include "names.h"
#include "runtime.h"

using namespace ballast;
using namespace ballast::diff;
using namespace ballast::scenario;

namespace {

constexpr const char *kBallast = "core:ballast";
constexpr const char *kFourK = "core:ballast+superpage_extents=0";
constexpr double kPagesPerGiB = 262144.0;

double cpu_seconds()
{
	timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct Figures {
	uint64_t calls = 0; // reservation hypercalls
	uint64_t pages = 0; // pages their extents moved
	double cpu = 0;	    // seconds (the fastest repetition)
	double gib() const { return (double)pages / kPagesPerGiB; }
	double calls_per_gib() const { return pages ? (double)calls / gib() : 0; }
	double ms_per_gib() const { return pages ? cpu * 1e3 / gib() : 0; }
};

const unsigned kReservationCmds[] = {XENMEM_increase_reservation, XENMEM_decrease_reservation,
				     XENMEM_populate_physmap};

// The measured part: every operation of the scenario. Not inlined, so
// that callgrind can count its instructions alone
// (--toggle-collect='*apply_all*', diff/README.md).
__attribute__((noinline)) void apply_all(const Scenario &s, Subject &subj, world::World &w,
					 Holdings &hold)
{
	for (const Op &op : s.ops)
		apply_op(w, subj, hold, s.header, op);
}

// One run of the scenario through one subject; false and *err if it did
// not end where it should.
bool run_once(const Scenario &s, Subject &subj, world::World &w, Figures *f, std::string *err)
{
	world::Config cfg;
	world_config(s, &cfg);
	w.reset(cfg);
	ballast_boot_info boot;
	w.fill_boot_info(&boot);
	if (subj.init(w, boot, s.header.config()) != 0) {
		*err = "init failed";
		return false;
	}
	Holdings hold;
	const double t0 = cpu_seconds();
	apply_all(s, subj, w, hold);
	f->cpu = cpu_seconds() - t0;
	f->calls = f->pages = 0;
	for (unsigned cmd : kReservationCmds) {
		f->calls += w.memory_op_calls(cmd);
		f->pages += w.memory_op_pages(cmd);
	}
	const ballast_stats st = subj.stats();
	if (subj.dead() || st.current_pages != st.target_pages ||
	    w.tot_pages() != st.current_pages || w.faults_total() != 0) {
		*err = "ended at current_pages=" + std::to_string(st.current_pages) +
		       " target=" + std::to_string(st.target_pages) +
		       " tot_pages=" + std::to_string(w.tot_pages()) +
		       " faults=" + std::to_string(w.faults_total());
		return false;
	}
	if (auto *core = dynamic_cast<CoreSubject *>(&subj)) {
		world::InvariantChecker chk;
		if (chk.check(w, core->core().ballooned_head(), st, hold.lent) != 0) {
			*err = "invariants: " + chk.report();
			return false;
		}
	}
	return true;
}

void usage(FILE *f)
{
	fprintf(f,
		"usage: extent_bench [--repeat N] [--subject SPEC]... [--max-ratio R] "
		"[--max-ratio-4k R] FILE...\n"
		"  each scenario through each subject (default: upstream:6.1, upstream:seed,\n"
		"  %s, %s), N times (default 3, the fastest counts):\n"
		"  reservation hypercalls and CPU ms per GiB moved, and their ratios to the first.\n"
		"  --max-ratio R     exit 1 unless %s makes at most R times the first's calls/GiB\n"
		"  --max-ratio-4k R  exit 1 unless it makes at most R times %s's\n"
		"SPEC: %s\n",
		kFourK, kBallast, kBallast, kFourK, subject_syntax().c_str());
}

int usage_error(const std::string &why)
{
	fprintf(stderr, "extent_bench: %s\n", why.c_str());
	fprintf(stderr, "extent_bench: usage: extent_bench --help\n");
	return kUsageError;
}

bool parse_ratio(const char *opt, const char *text, double *out, std::string *err)
{
	char *end = nullptr;
	double v = strtod(text, &end);
	if (!*text || *end || !(v > 0) || v > 1e6) {
		*err = std::string(opt) + " wants a positive number, got '" + text + "'";
		return false;
	}
	*out = v;
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	enum { kRepeat = 256, kSubject, kMaxRatio, kMaxRatio4k, kHelp };
	static const option kOptions[] = {
		{"repeat", required_argument, nullptr, kRepeat},
		{"subject", required_argument, nullptr, kSubject},
		{"max-ratio", required_argument, nullptr, kMaxRatio},
		{"max-ratio-4k", required_argument, nullptr, kMaxRatio4k},
		{"help", no_argument, nullptr, kHelp},
		{nullptr, 0, nullptr, 0},
	};
	uint64_t repeat = 3;
	std::vector<std::string> specs;
	double max_ratio = 0, max_ratio_4k = 0;
	std::string err;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", kOptions, nullptr)) != -1) {
		switch (c) {
		case kRepeat:
			if (!parse_number("--repeat", optarg, 1, 1000, &repeat, &err))
				return usage_error(err);
			break;
		case kSubject:
			specs.push_back(optarg);
			break;
		case kMaxRatio:
			if (!parse_ratio("--max-ratio", optarg, &max_ratio, &err))
				return usage_error(err);
			break;
		case kMaxRatio4k:
			if (!parse_ratio("--max-ratio-4k", optarg, &max_ratio_4k, &err))
				return usage_error(err);
			break;
		case kHelp:
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			return usage_error(std::string("option ") + argv[optind - 1] +
					   " needs a value");
		default:
			return usage_error(std::string("unknown option ") + argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("no scenario file");
	if (specs.empty()) {
		if (upstream_available()) {
			specs.push_back("upstream:6.1");
			specs.push_back("upstream:seed");
		}
		specs.push_back(kFourK);
		specs.push_back(kBallast);
	}
	std::vector<std::unique_ptr<Subject>> subjects;
	for (const std::string &spec : specs) {
		SubjectSpec ss;
		if (!parse_subject_spec(spec, &ss, &err))
			return usage_error(err);
		subjects.push_back(make_subject(ss, &err));
		if (!subjects.back())
			return usage_error(spec + ": " + err);
	}
	world::World w;
	int status = 0;
	for (int i = optind; i < argc; i++) {
		Loaded in;
		if (!load_file(argv[i], Format::Auto, &in, &err)) {
			fprintf(stderr, "extent_bench: %s\n", err.c_str());
			return kUsageError;
		}
		printf("%s (sp_order=%llu, %s), fastest of %llu runs:\n", argv[i],
		       (unsigned long long)in.scenario.header.sp_order,
		       in.scenario.header.pv ? "PV" : "HVM", (unsigned long long)repeat);
		printf("  %-34s %10s %9s %12s %12s %10s %10s\n", "subject", "GiB moved", "calls",
		       "calls/GiB", "CPU ms/GiB", "calls vs 1st", "CPU vs 1st");
		std::vector<Figures> figs(subjects.size());
		for (size_t k = 0; k < subjects.size(); k++) {
			for (uint64_t r = 0; r < repeat; r++) {
				Figures f;
				if (!run_once(in.scenario, *subjects[k], w, &f, &err)) {
					fprintf(stderr, "extent_bench: %s: %s: %s\n", argv[i],
						specs[k].c_str(), err.c_str());
					return 1;
				}
				if (r == 0 || f.cpu < figs[k].cpu)
					figs[k] = f;
			}
			const Figures &f = figs[k], &b = figs[0];
			printf("  %-34s %10.3f %9llu %12.2f %12.3f %10.5f %10.3f\n",
			       specs[k].c_str(), f.gib(), (unsigned long long)f.calls,
			       f.calls_per_gib(), f.ms_per_gib(),
			       f.calls_per_gib() / b.calls_per_gib(),
			       f.ms_per_gib() / b.ms_per_gib());
		}
		// The checks, on hypercall counts only.
		auto find = [&](const char *spec) -> const Figures * {
			for (size_t k = 0; k < specs.size(); k++)
				if (specs[k] == spec)
					return &figs[k];
			return nullptr;
		};
		const Figures *b = find(kBallast), *four = find(kFourK);
		if (max_ratio > 0) {
			double r = b ? b->calls_per_gib() / figs[0].calls_per_gib() : 1e9;
			printf("  check: %s calls/GiB / %s's = %.5f (at most %.5f): %s\n", kBallast,
			       specs[0].c_str(), r, max_ratio, r <= max_ratio ? "ok" : "FAILED");
			if (r > max_ratio)
				status = 1;
		}
		if (max_ratio_4k > 0) {
			double r = b && four ? b->calls_per_gib() / four->calls_per_gib() : 1e9;
			printf("  check: %s calls/GiB / %s's = %.5f (at most %.5f): %s\n", kBallast,
			       kFourK, r, max_ratio_4k, r <= max_ratio_4k ? "ok" : "FAILED");
			if (r > max_ratio_4k)
				status = 1;
		}
	}
	return status;
}
