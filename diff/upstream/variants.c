// SPDX-License-Identifier: GPL-2.0 OR MIT
/* ballast diff: the table of compiled upstream variants, by BUP_CFG_* bits. */
#include "upstream_ops.h"

#define BUP_EACH(X) \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define BUP_DECL(n) extern const struct bup_ops bup_ops_seed_##n, bup_ops_61_##n, bup_ops_612_##n;
BUP_EACH(BUP_DECL)
#define BUP_SEED(n) &bup_ops_seed_##n,
#define BUP_61(n) &bup_ops_61_##n,
#define BUP_612(n) &bup_ops_612_##n,
const struct bup_ops *const bup_seed_variants[BUP_CFG_COUNT] = {BUP_EACH(BUP_SEED)};
const struct bup_ops *const bup_61_variants[BUP_CFG_COUNT] = {BUP_EACH(BUP_61)};
const struct bup_ops *const bup_612_variants[BUP_CFG_COUNT] = {BUP_EACH(BUP_612)};
