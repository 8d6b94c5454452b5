/* Names: UTF-8 <-> UCS-2, long-name rules, case-insensitive compare, 8.3 aliases and ~N tails. */
#include <string.h>
#include "fatfs.h"

int name_from_utf8(const char *s, size_t n, uint16_t *out, uint32_t *len)
{
	const uint8_t *p = (const uint8_t *)s;
	uint32_t o = 0;
	size_t i = 0;

	while (i < n) {
		uint32_t c = p[i], need, min;

		if (c < 0x80) {
			need = 0;
			min = 0;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			min = 0x80;
			c &= 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			min = 0x800;
			c &= 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return -MV_EINVAL;
		}
		if (n - i - 1 < need)
			return -MV_EINVAL;
		for (uint32_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return -MV_EINVAL;
			c = (c << 6) | (p[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF)
			return -MV_EINVAL;
		i += need + 1;
		/* Beyond the BMP a name takes a surrogate pair, as Windows stores it. */
		if (o + (c > 0xFFFF ? 2 : 1) > FAT_LFN_MAX)
			return -MV_ENAMETOOLONG;
		if (c > 0xFFFF) {
			c -= 0x10000;
			out[o++] = (uint16_t)(0xD800 | (c >> 10));
			out[o++] = (uint16_t)(0xDC00 | (c & 0x3FF));
		} else {
			out[o++] = (uint16_t)c;
		}
	}
	*len = o;
	return 0;
}

int name_to_utf8(const uint16_t *name, uint32_t len, char *buf, size_t size)
{
	size_t o = 0;

	for (uint32_t i = 0; i < len; i++) {
		uint32_t c = name[i];
		uint8_t tmp[4];
		uint32_t n;

		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len && name[i + 1] >= 0xDC00 &&
		    name[i + 1] <= 0xDFFF) {
			c = 0x10000 + ((c - 0xD800) << 10) + (name[i + 1] - 0xDC00U);
			i++;
		}
		if (c < 0x80) {
			tmp[0] = (uint8_t)c;
			n = 1;
		} else if (c < 0x800) {
			tmp[0] = (uint8_t)(0xC0 | (c >> 6));
			tmp[1] = (uint8_t)(0x80 | (c & 0x3F));
			n = 2;
		} else if (c < 0x10000) {
			/* A lone surrogate still encodes, so that such a name can be opened again.
			 */
			tmp[0] = (uint8_t)(0xE0 | (c >> 12));
			tmp[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
			tmp[2] = (uint8_t)(0x80 | (c & 0x3F));
			n = 3;
		} else {
			tmp[0] = (uint8_t)(0xF0 | (c >> 18));
			tmp[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
			tmp[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
			tmp[3] = (uint8_t)(0x80 | (c & 0x3F));
			n = 4;
		}
		if (o + n >= size)
			return -MV_ENAMETOOLONG;
		memcpy(buf + o, tmp, n);
		o += n;
	}
	if (size == 0)
		return -MV_ENAMETOOLONG;
	buf[o] = '\0';
	return 0;
}

bool name_valid_long(const uint16_t *name, uint32_t len)
{
	static const char bad[] = "\"*/:<>?\\|";

	if (len == 0 || len > FAT_LFN_MAX)
		return false;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return false;
	/* Windows drops trailing dots and spaces, so such a name could never be found again. */
	if (name[len - 1] == '.' || name[len - 1] == ' ')
		return false;
	for (uint32_t i = 0; i < len; i++) {
		if (name[i] < 0x20 || (name[i] < 0x80 && strchr(bad, name[i])))
			return false;
	}
	return true;
}

static uint16_t fold(uint16_t c)
{
	return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 'a' + 'A') : c;
}

bool name_eq(const uint16_t *a, uint32_t alen, const uint16_t *b, uint32_t blen)
{
	if (alen != blen)
		return false;
	for (uint32_t i = 0; i < alen; i++) {
		if (fold(a[i]) != fold(b[i]))
			return false;
	}
	return true;
}

static uint32_t trimmed(const uint8_t *p, uint32_t n)
{
	while (n > 0 && p[n - 1] == ' ')
		n--;
	return n;
}

/* Bytes no path component may hold (a damaged slot can have any) are shown as '_'. */
static uint16_t sfn_show(uint8_t b, bool lower)
{
	if (b < 0x20 || b == '/' || b == '\\')
		return '_';
	if (lower && b >= 'A' && b <= 'Z')
		return (uint16_t)(b - 'A' + 'a');
	return b;
}

/* OEM bytes above 0x7F are shown as the Latin-1 code points of the same value. */
uint32_t name_sfn_display(const uint8_t *raw, uint16_t *out)
{
	uint32_t blen = trimmed(raw, 8), elen = trimmed(raw + 8, 3), o = 0;
	uint8_t nt = raw[DE_NTRES];

	for (uint32_t i = 0; i < blen; i++)
		out[o++] =
		    (i == 0 && raw[0] == 0x05) ? 0xE5 : sfn_show(raw[i], nt & FAT_NT_LOWER_BASE);
	if (elen > 0) {
		out[o++] = '.';
		for (uint32_t i = 0; i < elen; i++)
			out[o++] = sfn_show(raw[8 + i], nt & FAT_NT_LOWER_EXT);
	}
	if (o == 0)
		out[o++] = '_'; /* an all-blank name, only ever seen on damaged volumes */
	return o;
}

bool name_displayable(const uint16_t *name, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		if (name[i] < 0x20 || name[i] == '/')
			return false;
	}
	return true;
}

uint8_t name_lfn_sum(const uint8_t *sfn)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) ? 0x80 : 0) + (sum >> 1) + sfn[i]);
	return sum;
}

static bool sfn_char(uint16_t c)
{
	static const char special[] = "$%'-_@~`!(){}^#&";

	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c < 0x80 && c != 0 && strchr(special, c));
}

static uint8_t sfn_upper(uint16_t c)
{
	if (!sfn_char(c))
		return '_';
	return (uint8_t)fold(c);
}

/* 0: no letters, 1: all lower, 2: all upper, 3: mixed. */
static uint32_t case_of(const uint16_t *s, uint32_t n)
{
	uint32_t r = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			r |= 1;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			r |= 2;
	}
	return r;
}

/* Whether the name is already a valid 8.3 name, letter case aside. */
static bool fits_83(const uint16_t *name, uint32_t len, uint32_t *dot)
{
	uint32_t d = len;

	for (uint32_t i = 0; i < len; i++) {
		if (name[i] == '.') {
			if (d != len)
				return false;
			d = i;
		} else if (!sfn_char(name[i])) {
			return false;
		}
	}
	*dot = d;
	return d >= 1 && d <= 8 && (d == len || len - d - 1 <= 3);
}

void name_make_basis(const uint16_t *name, uint32_t len, uint8_t sfn[11], uint8_t *ntres,
		     bool *need_lfn, bool *need_tail)
{
	uint32_t dot, start, last, o;

	memset(sfn, ' ', 11);
	*ntres = 0;
	if (fits_83(name, len, &dot)) {
		uint32_t bcase = case_of(name, dot);
		uint32_t ecase = dot < len ? case_of(name + dot + 1, len - dot - 1) : 0;

		for (uint32_t i = 0; i < dot; i++)
			sfn[i] = sfn_upper(name[i]);
		for (uint32_t i = dot + 1; i < len; i++)
			sfn[8 + i - dot - 1] = sfn_upper(name[i]);
		/* One case per part fits the NT case bits; mixed case needs the long name. */
		*need_lfn = bcase == 3 || ecase == 3;
		*need_tail = false;
		if (!*need_lfn)
			*ntres = (uint8_t)((bcase == 1 ? FAT_NT_LOWER_BASE : 0) |
					   (ecase == 1 ? FAT_NT_LOWER_EXT : 0));
		return;
	}
	/* The spec's basis-name algorithm: spaces dropped, leading periods dropped. */
	*need_lfn = true;
	*need_tail = true;
	start = 0;
	while (start < len && (name[start] == '.' || name[start] == ' '))
		start++;
	last = len;
	for (uint32_t i = start; i < len; i++) {
		if (name[i] == '.')
			last = i;
	}
	o = 0;
	for (uint32_t i = start; i < len && name[i] != '.' && o < 8; i++) {
		if (name[i] != ' ')
			sfn[o++] = sfn_upper(name[i]);
	}
	if (o == 0)
		sfn[0] = '_';
	o = 8;
	for (uint32_t i = last + 1; i < len && o < 11; i++) {
		if (name[i] != ' ')
			sfn[o++] = sfn_upper(name[i]);
	}
}

static uint32_t digits_of(uint32_t n, char *buf)
{
	char tmp[10];
	uint32_t k = 0, i;

	do {
		tmp[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	for (i = 0; i < k; i++)
		buf[i] = tmp[k - 1 - i];
	return k;
}

static uint32_t tail_prefix(const uint8_t *basis, uint32_t ndigits)
{
	uint32_t blen = trimmed(basis, 8);
	uint32_t room = 8 - 1 - ndigits;

	return blen < room ? blen : room;
}

void name_apply_tail(const uint8_t *basis, uint32_t n, uint8_t *sfn)
{
	char d[10];
	uint32_t nd = digits_of(n, d), k = tail_prefix(basis, nd);

	memcpy(sfn, basis, 11);
	memset(sfn + k, ' ', 8 - k);
	sfn[k] = '~';
	memcpy(sfn + k + 1, d, nd);
}

uint32_t name_tail_number(const uint8_t *basis, const uint8_t *sfn)
{
	uint32_t end = trimmed(sfn, 8), p = end, n = 0, nd;

	if (memcmp(basis + 8, sfn + 8, 3) != 0)
		return 0;
	while (p > 0 && sfn[p - 1] >= '0' && sfn[p - 1] <= '9')
		p--;
	nd = end - p;
	if (nd == 0 || nd > 6 || p == 0 || sfn[p - 1] != '~' || sfn[p] == '0')
		return 0;
	for (uint32_t i = p; i < end; i++)
		n = n * 10 + (uint32_t)(sfn[i] - '0');
	if (p - 1 != tail_prefix(basis, nd) || memcmp(sfn, basis, p - 1) != 0)
		return 0;
	return n;
}
