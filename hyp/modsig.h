/* Module signatures: ECDSA P-256 over SHA-256 of the module's name, build and image digest. */
#ifndef HYP_MODSIG_H
#define HYP_MODSIG_H

#include <stddef.h>
#include <stdint.h>

#define MODSIG_PUBKEY_LEN 65 /* an uncompressed P-256 point: 0x04, X, Y */
#define MODSIG_KEY_ID_LEN 8  /* the first bytes of SHA-256(public key) */
#define MODSIG_BUILD_ID_LEN 16
#define MODSIG_VALUE_LEN 64 /* r and s, 32 bytes each, big-endian */
#define MODSIG_ALGO "ecdsa-p256-sha256"

/* What the bundle's `signature` node of a module image holds (pointers into the bundle). */
struct modsig_record {
	const char *algo; /* NUL-terminated, or NULL */
	const uint8_t *key_id;
	const uint8_t *build_id;
	const uint8_t *value;
	int key_id_len;
	int build_id_len;
	int value_len;
};

/* The key and build a hypervisor trusts (baked in at build time: build/keys/modkey.c). */
struct modsig_trust {
	const uint8_t *pubkey; /* MODSIG_PUBKEY_LEN bytes */
	const uint8_t *build_id;
};

/* Generated from the build's key (build/keys/modkey.c, see hyp/crypto.mk). */
extern const uint8_t modsig_trusted_pubkey[MODSIG_PUBKEY_LEN];
extern const uint8_t modsig_trusted_build_id[MODSIG_BUILD_ID_LEN];

/* The digest that is signed: SHA-256("modvisor module\0" | name, NUL-padded to 16 bytes |
 * build id | SHA-256 of the image). Binding the name and the build means a signed image
 * cannot be served under another name nor by another build's hypervisor. */
void modsig_message_digest(const char *name, const uint8_t build_id[MODSIG_BUILD_ID_LEN],
			   const uint8_t image_sha256[32], uint8_t out[32]);
void modsig_key_id(const uint8_t pubkey[MODSIG_PUBKEY_LEN], uint8_t out[MODSIG_KEY_ID_LEN]);

/*
 * Checks module `name`'s signature record (rec NULL: the image has none) against the trusted
 * key and build. MV_OK, or MV_ERR_DENIED with *reason: unsigned, a malformed record, signed by
 * another key, a signature that does not verify, or signed for another build. Not reentrant
 * (mbedtls works in one static heap): callers serialise.
 */
int modsig_verify(const struct modsig_trust *trust, const char *name,
		  const uint8_t image_sha256[32], const struct modsig_record *rec,
		  const char **reason);

/* mbedtls' allocator found its heap corrupted: a broken invariant. The platform provides it
 * (the hypervisor panics, the host tests abort). */
void modsig_heap_corrupt(int status);

#endif /* HYP_MODSIG_H */
