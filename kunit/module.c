// SPDX-License-Identifier: GPL-2.0
/* The suites as one loadable module: loading it runs them all. */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for pageclock's pure policy code");
