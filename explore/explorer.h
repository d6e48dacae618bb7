// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast explore: breadth-first enumeration of every scenario up to a depth
// over a set of worlds and their alphabets, each distinct state expanded once.
//
// Level d holds the distinct states reached by scenarios of d operations
// that no shorter scenario reaches. Expanding a state runs, for every
// operation of its world's alphabet, the scenario that reaches it plus that
// operation from boot through every oracle (explore/evaluate.h): the drivers
// cannot be copied mid-run (the upstream driver's state is C statics and a
// kthread fiber), so a state is restored by replaying its scenario. Workers
// are processes (the upstream statics are per process): each takes chunks of
// the level from a shared counter and writes what it found to a file; the
// parent merges them in (state, operation) order, so the states, their
// numbering and the first scenario reaching each finding are the same for
// any number of workers.
#ifndef BALLAST_EXPLORE_EXPLORER_H
#define BALLAST_EXPLORE_EXPLORER_H

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "alphabet.h"
#include "names.h"

namespace ballast {
namespace explore {

struct Options {
	scenario::SubjectSpec left, right;
	std::vector<ExploreWorld> worlds;
	std::string alphabet = "full"; // its name, for the summaries
	unsigned depth = 6;	       // scenarios of at most this many operations
	unsigned jobs = 1;	       // worker processes
	double seconds = 0; // stop after this long (0: no limit); the level is then partial
	// false: expand every scenario (a tree), for checking the dedup
	bool dedup = true;
	// with dedup off: states with one key must have the same successors
	bool check_dedup = false;
	// planted: keys without the worlds (the dedup check must object)
	bool weak_key = false;
	int plant = -1;		// plant this audit fault in the core-alone runs
	bool invariants = true; // run the core alone with the invariant checker
	// stop after the level where this many distinct findings were seen
	size_t max_findings = 16;
	double progress_every = 5; // seconds between progress lines (0: none)
	std::string out_dir;	   // findings as .scn files (empty: not written)
};

struct Finding {
	std::string kind;      // "divergence" or "violation"
	std::string signature; // what identifies the finding (the message, numbers dropped)
	std::string message;
	unsigned depth = 0;   // operations in its (shortest) scenario
	double seconds = 0;   // since the start, when it was found
	uint64_t count = 1;   // transitions with this signature
	std::string scenario; // the reproducer, scenario text
	std::string file;     // where it was written
};

struct Level {
	unsigned depth = 0;	 // the states at this depth were expanded
	uint64_t states = 0;	 // states expanded
	uint64_t runs = 0;	 // scenarios run
	uint64_t new_states = 0; // distinct states first reached at depth + 1
	double seconds = 0;
	bool complete = true;
};

struct Result {
	unsigned depth_exhausted = 0; // every scenario of at most this many operations was run
	bool complete = false;	      // depth_exhausted == the requested depth
	uint64_t distinct = 0;	      // distinct states reached (within depth_exhausted)
	uint64_t expanded = 0;	      // states expanded
	uint64_t runs = 0;	      // scenarios run (including a partial last level)
	double seconds = 0;
	std::vector<Level> levels;
	std::vector<Finding> findings;
	uint64_t attributed_transitions = 0;	    // transitions with an attributed divergence
	std::map<std::string, uint64_t> attributed; // per switch
	uint64_t conflations = 0;		    // check_dedup: keys with two successor sets
	std::string conflation_example;
	std::string error; // the run could not be made (empty: it was)
};

Result run_exploration(const Options &o, FILE *progress);

// The comparison: random scenarios from the differential campaign's
// generator (scenario/generate.h, seeds 1, 2, ...) through the same oracles,
// until the first finding, `count` scenarios or o.seconds. For pairs that
// agree by design (a divergence is a finding); the worlds and depth of `o`
// are not used.
struct Sample {
	uint64_t scenarios = 0;
	double seconds = 0;
	bool found = false;
	Finding finding;
	std::string error;
};
Sample run_sample(const Options &o, uint64_t count);

// Text and JSON summaries; the claim line states the result.
std::string claim(const Options &o, const Result &r);
std::string summary_text(const Options &o, const Result &r);
std::string summary_json(const Options &o, const Result &r);

} // namespace explore
} // namespace ballast

#endif // BALLAST_EXPLORE_EXPLORER_H
