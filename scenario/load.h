// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast scenario: reading an input file, the one way every tool does it.
//
// Text or binary is decided by the content, never by the file name: a file
// whose bytes are all printable ASCII, tabs, line ends or UTF-8 (in comments)
// is scenario text and must parse; anything else is a binary fuzz input
// (binary.h). Format::Text or Format::Binary (the tools' --text / --binary)
// overrides the guess. A text scenario runs exactly as written (no fuzz
// limit is applied to it); a binary input runs as its decoding, which the
// tools print. A missing, unreadable, empty or oversized file, a directory,
// and text that does not parse are errors, each naming the file (and the
// line and column where there are ones).
#ifndef BALLAST_SCENARIO_LOAD_H
#define BALLAST_SCENARIO_LOAD_H

#include <cstddef>
#include <string>
#include <vector>

#include "scenario.h"

namespace ballast {
namespace scenario {

enum class Format { Auto, Text, Binary };

// Largest input file: far above any scenario a person writes (100000
// operations of text is ~1 MiB) and any fuzz input (libFuzzer's -max_len).
constexpr size_t kMaxInputBytes = 2u << 20;

struct Loaded {
	Scenario scenario;
	bool text = false;		 // read as text (else binary)
	size_t bytes = 0;		 // file size
	size_t binary_used = 0;		 // binary: bytes the decoding used (the rest means nothing)
	std::string description() const; // "text" / "binary fuzz input (N of M bytes used)"
};

// True when `data` reads as scenario text under Format::Auto.
bool looks_like_text(const std::string &data);

// On error returns false with "PATH: reason" (and "PATH: line L, column C:
// message" for text) in *err.
bool load_bytes(const std::string &data, const std::string &name, Format f, Loaded *out,
		std::string *err);
bool load_file(const std::string &path, Format f, Loaded *out, std::string *err);

// The input files at `path`: the file itself, or every file below the
// directory, sorted by name, leaving out names starting with '.' and the
// folders' README.md and CMakeLists.txt. Appends to *out; false with "PATH:
// reason" in *err when a path cannot be read (the files found so far stay).
bool collect_input_files(const std::string &path, std::vector<std::string> *out, std::string *err);

} // namespace scenario
} // namespace ballast

#endif // BALLAST_SCENARIO_LOAD_H
