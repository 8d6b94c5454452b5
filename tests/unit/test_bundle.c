/* Unit tests for hyp/bundle.c: FIT bundles built with libfdt, every image checked against its
 * sha256 hash node; bad images refused one by one, unusable FITs refused as a whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>

#include "bundle.h"
#include <modvisor/status.h>
#include <sha256.h>

/* --- describing a FIT -------------------------------------------------------------------- */

#define DIGEST NULL /* a hash value of NULL with vlen 32: the real sha256 of the data */

struct hash_desc {
	const char *node;  /* "hash-1", ... */
	const char *algo;  /* NULL: no algo property */
	const void *value; /* DIGEST, or these bytes */
	int vlen;	   /* < 0: no value property */
};

/* A `modsig` node: each property's length, < 0 for none; bytes are 0x11, 0x22, 0x33. */
struct sig_desc {
	const char *algo; /* NULL: no algo property */
	int key_id_len, build_id_len, value_len;
	bool algo_unterminated;
};

struct image_desc {
	const char *name;
	const void *data;
	int len; /* < 0: no data property */
	unsigned nhash;
	struct hash_desc hash[3];
};

/* Set by a test: image i gets the modsig node image_sigs[i] (if not NULL). */
static const struct sig_desc *const *image_sigs;

static void add_bytes(void *fdt, const char *prop, int len, uint8_t fill)
{
	uint8_t buf[128];

	if (len < 0)
		return;
	memset(buf, fill, sizeof(buf));
	assert_int_equal(fdt_property(fdt, prop, buf, len), 0);
}

static void add_sig(void *fdt, const struct sig_desc *sig)
{
	assert_int_equal(fdt_begin_node(fdt, "modsig"), 0);
	if (sig->algo)
		assert_int_equal(fdt_property(fdt, "algo", sig->algo,
					      (int)strlen(sig->algo) + !sig->algo_unterminated),
				 0);
	add_bytes(fdt, "key-id", sig->key_id_len, 0x11);
	add_bytes(fdt, "build-id", sig->build_id_len, 0x22);
	add_bytes(fdt, "value", sig->value_len, 0x33);
	assert_int_equal(fdt_end_node(fdt), 0);
}

#define SCRATCH (1 << 20)

static void add_image(void *fdt, const struct image_desc *img, const struct sig_desc *sig)
{
	assert_int_equal(fdt_begin_node(fdt, img->name), 0);
	/* What mkimage writes besides the data: ignored by the hypervisor. */
	assert_int_equal(fdt_property_string(fdt, "description", img->name), 0);
	if (img->len >= 0)
		assert_int_equal(fdt_property(fdt, "data", img->data, img->len), 0);
	assert_int_equal(fdt_property_string(fdt, "type", "firmware"), 0);
	assert_int_equal(fdt_property_string(fdt, "compression", "none"), 0);
	for (unsigned h = 0; h < img->nhash; h++) {
		const struct hash_desc *d = &img->hash[h];

		assert_int_equal(fdt_begin_node(fdt, d->node), 0);
		if (d->algo)
			assert_int_equal(fdt_property_string(fdt, "algo", d->algo), 0);
		if (d->vlen >= 0) {
			uint8_t digest[SHA256_DIGEST_SIZE];
			const void *value = d->value;

			if (value == DIGEST) {
				assert_int_equal(d->vlen, SHA256_DIGEST_SIZE);
				sha256(img->data, (size_t)(img->len > 0 ? img->len : 0), digest);
				value = digest;
			}
			assert_int_equal(fdt_property(fdt, "value", value, d->vlen), 0);
		}
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	if (sig)
		add_sig(fdt, sig);
	assert_int_equal(fdt_end_node(fdt), 0);
}

/* A finished FIT in a heap buffer of exactly its totalsize (ASan sees any overread). */
static void *build_fit(const struct image_desc *imgs, unsigned count, bool with_images)
{
	void *fdt = malloc(SCRATCH);
	void *out;

	assert_non_null(fdt);
	assert_int_equal(fdt_create(fdt, SCRATCH), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_property_string(fdt, "description", "modvisor boot bundle"), 0);
	assert_int_equal(fdt_property_u32(fdt, "#address-cells", 1), 0);
	if (with_images) {
		assert_int_equal(fdt_begin_node(fdt, "images"), 0);
		for (unsigned i = 0; i < count; i++)
			add_image(fdt, &imgs[i], image_sigs ? image_sigs[i] : NULL);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_begin_node(fdt, "configurations"), 0);
	assert_int_equal(fdt_property_string(fdt, "default", "modvisor"), 0);
	assert_int_equal(fdt_begin_node(fdt, "modvisor"), 0);
	assert_int_equal(fdt_property_string(fdt, "fdt", "scenario"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	out = malloc(fdt_totalsize(fdt));
	assert_non_null(out);
	memcpy(out, fdt, fdt_totalsize(fdt));
	free(fdt);
	return out;
}

/* The data property of /images/NAME inside the blob, for pointer checks and tampering. */
static uint8_t *data_in_blob(void *fit, const char *name, int *len)
{
	char path[64];
	int node;
	uint8_t *p;

	snprintf(path, sizeof(path), "/images/%s", name);
	node = fdt_path_offset(fit, path);
	assert_true(node >= 0);
	p = fdt_getprop_w(fit, node, "data", len);
	assert_non_null(p);
	return p;
}

/* --- test data --------------------------------------------------------------------------- */

static uint8_t big[70001];
static const uint8_t small[1] = {0x5a};
static const uint8_t text[] = "a kernel image";

static int setup_data(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 8));
	return 0;
}

#define SHA256_HASH(n)                                                                             \
	{                                                                                          \
		(n), "sha256", DIGEST, 32                                                          \
	}

static void check_ok(const struct bundle *b, void *fit, const char *name, const void *data,
		     uint32_t size)
{
	const struct bundle_image *img = NULL;
	int len;
	const uint8_t *in_blob = data_in_blob(fit, name, &len);

	assert_int_equal(bundle_find(b, name, &img), MV_OK);
	assert_non_null(img);
	assert_string_equal(img->name, name);
	assert_int_equal(img->status, MV_OK);
	assert_int_equal(img->size, size);
	assert_int_equal(len, size);
	/* Used in place, not copied. */
	assert_ptr_equal(img->data, in_blob);
	assert_memory_equal(img->data, data, size);
}

static void check_refused(const struct bundle *b, const char *name, int status, const char *reason)
{
	const struct bundle_image *img = NULL;

	assert_int_equal(bundle_find(b, name, &img), status);
	assert_non_null(img);
	assert_string_equal(img->name, name);
	assert_int_equal(img->status, status);
	assert_non_null(img->reason);
	assert_string_equal(img->reason, reason);
}

/* --- valid bundles ----------------------------------------------------------------------- */

static void test_valid_images(void **state)
{
	const struct image_desc imgs[3] = {
	    {"scenario", small, sizeof(small), 1, {SHA256_HASH("hash-1")}},
	    {"starry", big, sizeof(big), 1, {SHA256_HASH("hash-1")}},
	    {"liteos", text, sizeof(text), 1, {SHA256_HASH("hash-1")}},
	};
	void *fit = build_fit(imgs, 3, true);
	struct bundle *b = malloc(sizeof(*b));

	(void)state;
	assert_non_null(b);
	memset(b, 0xa5, sizeof(*b));
	assert_int_equal(bundle_open(b, fit, fdt_totalsize(fit)), MV_OK);
	assert_int_equal(b->count, 3);
	/* In FIT order. */
	assert_string_equal(b->images[0].name, "scenario");
	assert_string_equal(b->images[1].name, "starry");
	assert_string_equal(b->images[2].name, "liteos");
	check_ok(b, fit, "scenario", small, sizeof(small));
	check_ok(b, fit, "starry", big, sizeof(big));
	check_ok(b, fit, "liteos", text, sizeof(text));
	free(b);
	free(fit);
}

/* The modsig node is read as it is (hyp/modsig.c judges it at the first load). */
static void test_signature_node(void **state)
{
	static const struct sig_desc full = {"ecdsa-p256-sha256", 8, 16, 64, false};
	static const struct sig_desc odd = {"ecdsa", 0, -1, 3, true};
	const struct image_desc imgs[3] = {
	    {"mod-a", small, sizeof(small), 1, {SHA256_HASH("hash-1")}},
	    {"mod-b", text, sizeof(text), 1, {SHA256_HASH("hash-1")}},
	    {"mod-c", big, sizeof(big), 1, {SHA256_HASH("hash-1")}},
	};
	static const struct sig_desc *const sigs[3] = {&full, NULL, &odd};
	void *fit;

	image_sigs = sigs;
	fit = build_fit(imgs, 3, true);
	image_sigs = NULL;
	struct bundle *b = malloc(sizeof(*b));
	const struct bundle_image *img;

	(void)state;
	assert_non_null(b);
	assert_int_equal(bundle_open(b, fit, fdt_totalsize(fit)), MV_OK);
	assert_int_equal(bundle_find(b, "mod-a", &img), MV_OK);
	assert_true(img->has_sig);
	assert_string_equal(img->sig.algo, "ecdsa-p256-sha256");
	assert_int_equal(img->sig.key_id_len, 8);
	assert_int_equal(img->sig.key_id[7], 0x11);
	assert_int_equal(img->sig.build_id_len, 16);
	assert_int_equal(img->sig.build_id[0], 0x22);
	assert_int_equal(img->sig.value_len, 64);
	assert_int_equal(img->sig.value[63], 0x33);
	/* No node: unsigned. */
	assert_int_equal(bundle_find(b, "mod-b", &img), MV_OK);
	assert_false(img->has_sig);
	assert_null(img->sig.value);
	/* An unterminated algo is dropped, a missing property is NULL, lengths are as found. */
	assert_int_equal(bundle_find(b, "mod-c", &img), MV_OK);
	assert_true(img->has_sig);
	assert_null(img->sig.algo);
	assert_non_null(img->sig.key_id);
	assert_int_equal(img->sig.key_id_len, 0);
	assert_null(img->sig.build_id);
	assert_int_equal(img->sig.value_len, 3);
	free(b);
	free(fit);
}

static void test_empty_images_node(void **state)
{
	void *fit = build_fit(NULL, 0, true);
	struct bundle b;
	const struct bundle_image *img = NULL;

	(void)state;
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
	assert_int_equal(b.count, 0);
	assert_int_equal(bundle_find(&b, "starry", &img), MV_ERR_NOT_FOUND);
	assert_null(img);
	free(fit);
}

static void test_find_unknown(void **state)
{
	const struct image_desc imgs[2] = {
	    {"starry", text, sizeof(text), 1, {SHA256_HASH("hash-1")}},
	    {"liteos", text, sizeof(text), 1, {SHA256_HASH("hash-1")}},
	};
	void *fit = build_fit(imgs, 2, true);
	struct bundle b;
	const struct bundle_image *img = NULL;
	static const char *absent[] = {"", "star", "starryx", "STARRY", "liteos ", "modvisor"};

	(void)state;
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
	for (unsigned i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_int_equal(bundle_find(&b, absent[i], &img), MV_ERR_NOT_FOUND);
		assert_null(img);
	}
	assert_int_equal(bundle_find(&b, "liteos", &img), MV_OK);
	assert_ptr_equal(img, &b.images[1]);
	free(fit);
}

static void test_several_hash_nodes(void **state)
{
	static const uint8_t crc[4] = {1, 2, 3, 4};
	static const uint8_t sha1[20] = {9};
	static const uint8_t wrong[32] = {0};
	const struct image_desc imgs[5] = {
	    /* crc32 first, then sha256. */
	    {"a", text, sizeof(text), 2, {{"hash-1", "crc32", crc, 4}, SHA256_HASH("hash-2")}},
	    /* sha256 first, then sha1 (whose value is not checked). */
	    {"b", text, sizeof(text), 2, {SHA256_HASH("hash-1"), {"hash-2", "sha1", sha1, 20}}},
	    /* Two sha256 nodes, both right. */
	    {"c", big, sizeof(big), 2, {SHA256_HASH("hash-1"), SHA256_HASH("hash-2")}},
	    /* Two sha256 nodes, the second wrong: every sha256 node must match. */
	    {"d", text, sizeof(text), 2, {SHA256_HASH("hash-1"), {"hash-2", "sha256", wrong, 32}}},
	    /* A signature node with a sha256 algo is not a hash node. */
	    {"e",
	     text,
	     sizeof(text),
	     2,
	     {{"signature-1", "sha256", DIGEST, 32}, {"hash-1", "crc32", crc, 4}}},
	};
	void *fit = build_fit(imgs, 5, true);
	struct bundle b;

	(void)state;
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
	assert_int_equal(b.count, 5);
	check_ok(&b, fit, "a", text, sizeof(text));
	check_ok(&b, fit, "b", text, sizeof(text));
	check_ok(&b, fit, "c", big, sizeof(big));
	check_refused(&b, "d", MV_ERR_DENIED, "sha256 mismatch");
	check_refused(&b, "e", MV_ERR_INVALID, "no sha256 hash node");
	free(fit);
}

/* --- refused images ---------------------------------------------------------------------- */

static void test_flipped_data_byte(void **state)
{
	const struct image_desc imgs[3] = {
	    {"scenario", small, sizeof(small), 1, {SHA256_HASH("hash-1")}},
	    {"starry", big, sizeof(big), 1, {SHA256_HASH("hash-1")}},
	    {"liteos", text, sizeof(text), 1, {SHA256_HASH("hash-1")}},
	};
	static const size_t where[] = {0, 12345, sizeof(big) - 1};

	(void)state;
	for (unsigned i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		void *fit = build_fit(imgs, 3, true);
		struct bundle b;
		int len;

		data_in_blob(fit, "starry", &len)[where[i]] ^= 0x01;
		assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
		assert_int_equal(b.count, 3);
		check_refused(&b, "starry", MV_ERR_DENIED, "sha256 mismatch");
		/* The others stay usable. */
		check_ok(&b, fit, "scenario", small, sizeof(small));
		check_ok(&b, fit, "liteos", text, sizeof(text));
		free(fit);
	}
}

static void test_flipped_digest_byte(void **state)
{
	const struct image_desc imgs[1] = {{"k", text, sizeof(text), 1, {SHA256_HASH("hash-1")}}};
	void *fit = build_fit(imgs, 1, true);
	struct bundle b;
	int len;
	uint8_t *value =
	    fdt_getprop_w(fit, fdt_path_offset(fit, "/images/k/hash-1"), "value", &len);

	(void)state;
	assert_non_null(value);
	assert_int_equal(len, 32);
	value[31] ^= 0x80;
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
	check_refused(&b, "k", MV_ERR_DENIED, "sha256 mismatch");
	free(fit);
}

static void test_missing_or_unusable_hash(void **state)
{
	static const uint8_t crc[4] = {1, 2, 3, 4};
	static const uint8_t v33[33] = {0};
	const struct image_desc imgs[8] = {
	    {"nohash", text, sizeof(text), 0, {{0}}},
	    {"crc32", text, sizeof(text), 1, {{"hash-1", "crc32", crc, 4}}},
	    {"upper", text, sizeof(text), 1, {{"hash-1", "SHA256", DIGEST, 32}}},
	    {"noalgo", text, sizeof(text), 1, {{"hash-1", NULL, DIGEST, 32}}},
	    {"short", text, sizeof(text), 1, {{"hash-1", "sha256", v33, 31}}},
	    {"long", text, sizeof(text), 1, {{"hash-1", "sha256", v33, 33}}},
	    {"empty", text, sizeof(text), 1, {{"hash-1", "sha256", v33, 0}}},
	    {"novalue", text, sizeof(text), 1, {{"hash-1", "sha256", NULL, -1}}},
	};
	void *fit = build_fit(imgs, 8, true);
	struct bundle b;
	static const char *no_value = "sha256 hash node has no 32-byte value";

	(void)state;
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
	assert_int_equal(b.count, 8);
	check_refused(&b, "nohash", MV_ERR_INVALID, "no sha256 hash node");
	check_refused(&b, "crc32", MV_ERR_INVALID, "no sha256 hash node");
	check_refused(&b, "upper", MV_ERR_INVALID, "no sha256 hash node");
	check_refused(&b, "noalgo", MV_ERR_INVALID, "no sha256 hash node");
	check_refused(&b, "short", MV_ERR_INVALID, no_value);
	check_refused(&b, "long", MV_ERR_INVALID, no_value);
	check_refused(&b, "empty", MV_ERR_INVALID, no_value);
	check_refused(&b, "novalue", MV_ERR_INVALID, no_value);
	free(fit);
}

static void test_missing_data(void **state)
{
	const struct image_desc imgs[3] = {
	    {"nodata", NULL, -1, 1, {SHA256_HASH("hash-1")}},
	    {"zero", text, 0, 1, {SHA256_HASH("hash-1")}},
	    {"good", text, sizeof(text), 1, {SHA256_HASH("hash-1")}},
	};
	void *fit = build_fit(imgs, 3, true);
	struct bundle b;
	static const char *why = "no data property (external data is not supported)";

	(void)state;
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
	check_refused(&b, "nodata", MV_ERR_INVALID, why);
	check_refused(&b, "zero", MV_ERR_INVALID, why);
	check_ok(&b, fit, "good", text, sizeof(text));
	free(fit);
}

/* --- unusable FITs ----------------------------------------------------------------------- */

static void expect_open_fails(const void *fit, size_t size, int status)
{
	struct bundle *b = malloc(sizeof(*b));
	const struct bundle_image *img = NULL;

	assert_non_null(b);
	memset(b, 0xa5, sizeof(*b));
	assert_int_equal(bundle_open(b, fit, size), status);
	if (status != MV_ERR_NO_MEMORY) {
		/* Nothing half-parsed is left to be found. */
		assert_int_equal(b->count, 0);
		assert_int_equal(bundle_find(b, "starry", &img), MV_ERR_NOT_FOUND);
	}
	free(b);
}

static void test_not_a_fit(void **state)
{
	const struct image_desc imgs[1] = {
	    {"starry", text, sizeof(text), 1, {SHA256_HASH("hash-1")}}};
	void *fit = build_fit(imgs, 1, true);
	uint32_t total = fdt_totalsize(fit);
	uint8_t *junk = calloc(1, 256);
	void *part;

	(void)state;
	assert_non_null(junk);
	/* Not a device tree at all. */
	expect_open_fails(junk, 256, MV_ERR_INVALID);
	memset(junk, 0xff, 256);
	expect_open_fails(junk, 256, MV_ERR_INVALID);
	/* Too short for a header, and nothing at all. */
	expect_open_fails(fit, 16, MV_ERR_INVALID);
	expect_open_fails(fit, 0, MV_ERR_INVALID);
	/* The header says more than the buffer holds. */
	part = malloc(total - 1);
	assert_non_null(part);
	memcpy(part, fit, total - 1);
	expect_open_fails(part, total - 1, MV_ERR_INVALID);
	free(part);
	/* A legacy U-Boot header in front of it (mkimage -T ramdisk) is not a FIT either. */
	part = malloc(total + 64);
	assert_non_null(part);
	memset(part, 0, 64);
	((uint8_t *)part)[0] = 0x27;
	((uint8_t *)part)[1] = 0x05;
	((uint8_t *)part)[2] = 0x19;
	((uint8_t *)part)[3] = 0x56;
	memcpy((uint8_t *)part + 64, fit, total);
	expect_open_fails(part, total + 64, MV_ERR_INVALID);
	free(part);
	/* The exact size is fine. */
	{
		struct bundle b;

		assert_int_equal(bundle_open(&b, fit, total), MV_OK);
		assert_int_equal(b.count, 1);
	}
	free(junk);
	free(fit);
}

static void test_no_images_node(void **state)
{
	void *fit = build_fit(NULL, 0, false);

	(void)state;
	expect_open_fails(fit, fdt_totalsize(fit), MV_ERR_INVALID);
	free(fit);
}

static void test_too_many_images(void **state)
{
	struct image_desc imgs[BUNDLE_MAX_IMAGES + 1];
	char names[BUNDLE_MAX_IMAGES + 1][8];
	void *fit;
	struct bundle b;

	(void)state;
	for (unsigned i = 0; i <= BUNDLE_MAX_IMAGES; i++) {
		snprintf(names[i], sizeof(names[i]), "img%u", i);
		imgs[i] = (struct image_desc){
		    names[i], text, (int)sizeof(text) - (int)(i % 5), 1, {SHA256_HASH("hash-1")}};
	}
	/* Exactly the maximum. */
	fit = build_fit(imgs, BUNDLE_MAX_IMAGES, true);
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_OK);
	assert_int_equal(b.count, BUNDLE_MAX_IMAGES);
	for (unsigned i = 0; i < BUNDLE_MAX_IMAGES; i++)
		check_ok(&b, fit, names[i], text, sizeof(text) - i % 5);
	free(fit);
	/* One more. */
	fit = build_fit(imgs, BUNDLE_MAX_IMAGES + 1, true);
	expect_open_fails(fit, fdt_totalsize(fit), MV_ERR_NO_MEMORY);
	assert_int_equal(bundle_open(&b, fit, fdt_totalsize(fit)), MV_ERR_NO_MEMORY);
	assert_true(b.count <= BUNDLE_MAX_IMAGES);
	free(fit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_images),
	    cmocka_unit_test(test_signature_node),
	    cmocka_unit_test(test_empty_images_node),
	    cmocka_unit_test(test_find_unknown),
	    cmocka_unit_test(test_several_hash_nodes),
	    cmocka_unit_test(test_flipped_data_byte),
	    cmocka_unit_test(test_flipped_digest_byte),
	    cmocka_unit_test(test_missing_or_unusable_hash),
	    cmocka_unit_test(test_missing_data),
	    cmocka_unit_test(test_not_a_fit),
	    cmocka_unit_test(test_no_images_node),
	    cmocka_unit_test(test_too_many_images),
	};

	return cmocka_run_group_tests(tests, setup_data, NULL);
}
