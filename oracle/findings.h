// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast oracle: what an oracle reports, and the slips upstream is known to
// make. A finding is either a named slip -- a documented upstream behaviour,
// named by the switch (core/switches.h) whose other value fixes it, and
// tolerated only in a driver whose switches have the slipping value -- or a
// violation: a driver doing something no correct balloon does, that no
// documented slip explains.
//
// The slips are one table (kSlipTable); core/SWITCHES.md lists them under
// "Slips the upstream profiles keep" and a test (tests/oracle/slips_doc_test.cpp)
// fails when the two disagree.
#ifndef BALLAST_ORACLE_FINDINGS_H
#define BALLAST_ORACLE_FINDINGS_H

#include <cstddef>
#include <string>
#include <vector>

#include "profile.h"

namespace ballast {
namespace oracle {

struct SlipInfo {
	const char *name;
	// The switches that fix it and the value with which a driver slips; a
	// second switch (may be null) must have the slipping value too.
	bool Switches::*member;
	bool Switches::*member2;
	bool slipping_value;
	const char *what;
};

enum Slip : int {
	kNoSlip = -1, // a violation
	kUnpopulatedNotUndone,
	kNegativeLendingCount,
	kRegionWrapsTotal,
	kNoHotplugTargetForgetsLent,
	kHotplugWaitUnbounded,
	kKthreadBacksOffWithoutWork,
	kKthreadIgnoresRewrittenTarget,
	kKthreadPollsHotplugWait,
	kNewTargetWaitsForBackoff,
	kZeroScheduleDelay,
	kPopulateOverReply,
	kNegativeMemAvailable,
	kInsaneInput,
	kInitialFiguresShort,
	kSlipCount
};

extern const SlipInfo kSlipTable[kSlipCount];

// Whether a driver with switches `sw` is documented to slip that way.
bool slips(const Switches &sw, int slip);
// "undo_unpopulated_accounting=0" (and "+validate_inputs=0").
std::string slip_switches(int slip);

struct Finding {
	const char *oracle = ""; // "accounting", "backoff", "progress"
	size_t step = 0;	 // 0: init; k: after op k; past the last op: the end-of-run checks
	int slip = kNoSlip;
	bool tolerated = false; // slip != kNoSlip and the driver's switches slip that way
	std::string message;
	// "accounting: step 3: target_pages is ..." / "accounting: step 3: slip
	// unpopulated_not_undone (undo_unpopulated_accounting=0): ..."
	std::string describe() const;
};

class Findings {
public:
	void clear()
	{
		list_.clear();
		violations_ = 0;
	}
	// A named slip is tolerated when `sw` slips that way; otherwise (and for
	// kNoSlip) it is a violation.
	void add(const char *oracle, size_t step, int slip, const Switches &sw, const char *fmt,
		 ...) __attribute__((format(printf, 6, 7)));
	const std::vector<Finding> &all() const { return list_; }
	size_t violations() const { return violations_; }
	bool empty() const { return list_.empty(); }
	// Findings from index `from` on, one line each.
	std::string report(size_t from = 0) const;

private:
	std::vector<Finding> list_;
	size_t violations_ = 0;
};

} // namespace oracle
} // namespace ballast

#endif // BALLAST_ORACLE_FINDINGS_H
