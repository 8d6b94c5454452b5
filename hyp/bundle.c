/* Reads the FIT bundle with libfdt and checks each image against its sha256 hash node. */
#include "bundle.h"
#include <fmt.h>
#include <libfdt.h>
#include <modvisor/status.h>
#include <sha256.h>
#include <string.h>

static void refuse(struct bundle_image *img, int status, const char *reason)
{
	img->status = status;
	img->reason = reason;
}

/* The `modsig` node's properties as they are; hyp/modsig.c judges them at the first load. */
static void read_signature(struct bundle_image *img, const void *fit, int node)
{
	int sub = fdt_subnode_offset(fit, node, "modsig"), len;
	const char *algo;

	if (sub < 0)
		return;
	img->has_sig = true;
	algo = fdt_getprop(fit, sub, "algo", &len);
	if (algo && len > 0 && algo[len - 1] == '\0')
		img->sig.algo = algo;
	img->sig.key_id = fdt_getprop(fit, sub, "key-id", &img->sig.key_id_len);
	img->sig.build_id = fdt_getprop(fit, sub, "build-id", &img->sig.build_id_len);
	img->sig.value = fdt_getprop(fit, sub, "value", &img->sig.value_len);
}

/* Checks one image node: data inside the FIT, a sha256 hash node, and a matching digest. */
static void check_image(struct bundle_image *img, const void *fit, int node)
{
	int len, hash;
	const void *data = fdt_getprop(fit, node, "data", &len);
	uint8_t digest[32];
	bool have_sha = false;

	if (!data || len <= 0) {
		refuse(img, MV_ERR_INVALID, "no data property (external data is not supported)");
		return;
	}
	img->data = data;
	img->size = (uint32_t)len;
	fdt_for_each_subnode(hash, fit, node)
	{
		const char *algo = fdt_getprop(fit, hash, "algo", NULL);
		int vlen;
		const void *value = fdt_getprop(fit, hash, "value", &vlen);

		if (strncmp(fdt_get_name(fit, hash, NULL), "hash", 4) != 0 || !algo ||
		    strcmp(algo, "sha256") != 0)
			continue;
		if (!value || vlen != 32) {
			refuse(img, MV_ERR_INVALID, "sha256 hash node has no 32-byte value");
			return;
		}
		sha256(data, (size_t)len, digest);
		if (memcmp(digest, value, 32) != 0) {
			refuse(img, MV_ERR_DENIED, "sha256 mismatch");
			return;
		}
		memcpy(img->sha256, digest, sizeof(digest));
		have_sha = true;
	}
	if (!have_sha)
		refuse(img, MV_ERR_INVALID, "no sha256 hash node");
	else
		img->status = MV_OK;
}

int bundle_open(struct bundle *b, const void *fit, size_t size)
{
	int images, node;

	memset(b, 0, sizeof(*b));
	if (size < sizeof(struct fdt_header) || fdt_check_header(fit) != 0 ||
	    fdt_totalsize(fit) > size)
		return MV_ERR_INVALID;
	images = fdt_path_offset(fit, "/images");
	if (images < 0)
		return MV_ERR_INVALID;
	fdt_for_each_subnode(node, fit, images)
	{
		struct bundle_image *img;

		if (b->count == BUNDLE_MAX_IMAGES)
			return MV_ERR_NO_MEMORY;
		img = &b->images[b->count++];
		fmt_snprintf(img->name, sizeof(img->name), "%s", fdt_get_name(fit, node, NULL));
		check_image(img, fit, node);
		read_signature(img, fit, node);
	}
	return MV_OK;
}

int bundle_find(const struct bundle *b, const char *name, const struct bundle_image **out)
{
	for (unsigned i = 0; i < b->count; i++) {
		if (strcmp(b->images[i].name, name) == 0) {
			*out = &b->images[i];
			return b->images[i].status;
		}
	}
	return MV_ERR_NOT_FOUND;
}
