// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast-explore: every scenario up to a depth, over small worlds, through
// the lock-step engine and the core's invariant checker (explore/README.md).
// Options are parsed with getopt_long, numbers by scenario/cli.h: a bad
// argument is a one-line error and exit status 2.
#include <getopt.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cli.h"
#include "core_harness.h"
#include "explorer.h"

using namespace ballast;
using namespace ballast::explore;

namespace {

void usage(FILE *f)
{
	std::string worlds;
	for (const std::string &w : world_names())
		worlds += (worlds.empty() ? "" : ", ") + w;
	fprintf(f,
		"usage: ballast-explore [--depth K] [--left SPEC] [--right SPEC] [--world W]...\n"
		"                       [--alphabet full|small] [--jobs J] [--seconds S] [--json F]\n"
		"                       [--out DIR]\n"
		"                       [--max-findings N] [--plant KIND] [--no-invariants]\n"
		"                       [--no-dedup] [--check-dedup] [--progress S]\n"
		"       ballast-explore --sample N [--left SPEC] [--right SPEC] [--plant KIND] [--seconds S]\n"
		"\n"
		"Runs every scenario of at most K operations (default 6) over the worlds W\n"
		"(default all: %s; or a world header, KEY=VALUE ... as in scenario/FORMAT.md)\n"
		"and each world's alphabet, breadth-first, each distinct state expanded once,\n"
		"through the lock-step engine on the pair (default core:linux-2019 vs\n"
		"upstream:seed) and the core alone with the invariant checker.\n"
		"SPEC: %s\n"
		"--alphabet A   full (default): every operation; small: one of each class\n"
		"--seconds S    stop after S seconds; the claim is for the last depth exhausted\n"
		"--out DIR      write each finding's shortest scenario there (finding-N.scn)\n"
		"--plant KIND   plant audit fault KIND (0..%u, fuzz/audit_plants.cpp) in the core-alone runs\n"
		"--no-dedup     expand every scenario (a tree); --check-dedup also checks that\n"
		"               states with one key have the same successors\n"
		"--planted-weak-key  keys without the worlds: a planted fault --check-dedup must report\n"
		"--sample N     instead: N random scenarios of the differential campaign's generator\n"
		"               through the same oracles, until the first finding (the comparison)\n"
		"exit: 0 no finding; 1 a finding (or an error while exploring); 2 usage\n",
		worlds.c_str(), scenario::subject_syntax().c_str(), fuzz::CoreHarness::kPlants - 1);
}

int usage_error(const std::string &why)
{
	fprintf(stderr, "ballast-explore: %s\n", why.c_str());
	fprintf(stderr, "ballast-explore: usage: ballast-explore --help\n");
	return scenario::kUsageError;
}

enum Opt {
	kDepth = 256,
	kLeft,
	kRight,
	kWorld,
	kJobs,
	kSeconds,
	kJson,
	kOut,
	kMaxFindings,
	kPlant,
	kNoInvariants,
	kNoDedup,
	kCheckDedup,
	kProgress,
	kSample,
	kWeakKey,
	kAlphabet,
};

} // namespace

int main(int argc, char **argv)
{
	static const option kOptions[] = {
		{"depth", required_argument, nullptr, kDepth},
		{"left", required_argument, nullptr, kLeft},
		{"right", required_argument, nullptr, kRight},
		{"world", required_argument, nullptr, kWorld},
		{"jobs", required_argument, nullptr, kJobs},
		{"seconds", required_argument, nullptr, kSeconds},
		{"json", required_argument, nullptr, kJson},
		{"out", required_argument, nullptr, kOut},
		{"max-findings", required_argument, nullptr, kMaxFindings},
		{"plant", required_argument, nullptr, kPlant},
		{"no-invariants", no_argument, nullptr, kNoInvariants},
		{"no-dedup", no_argument, nullptr, kNoDedup},
		{"check-dedup", no_argument, nullptr, kCheckDedup},
		{"progress", required_argument, nullptr, kProgress},
		{"sample", required_argument, nullptr, kSample},
		{"planted-weak-key", no_argument, nullptr, kWeakKey},
		{"alphabet", required_argument, nullptr, kAlphabet},
		{"help", no_argument, nullptr, 'h'},
		{nullptr, 0, nullptr, 0},
	};
	Options o;
	std::string left = "core:linux-2019", right = "upstream:seed", json;
	std::vector<std::string> worlds;
	Alphabet alphabet = Alphabet::Full;
	int c, index = 0;
	std::string err;
	uint64_t n = 0, sample = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", kOptions, &index)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case kDepth:
			if (!scenario::parse_number("--depth", optarg, 0, 64, &n, &err))
				return usage_error(err);
			o.depth = (unsigned)n;
			break;
		case kLeft:
			left = optarg;
			break;
		case kRight:
			right = optarg;
			break;
		case kWorld:
			worlds.push_back(optarg);
			break;
		case kJobs:
			if (!scenario::parse_number("--jobs", optarg, 1, 64, &n, &err))
				return usage_error(err);
			o.jobs = (unsigned)n;
			break;
		case kSeconds:
			if (!scenario::parse_number("--seconds", optarg, 1, 1u << 30, &n, &err))
				return usage_error(err);
			o.seconds = (double)n;
			break;
		case kJson:
			json = optarg;
			break;
		case kOut:
			o.out_dir = optarg;
			break;
		case kMaxFindings:
			if (!scenario::parse_number("--max-findings", optarg, 1, 1u << 20, &n,
						    &err))
				return usage_error(err);
			o.max_findings = n;
			break;
		case kPlant:
			if (!scenario::parse_number("--plant", optarg, 0,
						    fuzz::CoreHarness::kPlants - 1, &n, &err))
				return usage_error(err);
			o.plant = (int)n;
			break;
		case kNoInvariants:
			o.invariants = false;
			break;
		case kNoDedup:
			o.dedup = false;
			break;
		case kCheckDedup:
			o.dedup = false;
			o.check_dedup = true;
			break;
		case kProgress:
			if (!scenario::parse_number("--progress", optarg, 0, 3600, &n, &err))
				return usage_error(err);
			o.progress_every = (double)n;
			break;
		case kSample:
			if (!scenario::parse_number("--sample", optarg, 1, 1ULL << 40, &n, &err))
				return usage_error(err);
			sample = n;
			break;
		case kAlphabet:
			if (!alphabet_from_name(optarg, &alphabet))
				return usage_error(std::string("--alphabet: unknown alphabet '") +
						   optarg + "' (full or small)");
			o.alphabet = optarg;
			break;
		case kWeakKey:
			o.weak_key = true;
			break;
		case ':':
			return usage_error(std::string(argv[optind - 1]) + " needs a value");
		default:
			return usage_error(std::string("unknown option '") + argv[optind - 1] +
					   "'");
		}
	}
	if (optind < argc)
		return usage_error(std::string("unexpected argument '") + argv[optind] + "'");
	if (!scenario::parse_subject_spec(left, &o.left, &err))
		return usage_error("--left: " + err);
	if (!scenario::parse_subject_spec(right, &o.right, &err))
		return usage_error("--right: " + err);
	if (worlds.empty())
		worlds = world_names();
	for (const std::string &w : worlds) {
		ExploreWorld ew;
		if (!make_world(w, alphabet, &ew, &err))
			return usage_error("--world: " + err);
		o.worlds.push_back(ew);
	}
	if (o.worlds.size() > 255)
		return usage_error("--world: at most 255 worlds");
	if (!o.out_dir.empty()) {
		std::ofstream probe(o.out_dir + "/.probe");
		if (!probe)
			return usage_error("--out: cannot write in '" + o.out_dir + "'");
		probe.close();
		std::remove((o.out_dir + "/.probe").c_str());
	}
	if (sample) {
		const Sample sm = run_sample(o, sample);
		if (!sm.error.empty()) {
			fprintf(stderr, "ballast-explore: %s\n", sm.error.c_str());
			return 1;
		}
		printf("sample: %s vs %s, %llu random scenarios (the campaign's generator) in %.2f s: %s\n",
		       o.left.text.c_str(), o.right.text.c_str(), (unsigned long long)sm.scenarios,
		       sm.seconds, sm.found ? sm.finding.message.c_str() : "no finding");
		if (sm.found)
			printf("%s", sm.finding.scenario.c_str());
		return sm.found ? 1 : 0;
	}
	const Result r = run_exploration(o, stderr);
	const std::string text = summary_text(o, r);
	fputs(text.c_str(), stdout);
	if (!json.empty()) {
		std::ofstream f(json);
		f << summary_json(o, r);
		if (!f) {
			fprintf(stderr, "ballast-explore: cannot write %s\n", json.c_str());
			return 1;
		}
	}
	return r.error.empty() && r.findings.empty() && !r.conflations ? 0 : 1;
}
