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

struct ctl_table_header *bshim_register_sysctl_sz(const char *path, struct ctl_table *table,
						  size_t n)
{
	if (!str_eq(path, "xen/balloon"))
		return NULL; /* the driver registers nothing else */
	bshim_cur->sysctl_dir = table;
	bshim_cur->sysctl_dir_n = n;
	sysctl_header.table = table;
	return &sysctl_header;
}

/* In a terminated table (n == 0) or in the first n entries. */
static struct ctl_table *ctl_find(struct ctl_table *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; t && (n ? i < n : t[i].procname != NULL); i++)
		if (str_eq(t[i].procname, name))
			return &t[i];
	return NULL;
}

int bshim_sysctl_write(struct bshim_ctx *ctx, const char *name, int value)
{
	struct ctl_table *t;

	bshim_cur = ctx;
	if (ctx->sysctl_dir) {
		t = ctl_find(ctx->sysctl_dir, ctx->sysctl_dir_n, name);
	} else {
		t = ctl_find(ctx->sysctl_root, 0, "xen");
		t = t ? ctl_find(t->child, 0, "balloon") : NULL;
		t = t ? ctl_find(t->child, 0, name) : NULL;
	}
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
