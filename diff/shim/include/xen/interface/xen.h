#include "../../bshim_kernel.h" /* ballast shim: one forward */
