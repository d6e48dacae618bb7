// Planted fault for the freestanding check: the real instance plus one libc
// call. check.sh must reject this file (the ctest runs it with WILL_FAIL).
#include "../../core/extern_instance.cpp"
extern "C" void *malloc(unsigned long);
extern "C" void *ballast_planted_leak(void)
{
	return malloc(16);
}
