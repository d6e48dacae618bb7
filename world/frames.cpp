// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast world: the frame table grows (hotplug) without moving a frame.
#include "world.h"

namespace world {

const char *to_string(FrameState s)
{
	switch (s) {
	case FrameState::Absent:
		return "absent";
	case FrameState::Free:
		return "free";
	case FrameState::Kernel:
		return "kernel-held";
	case FrameState::Core:
		return "balloon-owned";
	case FrameState::Unpopulated:
		return "unpopulated";
	case FrameState::HotplugOffline:
		return "hotplug-offline";
	}
	return "?";
}

void World::init_frame(Frame *f, unsigned long pfn)
{
	f->lru.next = nullptr;
	f->lru.prev = nullptr;
	f->pfn = pfn;
	f->p2m = INVALID_MFN;
	f->highmem = pfn >= cfg_.highmem_start_pfn ? 1 : 0;
	f->offline = 0;
	f->reserved = 0;
	f->wstate = BALLAST_WFS_ABSENT;
	f->mark = 0;
	log_pfn(pfn);
}

void World::ensure_frames(unsigned long start_pfn, unsigned long end_pfn)
{
	using Block = FrameTable::Block;
	constexpr unsigned kChunkShift = FrameTable::kChunkShift;
	std::vector<Frame *> &chunks = frames_.chunks;
	std::vector<Block> &spare = frames_.spare_blocks;
	unsigned long c0 = start_pfn >> kChunkShift;
	unsigned long c1 = (end_pfn + FrameTable::kChunkMask) >> kChunkShift;
	if (c1 > chunks.size())
		chunks.resize(c1, nullptr);
	unsigned long c = c0;
	while (c < c1) {
		if (chunks[c]) {
			++c;
			continue;
		}
		unsigned long run_end = c;
		while (run_end < c1 && !chunks[run_end])
			++run_end;
		unsigned long n = (run_end - c) << kChunkShift;
		// The smallest spare block that fits, else a new one.
		size_t best = spare.size();
		for (size_t i = 0; i < spare.size(); ++i)
			if (spare[i].size >= n &&
			    (best == spare.size() || spare[i].size < spare[best].size))
				best = i;
		Block block;
		if (best < spare.size()) {
			block = std::move(spare[best]);
			spare[best] = std::move(spare.back());
			spare.pop_back();
		} else {
			block = Block{std::unique_ptr<Frame[]>(new Frame[n]), n};
		}
		Frame *fr = block.frames.get();
		for (unsigned long i = 0; i < n; ++i)
			init_frame(&fr[i], (c << kChunkShift) + i);
		for (unsigned long j = c; j < run_end; ++j)
			chunks[j] = fr + ((j - c) << kChunkShift);
		frames_.blocks.push_back(std::move(block));
		c = run_end;
	}
}

} // namespace world
