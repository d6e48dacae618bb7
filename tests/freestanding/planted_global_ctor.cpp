// Planted fault for the freestanding check: a global object with a
// constructor (never run inside a kernel module). check.sh must reject it.
#include "../../core/extern_instance.cpp"
struct Counter {
	int n;
	Counter()
		: n(ballast_env_mem_available() > 0)
	{
	}
};
Counter ballast_planted_counter;
