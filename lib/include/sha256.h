/* SHA-256 (FIPS 180-4), used to verify every image in the boot bundle and to key the module cache.
 */
#ifndef MV_SHA256_H
#define MV_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64
#define SHA256_HEX_SIZE (2 * SHA256_DIGEST_SIZE + 1)

struct sha256_ctx {
	uint32_t state[8];
	uint64_t total; /* bytes hashed so far */
	uint8_t block[SHA256_BLOCK_SIZE];
	size_t used; /* bytes waiting in block */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Pads the message in place, so the context is spent: sha256_init it again to reuse it. */
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);
/* Lower-case hex, NUL-terminated, as sha256sum and mkimage print it. */
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char out[SHA256_HEX_SIZE]);

#endif /* MV_SHA256_H */
