/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ballast.ko selftest=1: the simulated hypervisor (ballast_fake_hv.c). It
 * keeps the set of frames it holds (an xarray), identity p2m (frames are
 * PFNs), and can answer partially, with errors, zero or too-large counts.
 * The selftest reads its state to check that no page is lost.
 */
#ifndef BALLAST_FAKE_HV_H
#define BALLAST_FAKE_HV_H

#include <linux/xarray.h>
#include "ballast_glue.h"

enum fake_mode {
	FAKE_OK = 0,
	FAKE_PARTIAL,	/* process and report min(count, arg) */
	FAKE_ERROR,	/* process nothing, return arg (negative) */
	FAKE_TOO_LARGE, /* process count, report count + arg */
	FAKE_ZERO,	/* process nothing, report 0 */
	FAKE_NMODES
};

struct fake_dir {
	enum fake_mode mode;
	int arg;
	int times; /* calls left in mode; <0 forever */
	unsigned long calls;
	int log[8]; /* requested counts of the last calls */
	unsigned int nlog;
	ballast_pfn_t first, last;   /* first/last frame of the last call */
	unsigned long extents_super; /* extents of order > 0 done */
};

struct ballast_fake {
	long reservation, max;
	struct xarray held;
	unsigned long nheld;
	unsigned long protocol_errors;
	struct fake_dir inc, dec;
};
extern struct ballast_fake ballast_fake;

void ballast_fake_set(struct fake_dir *d, enum fake_mode m, int arg, int times);
void ballast_fake_reset_modes(void);

#endif
