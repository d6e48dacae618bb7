// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast: the Env shape over the C environment (ballast_env_* functions).
// Used by the kernel module and by the freestanding check.
#ifndef BALLAST_EXTERN_ENV_H
#define BALLAST_EXTERN_ENV_H

#include "ballast_env.h"

namespace ballast {

// Each member forwards to ballast_env_<name>; the list comes from the one
// BALLAST_ENV_FUNCTIONS table, so the two shapes of the contract cannot drift.
struct ExternEnv {
#define BALLAST_EXTERN_FORWARD(ret, name, args)  \
	template <class... A> ret name(A... a)   \
	{                                        \
		return ballast_env_##name(a...); \
	}
	BALLAST_ENV_FUNCTIONS(BALLAST_EXTERN_FORWARD)
#undef BALLAST_EXTERN_FORWARD
};

} // namespace ballast

#endif // BALLAST_EXTERN_ENV_H
