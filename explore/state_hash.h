// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast explore: the canonical encoding of a run's state, hashed to a
// 128-bit key so that each distinct state is expanded once.
//
// What is encoded (explore/README.md, "What a state is", says what this may
// conflate and how that was checked):
//  * the world, through World's public API: every frame (ownership state,
//    p2m, PageOffline/PageReserved), the hypervisor's MFN table (owner, m2p),
//    tot_pages/max_pages/host_free, both free lists in order, the knobs
//    (dead values canonicalised: a failure result with no failure to come),
//    hotplug ranges, managed pages, mem_available, totalreserve, and the
//    schedule relative to the clock (work due in N jiffies, kthread deadline
//    in N jiffies): nothing reads absolute time, so states that differ only
//    by when they happen are one;
//  * a driver: struct balloon_stats, the ballooned list in order, dead; the
//    core also its kthread state, hotplug_unpopulated and the last batch of
//    frame numbers; the upstream driver what diff/subject.h shows of it;
//  * the scenario's other actors: pages lent (in order), kept by abandoned
//    callers, taken by the guest.
// Cumulative counters (events, hypercalls, worker runs) are not state: no
// comparison or check reads them across steps.
#ifndef BALLAST_EXPLORE_STATE_HASH_H
#define BALLAST_EXPLORE_STATE_HASH_H

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "balloon.h"
#include "runtime.h"
#include "subject.h"
#include "world.h"
#include "world_env.h"

namespace ballast {
namespace explore {

struct Key {
	uint64_t lo = 0, hi = 0;
	bool operator==(const Key &o) const { return lo == o.lo && hi == o.hi; }
	bool operator!=(const Key &o) const { return !(*this == o); }
	bool operator<(const Key &o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
};

// Bytes in, one 128-bit key out (XXH3-128 of the bytes). The buffer grows
// and is reused: encoding is most of an exploration's time after the runs.
class StateEncoder {
public:
	StateEncoder()
		: buf_(1 << 16)
	{
	}
	void clear() { n_ = 0; }
	// Room for `n` more bytes; the unchecked writes below need it first.
	void reserve(size_t n)
	{
		if (n_ + n > buf_.size())
			buf_.resize(2 * (n_ + n));
	}
	template <class T> void put(const T &v)
	{
		memcpy(&buf_[n_], &v, sizeof v);
		n_ += sizeof v;
	}
	void u64(uint64_t v)
	{
		reserve(sizeof v);
		put(v);
	}
	void tag(char t)
	{
		reserve(1);
		put(t);
	}
	void bytes(const void *p, size_t n)
	{
		reserve(n);
		if (n)
			memcpy(&buf_[n_], p, n);
		n_ += n;
	}
	Key key() const;
	size_t size() const { return n_; }

private:
	std::vector<unsigned char> buf_;
	size_t n_ = 0;
};

void encode_world(const world::World &w, StateEncoder &e);
void encode_holdings(const scenario::Holdings &h, StateEncoder &e);
// stats, ballooned list, dead: what every Subject shows
void encode_subject(const diff::Subject &s, StateEncoder &e);
// The core: the same, its kthread state and hotplug_unpopulated, and (PV
// only: the one guest that maps what the batch holds) the last batch of
// frame numbers, which a populate reply larger than the request reads.
void encode_balloon(const Balloon<world::Env> &b, bool pv, StateEncoder &e);

} // namespace explore
} // namespace ballast

#endif // BALLAST_EXPLORE_STATE_HASH_H
