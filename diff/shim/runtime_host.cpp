// SPDX-License-Identifier: GPL-2.0 OR MIT
// ballast diff: the host side of the kernel-API shim. Built WITHOUT the shim
// include path: it needs libc (setjmp/longjmp, malloc, printing) and the C++
// world (world/world_env.h), neither of which may meet the kernel
// definitions of diff/shim/include/bshim_kernel.h.
#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bshim_host.h"
#include "world_c_cxx.h"

#if defined(__SANITIZE_ADDRESS__)
#define BSHIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BSHIM_ASAN 1
#endif
#endif
#ifdef BSHIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if !defined(__x86_64__)
#error "the shim's fiber switch is x86-64 only"
#endif

// ------------------------------------------------------------ memory, log
extern "C" void *bshim_host_zalloc(unsigned long size)
{
	return std::calloc(1, size ? size : 1);
}
extern "C" void bshim_host_free(void *p)
{
	std::free(p);
}

static int log_enabled()
{
	static int on = -1;
	if (on < 0) {
		const char *e = std::getenv("BALLAST_SHIM_LOG");
		on = e && *e && *e != '0';
	}
	return on;
}

extern "C" void bshim_host_vlog(int level, const char *fmt, va_list ap)
{
	if (!log_enabled())
		return;
	std::fprintf(stderr, "<%d>", level);
	std::vfprintf(stderr, fmt, ap);
}

// ------------------------------------------------------- protected calls
namespace {
struct ProtFrame {
	std::jmp_buf jb;
	ProtFrame *prev;
};
ProtFrame *g_top = nullptr; // innermost protected call of the running stack
} // namespace

extern "C" int bshim_host_protect(bshim_fn fn, void *arg)
{
	ProtFrame f;
	f.prev = g_top;
	if (setjmp(f.jb)) {
		g_top = f.prev;
		return 1;
	}
	g_top = &f;
	fn(arg);
	g_top = f.prev;
	return 0;
}

extern "C" void bshim_host_abort(void)
{
	ProtFrame *f = g_top;
	if (!f) {
		std::fprintf(stderr, "ballast shim: a task died outside any protected call\n");
		std::abort();
	}
	std::longjmp(f->jb, 1);
}

// ---------------------------------------------------------------- fibers
// void bshim_ctx_switch(void **save_sp, void *new_sp): callee-saved
// registers on the old stack, switch rsp, pop them from the new one.
extern "C" void bshim_ctx_switch(void **save_sp, void *new_sp);
extern "C" void bshim_fiber_trampoline(void);
asm(R"(
	.text
	.globl bshim_ctx_switch
	.type bshim_ctx_switch,@function
bshim_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size bshim_ctx_switch,.-bshim_ctx_switch

	.globl bshim_fiber_trampoline
	.type bshim_fiber_trampoline,@function
bshim_fiber_trampoline:
	movq %r12, %rdi
	callq *%r13
	ud2
	.size bshim_fiber_trampoline,.-bshim_fiber_trampoline
	.section .note.GNU-stack,"",@progbits
	.text
)");

struct bshim_fiber {
	void *sp = nullptr;	   // the fiber's saved stack pointer while parked
	void *caller_sp = nullptr; // the resumer's, while the fiber runs
	unsigned char *stack = nullptr;
	size_t size = 0;
	bshim_fn fn = nullptr;
	void *arg = nullptr;
	bool done = true;
	ProtFrame *own_top = nullptr;	 // the fiber's protected calls while parked
	ProtFrame *caller_top = nullptr; // the resumer's while the fiber runs
	void *fake_caller = nullptr;	 // ASan fake stacks
	void *fake_self = nullptr;
	const void *caller_bottom = nullptr;
	size_t caller_size = 0;
};

namespace {
bshim_fiber *g_fiber = nullptr; // the running fiber, or null on the harness stack
#ifdef BSHIM_ASAN
constexpr size_t kFiberStack = 1u << 20;
#else
constexpr size_t kFiberStack = 256u << 10;
#endif
// A dying fiber must not touch its own stack after announcing its death to
// ASan: everything it needs afterwards is here.
void *g_dying_sp_sink = nullptr;
void *g_dying_target_sp = nullptr;
} // namespace

extern "C" void bshim_fiber_entry(bshim_fiber *f)
{
#ifdef BSHIM_ASAN
	__sanitizer_finish_switch_fiber(nullptr, &f->caller_bottom, &f->caller_size);
#endif
	bshim_host_protect(f->fn, f->arg);
	f->done = true;
	g_dying_target_sp = f->caller_sp;
#ifdef BSHIM_ASAN
	__sanitizer_start_switch_fiber(nullptr, f->caller_bottom, f->caller_size);
#endif
	bshim_ctx_switch(&g_dying_sp_sink, g_dying_target_sp);
	__builtin_unreachable();
}

extern "C" struct bshim_fiber *bshim_fiber_new(void)
{
	bshim_fiber *f = new bshim_fiber();
	f->size = kFiberStack;
	f->stack = static_cast<unsigned char *>(std::malloc(f->size));
	if (!f->stack)
		std::abort();
	return f;
}

extern "C" void bshim_fiber_delete(struct bshim_fiber *f)
{
	if (!f)
		return;
#ifdef BSHIM_ASAN
	__asan_unpoison_memory_region(f->stack, f->size);
#endif
	std::free(f->stack);
	delete f;
}

extern "C" void bshim_fiber_arm(struct bshim_fiber *f, bshim_fn fn, void *arg)
{
#ifdef BSHIM_ASAN
	// A parked fiber may be abandoned mid-stack: forget its frames.
	__asan_unpoison_memory_region(f->stack, f->size);
#endif
	f->fn = fn;
	f->arg = arg;
	f->done = false;
	f->own_top = nullptr;
	f->fake_self = nullptr;
	uintptr_t top = (reinterpret_cast<uintptr_t>(f->stack) + f->size) & ~uintptr_t(15);
	void **sp = reinterpret_cast<void **>(top - 72);      // after 6 pops and ret: 16-aligned
	sp[0] = nullptr;				      // r15
	sp[1] = nullptr;				      // r14
	sp[2] = reinterpret_cast<void *>(&bshim_fiber_entry); // r13: called
	sp[3] = f;					      // r12: its argument
	sp[4] = nullptr;				      // rbx
	sp[5] = nullptr;				      // rbp
	sp[6] = reinterpret_cast<void *>(&bshim_fiber_trampoline); // ret
	sp[7] = nullptr;
	sp[8] = nullptr;
	f->sp = sp;
}

extern "C" int bshim_fiber_resume(struct bshim_fiber *f)
{
	if (f->done)
		return 1;
	if (g_fiber) {
		std::fprintf(stderr, "ballast shim: nested fiber resume\n");
		std::abort();
	}
	g_fiber = f;
	f->caller_top = g_top;
	g_top = f->own_top;
#ifdef BSHIM_ASAN
	__sanitizer_start_switch_fiber(&f->fake_caller, f->stack, f->size);
#endif
	bshim_ctx_switch(&f->caller_sp, f->sp);
#ifdef BSHIM_ASAN
	__sanitizer_finish_switch_fiber(f->fake_caller, nullptr, nullptr);
#endif
	f->own_top = g_top;
	g_top = f->caller_top;
	g_fiber = nullptr;
	return f->done ? 1 : 0;
}

extern "C" void bshim_fiber_yield(void)
{
	bshim_fiber *f = g_fiber;
	if (!f) {
		std::fprintf(stderr, "ballast shim: yield outside a fiber\n");
		std::abort();
	}
#ifdef BSHIM_ASAN
	__sanitizer_start_switch_fiber(&f->fake_self, f->caller_bottom, f->caller_size);
#endif
	bshim_ctx_switch(&f->sp, f->caller_sp);
#ifdef BSHIM_ASAN
	__sanitizer_finish_switch_fiber(f->fake_self, &f->caller_bottom, &f->caller_size);
#endif
}

extern "C" int bshim_in_fiber(void)
{
	return g_fiber != nullptr;
}

// ------------------------------------------------------------- the world
extern "C" ballast_page *bshim_host_frame_quiet(ballast_world *w, unsigned long pfn)
{
	return world::from_c(w).frame(pfn);
}

extern "C" long bshim_host_memory_op_domid(ballast_world *w, unsigned int cmd, unsigned short domid)
{
	domid_t d = domid;
	return world::from_c(w).memory_op(cmd, &d);
}

// drivers/xen/mem-reservation.c: xenmem_reservation_increase/_decrease.
extern "C" int bshim_host_reservation(ballast_world *w, unsigned int cmd, int count,
				      unsigned long *frames)
{
	xen_memory_reservation reservation{};
	reservation.extent_order = 0; // EXTENT_ORDER: one extent per 4 KiB page
	reservation.mem_flags = 0;    // .address_bits = 0
	reservation.domid = DOMID_SELF;
	set_xen_guest_handle(reservation.extent_start, frames);
	reservation.nr_extents = static_cast<xen_ulong_t>(count);
	return static_cast<int>(world::from_c(w).memory_op(cmd, &reservation));
}
