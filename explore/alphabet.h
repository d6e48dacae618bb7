// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast explore: the worlds a scenario may start in and the operations a
// scenario may be built from (explore/README.md, "The bound", says why these
// and what they leave out). Written as scenario text and parsed by
// scenario/text.h, so every operation means what it means in every tool.
#ifndef BALLAST_EXPLORE_ALPHABET_H
#define BALLAST_EXPLORE_ALPHABET_H

#include <string>
#include <vector>

#include "scenario.h"

namespace ballast {
namespace explore {

struct ExploreWorld {
	std::string name;	       // "batch", "pv", or "custom" for --world KEY=VALUE...
	scenario::Header header;       // the world at boot
	std::vector<scenario::Op> ops; // its alphabet: the common operations and its targets
	std::string what;	       // one line
};

// full: every operation of explore/README.md's table; small: one of each
// class (for depth).
enum class Alphabet { Full, Small };
bool alphabet_from_name(const std::string &name, Alphabet *out);

// The built-in worlds, in order.
const std::vector<std::string> &world_names();
// A built-in world by name, or a world header ("frames=8 populated=8 ...",
// scenario/FORMAT.md) with the common operations and targets derived from it.
// False with a one-line reason in *err.
bool make_world(const std::string &spec, Alphabet a, ExploreWorld *out, std::string *err);

} // namespace explore
} // namespace ballast

#endif // BALLAST_EXPLORE_ALPHABET_H
