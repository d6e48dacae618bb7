/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest-agent: publishes the guest's own figures under its xenstore data/
 * directory when dom0 asks (the domU test, tests/xen-domu.sh). Static, no
 * libxenstore: it speaks the xenstore wire protocol (<xen/io/xs_wire.h>)
 * over /dev/xen/xenbus, which a guest has with only busybox.
 *
 *   guest-agent KEY=SOURCE...
 *
 * It watches data/ask (relative paths land under /local/domain/<id>/).
 * When dom0 writes "<seq>" or "<seq> <shell command>" there, the agent runs
 * the command (sh -c) if any, then writes data/<KEY> for every KEY=SOURCE,
 * and last data/answer = <seq>. A SOURCE is a file whose first number is
 * published ("/sys/.../current_kb"), or FILE:FIELD for the number after
 * "FIELD:" in a "name: value" file ("/proc/meminfo:MemTotal"); "pid:COMM"
 * in a SOURCE stands for the pid of the task named COMM
 * ("/proc/pid:xen-balloon/schedstat"). A source that cannot be read is
 * published as "-". Blocks in read() between requests: no polling.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

static int xs_fd;
static int event_pending;
static uint32_t req_id;

static void die(const char *what)
{
	fprintf(stderr, "guest-agent: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void read_full(void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(xs_fd, p, len);

		if (n <= 0)
			die("read /dev/xen/xenbus");
		p += n;
		len -= (size_t)n;
	}
}

/* One request; returns the reply's payload (malloc'd, NUL-terminated) or NULL on XS_ERROR. */
static char *xs_request(enum xsd_sockmsg_type type, const char *a, size_t alen, const char *b,
			size_t blen)
{
	struct xsd_sockmsg m = {.type = type, .req_id = ++req_id, .tx_id = 0,
				.len = (uint32_t)(alen + blen)};
	char buf[sizeof(m) + XENSTORE_PAYLOAD_MAX];

	if (m.len > XENSTORE_PAYLOAD_MAX)
		return NULL;
	memcpy(buf, &m, sizeof(m));
	memcpy(buf + sizeof(m), a, alen);
	if (blen)
		memcpy(buf + sizeof(m) + alen, b, blen);
	if (write(xs_fd, buf, sizeof(m) + m.len) != (ssize_t)(sizeof(m) + m.len))
		die("write /dev/xen/xenbus");
	for (;;) {
		struct xsd_sockmsg r;
		char *body;

		read_full(&r, sizeof(r));
		if (r.len > XENSTORE_PAYLOAD_MAX) {
			errno = EPROTO;
			die("reply");
		}
		body = malloc(r.len + 1);
		if (!body)
			die("malloc");
		read_full(body, r.len);
		body[r.len] = 0;
		if (r.type == XS_WATCH_EVENT) {
			event_pending = 1;
			free(body);
			continue;
		}
		if (r.type == XS_ERROR) {
			free(body);
			return NULL;
		}
		return body;
	}
}

static void xs_write(const char *path, const char *value)
{
	free(xs_request(XS_WRITE, path, strlen(path) + 1, value, strlen(value)));
}

static char *xs_read(const char *path)
{
	return xs_request(XS_READ, path, strlen(path) + 1, NULL, 0);
}

/* "pid:COMM" in a path becomes the pid of the first task whose comm is COMM. */
static int expand_pid(const char *src, char *out, size_t len)
{
	const char *p = strstr(src, "pid:");
	char comm[64], want[64];
	const char *end;
	struct dirent *d;
	DIR *dir;

	if (!p) {
		snprintf(out, len, "%s", src);
		return 0;
	}
	end = strchr(p + 4, '/');
	snprintf(want, sizeof(want), "%.*s", (int)(end ? end - p - 4 : (long)strlen(p + 4)),
		 p + 4);
	dir = opendir("/proc");
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		char path[300];
		FILE *f;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = 0;
			if (!strcmp(comm, want)) {
				fclose(f);
				snprintf(out, len, "%.*s%s%s", (int)(p - src), src, d->d_name,
					 end ? end : "");
				closedir(dir);
				return 0;
			}
		}
		fclose(f);
	}
	closedir(dir);
	return -1;
}

/* The first number of the file, or of the line "FIELD: ..."; "-" if unreadable. */
static void source_value(const char *src, char *out, size_t len)
{
	char path[512], line[512];
	const char *field = NULL;
	char *colon;
	FILE *f;

	snprintf(out, len, "-");
	if (expand_pid(src, path, sizeof(path)))
		return;
	colon = strchr(path, ':');
	if (colon) {
		*colon = 0;
		field = colon + 1;
	}
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v = line;

		if (field) {
			size_t n = strlen(field);

			if (strncmp(line, field, n) || line[n] != ':')
				continue;
			v = line + n + 1;
		}
		v += strspn(v, " \t");
		if (isdigit((unsigned char)*v))
			snprintf(out, len, "%lld", strtoll(v, NULL, 10));
		break;
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	char last[64] = "";
	int i;

	for (i = 1; i < argc; i++)
		if (!strchr(argv[i], '=')) {
			fprintf(stderr, "usage: guest-agent KEY=SOURCE...\n");
			return 2;
		}
	xs_fd = open("/dev/xen/xenbus", O_RDWR);
	if (xs_fd < 0)
		die("/dev/xen/xenbus");
	if (!xs_request(XS_WATCH, "data/ask", sizeof("data/ask"), "ask", sizeof("ask")))
		die("watch data/ask");
	event_pending = 1; /* a new watch fires once at once; read data/ask then too */
	for (;;) {
		char *ask, seq[64], *cmd;

		while (!event_pending) {
			struct xsd_sockmsg r;
			char body[XENSTORE_PAYLOAD_MAX + 1];

			read_full(&r, sizeof(r));
			if (r.len > XENSTORE_PAYLOAD_MAX)
				die("event");
			read_full(body, r.len);
			if (r.type == XS_WATCH_EVENT)
				event_pending = 1;
		}
		event_pending = 0;
		ask = xs_read("data/ask");
		if (!ask)
			continue;
		snprintf(seq, sizeof(seq), "%.*s", (int)strcspn(ask, " "), ask);
		if (!seq[0] || !strcmp(seq, last)) {
			free(ask);
			continue;
		}
		cmd = strchr(ask, ' ');
		if (cmd && system(cmd + 1) == -1)
			perror("system");
		for (i = 1; i < argc; i++) {
			char key[128], value[64];
			const char *eq = strchr(argv[i], '=');

			snprintf(key, sizeof(key), "data/%.*s", (int)(eq - argv[i]), argv[i]);
			source_value(eq + 1, value, sizeof(value));
			xs_write(key, value);
		}
		xs_write("data/answer", seq);
		snprintf(last, sizeof(last), "%s", seq);
		free(ask);
	}
}
