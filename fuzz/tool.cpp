// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast_fuzz_tool: the scenario/fuzz-input tool behind `./ballast replay`,
// `./ballast minimize` and the corpus conversion of the campaign.
//
//   replay [--text|--binary] FILE     step-by-step trace of the core in the simulated world
//   check FILE|DIR...                 run each input; exit 1 if any breaks an invariant
//   audit N FILE|DIR...               checker audit with planted bugs (ctest)
//   time R FILE|DIR...                core_invariants' cost per input (./ballast bench)
//   minimize [--text|--binary] FILE OUT.scn   shrink a failing input, write it readable
//   to-scn [--text|--binary] FILE [OUT]       any input -> canonical readable text
//   to-bin FILE OUT                   -> binary fuzz input (refused outside the fuzz limits)
//   export [--fitting] DIR... OUT     every scenario text below DIRs -> binary files in OUT
//                                     (--fitting: skip, and count, texts outside the fuzz
//                                     limits instead of failing on them)
//   import DIR OUT PREFIX             every binary input in DIR -> OUT/PREFIX-<hash>.scn,
//                                     skipping inputs already present in OUT
//
// Every file is read by scenario/load.h (text or binary by content, or as the
// option says) and runs as written: a text scenario is not fitted to the fuzz
// limits. Bad files and bad arguments: a one-line error, exit status 2.
#include <getopt.h>
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

#include "binary.h"
#include "cli.h"
#include "core_harness.h"
#include "load.h"
#include "names.h"
#include "text.h"

using namespace ballast;
using fuzz::CoreHarness;
using fuzz::Outcome;
using scenario::Scenario;

namespace {

const char kUsage[] = "usage: ballast_fuzz_tool replay [--text|--binary] FILE\n"
		      "       ballast_fuzz_tool check FILE|DIR...\n"
		      "       ballast_fuzz_tool audit N FILE|DIR...\n"
		      "       ballast_fuzz_tool time R FILE|DIR...\n"
		      "       ballast_fuzz_tool minimize [--text|--binary] FILE OUT.scn\n"
		      "       ballast_fuzz_tool to-scn [--text|--binary] FILE [OUT]\n"
		      "       ballast_fuzz_tool to-bin FILE OUT\n"
		      "       ballast_fuzz_tool export [--fitting] DIR... OUT\n"
		      "       ballast_fuzz_tool import DIR OUT PREFIX\n";

int usage(const std::string &why = "")
{
	if (!why.empty())
		fprintf(stderr, "ballast_fuzz_tool: %s\n", why.c_str());
	fputs(kUsage, stderr);
	return scenario::kUsageError;
}

bool load(const std::string &path, scenario::Format f, scenario::Loaded *out)
{
	std::string err;
	if (!scenario::load_file(path, f, out, &err)) {
		fprintf(stderr, "error: %s\n", err.c_str());
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

// The files below each argument (scenario/load.h); false, with the error
// printed, when an argument cannot be read.
bool collect(const std::string &path, std::vector<std::string> *out)
{
	std::string err;
	if (scenario::collect_input_files(path, out, &err))
		return true;
	fprintf(stderr, "error: %s\n", err.c_str());
	return false;
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
		return "init refused (-ENODEV: not a Xen domain; -ERANGE: the boot figures underflow)";
	}
	return "?";
}

// The outcome in one line: a tolerated run says whether it stopped, and
// which documented slips it met (oracle/findings.h names them).
std::string outcome_line(const fuzz::RunResult &r)
{
	if (r.outcome != Outcome::Tolerated)
		return outcome_name(r.outcome);
	std::string s = r.completed ?
				"tolerated: ran to the end with documented slips:" :
				"tolerated: stopped after step " + std::to_string(r.failed_step) +
					" (lie, crash or hang)";
	if (r.completed) {
		std::vector<std::string> names;
		for (const std::string &sl : r.slips) {
			const size_t a = sl.find("slip ");
			const std::string n = a == std::string::npos ?
						      sl :
						      sl.substr(a + 5, sl.find(' ', a + 5) - a - 5);
			if (std::find(names.begin(), names.end(), n) == names.end())
				names.push_back(n);
		}
		for (const std::string &n : names)
			s += " " + n;
	}
	return s;
}

// First word of the message: the kind of failure ("leaked:", "forbidden", ...).
std::string failure_kind(const fuzz::RunResult &r)
{
	std::string m = r.message;
	size_t e = m.find_first_of(" \n");
	return m.substr(0, e);
}

int cmd_replay(const std::string &path, scenario::Format f)
{
	scenario::Loaded in;
	if (!load(path, f, &in))
		return 2;
	CoreHarness h;
	std::string trace = path + ": " + in.description() + "\n";
	const fuzz::RunResult &r = h.run(in.scenario, &trace);
	fputs(trace.c_str(), stdout);
	printf("result: %s\n", outcome_line(r).c_str());
	if (r.outcome == Outcome::Tolerated)
		printf("%s\n", r.message.c_str());
	return r.outcome == Outcome::Violation ? 1 : 0;
}

int cmd_check(const std::vector<std::string> &args)
{
	std::vector<std::string> files;
	int status = 0;
	for (const std::string &a : args)
		if (!collect(a, &files))
			status = 2;
	if (files.empty()) {
		fprintf(stderr, "error: no input files under %s\n", args[0].c_str());
		return 2;
	}
	CoreHarness h;
	for (const std::string &f : files) {
		scenario::Loaded in;
		if (!load(f, scenario::Format::Auto, &in)) {
			status = 2;
			continue;
		}
		const fuzz::RunResult &r = h.run(in.scenario);
		printf("%s: %s\n", f.c_str(), outcome_line(r).c_str());
		if (r.outcome == Outcome::Violation) {
			printf("%s", r.message.c_str());
			if (!status)
				status = 1;
		}
	}
	return status;
}

// Every corpus file under the arguments, as the fuzz target's binary input;
// *names (if given) gets the path of each, in the same order. Files outside
// the fuzz limits are an error (the fuzz target would run something else).
bool load_fuzz_inputs(const std::vector<std::string> &args,
		      std::vector<std::vector<uint8_t>> *inputs,
		      std::vector<std::string> *names = nullptr)
{
	std::vector<std::string> files;
	bool ok = true;
	for (const std::string &a : args)
		ok &= collect(a, &files);
	for (const std::string &f : files) {
		scenario::Loaded in;
		std::vector<uint8_t> bin;
		std::string why;
		if (!load(f, scenario::Format::Auto, &in)) {
			ok = false;
			continue;
		}
		if (!scenario::encode_input(in.scenario, &bin, &why)) {
			fprintf(stderr, "error: %s: not a fuzz input as written: %s\n", f.c_str(),
				why.c_str());
			ok = false;
			continue;
		}
		inputs->push_back(bin);
		if (names)
			names->push_back(f);
	}
	return ok;
}

// audit N DIR...: every corpus file, then N inputs made from them by random
// byte edits (fixed seed), each run with the incremental invariant checker
// audited by a full scan after every step, and with bugs planted now and then
// (CoreHarness::set_audit). Exit 1 if the two checkers ever disagree, or if a
// planted bug that breaks an invariant went uncaught.
int cmd_audit(uint64_t n, const std::vector<std::string> &args)
{
	std::vector<std::vector<uint8_t>> inputs;
	if (!load_fuzz_inputs(args, &inputs) || inputs.empty()) {
		fprintf(stderr, "audit: no corpus inputs, or a bad one\n");
		return 2;
	}
	CoreHarness h;
	h.set_audit(true, 0x9E3779B97F4A7C15ULL);
	uint64_t rng = 0x2545F4914F6CDD1DULL;
	auto next = [&rng]() { return world::xorshift64star(&rng); };
	unsigned long disagreements = 0, violations = 0, runs = 0;
	Scenario s;
	for (uint64_t i = 0; i < inputs.size() + n; i++) {
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
		scenario::decode_input(in.data(), in.size(), &s);
		const fuzz::RunResult &r = h.run(s);
		runs++;
		if (r.message.find("incremental checker disagrees") != std::string::npos) {
			if (++disagreements <= 3)
				printf("input %llu: %s\n%s\n", (unsigned long long)i,
				       r.message.c_str(), scenario::print_scenario(s).c_str());
		} else if (r.outcome == Outcome::Violation) {
			violations++;
		}
	}
	printf("audit: %lu runs, %lu disagreements between incremental and full checks, %lu "
	       "violations\n",
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
		printf("audit: a planted bug that breaks an invariant was planted too rarely or not "
		       "caught\n");
	return disagreements || weak ? 1 : 0;
}

// time R FILE|DIR...: what core_invariants spends per input, without
// libFuzzer: each input decoded and run as the fuzz target does, the fastest
// of R runs after one warm-up pass. Prints the mean, median, 90th percentile
// and maximum, the share of the time the slowest tenth of the inputs takes,
// and the three slowest files (./ballast bench).
int cmd_time(uint64_t reps, const std::vector<std::string> &args)
{
	std::vector<std::string> names;
	std::vector<std::vector<uint8_t>> inputs;
	if (!load_fuzz_inputs(args, &inputs, &names) || inputs.empty()) {
		fprintf(stderr, "time: no corpus inputs, or a bad one\n");
		return 2;
	}
	CoreHarness h;
	Scenario s;
	std::vector<std::pair<double, size_t>> us; // (us per run, input)
	double total = 0;
	auto run_one = [&](const std::vector<uint8_t> &in) {
		scenario::decode_input(in.data(), in.size(), &s);
		h.run(s);
	};
	for (const std::vector<uint8_t> &in :
	     inputs) // warm-up: first-touch page faults, buffer growth
		run_one(in);
	for (size_t k = 0; k < inputs.size(); k++) {
		const std::vector<uint8_t> &in = inputs[k];
		double t = 0; // the fastest run: a VM pause mid-run says nothing about the input
		for (uint64_t r = 0; r < reps; r++) {
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
	printf("core_invariants per input (no libFuzzer; fastest of %llu runs each), %zu inputs: "
	       "mean %.1f us (%.0f inputs/s), median %.1f us, "
	       "p90 %.1f us, max %.1f us; the slowest 10%% take %.0f%% of the time\n",
	       (unsigned long long)reps, n, total / (double)n, 1e6 * (double)n / total,
	       us[n / 2].first, us[n * 9 / 10].first, us[n - 1].first, 100 * slow / total);
	for (size_t i = n; i > 0 && i + 3 > n; i--)
		printf("  %8.1f us  %s\n", us[i - 1].first, names[us[i - 1].second].c_str());
	return 0;
}

// Delta debugging of a core_invariants failure: keep a change when the
// scenario still fails with the same kind of violation. A scenario that was a
// fuzz input stays one (every candidate outside the fuzz limits is refused),
// so the result replays through the fuzz targets too.
struct Minimizer {
	CoreHarness h;
	std::string kind;
	bool keep_limits = false;
	unsigned tries = 0;

	bool fails(const Scenario &s)
	{
		if (keep_limits && !scenario::within_limits(s, nullptr))
			return false;
		tries++;
		const fuzz::RunResult &r = h.run(s);
		return r.outcome == Outcome::Violation && failure_kind(r) == kind;
	}

	void shrink_ops(Scenario *s)
	{
		for (size_t chunk = s->ops.size() / 2; chunk >= 1; chunk /= 2) {
			for (size_t i = 0; i + chunk <= s->ops.size();) {
				Scenario t = *s;
				t.ops.erase(t.ops.begin() + (long)i,
					    t.ops.begin() + (long)(i + chunk));
				if (fails(t))
					*s = t;
				else
					i += chunk;
			}
		}
	}

	void shrink_header(Scenario *s)
	{
		const scenario::Header d;
		uint64_t scenario::Header::*fields[] = {
			&scenario::Header::frames,	 &scenario::Header::populated,
			&scenario::Header::kernel,	 &scenario::Header::highmem,
			&scenario::Header::max_pages,	 &scenario::Header::host_pool,
			&scenario::Header::max_pfn,	 &scenario::Header::released,
			&scenario::Header::pps,		 &scenario::Header::addr_limit,
			&scenario::Header::iomem_limit,	 &scenario::Header::mem_reserve,
			&scenario::Header::totalreserve, &scenario::Header::seed,
			&scenario::Header::pv,		 &scenario::Header::xen_domain,
			&scenario::Header::online,	 &scenario::Header::auto_region,
			&scenario::Header::hotplug,	 &scenario::Header::pvmmu,
			&scenario::Header::xen_pv,	 &scenario::Header::sparsemem,
			&scenario::Header::advance_runs,
		};
		for (auto f : fields) {
			if (s->header.*f == d.*f)
				continue;
			Scenario t = *s;
			t.header.*f = d.*f;
			if (fails(t))
				*s = t;
		}
		while (s->header.n_regions) {
			Scenario t = *s;
			t.header.n_regions--;
			if (!fails(t))
				break;
			*s = t;
		}
	}

	void shrink_args(Scenario *s)
	{
		for (size_t i = 0; i < s->ops.size(); i++) {
			for (unsigned a = 0; a < 2; a++) {
				const scenario::OpSpec &sp = scenario::op_spec(s->ops[i].kind);
				if (a >= sp.nargs)
					continue;
				// Toward the smallest in-range magnitude, by halving.
				int64_t v = s->ops[i].arg[a];
				int64_t goal = sp.lo[a] > 0 ? sp.lo[a] :
					       sp.hi[a] < 0 ? sp.hi[a] :
							      0;
				while (v != goal) {
					int64_t cand = goal + (v - goal) / 2;
					Scenario t = *s;
					t.ops[i].arg[a] = cand;
					if (!fails(t))
						break;
					*s = t;
					v = cand;
				}
			}
		}
	}
};

int cmd_minimize(const std::string &in, const std::string &out, scenario::Format f)
{
	Minimizer m;
	scenario::Loaded loaded;
	if (!load(in, f, &loaded))
		return 2;
	Scenario s = loaded.scenario;
	m.keep_limits = scenario::within_limits(s, nullptr);
	const fuzz::RunResult &r0 = m.h.run(s);
	if (r0.outcome != Outcome::Violation) {
		fprintf(stderr, "minimize: %s does not fail (%s); nothing to minimize\n",
			in.c_str(), outcome_name(r0.outcome));
		return 1;
	}
	m.kind = failure_kind(r0);
	const size_t before = s.ops.size();
	for (int round = 0; round < 4; round++) {
		Scenario prev = s;
		m.shrink_ops(&s);
		m.shrink_header(&s);
		m.shrink_args(&s);
		if (s == prev)
			break;
	}
	const fuzz::RunResult &r = m.h.run(s);
	std::string comment = "minimized from " + in + " (" + std::to_string(before) + " -> " +
			      std::to_string(s.ops.size()) + " operations, " +
			      std::to_string(m.tries) + " runs)\nfails after step " +
			      std::to_string(r.failed_step) + ":\n" + r.message;
	std::string text = scenario::print_scenario(s, comment);
	if (!write_file(out, text.data(), text.size()))
		return 2;
	fputs(text.c_str(), stdout);
	fprintf(stderr, "minimize: wrote %s\n", out.c_str());
	return 0;
}

int cmd_to_scn(const std::string &in, const std::string &out, scenario::Format f)
{
	scenario::Loaded loaded;
	if (!load(in, f, &loaded))
		return 2;
	std::string text = scenario::print_scenario(loaded.scenario);
	if (out.empty()) {
		fputs(text.c_str(), stdout);
		return 0;
	}
	return write_file(out, text.data(), text.size()) ? 0 : 2;
}

int cmd_to_bin(const std::string &in, const std::string &out)
{
	scenario::Loaded loaded;
	if (!load(in, scenario::Format::Auto, &loaded))
		return 2;
	std::vector<uint8_t> b;
	std::string why;
	if (!scenario::encode_input(loaded.scenario, &b, &why)) {
		fprintf(stderr, "error: %s: not a fuzz input as written: %s\n", in.c_str(),
			why.c_str());
		return 2;
	}
	return write_file(out, b.data(), b.size()) ? 0 : 2;
}

int cmd_export(const std::vector<std::string> &dirs, const std::string &out, bool fitting)
{
	if (mkdir(out.c_str(), 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "error: cannot create %s: %s\n", out.c_str(), strerror(errno));
		return 2;
	}
	std::vector<std::string> files;
	int status = 0;
	for (const std::string &d : dirs)
		if (!collect(d, &files))
			status = 2;
	unsigned n = 0, skipped = 0;
	for (const std::string &f : files) {
		scenario::Loaded in;
		if (!load(f, scenario::Format::Auto, &in)) {
			status = 2;
			continue;
		}
		if (!in.text)
			continue; // binary corpus files are exported as they are by the caller
		std::vector<uint8_t> b;
		std::string why;
		if (!scenario::encode_input(in.scenario, &b, &why)) {
			if (fitting) {
				skipped++;
				continue;
			}
			fprintf(stderr, "error: %s: not a fuzz input as written: %s\n", f.c_str(),
				why.c_str());
			status = 2;
			continue;
		}
		char name[32];
		snprintf(name, sizeof name, "%016llx", (unsigned long long)fnv1a(b));
		if (!write_file(out + "/" + name, b.data(), b.size()))
			status = 2;
		n++;
	}
	fprintf(stderr, "export: %u scenario(s) -> %s", n, out.c_str());
	if (skipped)
		fprintf(stderr, "; %u skipped: outside the fuzz limits (scenario/limits.h)",
			skipped);
	fputc('\n', stderr);
	return status;
}

int cmd_import(const std::string &dir, const std::string &out, const std::string &prefix)
{
	if (mkdir(out.c_str(), 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "error: cannot create %s: %s\n", out.c_str(), strerror(errno));
		return 2;
	}
	std::set<uint64_t> have;
	std::vector<std::string> existing, files;
	if (!collect(out, &existing) || !collect(dir, &files))
		return 2;
	std::vector<uint8_t> b;
	for (const std::string &f : existing) {
		scenario::Loaded in;
		std::string err;
		if (scenario::load_file(f, scenario::Format::Auto, &in, &err) &&
		    scenario::encode_input(in.scenario, &b, &err))
			have.insert(fnv1a(b));
	}
	unsigned added = 0;
	for (const std::string &f : files) {
		scenario::Loaded in;
		// libFuzzer's corpus is binary whatever its bytes look like.
		if (!load(f, scenario::Format::Binary, &in))
			continue;
		std::string why;
		if (!scenario::encode_input(in.scenario, &b, &why))
			continue; // cannot happen: every decoded input is within the limits
		uint64_t h = fnv1a(b);
		if (!have.insert(h).second)
			continue;
		char name[64];
		snprintf(name, sizeof name, "/%s-%016llx.scn", prefix.c_str(),
			 (unsigned long long)h);
		std::string text = scenario::print_scenario(in.scenario,
							    "found by the fuzzer (" + prefix + ")");
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
	const std::string cmd = argv[1];
	scenario::Format format = scenario::Format::Auto;
	bool fitting = false;
	static const option kOptions[] = {
		{"text", no_argument, nullptr, 't'},
		{"binary", no_argument, nullptr, 'b'},
		{"fitting", no_argument, nullptr, 'f'},
		{"help", no_argument, nullptr, 'h'},
		{nullptr, 0, nullptr, 0},
	};
	optind = 2;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+h", kOptions, nullptr)) != -1) {
		switch (c) {
		case 't':
			format = scenario::Format::Text;
			break;
		case 'b':
			format = scenario::Format::Binary;
			break;
		case 'f':
			fitting = true;
			break;
		case 'h':
			fputs(kUsage, stdout);
			return 0;
		default:
			return usage(std::string("unknown option '") + argv[optind - 1] + "'");
		}
	}
	const std::vector<std::string> args(argv + optind, argv + argc);
	const size_t n = args.size();
	const bool format_verb = cmd == "replay" || cmd == "minimize" || cmd == "to-scn";
	if (format != scenario::Format::Auto && !format_verb)
		return usage("--text/--binary are for replay, minimize and to-scn");
	if (fitting && cmd != "export")
		return usage("--fitting is for export");
	uint64_t count = 0;
	std::string err;
	if (cmd == "replay" && n == 1)
		return cmd_replay(args[0], format);
	if (cmd == "check" && n >= 1)
		return cmd_check(args);
	if ((cmd == "audit" || cmd == "time") && n >= 2) {
		const uint64_t lo = cmd == "time" ? 1 : 0;
		if (!scenario::parse_number(cmd == "time" ? "time R" : "audit N", args[0].c_str(),
					    lo, 1000000000, &count, &err))
			return usage(err);
		const std::vector<std::string> rest(args.begin() + 1, args.end());
		return cmd == "audit" ? cmd_audit(count, rest) : cmd_time(count, rest);
	}
	if (cmd == "minimize" && n == 2)
		return cmd_minimize(args[0], args[1], format);
	if (cmd == "to-scn" && (n == 1 || n == 2))
		return cmd_to_scn(args[0], n == 2 ? args[1] : "", format);
	if (cmd == "to-bin" && n == 2)
		return cmd_to_bin(args[0], args[1]);
	if (cmd == "export" && n >= 2)
		return cmd_export(std::vector<std::string>(args.begin(), args.end() - 1),
				  args[n - 1], fitting);
	if (cmd == "import" && n == 3)
		return cmd_import(args[0], args[1], args[2]);
	return usage(cmd == "help" ? "" : "bad verb or arguments: '" + cmd + "'");
}
