// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "explorer.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <unordered_map>

#include "evaluate.h"
#include "generate.h"
#include "report.h"
#include "text.h"
#include "visited.h"

namespace ballast {
namespace explore {

namespace {

constexpr uint32_t kNoParent = ~0u;
constexpr unsigned kMaxJobs = 64;
constexpr size_t kChunk = 16; // states a worker takes at a time

struct Node {
	uint32_t parent; // kNoParent: a world at boot
	uint16_t op;	 // index in its world's alphabet (the world's index for a root)
	uint8_t world;
	uint8_t harness;
	uint64_t reverted;
	PathState path;
};

// What a worker reports for one transition (state, operation).
struct Rec {
	enum Kind : uint8_t { State, Finding, Tally };
	uint32_t node = 0; // the state expanded
	uint16_t op = 0;
	uint8_t kind = State;
	uint8_t harness = 0;
	uint64_t reverted = 0;
	uint64_t attributed = 0; // Tally: transitions; else the switches attributed
	Key key;		 // State: the state reached; Finding: its signature's hash
	float seconds = 0;	 // Finding: when it was seen
	uint32_t text = 0;	 // Finding: bytes of signature + '\0' + message that follow
	PathState path;		 // State
};

// Counters the workers share with the parent (progress, the deadline).
struct Shared {
	std::atomic<uint64_t> next;
	std::atomic<uint32_t> stop;
	std::atomic<uint64_t> runs[kMaxJobs];
	std::atomic<uint64_t> states[kMaxJobs];
};

double since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Key key_of_text(const std::string &s)
{
	StateEncoder e;
	e.bytes(s.data(), s.size());
	return e.key();
}

class Explorer {
public:
	Explorer(const Options &o, FILE *progress)
		: o_(o)
		, progress_(progress)
		, ev_(o.left, o.right, o.plant, o.invariants)
	{
		ev_.set_weak_key(o.weak_key);
	}
	Result run();

private:
	scenario::Scenario scenario_of(uint32_t node, const scenario::Op *extra) const;
	void worker(unsigned w, size_t begin, size_t end, Shared *sh, FILE *out);
	bool expand_level(unsigned depth, size_t begin, size_t end, Level *lv);
	void add_finding(const Rec &r, const std::string &sig, const std::string &msg,
			 unsigned depth);
	void print_progress(unsigned depth, size_t level_states, const Shared *sh) const;

	const Options &o_;
	FILE *progress_;
	Evaluator ev_;
	std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
	std::vector<Node> nodes_;
	std::vector<Key> node_keys_; // check_dedup only
	KeySet visited_;
	std::unordered_map<std::string, size_t> finding_index_;
	std::unordered_map<uint64_t, std::pair<Key, uint32_t>> successor_digest_; // check_dedup
	Result r_;
	std::string tmpdir_;
};

scenario::Scenario Explorer::scenario_of(uint32_t node, const scenario::Op *extra) const
{
	scenario::Scenario s;
	std::vector<uint16_t> ops;
	uint32_t n = node;
	for (; nodes_[n].parent != kNoParent; n = nodes_[n].parent)
		ops.push_back(nodes_[n].op);
	const ExploreWorld &w = o_.worlds[nodes_[n].world];
	s.header = w.header;
	s.profile = ev_.profile();
	for (auto it = ops.rbegin(); it != ops.rend(); ++it)
		s.ops.push_back(w.ops[*it]);
	if (extra)
		s.ops.push_back(*extra);
	std::string l, r;
	scenario::scenario_pair(s, &l, &r);
	if (l != o_.left.text || r != o_.right.text) {
		s.left = o_.left.text;
		s.right = o_.right.text;
	}
	return s;
}

void Explorer::worker(unsigned w, size_t begin, size_t end, Shared *sh, FILE *out)
{
	KeySet mine; // states this worker already reported in this level
	std::unordered_map<std::string, bool> told;
	uint64_t tally[64] = {}, attributed = 0;
	const size_t count = end - begin;
	for (;;) {
		if (sh->stop.load())
			break;
		if (o_.seconds > 0 && since(t0_) > o_.seconds) {
			sh->stop.store(1);
			break;
		}
		const size_t c = sh->next.fetch_add(kChunk);
		if (c >= count)
			break;
		for (size_t i = begin + c; i < begin + c + kChunk && i < end; i++) {
			const Node &nd = nodes_[i];
			const ExploreWorld &world = o_.worlds[nd.world];
			scenario::Scenario s = scenario_of((uint32_t)i, nullptr);
			s.ops.emplace_back();
			for (size_t op = 0; op < world.ops.size(); op++) {
				s.ops.back() = world.ops[op];
				const Verdict v = ev_.evaluate(s, nd.reverted, nd.path);
				sh->runs[w].fetch_add(1, std::memory_order_relaxed);
				if (v.attributed) {
					attributed++;
					for (unsigned b = 0; b < 64; b++)
						tally[b] += v.attributed >> b & 1;
				}
				Rec r;
				r.node = (uint32_t)i;
				r.op = (uint16_t)op;
				r.harness = v.harness;
				r.reverted = v.reverted;
				r.path = v.path;
				r.attributed = v.attributed;
				if (v.kind != Verdict::Ok) {
					// The parent keeps the first in BFS order; the
					// dedup check needs every successor.
					if (o_.dedup && told[v.signature])
						continue;
					told[v.signature] = true;
					const std::string text = v.signature + '\0' + v.message;
					r.kind = Rec::Finding;
					r.key = key_of_text(v.signature);
					r.seconds = (float)since(t0_);
					r.text = (uint32_t)text.size();
					fwrite(&r, sizeof r, 1, out);
					fwrite(text.data(), 1, text.size(), out);
					continue;
				}
				r.key = v.key;
				if (o_.dedup && (visited_.contains(v.key) || !mine.insert(v.key)))
					continue;
				fwrite(&r, sizeof r, 1, out);
			}
			sh->states[w].fetch_add(1, std::memory_order_relaxed);
		}
	}
	for (unsigned b = 0; b < 64; b++) {
		if (!tally[b])
			continue;
		Rec r;
		r.kind = Rec::Tally;
		r.op = (uint16_t)b;
		r.attributed = tally[b];
		fwrite(&r, sizeof r, 1, out);
	}
	Rec t;
	t.kind = Rec::Tally;
	t.op = 0xffff;
	t.attributed = attributed;
	fwrite(&t, sizeof t, 1, out);
}

void Explorer::print_progress(unsigned depth, size_t level_states, const Shared *sh) const
{
	if (!progress_)
		return;
	uint64_t runs = 0, states = 0;
	for (unsigned j = 0; j < o_.jobs; j++) {
		runs += sh->runs[j].load();
		states += sh->states[j].load();
	}
	const double t = since(t0_);
	fprintf(progress_,
		"explore: %6.1f s  depth %u/%u  level %llu/%zu states  expanded %llu  distinct "
		"%zu  %.0f states/s  %.0f runs/s\n",
		t, depth, o_.depth, (unsigned long long)states, level_states,
		(unsigned long long)(r_.expanded + states), visited_.size(),
		t > 0 ? (double)(r_.expanded + states) / t : 0.0,
		t > 0 ? (double)(r_.runs + runs) / t : 0.0);
	fflush(progress_);
}

void Explorer::add_finding(const Rec &r, const std::string &sig, const std::string &msg,
			   unsigned depth)
{
	auto it = finding_index_.find(sig);
	if (it != finding_index_.end()) {
		r_.findings[it->second].count++;
		return;
	}
	const scenario::Scenario s =
		scenario_of(r.node, &o_.worlds[nodes_[r.node].world].ops[r.op]);
	Finding f;
	f.kind = r.kind == Rec::Finding && sig.rfind("violation", 0) == 0 ? "violation" :
									    "divergence";
	f.signature = sig;
	f.message = msg;
	f.depth = depth;
	f.seconds = r.seconds;
	std::string comment = "FINDING (explore, " + std::string(o_.left.text) + " vs " +
			      o_.right.text + ", depth " + std::to_string(depth) + "): " + msg +
			      "\nThe shortest scenario that shows it: found by ./ballast explore "
			      "(breadth-first); replay with ./ballast diff FILE and ./ballast "
			      "replay FILE.";
	f.scenario = scenario::print_scenario(s, comment);
	if (!o_.out_dir.empty()) {
		f.file = o_.out_dir + "/finding-" + std::to_string(r_.findings.size() + 1) + ".scn";
		std::ofstream(f.file) << f.scenario;
	}
	finding_index_[sig] = r_.findings.size();
	r_.findings.push_back(f);
}

// Expands nodes_[begin, end) (all at `depth`); appends the new states.
bool Explorer::expand_level(unsigned depth, size_t begin, size_t end, Level *lv)
{
	const double t_start = since(t0_);
	const unsigned jobs = o_.jobs;
	void *mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		r_.error = "mmap failed";
		return false;
	}
	Shared *sh = new (mem) Shared();
	std::vector<std::string> files;
	std::vector<pid_t> pids;
	for (unsigned j = 0; j < jobs; j++) {
		files.push_back(tmpdir_ + "/level" + std::to_string(depth) + "-" +
				std::to_string(j));
		fflush(nullptr);
		const pid_t pid = fork();
		if (pid < 0) {
			r_.error = "fork failed";
			break;
		}
		if (pid == 0) {
			FILE *out = fopen(files.back().c_str(), "wb");
			if (!out)
				_exit(3);
			static char buf[1 << 20];
			setvbuf(out, buf, _IOFBF, sizeof buf);
			worker(j, begin, end, sh, out);
			_exit(fclose(out) == 0 ? 0 : 3);
		}
		pids.push_back(pid);
	}
	// Wait, printing progress.
	double last = since(t0_);
	size_t alive = pids.size();
	std::vector<bool> done(pids.size(), false);
	while (alive) {
		for (size_t j = 0; j < pids.size(); j++) {
			if (done[j])
				continue;
			int st = 0;
			const pid_t p = waitpid(pids[j], &st, WNOHANG);
			if (p == 0)
				continue;
			done[j] = true;
			alive--;
			if (p < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
				r_.error =
					"a worker died (" +
					(p > 0 && WIFSIGNALED(st) ?
						 "signal " + std::to_string(WTERMSIG(st)) :
						 "exit status " + std::to_string(WEXITSTATUS(st))) +
					") expanding depth " + std::to_string(depth) +
					"; run with --jobs 1 to see why";
		}
		if (!alive)
			break;
		usleep(20000);
		if (o_.progress_every > 0 && since(t0_) - last >= o_.progress_every) {
			last = since(t0_);
			print_progress(depth, end - begin, sh);
		}
	}
	uint64_t runs = 0, states = 0;
	for (unsigned j = 0; j < jobs; j++) {
		runs += sh->runs[j].load();
		states += sh->states[j].load();
	}
	lv->complete = sh->stop.load() == 0 && states == end - begin;
	munmap(mem, sizeof(Shared));
	lv->depth = depth;
	lv->states = states;
	lv->runs = runs;
	r_.runs += runs;
	if (!r_.error.empty())
		return false;
	// Merge, in (state, operation) order.
	struct Item {
		Rec r;
		std::string sig, msg;
		size_t seq; // read order: ties keep it (std::sort with a total order,
			    // std::stable_sort's temporary buffer is deprecated under clang-19)
	};
	std::vector<Item> items;
	std::vector<Rec> tallies;
	for (const std::string &f : files) {
		FILE *in = fopen(f.c_str(), "rb");
		if (!in) {
			r_.error = "cannot read " + f;
			return false;
		}
		Rec r;
		while (fread(&r, sizeof r, 1, in) == 1) {
			Item it{r, "", "", items.size()};
			if (r.kind == Rec::Finding) {
				std::string text(r.text, '\0');
				if (fread(&text[0], 1, r.text, in) != r.text)
					break;
				const size_t z = text.find('\0');
				it.sig = text.substr(0, z);
				it.msg = text.substr(z + 1);
			}
			if (r.kind == Rec::Tally) {
				tallies.push_back(r);
				continue;
			}
			items.push_back(std::move(it));
		}
		fclose(in);
		unlink(f.c_str());
	}
	std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
		return a.r.node != b.r.node ? a.r.node < b.r.node :
		       a.r.op != b.r.op	    ? a.r.op < b.r.op :
					      a.seq < b.seq;
	});
	if (!lv->complete) {
		// A partial level adds no states and counts no attribution; what it
		// found is still a finding, at its shortest (every shorter scenario ran).
		for (const Item &it : items)
			if (it.r.kind == Rec::Finding)
				add_finding(it.r, it.sig, it.msg, depth + 1);
		lv->seconds = since(t0_) - t_start;
		return true;
	}
	for (const Rec &r : tallies) {
		if (r.op == 0xffff)
			r_.attributed_transitions += r.attributed;
		else
			r_.attributed[kSwitchTable[r.op].name] += r.attributed;
	}
	const size_t before = nodes_.size();
	// check_dedup: the successors of every state, by key of the state
	uint32_t cur = kNoParent;
	StateEncoder succ;
	auto close_successors = [&]() {
		if (!o_.check_dedup || cur == kNoParent)
			return;
		const Key digest = succ.key();
		const Key own = node_keys_[cur];
		auto ins = successor_digest_.emplace(own.lo ^ own.hi, std::make_pair(digest, cur));
		if (!ins.second && ins.first->second.first != digest) {
			if (r_.conflations++ == 0)
				r_.conflation_example =
					scenario::print_scenario(
						scenario_of(ins.first->second.second, nullptr)) +
					"and\n" +
					scenario::print_scenario(scenario_of(cur, nullptr));
		}
		succ.clear();
	};
	for (const Item &it : items) {
		if (it.r.node != cur) {
			close_successors();
			cur = it.r.node;
		}
		if (o_.check_dedup) {
			succ.u64(it.r.op);
			succ.tag((char)it.r.kind);
			succ.u64(it.r.key.lo);
			succ.u64(it.r.key.hi);
		}
		if (it.r.kind == Rec::Finding) {
			add_finding(it.r, it.sig, it.msg, depth + 1);
			continue;
		}
		if (o_.dedup && !visited_.insert(it.r.key))
			continue;
		if (!o_.dedup)
			visited_.insert(it.r.key);
		nodes_.push_back(Node{it.r.node, it.r.op, nodes_[it.r.node].world, it.r.harness,
				      it.r.reverted, it.r.path});
		if (o_.check_dedup)
			node_keys_.push_back(it.r.key);
	}
	close_successors();
	lv->new_states = nodes_.size() - before;
	lv->seconds = since(t0_) - t_start;
	return true;
}

Result Explorer::run()
{
	std::string err;
	if (!ev_.ready(&err)) {
		r_.error = err;
		return r_;
	}
	if (o_.jobs < 1 || o_.jobs > kMaxJobs) {
		r_.error = "--jobs must be 1.." + std::to_string(kMaxJobs);
		return r_;
	}
	char tmpl[] = "/tmp/ballast-explore-XXXXXX";
	if (!mkdtemp(tmpl)) {
		r_.error = "cannot make a temporary directory";
		return r_;
	}
	tmpdir_ = tmpl;
	// depth 0: every world at boot
	for (size_t w = 0; w < o_.worlds.size(); w++) {
		nodes_.push_back(Node{kNoParent, (uint16_t)w, (uint8_t)w, 0, 0, PathState()});
		scenario::Scenario s = scenario_of((uint32_t)(nodes_.size() - 1), nullptr);
		const Verdict v = ev_.evaluate(s, 0);
		r_.runs++;
		if (v.kind != Verdict::Ok) {
			Finding f;
			f.kind = v.kind == Verdict::Violation ? "violation" : "divergence";
			f.signature = v.signature;
			f.message = v.message;
			f.scenario = scenario::print_scenario(s, "FINDING (explore, at boot): " +
									 v.message);
			r_.findings.push_back(f);
			nodes_.pop_back();
			continue;
		}
		nodes_.back().harness = v.harness;
		nodes_.back().reverted = v.reverted;
		nodes_.back().path = v.path;
		visited_.insert(v.key);
		if (o_.check_dedup)
			node_keys_.push_back(v.key);
	}
	size_t begin = 0, end = nodes_.size();
	r_.depth_exhausted = 0;
	for (unsigned d = 0; d < o_.depth && begin < end; d++) {
		if (r_.findings.size() >= o_.max_findings)
			break;
		Level lv;
		if (!expand_level(d, begin, end, &lv))
			break;
		r_.levels.push_back(lv);
		r_.expanded += lv.states;
		if (!lv.complete)
			break;
		r_.depth_exhausted = d + 1;
		begin = end;
		end = nodes_.size();
		if (progress_) {
			fprintf(progress_,
				"explore: %6.1f s  depth %u exhausted: %llu states expanded, %llu new, "
				"%zu distinct, %zu finding(s)\n",
				since(t0_), d + 1, (unsigned long long)lv.states,
				(unsigned long long)lv.new_states, visited_.size(),
				r_.findings.size());
			fflush(progress_);
		}
	}
	if (begin == end && r_.depth_exhausted < o_.depth && r_.error.empty() &&
	    (r_.levels.empty() || r_.levels.back().complete))
		r_.depth_exhausted = o_.depth; // no new state: every longer scenario repeats one
	r_.complete = r_.depth_exhausted >= o_.depth;
	r_.distinct = visited_.size();
	r_.seconds = since(t0_);
	rmdir(tmpdir_.c_str());
	return r_;
}

std::string fmt(const char *f, double v)
{
	char b[64];
	snprintf(b, sizeof b, f, v);
	return b;
}

std::string world_list(const Options &o)
{
	std::string s;
	for (const ExploreWorld &w : o.worlds)
		s += (s.empty() ? "" : ", ") + w.name + " (" +
		     scenario::print_header(w.header).substr(6) + "; " +
		     std::to_string(w.ops.size()) + " operations)";
	return s;
}

} // namespace

Result run_exploration(const Options &o, FILE *progress)
{
	Explorer e(o, progress);
	return e.run();
}

Sample run_sample(const Options &o, uint64_t count)
{
	Sample out;
	Evaluator ev(o.left, o.right, o.plant, o.invariants);
	if (!ev.ready(&out.error))
		return out;
	const auto t0 = std::chrono::steady_clock::now();
	for (uint64_t seed = 1; seed <= count; seed++) {
		if (o.seconds > 0 && since(t0) > o.seconds)
			break;
		scenario::Scenario s;
		scenario::generate_scenario(seed, scenario::GenOptions(), &s);
		s.profile = ev.profile();
		std::string l, r;
		scenario::scenario_pair(s, &l, &r);
		if (l != o.left.text || r != o.right.text) {
			s.left = o.left.text;
			s.right = o.right.text;
		}
		const Verdict v = ev.evaluate(s, 0);
		out.scenarios++;
		if (v.kind == Verdict::Ok)
			continue;
		out.found = true;
		out.finding.kind = v.kind == Verdict::Violation ? "violation" : "divergence";
		out.finding.signature = v.signature;
		out.finding.message = v.message;
		out.finding.depth = (unsigned)s.ops.size();
		out.finding.scenario =
			scenario::print_scenario(s, "generator seed " + std::to_string(seed));
		break;
	}
	out.seconds = since(t0);
	out.finding.seconds = out.seconds;
	return out;
}

std::string claim(const Options &o, const Result &r)
{
	if (!r.error.empty())
		return "no claim: " + r.error;
	if (r.conflations)
		return "no claim: the dedup check found " + std::to_string(r.conflations) +
		       " keys shared by states with different successors";
	const std::string pair = o.left.text + " and " + o.right.text;
	std::string worlds;
	for (const ExploreWorld &w : o.worlds)
		worlds += (worlds.empty() ? "" : ", ") + w.name;
	if (!r.findings.empty())
		return std::to_string(r.findings.size()) + " finding(s) for " + pair +
		       "; the first at depth " + std::to_string(r.findings[0].depth) + ": " +
		       r.findings[0].message.substr(0, r.findings[0].message.find('\n'));
	std::string c = "for every scenario of at most " + std::to_string(r.depth_exhausted) +
			" operations over worlds " + worlds + " (alphabet " + o.alphabet + "), ";
	if (r.attributed_transitions)
		c += "every divergence between " + pair + " is attributed to a switch (" +
		     std::to_string(r.attributed_transitions) +
		     " divergent transitions); 0 unattributed";
	else
		c += pair + " agree";
	c += o.invariants ? "; 0 violations" : " (invariants not checked)";
	if (!r.complete)
		c += " (depth " + std::to_string(o.depth) + " not exhausted)";
	return c;
}

std::string summary_text(const Options &o, const Result &r)
{
	std::string s = "pair: " + o.left.text + " vs " + o.right.text + "\n";
	s += "worlds (alphabet " + o.alphabet + "): " + world_list(o) + "\n";
	s += "depth " + std::to_string(r.depth_exhausted) + " of " + std::to_string(o.depth) +
	     " exhausted" + (o.dedup ? "" : " (no dedup)") + "; " + std::to_string(r.distinct) +
	     " distinct states, " + std::to_string(r.expanded) + " expanded, " +
	     std::to_string(r.runs) + " scenarios run in " + fmt("%.1f", r.seconds) + " s (" +
	     fmt("%.0f", r.seconds > 0 ? r.expanded / r.seconds : 0) + " states/s, " +
	     fmt("%.0f", r.seconds > 0 ? r.runs / r.seconds : 0) + " runs/s, " +
	     std::to_string(o.jobs) + " jobs)\n";
	for (const Level &l : r.levels)
		s += "  depth " + std::to_string(l.depth) + ": " + std::to_string(l.states) +
		     " states expanded, " + std::to_string(l.runs) + " runs, " +
		     std::to_string(l.new_states) + " new states at depth " +
		     std::to_string(l.depth + 1) + ", " + fmt("%.1f", l.seconds) + " s" +
		     (l.complete ? "" : " (partial)") + "\n";
	for (const auto &a : r.attributed)
		s += "  attributed to " + a.first + ": " + std::to_string(a.second) +
		     " transitions\n";
	if (o.check_dedup)
		s += "dedup check: " + std::to_string(r.conflations) +
		     " keys with two different successor sets\n" + r.conflation_example;
	for (const Finding &f : r.findings)
		s += "FINDING (" + f.kind + ", depth " + std::to_string(f.depth) + ", " +
		     fmt("%.2f", f.seconds) + " s, " + std::to_string(f.count) +
		     " transitions): " + f.message +
		     (f.file.empty() ? "" : "\n  written to " + f.file) + "\n";
	s += "claim: " + claim(o, r) + "\n";
	return s;
}

std::string summary_json(const Options &o, const Result &r)
{
	using diff::json_escape;
	auto q = [](const std::string &v) { return "\"" + json_escape(v) + "\""; };
	std::string s = "{\n";
	s += "  \"left\": " + q(o.left.text) + ",\n  \"right\": " + q(o.right.text) + ",\n";
	s += "  \"alphabet\": " + q(o.alphabet) + ",\n";
	s += "  \"worlds\": [";
	for (size_t i = 0; i < o.worlds.size(); i++) {
		const ExploreWorld &w = o.worlds[i];
		s += std::string(i ? ", " : "") + "{\"name\": " + q(w.name) +
		     ", \"header\": " + q(scenario::print_header(w.header)) + ", \"alphabet\": [";
		for (size_t k = 0; k < w.ops.size(); k++)
			s += std::string(k ? ", " : "") + q(scenario::print_op(w.ops[k]));
		s += "]}";
	}
	s += "],\n";
	s += "  \"depth_requested\": " + std::to_string(o.depth) +
	     ",\n  \"depth_exhausted\": " + std::to_string(r.depth_exhausted) +
	     ",\n  \"complete\": " + (r.complete ? "true" : "false") +
	     ",\n  \"dedup\": " + (o.dedup ? "true" : "false") +
	     ",\n  \"distinct_states\": " + std::to_string(r.distinct) +
	     ",\n  \"states_expanded\": " + std::to_string(r.expanded) +
	     ",\n  \"runs\": " + std::to_string(r.runs) +
	     ",\n  \"seconds\": " + fmt("%.3f", r.seconds) + ",\n  \"states_per_second\": " +
	     fmt("%.1f", r.seconds > 0 ? r.expanded / r.seconds : 0) +
	     ",\n  \"runs_per_second\": " + fmt("%.1f", r.seconds > 0 ? r.runs / r.seconds : 0) +
	     ",\n  \"jobs\": " + std::to_string(o.jobs) + ",\n  \"levels\": [";
	for (size_t i = 0; i < r.levels.size(); i++) {
		const Level &l = r.levels[i];
		s += std::string(i ? ", " : "") + "{\"depth\": " + std::to_string(l.depth) +
		     ", \"states\": " + std::to_string(l.states) +
		     ", \"runs\": " + std::to_string(l.runs) +
		     ", \"new_states\": " + std::to_string(l.new_states) +
		     ", \"seconds\": " + fmt("%.3f", l.seconds) +
		     ", \"complete\": " + (l.complete ? "true" : "false") + "}";
	}
	s += "],\n  \"attributed_transitions\": " + std::to_string(r.attributed_transitions) +
	     ",\n  \"attributed\": {";
	bool first = true;
	for (const auto &a : r.attributed) {
		s += std::string(first ? "" : ", ") + q(a.first) + ": " + std::to_string(a.second);
		first = false;
	}
	s += "},\n  \"findings\": [";
	for (size_t i = 0; i < r.findings.size(); i++) {
		const Finding &f = r.findings[i];
		s += std::string(i ? ",\n    " : "\n    ") + "{\"kind\": " + q(f.kind) +
		     ", \"depth\": " + std::to_string(f.depth) +
		     ", \"seconds\": " + fmt("%.3f", f.seconds) +
		     ", \"count\": " + std::to_string(f.count) + ", \"message\": " + q(f.message) +
		     ", \"file\": " + (f.file.empty() ? "null" : q(f.file)) +
		     ", \"scenario\": " + q(f.scenario) + "}";
	}
	s += "],\n";
	if (o.check_dedup)
		s += "  \"conflations\": " + std::to_string(r.conflations) + ",\n";
	s += "  \"error\": " + (r.error.empty() ? std::string("null") : q(r.error)) + ",\n";
	s += "  \"claim\": " + q(claim(o, r)) + "\n}\n";
	return s;
}

} // namespace explore
} // namespace ballast
