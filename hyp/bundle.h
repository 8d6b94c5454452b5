/* The boot bundle: a FIT image (from mkimage) holding the scenario, guest kernels and modules. */
#ifndef HYP_BUNDLE_H
#define HYP_BUNDLE_H

#include "modsig.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUNDLE_MAX_IMAGES 16
#define BUNDLE_NAME_MAX 32

struct bundle_image {
	char name[BUNDLE_NAME_MAX];
	const void *data;
	uint32_t size;
	uint8_t sha256[32]; /* verified digest, for images that were not refused */
	int status;	    /* MV_OK, or why the image is refused */
	const char *reason; /* for a refused image: what was wrong */
	bool has_sig;	    /* a `modsig` node: the signature of a module image */
	struct modsig_record sig;
};

struct bundle {
	struct bundle_image images[BUNDLE_MAX_IMAGES];
	unsigned count;
};

/* Parses the FIT at [fit, fit+size) and verifies every image's SHA-256. Bad images are kept,
 * marked refused with a reason; only a FIT that cannot be parsed at all fails. */
int bundle_open(struct bundle *b, const void *fit, size_t size);
/* MV_ERR_NOT_FOUND if absent, the image's refusal status if refused. */
int bundle_find(const struct bundle *b, const char *name, const struct bundle_image **out);

#endif /* HYP_BUNDLE_H */
