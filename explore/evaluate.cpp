// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "evaluate.h"

#include <cstring>

#include "upstream_subject.h"

namespace ballast {
namespace explore {

namespace {

std::vector<unsigned> bits_of(uint64_t mask)
{
	std::vector<unsigned> out;
	for (unsigned i = 0; i < kSwitchCount; i++)
		if (mask >> i & 1)
			out.push_back(i);
	return out;
}

uint64_t mask_of(const std::vector<std::string> &names)
{
	uint64_t m = 0;
	for (const std::string &n : names)
		for (unsigned i = 0; i < kSwitchCount; i++)
			if (n == kSwitchTable[i].name)
				m |= 1ULL << i;
	return m;
}

bool is_core(const scenario::SubjectSpec &s)
{
	return s.kind != scenario::SubjectSpec::Upstream;
}

// What identifies a finding: the field that differs, or the check that
// broke (a violation message starts "check: ..."), without numbers.
std::string signature(const std::string &kind, const std::string &what)
{
	std::string out = kind + ": ";
	for (char c : what) {
		if (c == '\n' || c == ':')
			break;
		if (c < '0' || c > '9')
			out += c;
	}
	return out;
}

} // namespace

static_assert(kSwitchCount <= 64, "reverted switch sets are 64-bit masks");

Evaluator::Evaluator(const scenario::SubjectSpec &left, const scenario::SubjectSpec &right,
		     int plant, bool invariants)
	: left_spec_(left)
	, right_spec_(right)
	, invariants_(invariants)
{
	profile_ = is_core(left) || !is_core(right) ? left.profile : right.profile;
	left_ = diff::make_subject(left, &err_);
	if (left_)
		right_ = diff::make_subject(right, &err_);
	if (!left_ || !right_)
		return;
	const bool core_left = left.kind == scenario::SubjectSpec::Core;
	if (core_left || right.kind == scenario::SubjectSpec::Core) {
		core_left_ = core_left;
		auto at = std::make_unique<diff::Attributor>(engine_, core_left ? left : right,
							     core_left ? right : left,
							     core_left ? *right_ : *left_,
							     core_left);
		if (!at->differing().empty())
			attributor_ = std::move(at);
	}
	kthread_ = left.switches.kthread_worker || right.switches.kthread_worker;
	const Switches ps = profile_switches(profile_);
	harness_same_as_left_ = left.kind == scenario::SubjectSpec::Core && plant < 0 &&
				memcmp(&left.switches, &ps, sizeof ps) == 0;
	harness_.set_fixed_plant(plant);
	// The progress oracle's end-of-run checks run the world on for a
	// virtual hour after the last operation: they would change the state
	// that is hashed and expanded. Every per-step oracle runs.
	harness_.set_end_checks(false);
}

bool Evaluator::ready(std::string *err) const
{
	if (left_ && right_)
		return true;
	*err = err_;
	return false;
}

diff::Subject &Evaluator::core_for(uint64_t reverted)
{
	auto it = cores_.find(reverted);
	if (it == cores_.end()) {
		const scenario::SubjectSpec &spec = core_left_ ? left_spec_ : right_spec_;
		it = cores_.emplace(reverted, std::make_unique<diff::CoreSubject>(
						      attributor_->switches_with(bits_of(reverted)),
						      spec.text))
			     .first;
	}
	return *it->second;
}

void Evaluator::encode_side(bool left, const diff::Subject &subj, bool pv)
{
	if (!weak_key_)
		encode_world(left ? engine_.left_world() : engine_.right_world(), enc_);
	encode_holdings(engine_.holdings(left), enc_);
	if (auto *c = dynamic_cast<const diff::CoreSubject *>(&subj)) {
		encode_balloon(const_cast<diff::CoreSubject *>(c)->core(), pv, enc_);
		if (dynamic_cast<const diff::PlantedSubject *>(&subj))
			encode_subject(subj, enc_); // its statistics are not the core's
		return;
	}
	encode_subject(subj, enc_);
#if BALLAST_HAVE_UPSTREAM
	if (auto *u = dynamic_cast<const diff::UpstreamSubject *>(&subj))
		enc_.u64((uint64_t)u->thread_status());
#endif
}

Verdict Evaluator::evaluate(const scenario::Scenario &s, uint64_t reverted, const PathState &in)
{
	Verdict v;
	v.reverted = reverted;
	diff::Subject *l = left_.get(), *r = right_.get();
	auto pick = [&](uint64_t rev) {
		if (!attributor_)
			return;
		(core_left_ ? l : r) = &core_for(rev);
	};
	pick(reverted);
	diff::Divergence d;
	if (engine_.run(s, *l, *r, &d)) {
		v.kind = Verdict::Divergence;
		v.signature = signature("divergence", d.field);
		if (!attributor_) {
			v.message =
				std::string(l->name()) + " vs " + r->name() + ": " + d.describe();
			return v;
		}
		const diff::Attribution a = attributor_->attribute_from(s, d, bits_of(reverted));
		if (a.status != diff::Attribution::Attributed) {
			v.message = std::string(left_spec_.text) + " vs " + right_spec_.text +
				    ": " + a.describe();
			return v;
		}
		v.attributed = mask_of(a.switches);
		v.reverted = reverted | v.attributed;
		pick(v.reverted);
		if (engine_.run(s, *l, *r, &d)) {
			v.message = "attributed (" + a.describe() +
				    "), yet with those switches reverted: " + d.describe();
			return v;
		}
		v.kind = Verdict::Ok;
	}
	bool harness_state = false;
	if (invariants_) {
		const fuzz::RunResult &hr = harness_.run(s);
		if (hr.outcome == fuzz::Outcome::Violation) {
			v.kind = Verdict::Violation;
			v.message = std::string("core:") + scenario::profile_name(s.profile) +
				    " alone, step " + std::to_string(hr.failed_step) + ": " +
				    hr.message;
			v.signature = signature("violation", hr.message);
			return v;
		}
		// 2: the run stopped (a lie, a crash, a hang); documented slips noted
		// on the way do not stop it.
		v.harness = hr.outcome == fuzz::Outcome::Tolerated && !hr.completed ? 2 :
			    harness_.tainted() || !hr.slips.empty()		    ? 1 :
										      0;
		// A stopped run checks nothing more; the same core as the engine's
		// left side in the same world is in the same state.
		harness_state = v.harness != 2 && !(harness_same_as_left_ && v.reverted == 0);
	}
	const bool pv = s.header.pv != 0;
	const world::World &lw = engine_.left_world();
	const ballast_stats st = l->stats();
	const bool ran = !s.ops.empty() && (s.ops.back().kind == scenario::OpKind::Run ||
					    s.ops.back().kind == scenario::OpKind::Advance);
	v.path = in;
	if (ran && (lw.kthread_steps() != in.kt_steps || !in.prepared)) {
		v.path.snapshot = (int64_t)(st.target_pages - st.current_pages);
		v.path.prepared = 1;
	}
	if (lw.hangs() != in.hangs)
		v.path.prepared = 0;
	v.path.kt_steps = lw.kthread_steps();
	v.path.hangs = lw.hangs();
	enc_.clear();
	enc_.u64(v.reverted);
	enc_.tag((char)v.harness);
	if (kthread_) {
		// The snapshot is read by a wake-up that finds the kthread asleep
		// (it has prepared: a deadline) in a balloon_state other than DONE
		// (balloon_thread_cond ignores it then); a new one is taken before
		// either can change. Elsewhere it is never read: 0.
		auto *lc = dynamic_cast<const diff::CoreSubject *>(l);
		const bool read =
			v.path.prepared && lw.kthread_deadline() != 0 &&
			(!lc || const_cast<diff::CoreSubject *>(lc)->core().state() != BP_DONE);
		if (!read)
			v.path.snapshot = 0;
		enc_.tag((char)v.path.prepared);
		enc_.u64((uint64_t)v.path.snapshot);
	}
	encode_side(true, *l, pv);
	encode_side(false, *r, pv);
	if (invariants_ && v.harness != 2)
		for (unsigned long x : harness_.oracle_state())
			enc_.u64(x);
	if (harness_state) {
		if (!weak_key_)
			encode_world(harness_.world(), enc_);
		encode_holdings(harness_.holdings(), enc_);
		encode_balloon(harness_.balloon(), pv, enc_);
	}
	v.key = enc_.key();
	return v;
}

} // namespace explore
} // namespace ballast
