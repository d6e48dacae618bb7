// SPDX-License-Identifier: GPL-2.0 OR MIT
// A main() for fuzz targets built without libFuzzer (gcc, plain clang, the
// coverage build): runs LLVMFuzzerTestOneInput once per file argument, and on
// every file below each directory argument (sorted, recursively).
//
// A file is handed over as libFuzzer would hand it over (its bytes), except
// scenario text (scenario/load.h: every byte is text, and it parses), which
// is first encoded as the binary fuzz input -- refused, exit status 2, if it
// is outside the fuzz limits (scenario/limits.h), because the target would
// run something else than the text says. A target that reads text itself
// (it defines ballast_fuzz_wants_text() returning 1) gets every file as is.
//
// --print-scenario: print each input's scenario as the targets decode it
// (canonical text), run nothing; the corpus round-trip test compares this
// with what the tools read.

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "binary.h"
#include "load.h"
#include "text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
extern "C" int ballast_fuzz_wants_text(void) __attribute__((weak));

using namespace ballast;

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	const bool text = ballast_fuzz_wants_text && ballast_fuzz_wants_text();
	bool print = false;
	std::vector<std::string> files;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--print-scenario") == 0)
			print = true;
		else if (argv[i][0] == '-')
			continue; // libFuzzer-style flags are accepted and ignored
		else if (std::string err; !scenario::collect_input_files(argv[i], &files, &err)) {
			fprintf(stderr, "replay: %s\n", err.c_str());
			return 2;
		}
	}
	unsigned n = 0;
	for (const std::string &f : files) {
		std::ifstream in(f, std::ios::binary);
		std::stringstream ss;
		ss << in.rdbuf();
		const std::string bytes = ss.str();
		std::vector<uint8_t> data(bytes.begin(), bytes.end());
		scenario::Loaded loaded;
		std::string err;
		if (!text && scenario::looks_like_text(bytes) &&
		    scenario::load_bytes(bytes, f, scenario::Format::Text, &loaded, &err)) {
			if (!scenario::encode_input(loaded.scenario, &data, &err)) {
				fprintf(stderr, "replay: %s: not a fuzz input as written: %s\n",
					f.c_str(), err.c_str());
				return 2;
			}
		}
		if (print) {
			scenario::Scenario s;
			scenario::decode_input(data.data(), data.size(), &s);
			fputs(scenario::print_scenario(s).c_str(), stdout);
			continue;
		}
		fprintf(stderr, "replay: %s (%zu bytes)\n", f.c_str(), data.size());
		LLVMFuzzerTestOneInput(data.data(), data.size());
		n++;
	}
	if (!print)
		fprintf(stderr, "replay: %u input(s), no crash\n", n);
	return 0;
}
