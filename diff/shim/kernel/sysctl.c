// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ballast diff, shim runtime: sysctl (customised). The driver registers its
 * table; the harness writes xen.balloon.* through bshim_sysctl_write()
 * (bshim_api.h) with the range checks proc_dointvec_minmax() would apply.
 */
#include "runtime.h"

const int bshim_sysctl_vals[] = {0, 1};
static struct ctl_table_header sysctl_header;

int proc_dointvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp,
			 long long *ppos)
{
	(void)table;
	(void)write;
	(void)buffer;
	(void)lenp;
	(void)ppos;
	return -EINVAL; /* writes go through bshim_sysctl_write() */
}

struct ctl_table_header *register_sysctl_table(struct ctl_table *table)
{
	bshim_cur->sysctl_root = table;
	sysctl_header.table = table;
	return &sysctl_header;
}

static struct ctl_table *ctl_find(struct ctl_table *t, const char *name)
{
	for (; t && t->procname; t++)
		if (str_eq(t->procname, name))
			return t;
	return NULL;
}

int bshim_sysctl_write(struct bshim_ctx *ctx, const char *name, int value)
{
	struct ctl_table *t;

	bshim_cur = ctx;
	t = ctl_find(ctx->sysctl_root, "xen");
	t = t ? ctl_find(t->child, "balloon") : NULL;
	t = t ? ctl_find(t->child, name) : NULL;
	if (!t || !t->data || !(t->mode & 0200))
		return -ENOENT;
	if (t->proc_handler == proc_dointvec_minmax) {
		if ((t->extra1 && value < *(const int *)t->extra1) ||
		    (t->extra2 && value > *(const int *)t->extra2))
			return -EINVAL;
	}
	*(int *)t->data = value;
	return 0;
}
