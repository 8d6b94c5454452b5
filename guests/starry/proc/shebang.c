/* Parsing of a script's "#!" line (pure C, host-tested). */
#include "shebang.h"

static int blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* Copies [s, e) into out (size bytes) with a NUL; -1 if it does not fit. */
static int copy_span(const uint8_t *s, const uint8_t *e, char *out, size_t size)
{
	size_t len = (size_t)(e - s);

	if (len + 1 > size)
		return -1;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)s[i];
	out[len] = '\0';
	return 0;
}

int shebang_parse(const uint8_t *hdr, size_t n, char *interp, size_t isz, char *arg, size_t asz)
{
	const uint8_t *p, *end, *name;

	if (n < 2 || hdr[0] != '#' || hdr[1] != '!')
		return 0;
	if (n > SHEBANG_MAX)
		n = SHEBANG_MAX;
	end = hdr + 2;
	while (end < hdr + n && *end != '\n' && *end != '\0')
		end++;
	p = hdr + 2;
	while (p < end && blank(*p))
		p++;
	name = p;
	while (p < end && !blank(*p))
		p++;
	if (p == name || copy_span(name, p, interp, isz))
		return -1;
	while (p < end && blank(*p))
		p++;
	while (end > p && (blank(end[-1]) || end[-1] == '\r'))
		end--;
	return copy_span(p, end, arg, asz) ? -1 : 1;
}
