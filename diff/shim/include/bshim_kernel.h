/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ballast diff: the kernel-API shim. Every kernel definition an upstream
 * drivers/xen/balloon.c (the late-2019 seed and Linux 6.1) needs to compile
 * unmodified as C in user space, and nothing else. No libc header: the
 * driver's world is the kernel's.
 *
 * Filed by kind, as Linux tools/testing/vma files the fakes around mm/vma.c:
 *   bshim_dup.h     DUPLICATED from kernel source (types, constants, list.h,
 *                   partial structs): keep in sync with the kernel;
 *   bshim_stubs.h   STUBBED: rendered no-ops;
 *   bshim_custom.h  exist in the kernel but CUSTOMISED for the harness:
 *                   backed by the ballast world (world/) or reporting to the
 *                   harness, implemented in diff/shim/kernel/.
 *
 * Every linux/, asm/ and xen/ header under this include directory is a
 * one-line forward to this file.
 */
#ifndef BALLAST_SHIM_KERNEL_H
#define BALLAST_SHIM_KERNEL_H

#include "ballast_env.h" /* libc-free: the world's shared enums and types */
#include "world_page.h"	 /* libc-free: struct ballast_page (the world's frame) */

#include "bshim_dup.h"
#include "bshim_stubs.h"
#include "bshim_custom.h"

#endif /* BALLAST_SHIM_KERNEL_H */
