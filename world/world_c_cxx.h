// SPDX-License-Identifier: GPL-2.0 OR MIT
// Conversions between the C face's opaque `struct ballast_world` and world::World.
#ifndef BALLAST_WORLD_C_CXX_H
#define BALLAST_WORLD_C_CXX_H

#include "world.h"
#include "world_c.h"

namespace world {
inline ballast_world *c_handle(World &w)
{
	return reinterpret_cast<ballast_world *>(&w);
}
inline World &from_c(ballast_world *w)
{
	return *reinterpret_cast<World *>(w);
}
} // namespace world

#endif // BALLAST_WORLD_C_CXX_H
