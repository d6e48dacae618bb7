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
 *   xen-tool pages <domid>
 *       Xen's count for the domain (XENMEM_current_reservation), in KiB
 *   xen-tool physinfo
 *       Xen's free pages and pages still to scrub (XEN_SYSCTL_physinfo), as
 *       "free_kb=<kb> scrub_kb=<kb>"; freed memory is scrubbed in Xen's idle
 *       loop, and a populate that finds none clean scrubs on the spot
 *   xen-tool wait <domid> <target-kb> <timeout-ms> [command args...]
 *       runs the command (if any; e.g. `xl mem-set`), then polls Xen's count
 *       for the domain every 10 ms until it is <target-kb>; times from just
 *       before the command; prints "ms=<t> cmd_ms=<t> rc=<command status>
 *       reached=<0|1> start_kb=<kb> end_kb=<kb> mibs=<MiB/s overall>
 *       min3s_mibs=<the slowest progress over any 3 s window of the move,
 *       MiB/s; the whole move if it took less than 3 s>"
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
#include <sys/wait.h>
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

/* ---- XENMEM_current_reservation for a domain via privcmd ---- */
#define HYPERVISOR_memory_op 12
#define XENMEM_current_reservation 3

static int privcmd_fd = -1;

static long reservation_kb(uint16_t domid)
{
	static uint16_t dom __attribute__((aligned(4096)));
	struct privcmd_hypercall h = {.op = HYPERVISOR_memory_op};
	long rc;

	if (privcmd_fd < 0) {
		privcmd_fd = open("/dev/xen/privcmd", O_RDWR);
		if (privcmd_fd < 0) {
			perror("/dev/xen/privcmd");
			exit(2);
		}
		mlock(&dom, sizeof(dom));
	}
	dom = domid;
	h.arg[0] = XENMEM_current_reservation;
	h.arg[1] = (uint64_t)(uintptr_t)&dom;
	rc = ioctl(privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &h);
	return rc < 0 ? -1 : rc * 4;
}

static int cmd_pages(char **av)
{
	long kb = reservation_kb((uint16_t)strtoul(av[0], NULL, 10));

	if (kb < 0) {
		perror("XENMEM_current_reservation");
		return 1;
	}
	printf("%ld\n", kb);
	return 0;
}

/* ---- XEN_SYSCTL_physinfo (Xen 4.17 public headers, sysctl interface 0x15) ---- */
#define HYPERVISOR_sysctl 35
#define XEN_SYSCTL_physinfo 3

struct xen_sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct {
			uint32_t threads_per_core, cores_per_socket, nr_cpus, max_cpu_id;
			uint32_t nr_nodes, max_node_id, cpu_khz, capabilities;
			uint32_t arch_capabilities, pad;
			uint64_t total_pages, free_pages, scrub_pages, outstanding_pages, max_mfn;
			uint32_t hw_cap[8];
		} physinfo;
		uint8_t pad[128];
	} u;
};

static int cmd_physinfo(void)
{
	static struct xen_sysctl s __attribute__((aligned(4096)));
	struct privcmd_hypercall h = {.op = HYPERVISOR_sysctl};
	int fd = open("/dev/xen/privcmd", O_RDWR);

	if (fd < 0) {
		perror("/dev/xen/privcmd");
		return 2;
	}
	mlock(&s, sizeof(s));
	memset(&s, 0, sizeof(s));
	s.cmd = XEN_SYSCTL_physinfo;
	s.interface_version = 0x15;
	h.arg[0] = (uint64_t)(uintptr_t)&s;
	if (ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h)) {
		perror("XEN_SYSCTL_physinfo");
		return 1;
	}
	printf("free_kb=%llu scrub_kb=%llu\n", (unsigned long long)s.u.physinfo.free_pages * 4,
	       (unsigned long long)s.u.physinfo.scrub_pages * 4);
	return 0;
}

#define MAX_SAMPLES 100000
static double sample_t[MAX_SAMPLES];
static long sample_kb[MAX_SAMPLES];

static int cmd_wait(int ac, char **av)
{
	uint16_t domid = (uint16_t)strtoul(av[0], NULL, 10);
	long target = strtol(av[1], NULL, 10), start, kb = -1;
	double timeout = strtod(av[2], NULL), t0, cmd_ms = 0, t = 0, min3 = -1, span;
	struct timespec ten = {0, 10 * 1000 * 1000};
	int n = 0, reached = 0, status = 0, i, j;

	start = reservation_kb(domid);
	t0 = now_ms();
	if (ac > 3) {
		pid_t pid = fork();

		if (pid == 0) {
			execvp(av[3], av + 3);
			perror(av[3]);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		cmd_ms = now_ms() - t0;
	}
	for (;;) {
		kb = reservation_kb(domid);
		t = now_ms() - t0;
		if (n < MAX_SAMPLES) {
			sample_t[n] = t;
			sample_kb[n++] = kb;
		}
		if (kb == target) {
			reached = 1;
			break;
		}
		if (t > timeout)
			break;
		nanosleep(&ten, NULL);
	}
	/* The slowest 3 s of the move: progress toward the target per window. */
	for (i = 0, j = 0; i < n; i++) {
		while (j < n && sample_t[j] < sample_t[i] + 3000)
			j++;
		if (j == n)
			break;
		span = labs(sample_kb[j] - sample_kb[i]) / 1024.0 / ((sample_t[j] - sample_t[i]) / 1e3);
		if (min3 < 0 || span < min3)
			min3 = span;
	}
	span = labs(kb - start) / 1024.0 / (t > 0 ? t / 1e3 : 1e-3);
	if (min3 < 0)
		min3 = span;
	printf("ms=%.1f cmd_ms=%.1f rc=%d reached=%d start_kb=%ld end_kb=%ld mibs=%.1f min3s_mibs=%.1f\n",
	       t, cmd_ms, status, reached, start, kb, span, min3);
	return reached ? 0 : 1;
}

int main(int ac, char **av)
{
	if (ac == 7 && !strcmp(av[1], "move"))
		return cmd_move(av + 2);
	if (ac == 4 && !strcmp(av[1], "maxmem"))
		return cmd_maxmem(av + 2);
	if (ac == 2 && !strcmp(av[1], "physinfo"))
		return cmd_physinfo();
	if (ac == 3 && !strcmp(av[1], "pages"))
		return cmd_pages(av + 2);
	if (ac >= 5 && !strcmp(av[1], "wait"))
		return cmd_wait(ac - 2, av + 2);
	fprintf(stderr, "usage: xen-tool move <wfile> <value> <pollfile> <expect> <timeout-ms>\n"
			"       xen-tool maxmem <domid> <kb>\n"
			"       xen-tool pages <domid>\n"
			"       xen-tool physinfo\n"
			"       xen-tool wait <domid> <target-kb> <timeout-ms> [command args...]\n");
	return 2;
}
