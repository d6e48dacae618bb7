// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast explore: the set of state keys already seen.
//
// Written here rather than taken from a library: the keys are already
// uniform 128-bit hashes (explore/state_hash.h), so a flat array of them with
// linear probing needs no hash function, no allocation per entry and 16 bytes
// per slot -- a third of std::unordered_set's footprint at the tens of
// millions of states a ten-minute run keeps, and the array is shared
// copy-on-write with the worker processes.
#ifndef BALLAST_EXPLORE_VISITED_H
#define BALLAST_EXPLORE_VISITED_H

#include <cstddef>
#include <vector>

#include "state_hash.h"

namespace ballast {
namespace explore {

class KeySet {
public:
	KeySet()
		: slots_(1u << 16)
	{
	}
	size_t size() const { return n_; }
	bool contains(const Key &k) const
	{
		const Key c = canon(k);
		for (size_t i = c.lo & mask(); !empty(slots_[i]); i = (i + 1) & mask())
			if (slots_[i] == c)
				return true;
		return false;
	}
	// True when `k` was not in the set.
	bool insert(const Key &k)
	{
		if ((n_ + 1) * 2 > slots_.size())
			grow();
		const Key c = canon(k);
		size_t i = c.lo & mask();
		for (; !empty(slots_[i]); i = (i + 1) & mask())
			if (slots_[i] == c)
				return false;
		slots_[i] = c;
		n_++;
		return true;
	}

private:
	size_t mask() const { return slots_.size() - 1; }
	static bool empty(const Key &k) { return k.lo == 0 && k.hi == 0; }
	// The all-zero key marks an empty slot; the one state hashing to it
	// shares a slot with the key (0, 1).
	static Key canon(const Key &k)
	{
		Key c = k;
		if (empty(c))
			c.hi = 1;
		return c;
	}
	void grow()
	{
		std::vector<Key> old;
		old.swap(slots_);
		slots_.assign(old.size() * 2, Key());
		n_ = 0;
		for (const Key &k : old)
			if (!empty(k))
				insert(k);
	}
	std::vector<Key> slots_;
	size_t n_ = 0;
};

} // namespace explore
} // namespace ballast

#endif // BALLAST_EXPLORE_VISITED_H
