/* The printf formatting engine behind the hypervisor console and fmt_snprintf. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"

#define F_LEFT 0x01u
#define F_ZERO 0x02u
#define F_PLUS 0x04u
#define F_SPACE 0x08u
#define F_ALT 0x10u
#define F_PTR 0x20u /* %p: 0x prefix even for zero */

/* Caps width and precision so that a hostile or mistyped format cannot overflow an int. */
#define FMT_FIELD_MAX 4096

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct fmt_out {
	void (*emit)(void *arg, char c);
	void *arg;
	size_t count;
};

struct fmt_spec {
	unsigned int flags;
	int width;
	int prec; /* -1 when absent */
	enum fmt_len len;
};

static void put(struct fmt_out *o, char c)
{
	o->emit(o->arg, c);
	o->count++;
}

static void pad(struct fmt_out *o, char c, int n)
{
	for (; n > 0; n--)
		put(o, c);
}

static void put_int(struct fmt_out *o, const struct fmt_spec *sp, uintmax_t v, char sign,
		    unsigned int base, bool upper)
{
	const char *xdigits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[sizeof(uintmax_t) * CHAR_BIT / 3 + 1];
	char prefix[3];
	int nd = 0, np = 0, zeros = 0, len;
	int prec = sp->prec < 0 ? 1 : sp->prec;

	for (uintmax_t rest = v; rest; rest /= base)
		digits[nd++] = xdigits[rest % base];
	if (nd < prec)
		zeros = prec - nd;
	/* '#' with o makes the first digit a 0, adding one only if there is none yet. */
	if ((sp->flags & F_ALT) && base == 8 && zeros == 0 && (nd == 0 || digits[nd - 1] != '0'))
		zeros = 1;

	if (sign)
		prefix[np++] = sign;
	if (base == 16 && ((sp->flags & F_PTR) || ((sp->flags & F_ALT) && v != 0))) {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	}

	len = np + zeros + nd;
	/* An explicit precision or '-' turns the '0' flag off, as in C. */
	if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->prec < 0 && sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < np; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (nd)
		put(o, digits[--nd]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - len);
}

static void put_str(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	/* Never read past the precision: the string need not be terminated within it. */
	while ((sp->prec < 0 || n < sp->prec) && s[n])
		n++;
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - n);
}

static intmax_t arg_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		/* The signed type of size_t's width; ptrdiff_t is that on every ABI we target. */
		return (ptrdiff_t)va_arg(*ap, size_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t arg_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int parse_num(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (n < FMT_FIELD_MAX)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n < FMT_FIELD_MAX ? n : FMT_FIELD_MAX;
}

static int clamp_field(int n)
{
	return n < FMT_FIELD_MAX ? n : FMT_FIELD_MAX;
}

static const char *parse_spec(const char *p, struct fmt_spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	sp->len = LEN_NONE;

	for (;; p++) {
		if (*p == '-')
			sp->flags |= F_LEFT;
		else if (*p == '0')
			sp->flags |= F_ZERO;
		else if (*p == '+')
			sp->flags |= F_PLUS;
		else if (*p == ' ')
			sp->flags |= F_SPACE;
		else if (*p == '#')
			sp->flags |= F_ALT;
		else
			break;
	}

	if (*p == '*') {
		int w = va_arg(*ap, int);

		p++;
		/* A negative * width means '-' plus its magnitude; INT_MIN is just clamped. */
		if (w < 0) {
			sp->flags |= F_LEFT;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		sp->width = clamp_field(w);
	} else {
		sp->width = parse_num(&p);
	}

	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);

			p++;
			sp->prec = pr < 0 ? -1 : clamp_field(pr);
		} else {
			sp->prec = parse_num(&p);
		}
	}

	switch (*p) {
	case 'h':
		p++;
		sp->len = LEN_H;
		if (*p == 'h') {
			p++;
			sp->len = LEN_HH;
		}
		break;
	case 'l':
		p++;
		sp->len = LEN_L;
		if (*p == 'l') {
			p++;
			sp->len = LEN_LL;
		}
		break;
	case 'z':
		p++;
		sp->len = LEN_Z;
		break;
	case 't':
		p++;
		sp->len = LEN_T;
		break;
	case 'j':
		p++;
		sp->len = LEN_J;
		break;
	default:
		break;
	}
	return p;
}

static const char *convert(struct fmt_out *o, const char *start, const char *p, struct fmt_spec *sp,
			   va_list *ap)
{
	switch (*p) {
	case 'd':
	case 'i': {
		intmax_t v = arg_signed(ap, sp->len);
		char sign = 0;
		/* Negate in unsigned arithmetic so that INTMAX_MIN does not overflow. */
		uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;

		if (v < 0)
			sign = '-';
		else if (sp->flags & F_PLUS)
			sign = '+';
		else if (sp->flags & F_SPACE)
			sign = ' ';
		put_int(o, sp, mag, sign, 10, false);
		break;
	}
	case 'u':
		put_int(o, sp, arg_unsigned(ap, sp->len), 0, 10, false);
		break;
	case 'x':
	case 'X':
		put_int(o, sp, arg_unsigned(ap, sp->len), 0, 16, *p == 'X');
		break;
	case 'o':
		put_int(o, sp, arg_unsigned(ap, sp->len), 0, 8, false);
		break;
	case 'p':
		sp->flags |= F_PTR;
		put_int(o, sp, (uintptr_t)va_arg(*ap, void *), 0, 16, false);
		break;
	case 's':
		put_str(o, sp, va_arg(*ap, const char *));
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);

		if (!(sp->flags & F_LEFT))
			pad(o, ' ', sp->width - 1);
		put(o, c);
		if (sp->flags & F_LEFT)
			pad(o, ' ', sp->width - 1);
		break;
	}
	case '%':
		put(o, '%');
		break;
	default:
		/* Show a bad conversion instead of guessing its argument; stop at the format's end.
		 */
		while (start < p)
			put(o, *start++);
		if (!*p)
			return p;
		put(o, *p);
		break;
	}
	return p + 1;
}

int fmt_vformat(void (*emit)(void *arg, char c), void *arg, const char *fmt, va_list ap)
{
	struct fmt_out o = {emit, arg, 0};
	const char *p = fmt;
	va_list args;

	/* A copy, because va_list cannot portably be passed on by pointer when it is a parameter.
	 */
	va_copy(args, ap);
	while (*p) {
		const char *start = p;
		struct fmt_spec sp;

		if (*p != '%') {
			put(&o, *p++);
			continue;
		}
		p = parse_spec(p + 1, &sp, &args);
		p = convert(&o, start, p, &sp, &args);
	}
	va_end(args);
	return o.count > INT_MAX ? -1 : (int)o.count;
}

int fmt_format(void (*emit)(void *arg, char c), void *arg, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(emit, arg, fmt, ap);
	va_end(ap);
	return n;
}

struct fmt_buf {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_emit(void *arg, char c)
{
	struct fmt_buf *b = arg;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = {buf, size, 0};
	int n = fmt_vformat(buf_emit, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
