// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast-diff: lock-step differential testing from the command line.
// Files are read by scenario/load.h (text or binary by content); options are
// parsed with getopt_long, numbers by scenario/cli.h: a bad argument is a
// one-line error and exit status 2, never a default in its place.
#include <getopt.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "binary.h"
#include "cli.h"
#include "driver.h"
#include "load.h"

using namespace ballast;
using namespace ballast::diff;

namespace {

void usage(FILE *f)
{
	fprintf(f,
		"usage:\n"
		"  ballast-diff run FILE [--left SPEC] [--right SPEC] [--text|--binary] [--json F]\n"
		"                   [--html F] [--repro F] [--no-attribute] [--no-minimize] [--trace]\n"
		"                   [--lenient-hang]\n"
		"  ballast-diff random [--count N] [--seed S] [--left SPEC] [--right SPEC]\n"
		"                   [--json F] [--html F] [--repro F] [--no-hostile] "
		"[--no-negative-lending]\n"
		"                   [--keep-going] [--no-attribute] [--lenient-hang] [--stats-json F]\n"
		"  ballast-diff campaign [--count N] ...   random, default 1000000 scenarios, prints "
		"the rate\n"
		"  ballast-diff corpus FILE|DIR... [--text|--binary] [--stats-json F] [--examples DIR]\n"
		"                   [--no-attribute] [--lenient-hang]   every input on its own pair,\n"
		"                   counted per pair and switch (one minimized example per switch)\n"
		"  ballast-diff print FILE [--text|--binary]   the scenario `run` runs, as canonical "
		"text\n"
		"  ballast-diff encode FILE OUT            scenario -> binary fuzz input (within the "
		"fuzz limits)\n"
		"  ballast-diff decode IN                  binary fuzz input -> scenario text\n"
		"  ballast-diff generate --seed S          one random scenario as text\n"
		"\n"
		"SPEC: %s\n"
		"run: the pair is the file's (its '# pair:' line, else core:PROFILE vs the upstream\n"
		"     version PROFILE models, PROFILE from its '# profile:' line or selector byte);\n"
		"     --left/--right replace a side. random: core:ballast vs upstream:seed.\n"
		"exit: 0 no divergence or every divergence attributed; 1 unattributed divergence; 2 "
		"usage\n",
		scenario::subject_syntax().c_str());
}

int usage_error(const std::string &why)
{
	fprintf(stderr, "ballast-diff: %s\n", why.c_str());
	fprintf(stderr, "ballast-diff: usage: ballast-diff --help\n");
	return scenario::kUsageError;
}

bool write_file(const std::string &path, const std::string &data)
{
	if (path.empty())
		return true;
	std::ofstream f(path, std::ios::binary);
	f << data;
	if (!f) {
		fprintf(stderr, "ballast-diff: cannot write %s\n", path.c_str());
		return false;
	}
	return true;
}

struct Args {
	std::string cmd;
	std::vector<std::string> files;
	std::string left, right;
	std::string json, html, repro, stats_json, examples;
	uint64_t count = 1000, seed = 1;
	bool count_set = false, seed_set = false;
	bool attribute = true, minimize = true, keep_going = false, trace = false,
	     lenient_hang = false;
	scenario::Format format = scenario::Format::Auto;
	scenario::GenOptions gen;
	std::vector<std::string> given; // every option given, as written
};

enum Opt {
	kLeft = 256,
	kRight,
	kJson,
	kHtml,
	kRepro,
	kStatsJson,
	kExamples,
	kCount,
	kSeed,
	kNoAttribute,
	kNoMinimize,
	kStrictHang,
	kLenientHang,
	kTrace,
	kKeepGoing,
	kNoHostile,
	kNegativeLending,
	kNoNegativeLending,
	kText,
	kBinary,
};

// 0: parsed; 1: --help; 2: usage error (already reported).
int parse_args(int argc, char **argv, Args *a)
{
	if (argc < 2)
		return usage_error("no verb");
	a->cmd = argv[1];
	if (a->cmd == "-h" || a->cmd == "--help" || a->cmd == "help")
		return 1;
	static const option kOptions[] = {
		{"left", required_argument, nullptr, kLeft},
		{"right", required_argument, nullptr, kRight},
		{"json", required_argument, nullptr, kJson},
		{"html", required_argument, nullptr, kHtml},
		{"repro", required_argument, nullptr, kRepro},
		{"stats-json", required_argument, nullptr, kStatsJson},
		{"examples", required_argument, nullptr, kExamples},
		{"count", required_argument, nullptr, kCount},
		{"seed", required_argument, nullptr, kSeed},
		{"no-attribute", no_argument, nullptr, kNoAttribute},
		{"no-minimize", no_argument, nullptr, kNoMinimize},
		{"strict-hang", no_argument, nullptr, kStrictHang},
		{"lenient-hang", no_argument, nullptr, kLenientHang},
		{"trace", no_argument, nullptr, kTrace},
		{"keep-going", no_argument, nullptr, kKeepGoing},
		{"no-hostile", no_argument, nullptr, kNoHostile},
		{"negative-lending", no_argument, nullptr, kNegativeLending},
		{"no-negative-lending", no_argument, nullptr, kNoNegativeLending},
		{"text", no_argument, nullptr, kText},
		{"binary", no_argument, nullptr, kBinary},
		{"help", no_argument, nullptr, 'h'},
		{nullptr, 0, nullptr, 0},
	};
	optind = 2;
	opterr = 0;
	std::string err;
	int c;
	int index = -1;
	while ((c = getopt_long(argc, argv, ":h", kOptions, &index)) != -1) {
		if (index >= 0)
			a->given.push_back(kOptions[index].name);
		index = -1;
		switch (c) {
		case kLeft:
			a->left = optarg;
			break;
		case kRight:
			a->right = optarg;
			break;
		case kJson:
			a->json = optarg;
			break;
		case kHtml:
			a->html = optarg;
			break;
		case kRepro:
			a->repro = optarg;
			break;
		case kStatsJson:
			a->stats_json = optarg;
			break;
		case kExamples:
			a->examples = optarg;
			break;
		case kCount:
			if (!scenario::parse_number("--count", optarg, 1, 1000000000000ULL,
						    &a->count, &err))
				return usage_error(err);
			a->count_set = true;
			break;
		case kSeed:
			if (!scenario::parse_number("--seed", optarg, 0, UINT64_MAX, &a->seed,
						    &err))
				return usage_error(err);
			a->seed_set = true;
			break;
		case kNoAttribute:
			a->attribute = false;
			break;
		case kNoMinimize:
			a->minimize = false;
			break;
		case kStrictHang:
			a->lenient_hang = false; // the default; kept for old scripts
			break;
		case kLenientHang:
			a->lenient_hang = true;
			break;
		case kTrace:
			a->trace = true;
			break;
		case kKeepGoing:
			a->keep_going = true;
			break;
		case kNoHostile:
			a->gen.hostile = false;
			break;
		case kNegativeLending:
			a->gen.negative_lending = true; // the default
			break;
		case kNoNegativeLending:
			a->gen.negative_lending = false;
			break;
		case kText:
			a->format = scenario::Format::Text;
			break;
		case kBinary:
			a->format = scenario::Format::Binary;
			break;
		case 'h':
			return 1;
		case ':':
			return usage_error(std::string(argv[optind - 1]) + " needs a value");
		default:
			return usage_error(std::string("unknown option '") + argv[optind - 1] +
					   "'");
		}
	}
	for (int i = optind; i < argc; i++)
		a->files.push_back(argv[i]);
	// An option the verb does not use is refused, not ignored.
	static const struct {
		const char *verb, *options;
	} kAllowed[] = {
		{"run", " left right text binary json html repro no-attribute no-minimize trace "
			"lenient-hang strict-hang "},
		{"random",
		 " left right json html repro stats-json count seed no-attribute no-minimize "
		 "lenient-hang strict-hang keep-going no-hostile negative-lending "
		 "no-negative-lending "},
		{"campaign", " left right json html repro stats-json count seed no-attribute "
			     "no-minimize lenient-hang strict-hang keep-going no-hostile "
			     "negative-lending no-negative-lending "},
		{"corpus",
		 " text binary stats-json examples no-attribute lenient-hang strict-hang "},
		{"print", " text binary "},
		{"encode", " text binary "},
		{"decode", " "},
		{"generate", " seed no-hostile negative-lending no-negative-lending "},
	};
	for (const auto &v : kAllowed)
		if (a->cmd == v.verb)
			for (const std::string &o : a->given)
				if (!strstr(v.options, (" " + o + " ").c_str()))
					return usage_error("--" + o + " is not an option of " +
							   a->cmd);
	return 0;
}

int emit(const Report &r, const Args &a)
{
	if (a.trace)
		fputs(report_trace(r).c_str(), stdout);
	fputs(report_text(r).c_str(), stdout);
	bool ok = write_file(a.json, report_json(r)) && write_file(a.html, report_html(r)) &&
		  write_file(a.repro, report_repro(r));
	if (!ok)
		return 2;
	return report_fails(r) ? 1 : 0;
}

bool load_one(const Args &a, scenario::Loaded *in)
{
	std::string err;
	if (!scenario::load_file(a.files[0], a.format, in, &err)) {
		fprintf(stderr, "ballast-diff: %s\n", err.c_str());
		return false;
	}
	return true;
}

int cmd_run(const Args &a)
{
	scenario::Loaded in;
	if (!load_one(a, &in))
		return 2;
	std::string left, right;
	scenario::scenario_pair(in.scenario, &left, &right);
	const bool from_file = a.left.empty() && a.right.empty();
	if (!a.left.empty())
		left = a.left;
	if (!a.right.empty())
		right = a.right;
	Pair p;
	std::string err;
	if (!p.make(left, right, &err)) {
		fprintf(stderr, "ballast-diff: %s\n", err.c_str());
		return 2;
	}
	printf("%s: %s; %s vs %s%s\n", a.files[0].c_str(), in.description().c_str(), left.c_str(),
	       right.c_str(),
	       from_file ? (in.scenario.left.empty() ? " (the scenario's profile)" :
						       " (the scenario's pair line)") :
			   " (from the command line)");
	// The reports and the reproducer name the pair they ran on (a "# pair:"
	// line) unless it is the profile's own, so that `./ballast diff REPRO`
	// runs the same pair again.
	Scenario probe = in.scenario;
	probe.left.clear();
	probe.right.clear();
	std::string own_left, own_right;
	scenario::scenario_pair(probe, &own_left, &own_right);
	in.scenario.left = left == own_left && right == own_right ? "" : left;
	in.scenario.right = in.scenario.left.empty() ? "" : right;
	p.engine.set_lenient_hang(a.lenient_hang);
	RunOptions o;
	o.attribute = a.attribute;
	o.minimize = a.minimize;
	return emit(run_one(p, in.scenario, o), a);
}

int cmd_random(const Args &a, bool campaign)
{
	Pair p;
	std::string err;
	const std::string left = a.left.empty() ? "core:ballast" : a.left;
	const std::string right = a.right.empty() ? "upstream:seed" : a.right;
	if (!p.make(left, right, &err)) {
		fprintf(stderr, "ballast-diff: %s\n", err.c_str());
		return 2;
	}
	p.engine.set_lenient_hang(a.lenient_hang);
	uint64_t count = a.count_set ? a.count : campaign ? 1000000 : a.count;
	printf("ballast-diff %s: %s vs %s, %llu scenarios from seed %llu\n",
	       campaign ? "campaign" : "random", left.c_str(), right.c_str(),
	       (unsigned long long)count, (unsigned long long)a.seed);
	fflush(stdout);
	CampaignStats st = run_random(p, count, a.seed, a.gen, a.attribute, !a.keep_going);
	fputs(st.summary().c_str(), stdout);
	const Scenario *pick = st.have_failure	  ? &st.first_failure :
			       st.have_divergence ? &st.first_divergence :
						    nullptr;
	bool reported = false;
	if (pick && (!a.json.empty() || !a.html.empty() || !a.repro.empty() || st.have_failure)) {
		RunOptions o;
		o.attribute = a.attribute;
		o.minimize = a.minimize;
		Report r = run_one(p, *pick, o);
		int rc = emit(r, a);
		if (rc == 2)
			return 2;
		reported = true;
	}
	if (!a.stats_json.empty()) {
		// Machine-readable campaign figures (for scripts/campaign.sh's report):
		// the reports of the first divergence are named only when written.
		auto q = [](const std::string &v) { return "\"" + json_escape(v) + "\""; };
		std::string j = "{\n  \"left\": " + q(left) + ",\n  \"right\": " + q(right) +
				",\n  \"seed\": " + std::to_string(a.seed) + ",\n" +
				st.json_fields();
		j += ",\n  \"html\": " +
		     (reported && !a.html.empty() ? q(a.html) : std::string("null"));
		j += ",\n  \"json\": " +
		     (reported && !a.json.empty() ? q(a.json) : std::string("null"));
		j += ",\n  \"repro\": " +
		     (reported && !a.repro.empty() ? q(a.repro) : std::string("null"));
		j += "\n}\n";
		if (!write_file(a.stats_json, j))
			return 2;
	}
	return st.unattributed ? 1 : 0;
}

// "core:ballast" + "upstream:seed" -> "core-ballast_vs_upstream-seed" (a file name).
std::string pair_slug(const std::string &left, const std::string &right)
{
	std::string s = left + "_vs_" + right;
	for (char &c : s)
		if (!isalnum((unsigned char)c) && c != '.' && c != '_' && c != '-')
			c = '-';
	return s;
}

// corpus: every input below the arguments on its own pair (as `run` runs
// it), counted per pair as `random` counts; with --examples, for each pair
// and each switch that explained a divergence, the first input it explained,
// minimized to the operations the switch still explains, as a reproducer
// (DIR/PAIR/SWITCH.scn) and a side-by-side page (DIR/PAIR/SWITCH.html).
int cmd_corpus(const Args &a)
{
	std::vector<std::string> files;
	std::string err;
	for (const std::string &f : a.files)
		if (!scenario::collect_input_files(f, &files, &err)) {
			fprintf(stderr, "ballast-diff: %s\n", err.c_str());
			return 2;
		}
	if (files.empty()) {
		fprintf(stderr, "ballast-diff: corpus: no input files\n");
		return 2;
	}
	struct Tally {
		Pair pair;
		CampaignStats st;
		std::map<std::string, std::pair<std::string, Scenario>> example; // switch -> input
		std::vector<std::string> unattributed; // the first few inputs
	};
	std::map<std::string, Tally> tallies; // by "LEFT RIGHT"
	for (const std::string &f : files) {
		scenario::Loaded in;
		if (!scenario::load_file(f, a.format, &in, &err)) {
			fprintf(stderr, "ballast-diff: %s\n", err.c_str());
			return 2;
		}
		std::string left, right;
		scenario::scenario_pair(in.scenario, &left, &right);
		Tally &t = tallies[left + " " + right];
		if (!t.pair.left && !t.pair.make(left, right, &err)) {
			fprintf(stderr, "ballast-diff: %s: %s\n", f.c_str(), err.c_str());
			return 2;
		}
		t.pair.engine.set_lenient_hang(a.lenient_hang);
		AttributionChain chain;
		const auto t0 = std::chrono::steady_clock::now();
		const Divergence d = t.st.add(t.pair, in.scenario, a.attribute, &chain);
		t.st.seconds +=
			std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		if (d.found && (chain.links.empty() || !chain.ok()) && t.unattributed.size() < 20)
			t.unattributed.push_back(f);
		if (d.found && chain.ok())
			for (const std::string &sw : chain.all_switches())
				t.example.emplace(sw, std::make_pair(f, in.scenario));
	}
	auto q = [](const std::string &v) { return "\"" + json_escape(v) + "\""; };
	std::string j = "{\n\"files\": " + std::to_string(files.size()) + ",\n\"pairs\": [";
	bool failed = false, first = true;
	for (auto &kv : tallies) {
		Tally &t = kv.second;
		const std::string left = t.pair.left_spec.text, right = t.pair.right_spec.text;
		printf("%s vs %s: %s", left.c_str(), right.c_str(), t.st.summary().c_str());
		failed |= t.st.unattributed > 0;
		j += std::string(first ? "" : ",") + "\n{\n  \"left\": " + q(left) +
		     ",\n  \"right\": " + q(right) + ",\n" + t.st.json_fields();
		first = false;
		j += ",\n  \"unattributed_files\": [";
		for (size_t i = 0; i < t.unattributed.size(); i++)
			j += (i ? ", " : "") + q(t.unattributed[i]);
		j += "],\n  \"examples\": {";
		bool first_ex = true;
		for (const auto &ex : t.example) {
			const std::string &sw = ex.first;
			std::string html, repro;
			if (!a.examples.empty()) {
				// Minimized to what this switch still explains.
				auto keep = [&](const Scenario &c) {
					Divergence d;
					if (!t.pair.engine.run(c, *t.pair.left, *t.pair.right, &d))
						return false;
					AttributionChain ch = attribute_scenario(
						t.pair.engine, c, t.pair.left_spec,
						t.pair.right_spec, *t.pair.left, *t.pair.right, d);
					const std::vector<std::string> all = ch.all_switches();
					return ch.ok() &&
					       std::find(all.begin(), all.end(), sw) != all.end();
				};
				const Scenario small = minimize_ops(ex.second.second, keep, 300);
				RunOptions o;
				o.minimize = false;
				const Report r = run_one(t.pair, small, o);
				const std::string dir = a.examples + "/" + pair_slug(left, right);
				if (mkdir(a.examples.c_str(), 0755) != 0 && errno != EEXIST) {
					fprintf(stderr, "ballast-diff: cannot create %s\n",
						a.examples.c_str());
					return 2;
				}
				mkdir(dir.c_str(), 0755);
				html = dir + "/" + sw + ".html";
				repro = dir + "/" + sw + ".scn";
				if (!write_file(html, report_html(r)) ||
				    !write_file(repro, report_repro(r)))
					return 2;
			}
			j += std::string(first_ex ? "" : ",") + "\n    " + q(sw) +
			     ": {\"input\": " + q(ex.second.first) +
			     ", \"html\": " + (html.empty() ? "null" : q(html)) +
			     ", \"repro\": " + (repro.empty() ? "null" : q(repro)) + "}";
			first_ex = false;
		}
		j += first_ex ? "}\n}" : "\n  }\n}";
	}
	j += "\n]\n}\n";
	if (!a.stats_json.empty() && !write_file(a.stats_json, j))
		return 2;
	return failed ? 1 : 0;
}

int cmd_print(const Args &a)
{
	scenario::Loaded in;
	if (!load_one(a, &in))
		return 2;
	fputs(scenario::print_scenario(in.scenario).c_str(), stdout);
	return 0;
}

int cmd_encode(const Args &a)
{
	scenario::Loaded in;
	if (!load_one(a, &in))
		return 2;
	std::vector<uint8_t> b;
	std::string why;
	if (!scenario::encode_input(in.scenario, &b, &why)) {
		fprintf(stderr, "ballast-diff: %s: not a fuzz input as written: %s\n",
			a.files[0].c_str(), why.c_str());
		return 2;
	}
	return write_file(a.files[1], std::string(b.begin(), b.end())) ? 0 : 2;
}

} // namespace

int main(int argc, char **argv)
{
	Args a;
	const int parsed = parse_args(argc, argv, &a);
	if (parsed == 1) {
		usage(stdout);
		return 0;
	}
	if (parsed)
		return parsed;
	const size_t nfiles = a.files.size();
	auto want_files = [&](size_t n) {
		if (nfiles == n)
			return true;
		usage_error(a.cmd + " takes " + std::to_string(n) + " file argument(s), got " +
			    std::to_string(nfiles));
		return false;
	};
	if (a.cmd == "run")
		return want_files(1) ? cmd_run(a) : 2;
	if (a.cmd == "random" || a.cmd == "campaign")
		return want_files(0) ? cmd_random(a, a.cmd == "campaign") : 2;
	if (a.cmd == "corpus")
		return cmd_corpus(a);
	if (a.cmd == "print")
		return want_files(1) ? cmd_print(a) : 2;
	if (a.cmd == "encode")
		return want_files(2) ? cmd_encode(a) : 2;
	if (a.cmd == "decode") {
		a.format = scenario::Format::Binary;
		return want_files(1) ? cmd_print(a) : 2;
	}
	if (a.cmd == "generate") {
		if (!want_files(0))
			return 2;
		if (!a.seed_set)
			return usage_error("generate needs --seed S");
		Scenario s;
		scenario::generate_scenario(a.seed, a.gen, &s);
		fputs(scenario::print_scenario(s, "random scenario, seed " + std::to_string(a.seed))
			      .c_str(),
		      stdout);
		return 0;
	}
	return usage_error("unknown verb '" + a.cmd + "'");
}
