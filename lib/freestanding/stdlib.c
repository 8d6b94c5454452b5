/* Freestanding strtoul: libfdt's overlay code and our config parsing need it. */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Digit value in any base up to 36, or 36 for "not a digit" so that one test rejects it. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (unsigned int)(c - 'A' + 10);
	return 36;
}

unsigned long strtoul(const char *restrict nptr, char **restrict endptr, int base)
{
	const char *s = nptr;
	unsigned long value = 0;
	int negative = 0;
	int overflow = 0;
	const char *digits;

	if (base < 0 || base == 1 || base > 36) {
		if (endptr)
			*endptr = (char *)nptr;
		return 0;
	}
	while (is_space(*s))
		s++;
	if (*s == '+' || *s == '-') {
		negative = *s == '-';
		s++;
	}
	/* "0x" is a prefix only if a hex digit follows; otherwise the subject is just "0". */
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}

	digits = s;
	for (;; s++) {
		unsigned int d = digit_value(*s);

		if (d >= (unsigned int)base)
			break;
		if (value > (ULONG_MAX - d) / (unsigned long)base)
			overflow = 1;
		else
			value = value * (unsigned long)base + d;
	}
	if (s == digits) {
		/* No subject sequence: C wants endptr = nptr, even past whitespace and sign. */
		if (endptr)
			*endptr = (char *)nptr;
		return 0;
	}
	if (endptr)
		*endptr = (char *)s;
	if (overflow)
		return ULONG_MAX;
	return negative ? -value : value;
}
