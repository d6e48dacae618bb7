// SPDX-License-Identifier: GPL-2.0 OR MIT
// diff_bench: throughput of the lock-step engine (scenarios/s, steps/s) on
// random scenarios of about 20 steps, one core.
//   diff_bench [--left SPEC] [--right SPEC] [--seconds S] [--pool N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "driver.h"

using namespace ballast::diff;
using namespace ballast::scenario;

int main(int argc, char **argv)
{
	std::vector<std::pair<std::string, std::string>> pairs;
	double seconds = 2.0;
	size_t pool = 4096;
	std::string left, right;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (a == "--left" && i + 1 < argc)
			left = argv[++i];
		else if (a == "--right" && i + 1 < argc)
			right = argv[++i];
		else if (a == "--seconds" && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (a == "--pool" && i + 1 < argc)
			pool = (size_t)atol(argv[++i]);
		else {
			fprintf(stderr,
				"usage: diff_bench [--left SPEC] [--right SPEC] [--seconds S] [--pool N]\n");
			return 2;
		}
	}
	if (!left.empty() || !right.empty()) {
		pairs.push_back({left.empty() ? "core:linux-2019" : left,
				 right.empty() ? "core:linux-2019" : right});
	} else {
		pairs.push_back({"core:linux-2019", "core:linux-2019"});
		pairs.push_back({"core:linux-6.1", "core:linux-6.1"});
		pairs.push_back({"core:linux-6.12", "core:linux-6.12"});
		if (upstream_available()) {
			pairs.push_back({"core:linux-2019", "upstream:seed"});
			pairs.push_back({"core:linux-6.1", "upstream:6.1"});
			pairs.push_back({"core:linux-6.12", "upstream:6.12"});
		}
	}
	// A pool of scenarios generated up front: the benchmark measures the engine.
	std::vector<Scenario> scen(pool);
	GenOptions gen;
	for (size_t i = 0; i < pool; i++)
		generate_scenario(1000 + i, gen, &scen[i]);
	int status = 0;
	for (auto &pr : pairs) {
		Pair p;
		std::string err;
		if (!p.make(pr.first, pr.second, &err)) {
			fprintf(stderr, "diff_bench: %s\n", err.c_str());
			status = 2;
			continue;
		}
		Divergence d;
		// warm-up
		for (size_t i = 0; i < pool && i < 256; i++)
			p.engine.run(scen[i], *p.left, *p.right, &d);
		uint64_t n = 0, steps = 0, div = 0;
		auto t0 = std::chrono::steady_clock::now();
		double el = 0;
		do {
			for (unsigned k = 0; k < 256; k++, n++) {
				div += p.engine.run(scen[n % pool], *p.left, *p.right, &d);
				steps += p.engine.last_steps();
			}
			el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
				     .count();
		} while (el < seconds);
		printf("diff_bench: %-16s vs %-16s %10.0f scenarios/s %11.0f steps/s  (%.1f steps/scenario, %llu scenarios, %llu divergent)\n",
		       pr.first.c_str(), pr.second.c_str(), (double)n / el, (double)steps / el,
		       (double)steps / (double)n, (unsigned long long)n, (unsigned long long)div);
	}
	return status;
}
