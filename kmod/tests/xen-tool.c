/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tool: a static helper for the Xen dom0 test (tests/xen-dom0.sh), run
 * in the busybox initramfs.
 *
 *   xen-tool move <write-file> <value> <poll-file> <expect> <timeout-ms>
 *       writes <value> to <write-file> and polls <poll-file> every 10 ms
 *       (guest CLOCK_MONOTONIC) until it reads <expect>; prints
 *       "ms=<elapsed> polls=<n> reached=<0|1> last=<value>"
 *   xen-tool maxmem <domid> <kb>
 *       XEN_DOMCTL_max_mem through /dev/xen/privcmd (what `xl mem-max` does):
 *       sets the domain's maximum reservation
 *
 * No libxen: the few structures are spelled out (Xen 4.17 public headers,
 * domctl interface version 0x15; 0x14/0x16 are tried too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long read_num(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

static int cmd_move(char **av)
{
	const char *wpath = av[0], *value = av[1], *ppath = av[2];
	long expect = strtol(av[3], NULL, 10), last = -1;
	double timeout = strtod(av[4], NULL), t0, t = 0;
	struct timespec ten = {0, 10 * 1000 * 1000};
	int fd, polls = 0, reached = 0;

	fd = open(wpath, O_WRONLY);
	if (fd < 0) {
		perror(wpath);
		return 2;
	}
	t0 = now_ms();
	if (write(fd, value, strlen(value)) < 0) {
		perror("write");
		close(fd);
		return 2;
	}
	close(fd);
	for (;;) {
		last = read_num(ppath);
		polls++;
		t = now_ms() - t0;
		if (last == expect) {
			reached = 1;
			break;
		}
		if (t > timeout)
			break;
		nanosleep(&ten, NULL);
	}
	printf("ms=%.1f polls=%d reached=%d last=%ld\n", t, polls, reached, last);
	return reached ? 0 : 1;
}

/* ---- XEN_DOMCTL_max_mem via privcmd ---- */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define HYPERVISOR_domctl 36
#define XEN_DOMCTL_max_mem 11

struct xen_domctl {
	uint32_t cmd;
	uint32_t interface_version;
	uint16_t domain;
	uint16_t pad[3];
	union {
		struct {
			uint64_t max_memkb;
		} max_mem;
		uint8_t pad[128];
	} u;
};

static int cmd_maxmem(char **av)
{
	static struct xen_domctl d __attribute__((aligned(4096)));
	static const uint32_t versions[] = {0x15, 0x14, 0x16};
	struct privcmd_hypercall h = {.op = HYPERVISOR_domctl};
	int fd = open("/dev/xen/privcmd", O_RDWR), rc = -1;
	unsigned i;

	if (fd < 0) {
		perror("/dev/xen/privcmd");
		return 2;
	}
	mlock(&d, sizeof(d));
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		memset(&d, 0, sizeof(d));
		d.cmd = XEN_DOMCTL_max_mem;
		d.interface_version = versions[i];
		d.domain = (uint16_t)strtoul(av[0], NULL, 10);
		d.u.max_mem.max_memkb = strtoull(av[1], NULL, 10);
		h.arg[0] = (uint64_t)(uintptr_t)&d;
		rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
		if (rc == 0 || errno != EACCES)
			break;
	}
	close(fd);
	if (rc) {
		fprintf(stderr, "XEN_DOMCTL_max_mem: %s\n", strerror(errno));
		return 1;
	}
	printf("maxmem domid=%s kb=%s ok\n", av[0], av[1]);
	return 0;
}

int main(int ac, char **av)
{
	if (ac == 7 && !strcmp(av[1], "move"))
		return cmd_move(av + 2);
	if (ac == 4 && !strcmp(av[1], "maxmem"))
		return cmd_maxmem(av + 2);
	fprintf(stderr, "usage: xen-tool move <wfile> <value> <pollfile> <expect> <timeout-ms>\n"
			"       xen-tool maxmem <domid> <kb>\n");
	return 2;
}
