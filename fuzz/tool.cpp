// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast_fuzz_tool: the scenario/fuzz-input tool behind `./ballast replay`,
// `./ballast minimize` and the corpus conversion of the campaign.
//
//   replay FILE            step-by-step trace of the core in the simulated world
//   check FILE|DIR...      run each input; exit 1 if any breaks an invariant
//   minimize FILE OUT.scn  shrink a failing input (delta debugging), write it readable
//   to-scn FILE [OUT]      binary fuzz input or .scn -> readable text
//   to-bin FILE OUT        .scn or binary -> canonical binary fuzz input
//   export DIR... OUT      every .scn below DIRs -> binary files in OUT (for libFuzzer)
//   import DIR OUT PREFIX  every binary input in DIR -> OUT/PREFIX-<hash>.scn, skipping
//                          inputs already present in OUT (canonical form)
//
// FILE is readable text if it ends in .scn, else binary. Bad files: a clear
// error naming the line, exit status 2.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core_harness.h"

using namespace ballast;
using fuzz::CoreHarness;
using fuzz::Outcome;

namespace {

int usage()
{
	fprintf(stderr,
		"usage: ballast_fuzz_tool replay FILE | check FILE|DIR... | audit N FILE|DIR... | time R FILE|DIR... |\n"
		"       minimize FILE OUT.scn |\n"
		"       to-scn FILE [OUT] | to-bin FILE OUT | export DIR... OUT | import DIR OUT PREFIX\n");
	return 2;
}

bool load(const std::string &path, ballast_profile *p, diff::Scenario *s)
{
	std::string err;
	if (!fuzz::load_any(path, p, s, &err)) {
		fprintf(stderr, "error: %s: %s\n", path.c_str(), err.c_str());
		return false;
	}
	return true;
}

bool write_file(const std::string &path, const void *data, size_t n)
{
	std::ofstream f(path, std::ios::binary);
	f.write(static_cast<const char *>(data), (std::streamsize)n);
	if (!f) {
		fprintf(stderr, "error: cannot write %s\n", path.c_str());
		return false;
	}
	return true;
}

void collect(const std::string &path, std::vector<std::string> *out)
{
	struct stat st;
	if (stat(path.c_str(), &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		out->push_back(path);
		return;
	}
	DIR *d = opendir(path.c_str());
	if (!d)
		return;
	std::vector<std::string> names;
	while (dirent *e = readdir(d))
		if (e->d_name[0] != '.')
			names.push_back(e->d_name);
	closedir(d);
	std::sort(names.begin(), names.end());
	for (const std::string &n : names)
		collect(path + "/" + n, out);
}

uint64_t fnv1a(const std::vector<uint8_t> &v)
{
	uint64_t h = 1469598103934665603ULL;
	for (uint8_t b : v) {
		h ^= b;
		h *= 1099511628211ULL;
	}
	return h;
}

const char *outcome_name(Outcome o)
{
	switch (o) {
	case Outcome::Ok:
		return "ok";
	case Outcome::Violation:
		return "VIOLATION";
	case Outcome::Tolerated:
		return "tolerated (undetectable hypervisor lie or documented upstream slip)";
	case Outcome::NoXen:
		return "not a Xen domain";
	}
	return "?";
}

// First word of the message: the kind of failure ("leaked:", "forbidden", ...).
std::string failure_kind(const fuzz::RunResult &r)
{
	std::string m = r.message;
	size_t e = m.find_first_of(" \n");
	return m.substr(0, e);
}

int cmd_replay(const std::string &path)
{
	ballast_profile p;
	diff::Scenario s;
	if (!load(path, &p, &s))
		return 2;
	diff::Scenario fitted = s;
	fuzz::fit_for_fuzzing(&fitted);
	CoreHarness h;
	std::string trace;
	if (fitted != s)
		trace +=
			"(note: world and length fitted to the fuzzing limits, as the fuzz target runs it)\n";
	const fuzz::RunResult &r = h.run(p, fitted, &trace);
	fputs(trace.c_str(), stdout);
	printf("result: %s\n", outcome_name(r.outcome));
	if (r.outcome == Outcome::Tolerated)
		printf("%s\n", r.message.c_str());
	return r.outcome == Outcome::Violation ? 1 : 0;
}

int cmd_check(int argc, char **argv)
{
	std::vector<std::string> files;
	for (int i = 0; i < argc; i++)
		collect(argv[i], &files);
	CoreHarness h;
	int status = 0;
	for (const std::string &f : files) {
		ballast_profile p;
		diff::Scenario s;
		if (!load(f, &p, &s)) {
			status = 2;
			continue;
		}
		fuzz::fit_for_fuzzing(&s);
		const fuzz::RunResult &r = h.run(p, s);
		printf("%s: %s\n", f.c_str(), outcome_name(r.outcome));
		if (r.outcome == Outcome::Violation) {
			printf("%s", r.message.c_str());
			if (!status)
				status = 1;
		}
	}
	return status;
}

// Every corpus file under the arguments that loads, as the fuzz target's
// binary input; *names (if given) gets the path of each, in the same order.
std::vector<std::vector<uint8_t>> load_fuzz_inputs(int argc, char **argv,
						   std::vector<std::string> *names = nullptr)
{
	std::vector<std::string> files;
	for (int i = 0; i < argc; i++)
		collect(argv[i], &files);
	std::vector<std::vector<uint8_t>> inputs;
	for (const std::string &f : files) {
		ballast_profile p;
		diff::Scenario s;
		if (!load(f, &p, &s))
			continue;
		inputs.push_back(fuzz::encode_input(p, s));
		if (names)
			names->push_back(f);
	}
	return inputs;
}

// audit N DIR...: every corpus file, then N inputs made from them by random
// byte edits (fixed seed), each run with the incremental invariant checker
// audited by a full scan after every step, and with bugs planted now and then
// (CoreHarness::set_audit). Exit 1 if the two checkers ever disagree, or if a
// planted bug that breaks an invariant went uncaught.
int cmd_audit(unsigned long n, int argc, char **argv)
{
	const std::vector<std::vector<uint8_t>> inputs = load_fuzz_inputs(argc, argv);
	if (inputs.empty()) {
		fprintf(stderr, "audit: no corpus inputs\n");
		return 2;
	}
	CoreHarness h;
	h.set_audit(true, 0x9E3779B97F4A7C15ULL);
	uint64_t rng = 0x2545F4914F6CDD1DULL;
	auto next = [&rng]() { return world::xorshift64star(&rng); };
	unsigned long disagreements = 0, violations = 0, runs = 0;
	for (unsigned long i = 0; i < inputs.size() + n; i++) {
		std::vector<uint8_t> in = inputs[i % inputs.size()];
		if (i >= inputs.size()) { // 1-8 random byte edits: overwrite, insert or erase
			for (uint64_t k = 0, edits = 1 + next() % 8; k < edits; k++) {
				uint64_t r = next();
				size_t at = in.empty() ? 0 : (size_t)(r >> 8) % in.size();
				if ((r & 3) == 0 || in.empty())
					in.insert(in.begin() + (long)at, (uint8_t)(r >> 40));
				else if ((r & 3) == 1 && in.size() > 1)
					in.erase(in.begin() + (long)at);
				else
					in[at] = (uint8_t)(r >> 40);
			}
		}
		ballast_profile p;
		diff::Scenario s;
		fuzz::decode_input(in.data(), in.size(), &p, &s);
		fuzz::fit_for_fuzzing(&s);
		const fuzz::RunResult &r = h.run(p, s);
		runs++;
		if (r.message.find("incremental checker disagrees") != std::string::npos) {
			if (++disagreements <= 3)
				printf("input %lu (profile %s): %s\n%s\n", i, fuzz::profile_name(p),
				       r.message.c_str(), fuzz::print_input(p, s).c_str());
		} else if (r.outcome == Outcome::Violation) {
			violations++;
		}
	}
	printf("audit: %lu runs, %lu disagreements between incremental and full checks, %lu violations\n",
	       runs, disagreements, violations);
	// Every planted bug that must break an invariant was caught, and often
	// enough to mean something.
	const CoreHarness::AuditCounts &c = h.audit_counts();
	bool weak = false;
	for (unsigned k = 0; k < CoreHarness::kPlants; k++) {
		printf("  planted %6lu, caught %6lu: %s\n", c.planted[k], c.caught[k],
		       CoreHarness::plant_name(k));
		if (CoreHarness::plant_must_be_caught(k) &&
		    (c.planted[k] < 20 || c.caught[k] != c.planted[k]))
			weak = true;
	}
	if (weak)
		printf("audit: a planted bug that breaks an invariant was planted too rarely or not caught\n");
	return disagreements || weak ? 1 : 0;
}

// time R FILE|DIR...: what core_invariants spends per input, without
// libFuzzer: each input decoded, fitted and run as the fuzz target does, the
// fastest of R runs after one warm-up pass. Prints the mean, median, 90th
// percentile and maximum, the share of the time the slowest tenth of the
// inputs takes, and the three slowest files (./ballast bench).
int cmd_time(unsigned long reps, int argc, char **argv)
{
	std::vector<std::string> names;
	const std::vector<std::vector<uint8_t>> inputs = load_fuzz_inputs(argc, argv, &names);
	if (inputs.empty() || reps == 0) {
		fprintf(stderr, "time: no corpus inputs, or R = 0\n");
		return 2;
	}
	CoreHarness h;
	diff::Scenario s;
	std::vector<std::pair<double, size_t>> us; // (us per run, input)
	double total = 0;
	auto run_one = [&](const std::vector<uint8_t> &in) {
		ballast_profile p;
		fuzz::decode_input(in.data(), in.size(), &p, &s, fuzz::FuzzLimits().max_ops);
		fuzz::fit_for_fuzzing(&s);
		h.run(p, s);
	};
	for (const std::vector<uint8_t> &in :
	     inputs) // warm-up: first-touch page faults, buffer growth
		run_one(in);
	for (size_t k = 0; k < inputs.size(); k++) {
		const std::vector<uint8_t> &in = inputs[k];
		double t = 0; // the fastest run: a VM pause mid-run says nothing about the input
		for (unsigned long r = 0; r < reps; r++) {
			const auto t0 = std::chrono::steady_clock::now();
			run_one(in);
			const double d = std::chrono::duration<double, std::micro>(
						 std::chrono::steady_clock::now() - t0)
						 .count();
			if (r == 0 || d < t)
				t = d;
		}
		us.push_back({t, k});
		total += t;
	}
	std::sort(us.begin(), us.end());
	const size_t n = us.size(), tenth = (n + 9) / 10;
	double slow = 0;
	for (size_t i = n - tenth; i < n; i++)
		slow += us[i].first;
	printf("core_invariants per input (no libFuzzer; fastest of %lu runs each), %zu inputs: mean %.1f us (%.0f inputs/s), median %.1f us, "
	       "p90 %.1f us, max %.1f us; the slowest 10%% take %.0f%% of the time\n",
	       reps, n, total / (double)n, 1e6 * (double)n / total, us[n / 2].first,
	       us[n * 9 / 10].first, us[n - 1].first, 100 * slow / total);
	for (size_t i = n; i > 0 && i + 3 > n; i--)
		printf("  %8.1f us  %s\n", us[i - 1].first, names[us[i - 1].second].c_str());
	return 0;
}

struct Minimizer {
	CoreHarness h;
	ballast_profile profile;
	std::string kind;
	unsigned tries = 0;

	bool fails(const diff::Scenario &in)
	{
		tries++;
		diff::Scenario s = in;
		fuzz::fit_for_fuzzing(&s);
		const fuzz::RunResult &r = h.run(profile, s);
		return r.outcome == Outcome::Violation && failure_kind(r) == kind;
	}

	void shrink_ops(diff::Scenario *s)
	{
		// ddmin-style: remove chunks of decreasing size.
		for (size_t chunk = s->ops.size() / 2; chunk >= 1; chunk /= 2) {
			for (size_t i = 0; i + chunk <= s->ops.size();) {
				diff::Scenario t = *s;
				t.ops.erase(t.ops.begin() + (long)i,
					    t.ops.begin() + (long)(i + chunk));
				if (fails(t))
					*s = t;
				else
					i += chunk;
			}
		}
	}

	void shrink_header(diff::Scenario *s)
	{
		diff::Header d;
		uint64_t diff::Header::*fields[] = {
			&diff::Header::frames,	     &diff::Header::populated,
			&diff::Header::kernel,	     &diff::Header::highmem,
			&diff::Header::max_pages,    &diff::Header::host_pool,
			&diff::Header::max_pfn,	     &diff::Header::released,
			&diff::Header::pps,	     &diff::Header::addr_limit,
			&diff::Header::iomem_limit,  &diff::Header::mem_reserve,
			&diff::Header::totalreserve, &diff::Header::seed,
			&diff::Header::pv,	     &diff::Header::xen_domain,
			&diff::Header::online,	     &diff::Header::auto_region,
			&diff::Header::hotplug,	     &diff::Header::pvmmu,
			&diff::Header::xen_pv,	     &diff::Header::sparsemem,
		};
		for (auto f : fields) {
			if (s->header.*f == d.*f)
				continue;
			diff::Scenario t = *s;
			t.header.*f = d.*f;
			if (fails(t))
				*s = t;
		}
		while (s->header.n_regions) {
			diff::Scenario t = *s;
			t.header.n_regions--;
			if (!fails(t))
				break;
			*s = t;
		}
	}

	void shrink_args(diff::Scenario *s)
	{
		for (size_t i = 0; i < s->ops.size(); i++) {
			for (unsigned a = 0; a < 2; a++) {
				const diff::OpSpec &sp = diff::op_spec(s->ops[i].kind);
				if (a >= sp.nargs)
					continue;
				// Toward the smallest in-range magnitude, by halving.
				int64_t v = s->ops[i].arg[a];
				int64_t goal = sp.lo[a] > 0 ? sp.lo[a] :
					       sp.hi[a] < 0 ? sp.hi[a] :
							      0;
				while (v != goal) {
					int64_t cand = goal + (v - goal) / 2;
					diff::Scenario t = *s;
					t.ops[i].arg[a] = cand;
					if (!fails(t)) {
						break;
					}
					*s = t;
					v = cand;
					if (cand == goal)
						break;
				}
			}
		}
	}
};

int cmd_minimize(const std::string &in, const std::string &out)
{
	Minimizer m;
	diff::Scenario s;
	if (!load(in, &m.profile, &s))
		return 2;
	fuzz::fit_for_fuzzing(&s);
	const fuzz::RunResult &r0 = m.h.run(m.profile, s);
	if (r0.outcome != Outcome::Violation) {
		fprintf(stderr, "minimize: %s does not fail (%s); nothing to minimize\n",
			in.c_str(), outcome_name(r0.outcome));
		return 1;
	}
	m.kind = failure_kind(r0);
	size_t before = s.ops.size();
	for (int round = 0; round < 4; round++) {
		diff::Scenario prev = s;
		m.shrink_ops(&s);
		m.shrink_header(&s);
		m.shrink_args(&s);
		if (s == prev)
			break;
	}
	fuzz::fit_for_fuzzing(&s);
	const fuzz::RunResult &r = m.h.run(m.profile, s);
	std::string comment = "minimized from " + in + " (" + std::to_string(before) + " -> " +
			      std::to_string(s.ops.size()) + " operations, " +
			      std::to_string(m.tries) + " runs)\nfails after step " +
			      std::to_string(r.failed_step) + ":\n" + r.message;
	std::string text = fuzz::print_input(m.profile, s, comment);
	if (!write_file(out, text.data(), text.size()))
		return 2;
	fputs(text.c_str(), stdout);
	fprintf(stderr, "minimize: wrote %s\n", out.c_str());
	return 0;
}

int cmd_to_scn(const std::string &in, const std::string &out)
{
	ballast_profile p;
	diff::Scenario s;
	if (!load(in, &p, &s))
		return 2;
	std::string text = fuzz::print_input(p, s);
	if (out.empty()) {
		fputs(text.c_str(), stdout);
		return 0;
	}
	return write_file(out, text.data(), text.size()) ? 0 : 2;
}

int cmd_to_bin(const std::string &in, const std::string &out)
{
	ballast_profile p;
	diff::Scenario s;
	if (!load(in, &p, &s))
		return 2;
	std::vector<uint8_t> b = fuzz::encode_input(p, s);
	return write_file(out, b.data(), b.size()) ? 0 : 2;
}

int cmd_export(int argc, char **argv)
{
	std::string out = argv[argc - 1];
	mkdir(out.c_str(), 0755);
	std::vector<std::string> files;
	for (int i = 0; i < argc - 1; i++)
		collect(argv[i], &files);
	int status = 0;
	unsigned n = 0;
	for (const std::string &f : files) {
		if (f.size() < 4 || f.compare(f.size() - 4, 4, ".scn") != 0)
			continue;
		ballast_profile p;
		diff::Scenario s;
		if (!load(f, &p, &s)) {
			status = 2;
			continue;
		}
		std::vector<uint8_t> b = fuzz::encode_input(p, s);
		char name[32];
		snprintf(name, sizeof name, "%016llx", (unsigned long long)fnv1a(b));
		if (!write_file(out + "/" + name, b.data(), b.size()))
			status = 2;
		n++;
	}
	fprintf(stderr, "export: %u scenario(s) -> %s\n", n, out.c_str());
	return status;
}

int cmd_import(const std::string &dir, const std::string &out, const std::string &prefix)
{
	mkdir(out.c_str(), 0755);
	std::set<uint64_t> have;
	std::vector<std::string> existing;
	collect(out, &existing);
	for (const std::string &f : existing) {
		ballast_profile p;
		diff::Scenario s;
		std::string err;
		if (fuzz::load_any(f, &p, &s, &err))
			have.insert(fnv1a(fuzz::encode_input(p, s)));
	}
	std::vector<std::string> files;
	collect(dir, &files);
	unsigned added = 0;
	for (const std::string &f : files) {
		ballast_profile p;
		diff::Scenario s;
		if (!load(f, &p, &s))
			continue;
		std::vector<uint8_t> b = fuzz::encode_input(p, s);
		uint64_t h = fnv1a(b);
		if (!have.insert(h).second)
			continue;
		char name[64];
		snprintf(name, sizeof name, "/%s-%016llx.scn", prefix.c_str(),
			 (unsigned long long)h);
		std::string text = fuzz::print_input(p, s, "found by the fuzzer (" + prefix + ")");
		if (write_file(out + name, text.data(), text.size()))
			added++;
	}
	printf("%u\n", added);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	std::string cmd = argv[1];
	if (cmd == "replay" && argc == 3)
		return cmd_replay(argv[2]);
	if (cmd == "check" && argc >= 3)
		return cmd_check(argc - 2, argv + 2);
	if (cmd == "audit" && argc >= 4)
		return cmd_audit(strtoul(argv[2], nullptr, 10), argc - 3, argv + 3);
	if (cmd == "time" && argc >= 4)
		return cmd_time(strtoul(argv[2], nullptr, 10), argc - 3, argv + 3);
	if (cmd == "minimize" && argc == 4)
		return cmd_minimize(argv[2], argv[3]);
	if (cmd == "to-scn" && (argc == 3 || argc == 4))
		return cmd_to_scn(argv[2], argc == 4 ? argv[3] : "");
	if (cmd == "to-bin" && argc == 4)
		return cmd_to_bin(argv[2], argv[3]);
	if (cmd == "export" && argc >= 4)
		return cmd_export(argc - 2, argv + 2);
	if (cmd == "import" && argc == 5)
		return cmd_import(argv[2], argv[3], argv[4]);
	return usage();
}
