/* <assert.h> for the freestanding mbedtls build: assertions compiled out, as with NDEBUG. */
#ifndef MODSIG_ASSERT_H
#define MODSIG_ASSERT_H
#define assert(x) ((void)0)
#endif /* MODSIG_ASSERT_H */
