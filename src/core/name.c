// SPDX-License-Identifier: GPL-2.0
/*
 * Process names as the module prints them.  A task names itself
 * (prctl(PR_SET_NAME), /proc/PID/comm) with any bytes but NUL, so a name
 * printed raw could end a line and forge the next ("a\nstate gone"), or
 * carry a terminal escape.  Printed, a name is one token of the bytes '!'
 * to '~' alone; every other byte, and the backslash, is written \ooo
 * (three octal digits), as /proc/PID/mountinfo writes paths.  An empty
 * name (prctl allows it) is written \000, so the token is never missing.
 */
#include "core/name.h"

static char *pgc_name_octal(char *dst, unsigned char c)
{
	*dst++ = '\\';
	*dst++ = '0' + (c >> 6);
	*dst++ = '0' + ((c >> 3) & 7);
	*dst++ = '0' + (c & 7);
	return dst;
}

void pgc_name_escape(char *dst, const char *src, size_t len)
{
	size_t i;

	if (!len || !src[0])
		dst = pgc_name_octal(dst, 0);
	for (i = 0; i < len && src[i]; i++) {
		unsigned char c = src[i];

		if (c > ' ' && c <= '~' && c != '\\')
			*dst++ = c;
		else
			dst = pgc_name_octal(dst, c);
	}
	*dst = '\0';
}
