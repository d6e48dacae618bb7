// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast-diff: lock-step differential testing from the command line.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "driver.h"

using namespace ballast::diff;

namespace {

void usage(FILE *f)
{
	fprintf(f,
		"usage:\n"
		"  ballast-diff run FILE [--left SPEC] [--right SPEC] [--json F] [--html F] [--repro F]\n"
		"                   [--no-attribute] [--no-minimize] [--trace] [--lenient-hang]\n"
		"  ballast-diff random [--count N] [--seed S] [--left SPEC] [--right SPEC]\n"
		"                   [--json F] [--html F] [--repro F] [--no-hostile] [--no-negative-lending]\n"
		"                   [--keep-going] [--no-attribute] [--lenient-hang] [--stats-json F]\n"
		"  ballast-diff campaign [--count N] ...   random, default 1000000 scenarios, prints the rate\n"
		"  ballast-diff print FILE                 canonical text of a scenario\n"
		"  ballast-diff encode FILE OUT            scenario text -> binary fuzz input\n"
		"  ballast-diff decode IN                  binary fuzz input -> scenario text\n"
		"  ballast-diff generate --seed S          one random scenario as text\n"
		"\n"
		"SPEC: core:ballast | core:linux-2019 | core:linux-6.1 | core:PROFILE+SWITCH=0|1...\n"
		"      upstream:seed | upstream:6.1 | planted:PROFILE | planted-target:PROFILE\n"
		"defaults: --left core:ballast --right upstream:seed (core:linux-2019 without upstream)\n"
		"exit: 0 no divergence or every divergence attributed; 1 unattributed divergence; 2 usage\n");
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
	std::string cmd, file, file2;
	std::string left = "core:ballast", right;
	std::string json, html, repro, stats_json;
	uint64_t count = 1000, seed = 1;
	bool count_set = false;
	bool attribute = true, minimize = true, keep_going = false, trace = false,
	     lenient_hang = false;
	GenOptions gen;
};

bool parse_args(int argc, char **argv, Args *a)
{
	if (argc < 2)
		return false;
	a->cmd = argv[1];
	for (int i = 2; i < argc; i++) {
		std::string s = argv[i];
		auto val = [&](std::string *out) {
			if (i + 1 >= argc) {
				fprintf(stderr, "ballast-diff: %s needs a value\n", s.c_str());
				return false;
			}
			*out = argv[++i];
			return true;
		};
		auto num = [&](uint64_t *out) {
			std::string v;
			if (!val(&v))
				return false;
			char *end = nullptr;
			*out = strtoull(v.c_str(), &end, 0);
			if (!end || *end) {
				fprintf(stderr, "ballast-diff: %s wants a number, got '%s'\n",
					s.c_str(), v.c_str());
				return false;
			}
			return true;
		};
		if (s == "--left") {
			if (!val(&a->left))
				return false;
		} else if (s == "--right") {
			if (!val(&a->right))
				return false;
		} else if (s == "--json") {
			if (!val(&a->json))
				return false;
		} else if (s == "--html") {
			if (!val(&a->html))
				return false;
		} else if (s == "--repro") {
			if (!val(&a->repro))
				return false;
		} else if (s == "--stats-json") {
			if (!val(&a->stats_json))
				return false;
		} else if (s == "--count") {
			if (!num(&a->count))
				return false;
			a->count_set = true;
		} else if (s == "--seed") {
			if (!num(&a->seed))
				return false;
		} else if (s == "--no-attribute") {
			a->attribute = false;
		} else if (s == "--no-minimize") {
			a->minimize = false;
		} else if (s == "--strict-hang") {
			a->lenient_hang = false; // the default now; kept for old scripts
		} else if (s == "--lenient-hang") {
			a->lenient_hang = true;
		} else if (s == "--trace") {
			a->trace = true;
		} else if (s == "--keep-going") {
			a->keep_going = true;
		} else if (s == "--no-hostile") {
			a->gen.hostile = false;
		} else if (s == "--negative-lending") {
			a->gen.negative_lending = true; // the default
		} else if (s == "--no-negative-lending") {
			a->gen.negative_lending = false;
		} else if (s == "-h" || s == "--help") {
			return false;
		} else if (!s.empty() && s[0] == '-') {
			fprintf(stderr, "ballast-diff: unknown option %s\n", s.c_str());
			return false;
		} else if (a->file.empty()) {
			a->file = s;
		} else if (a->file2.empty()) {
			a->file2 = s;
		} else {
			fprintf(stderr, "ballast-diff: unexpected argument %s\n", s.c_str());
			return false;
		}
	}
	if (a->right.empty())
		a->right = upstream_available() ? "upstream:seed" : "core:linux-2019";
	return true;
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

int cmd_run(const Args &a)
{
	Scenario s;
	ParseError e;
	if (a.file.empty()) {
		fprintf(stderr, "ballast-diff run: no scenario file\n");
		return 2;
	}
	if (!load_scenario_file(a.file, &s, &e)) {
		fprintf(stderr, "%s: %s\n", a.file.c_str(), e.to_string().c_str());
		return 2;
	}
	Pair p;
	std::string err;
	if (!p.make(a.left, a.right, &err)) {
		fprintf(stderr, "ballast-diff: %s\n", err.c_str());
		return 2;
	}
	p.engine.set_lenient_hang(a.lenient_hang);
	RunOptions o;
	o.attribute = a.attribute;
	o.minimize = a.minimize;
	return emit(run_one(p, s, o), a);
}

int cmd_random(const Args &a, bool campaign)
{
	Pair p;
	std::string err;
	if (!p.make(a.left, a.right, &err)) {
		fprintf(stderr, "ballast-diff: %s\n", err.c_str());
		return 2;
	}
	p.engine.set_lenient_hang(a.lenient_hang);
	uint64_t count = a.count_set ? a.count : campaign ? 1000000 : a.count;
	printf("ballast-diff %s: %s vs %s, %llu scenarios from seed %llu\n",
	       campaign ? "campaign" : "random", a.left.c_str(), a.right.c_str(),
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
		char num[64];
		std::string j = "{\n  \"left\": " + q(a.left) + ",\n  \"right\": " + q(a.right) +
				",\n  \"seed\": " + std::to_string(a.seed);
		auto field = [&](const char *k, uint64_t v) {
			j += ",\n  \"" + std::string(k) + "\": " + std::to_string(v);
		};
		field("scenarios", st.scenarios);
		field("steps", st.steps);
		snprintf(num, sizeof num, "%.3f", st.seconds);
		j += ",\n  \"seconds\": " + std::string(num);
		snprintf(num, sizeof num, "%.0f",
			 st.seconds > 0 ? (double)st.scenarios / st.seconds : 0.0);
		j += ",\n  \"scenarios_per_second\": " + std::string(num);
		field("divergences", st.divergences);
		field("attributed", st.attributed);
		field("unattributed", st.unattributed);
		j += ",\n  \"by_switch\": {";
		bool first = true;
		for (const auto &kv : st.by_switch) {
			j += std::string(first ? "" : ",") + "\n    " + q(kv.first) + ": " +
			     std::to_string(kv.second);
			first = false;
		}
		j += first ? "}" : "\n  }";
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

int cmd_print(const Args &a)
{
	Scenario s;
	ParseError e;
	if (!load_scenario_file(a.file, &s, &e)) {
		fprintf(stderr, "%s: %s\n", a.file.c_str(), e.to_string().c_str());
		return 2;
	}
	fputs(print_scenario(s).c_str(), stdout);
	return 0;
}

int cmd_encode(const Args &a)
{
	Scenario s;
	ParseError e;
	if (!load_scenario_file(a.file, &s, &e)) {
		fprintf(stderr, "%s: %s\n", a.file.c_str(), e.to_string().c_str());
		return 2;
	}
	std::vector<uint8_t> b = encode_scenario(s);
	if (a.file2.empty()) {
		fprintf(stderr, "ballast-diff encode: no output file\n");
		return 2;
	}
	return write_file(a.file2, std::string(b.begin(), b.end())) ? 0 : 2;
}

int cmd_decode(const Args &a)
{
	std::ifstream f(a.file, std::ios::binary);
	if (!f) {
		fprintf(stderr, "ballast-diff: cannot open %s\n", a.file.c_str());
		return 2;
	}
	std::vector<uint8_t> b((std::istreambuf_iterator<char>(f)),
			       std::istreambuf_iterator<char>());
	Scenario s;
	decode_scenario(b.data(), b.size(), &s);
	fputs(print_scenario(s).c_str(), stdout);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	Args a;
	if (!parse_args(argc, argv, &a)) {
		usage(stderr);
		return 2;
	}
	if (a.cmd == "run")
		return cmd_run(a);
	if (a.cmd == "random")
		return cmd_random(a, false);
	if (a.cmd == "campaign")
		return cmd_random(a, true);
	if (a.cmd == "print")
		return cmd_print(a);
	if (a.cmd == "encode")
		return cmd_encode(a);
	if (a.cmd == "decode")
		return cmd_decode(a);
	if (a.cmd == "generate") {
		Scenario s;
		generate_scenario(a.seed, a.gen, &s);
		fputs(print_scenario(s, "random scenario, seed " + std::to_string(a.seed)).c_str(),
		      stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
