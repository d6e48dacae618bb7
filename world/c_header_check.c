/* Compiled as C11 with -pedantic: world_c.h and world_page.h must stay plain C. */
#include "world_c.h"

int ballast_world_c_header_check(struct ballast_world *w);
int ballast_world_c_header_check(struct ballast_world *w)
{
	struct ballast_page *p = ballast_world_pfn_to_page(w, 0);
	return p ? (int)p->wstate : -1;
}
