// SPDX-License-Identifier: GPL-2.0 OR MIT
// A main() for fuzz targets built without libFuzzer (gcc, plain clang, the
// coverage build): runs LLVMFuzzerTestOneInput once per file argument, and on
// every file below each directory argument (sorted, recursively).
//
// Readable scenarios (*.scn) are converted to the binary fuzz input first
// (tools: fuzz/core_harness.h), unless the target reads text itself
// (it defines ballast_fuzz_wants_text() returning 1).
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
extern "C" int ballast_fuzz_wants_text(void) __attribute__((weak));

static void collect(const std::string &path, std::vector<std::string> *out)
{
	struct stat st;
	if (stat(path.c_str(), &st) != 0) {
		fprintf(stderr, "replay: cannot stat %s\n", path.c_str());
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		out->push_back(path);
		return;
	}
	DIR *d = opendir(path.c_str());
	if (!d)
		return;
	std::vector<std::string> names;
	while (dirent *e = readdir(d)) {
		if (e->d_name[0] == '.')
			continue;
		names.push_back(e->d_name);
	}
	closedir(d);
	std::sort(names.begin(), names.end());
	for (const std::string &n : names) {
		if (n == "CMakeLists.txt" || n == "README.md")
			continue;
		collect(path + "/" + n, out);
	}
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	bool text = ballast_fuzz_wants_text && ballast_fuzz_wants_text();
	std::vector<std::string> files;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue; // libFuzzer-style flags are accepted and ignored
		collect(argv[i], &files);
	}
	unsigned n = 0;
	for (const std::string &f : files) {
		std::vector<uint8_t> data;
		bool scn = f.size() > 4 && f.compare(f.size() - 4, 4, ".scn") == 0;
		if (scn && !text) {
			ballast_profile p;
			ballast::diff::Scenario s;
			std::string err;
			if (!ballast::fuzz::load_any(f, &p, &s, &err)) {
				fprintf(stderr, "replay: %s: %s\n", f.c_str(), err.c_str());
				return 2;
			}
			data = ballast::fuzz::encode_input(p, s);
		} else {
			std::ifstream in(f, std::ios::binary);
			std::stringstream ss;
			ss << in.rdbuf();
			std::string s = ss.str();
			data.assign(s.begin(), s.end());
		}
		fprintf(stderr, "replay: %s (%zu bytes)\n", f.c_str(), data.size());
		LLVMFuzzerTestOneInput(data.data(), data.size());
		n++;
	}
	fprintf(stderr, "replay: %u input(s), no crash\n", n);
	return 0;
}
