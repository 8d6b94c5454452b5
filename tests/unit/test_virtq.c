/* Unit tests for hyp/virtio/virtq.c and vblk_req.c: every check of guest queue input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "virtio/vblk_req.h"
#include "virtio/virtq.h"
#include <modvisor/status.h>

/* A fake guest: RAM at [RAM_BASE, RAM_BASE + RAM_SIZE), backed by a host buffer. */
#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (4ULL << 20)
#define CAPACITY 1000ULL /* sectors of the fake disk */

static uint8_t *ram;

/*
 * Deliberately naive, like a careless is_ram would be: addr + len may wrap. The wrap tests
 * therefore fail if virtq.c stops checking for wrapping itself.
 */
static bool fake_is_ram(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx;
	return addr >= RAM_BASE && addr + len <= RAM_BASE + RAM_SIZE;
}

static int fake_read(void *ctx, void *dst, uint64_t addr, uint64_t len)
{
	if (addr < RAM_BASE || len > RAM_SIZE || addr - RAM_BASE > RAM_SIZE - len)
		return -1;
	(void)ctx;
	memcpy(dst, ram + (addr - RAM_BASE), len);
	return 0;
}

static const struct virtq_mem mem = {fake_is_ram, fake_read, NULL};

static int setup(void **state)
{
	(void)state;
	ram = calloc(1, RAM_SIZE);
	return ram ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

static struct virtq_desc D(uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
	return (struct virtq_desc){addr, len, flags, next};
}

#define NEXT VIRTQ_DESC_F_NEXT
#define WR VIRTQ_DESC_F_WRITE
#define A(off) (RAM_BASE + (off))

/* Walks and expects a refusal with exactly this fault. */
static void
expect_walk_fault(const struct virtq_desc *t, unsigned qsize, unsigned head, enum virtq_fault fault)
{
	struct virtq_chain chain;
	struct virtq_error err = {VQ_OK, ""};

	assert_int_equal(virtq_walk(t, qsize, head, &mem, &chain, &err), MV_ERR_INVALID);
	if (err.fault != fault)
		fail_msg("expected %s, got %s (%s)", virtq_fault_name(fault),
			 virtq_fault_name(err.fault), err.why);
	assert_true(strlen(err.why) > 0);
}

static void expect_walk_ok(const struct virtq_desc *t, unsigned qsize, unsigned head,
			   struct virtq_chain *chain)
{
	struct virtq_error err = {VQ_BAD_FLAGS, ""};

	if (virtq_walk(t, qsize, head, &mem, chain, &err) != MV_OK)
		fail_msg("walk refused: %s", err.why);
	assert_int_equal(err.fault, VQ_OK);
}

/* --- ring geometry ------------------------------------------------------------------------ */

static int rings(unsigned qsize, uint64_t desc, uint64_t avail, uint64_t used,
		 enum virtq_fault *fault)
{
	struct virtq_error err = {VQ_OK, ""};
	int ret = virtq_check_rings(qsize, 128, desc, avail, used, &mem, &err);

	*fault = err.fault;
	return ret;
}

static void test_rings_valid(void **state)
{
	enum virtq_fault f;

	(void)state;
	assert_int_equal(rings(1, A(0), A(0x1000), A(0x2000), &f), MV_OK);
	assert_int_equal(rings(128, A(0), A(0x1000), A(0x2000), &f), MV_OK);
	assert_int_equal(f, VQ_OK);
	/* Rings may end exactly at the end of RAM. */
	assert_int_equal(rings(16, A(RAM_SIZE - 16 * 16), A(RAM_SIZE - 8 - 2 * 16 - 4 * 16 - 4),
			       A(RAM_SIZE - 4 - 8 * 16), &f),
			 MV_OK);
}

static void test_rings_bad_size(void **state)
{
	enum virtq_fault f;

	(void)state;
	assert_int_equal(rings(0, A(0), A(0x1000), A(0x2000), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_BAD_QSIZE);
	assert_int_equal(rings(24, A(0), A(0x1000), A(0x2000), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_BAD_QSIZE);
	assert_int_equal(rings(256, A(0), A(0x1000), A(0x2000), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_BAD_QSIZE);
	/* Whatever the device claims, the spec's limit holds. */
	{
		struct virtq_error err;

		assert_int_equal(
		    virtq_check_rings(65536, 65536, A(0), A(0x100000), A(0x200000), &mem, &err),
		    MV_ERR_INVALID);
		assert_int_equal(err.fault, VQ_BAD_QSIZE);
	}
}

static void test_rings_misaligned(void **state)
{
	enum virtq_fault f;

	(void)state;
	assert_int_equal(rings(8, A(8), A(0x1000), A(0x2000), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_RING_ALIGN);
	assert_int_equal(rings(8, A(0), A(0x1001), A(0x2000), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_RING_ALIGN);
	assert_int_equal(rings(8, A(0), A(0x1000), A(0x2002), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_RING_ALIGN);
}

static void test_rings_outside_ram(void **state)
{
	enum virtq_fault f;

	(void)state;
	assert_int_equal(rings(8, 0x1000, A(0x1000), A(0x2000), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_RING_NOT_RAM);
	/* The avail ring's last entry crosses the end of RAM. */
	assert_int_equal(rings(8, A(0), A(RAM_SIZE - 16), A(0x2000), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_RING_NOT_RAM);
	assert_int_equal(rings(8, A(0), A(0x1000), A(RAM_SIZE), &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_RING_NOT_RAM);
	/* A used ring whose end wraps past 2^64 would look like RAM to a naive check. */
	assert_int_equal(rings(8, A(0), A(0x1000), UINT64_MAX - 3, &f), MV_ERR_INVALID);
	assert_int_equal(f, VQ_RING_NOT_RAM);
}

/* --- chain walking ------------------------------------------------------------------------ */

static void test_walk_single(void **state)
{
	struct virtq_desc t[4] = {0};
	struct virtq_chain c;

	(void)state;
	t[2] = D(A(0x100), 512, WR, 3);
	expect_walk_ok(t, 4, 2, &c);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.bytes, 512);
	assert_int_equal(c.seg[0].addr, A(0x100));
	assert_int_equal(c.seg[0].len, 512);
	assert_true(c.seg[0].write);
}

static void test_walk_multi(void **state)
{
	struct virtq_desc t[8] = {0};
	struct virtq_chain c;

	(void)state;
	/* Out of table order on purpose: 5 -> 1 -> 7 -> 0. */
	t[5] = D(A(0x000), 16, NEXT, 1);
	t[1] = D(A(0x1000), 4096, NEXT, 7);
	t[7] = D(A(0x3000), 100, NEXT | WR, 0);
	t[0] = D(A(0x4000), 1, WR, 6);
	expect_walk_ok(t, 8, 5, &c);
	assert_int_equal(c.count, 4);
	assert_int_equal(c.bytes, 16 + 4096 + 100 + 1);
	assert_int_equal(c.seg[1].addr, A(0x1000));
	assert_false(c.seg[1].write);
	assert_int_equal(c.seg[2].len, 100);
	assert_true(c.seg[2].write);
	assert_int_equal(c.seg[3].addr, A(0x4000));
}

static void test_walk_max_segments(void **state)
{
	static struct virtq_desc t[128];
	struct virtq_chain c;

	(void)state;
	for (unsigned i = 0; i < VIRTQ_MAX_SEGS; i++)
		t[i] = D(A(i * 16), 16, i + 1 < VIRTQ_MAX_SEGS ? NEXT : 0, (uint16_t)(i + 1));
	expect_walk_ok(t, 128, 0, &c);
	assert_int_equal(c.count, VIRTQ_MAX_SEGS);
}

static void test_walk_too_many_segments(void **state)
{
	static struct virtq_desc t[128];

	(void)state;
	for (unsigned i = 0; i <= VIRTQ_MAX_SEGS; i++)
		t[i] = D(A(i * 16), 16, i < VIRTQ_MAX_SEGS ? NEXT : 0, (uint16_t)(i + 1));
	expect_walk_fault(t, 128, 0, VQ_TOO_MANY_SEGS);
}

static void test_walk_too_many_bytes(void **state)
{
	struct virtq_desc t[4] = {0};
	struct virtq_chain c;

	(void)state;
	t[0] = D(A(0), VIRTQ_MAX_BYTES / 2, NEXT, 1);
	t[1] = D(A(VIRTQ_MAX_BYTES / 2), VIRTQ_MAX_BYTES / 2, 0, 0);
	expect_walk_ok(t, 4, 0, &c);
	assert_int_equal(c.bytes, VIRTQ_MAX_BYTES);
	t[1].len++;
	expect_walk_fault(t, 4, 0, VQ_TOO_MANY_BYTES);
	/* Many small lengths that would overflow a 32-bit sum do not get through either. */
	t[0] = D(A(0), UINT32_MAX, NEXT, 1);
	expect_walk_fault(t, 4, 0, VQ_NOT_RAM);
}

static void test_walk_bad_qsize(void **state)
{
	struct virtq_desc t[1] = {{A(0), 16, 0, 0}};

	(void)state;
	expect_walk_fault(t, 0, 0, VQ_BAD_QSIZE);
	expect_walk_fault(t, VIRTQ_SIZE_LIMIT + 1, 0, VQ_BAD_QSIZE);
}

static void test_walk_head_out_of_range(void **state)
{
	struct virtq_desc t[16] = {0};

	(void)state;
	/* The table in memory is larger than the queue: only the queue size bounds the head. */
	for (unsigned i = 0; i < 16; i++)
		t[i] = D(A(0), 16, 0, 0);
	expect_walk_fault(t, 8, 8, VQ_HEAD_RANGE);
	expect_walk_fault(t, 4, 4, VQ_HEAD_RANGE);
	expect_walk_fault(t, 8, 65535, VQ_HEAD_RANGE);
}

static void test_walk_next_out_of_range(void **state)
{
	struct virtq_desc t[9] = {0};

	(void)state;
	t[0] = D(A(0), 16, NEXT, 1);
	t[1] = D(A(16), 16, NEXT, 8); /* t[8] exists in memory, but not in a queue of 8 */
	t[8] = D(A(32), 16, 0, 0);
	expect_walk_fault(t, 8, 0, VQ_NEXT_RANGE);
	t[1].next = 0xffff;
	expect_walk_fault(t, 8, 0, VQ_NEXT_RANGE);
}

static void test_walk_self_loop(void **state)
{
	struct virtq_desc t[8] = {0};

	(void)state;
	t[3] = D(A(0), 16, NEXT, 3);
	expect_walk_fault(t, 8, 3, VQ_LOOP);
}

static void test_walk_two_cycle(void **state)
{
	struct virtq_desc t[8] = {0};

	(void)state;
	t[0] = D(A(0), 16, NEXT, 1);
	t[1] = D(A(16), 16, NEXT, 2);
	t[2] = D(A(32), 16, NEXT, 1);
	expect_walk_fault(t, 8, 0, VQ_LOOP);
}

static void test_walk_long_cycle(void **state)
{
	static struct virtq_desc t[64];

	(void)state;
	/* Every descriptor of the queue in one ring: the loop shows only after 64 hops, right
	 * where the segment limit would also bite. */
	for (unsigned i = 0; i < 64; i++)
		t[i] = D(A(i * 16), 16, NEXT, (uint16_t)((i + 1) % 64));
	expect_walk_fault(t, 64, 17, VQ_LOOP);
	/* A cycle not through the head, in a small queue. */
	for (unsigned i = 0; i < 16; i++)
		t[i] = D(A(i * 16), 16, NEXT, (uint16_t)(i + 1));
	t[15].next = 4;
	expect_walk_fault(t, 16, 0, VQ_LOOP);
}

static void test_walk_indirect(void **state)
{
	struct virtq_desc t[4] = {0};

	(void)state;
	t[0] = D(A(0), 16, NEXT, 1);
	t[1] = D(A(0x100), 64, VIRTQ_DESC_F_INDIRECT, 0);
	expect_walk_fault(t, 4, 0, VQ_INDIRECT);
}

static void test_walk_reserved_flags(void **state)
{
	struct virtq_desc t[4] = {0};

	(void)state;
	t[0] = D(A(0), 16, 0x8, 0);
	expect_walk_fault(t, 4, 0, VQ_BAD_FLAGS);
	t[0] = D(A(0), 16, 0x8000 | NEXT, 1);
	expect_walk_fault(t, 4, 0, VQ_BAD_FLAGS);
}

static void test_walk_zero_length(void **state)
{
	struct virtq_desc t[4] = {0};

	(void)state;
	t[0] = D(A(0), 16, NEXT, 1);
	t[1] = D(A(16), 0, WR, 0);
	expect_walk_fault(t, 4, 0, VQ_ZERO_LEN);
}

static void test_walk_wrapping_address(void **state)
{
	struct virtq_desc t[4] = {0};

	(void)state;
	t[0] = D(UINT64_MAX - 7, 16, 0, 0);
	expect_walk_fault(t, 4, 0, VQ_ADDR_WRAP);
	/* Ending exactly at 2^64 wraps the end address to 0. */
	t[0] = D(0ULL - 512, 512, 0, 0);
	expect_walk_fault(t, 4, 0, VQ_ADDR_WRAP);
	t[0] = D(A(0), 16, NEXT, 1);
	t[1] = D(UINT64_MAX, 1, WR, 0);
	expect_walk_fault(t, 4, 0, VQ_ADDR_WRAP);
}

static void test_walk_outside_ram(void **state)
{
	struct virtq_desc t[4] = {0};

	(void)state;
	t[0] = D(RAM_BASE - 16, 16, 0, 0);
	expect_walk_fault(t, 4, 0, VQ_NOT_RAM);
	t[0] = D(RAM_BASE - 1, 16, 0, 0); /* straddles the start */
	expect_walk_fault(t, 4, 0, VQ_NOT_RAM);
	t[0] = D(A(RAM_SIZE - 8), 16, 0, 0); /* straddles the end */
	expect_walk_fault(t, 4, 0, VQ_NOT_RAM);
	t[0] = D(0x09000000, 4, 0, 0); /* a device */
	expect_walk_fault(t, 4, 0, VQ_NOT_RAM);
	/* Only the bad descriptor in the middle of a chain. */
	t[0] = D(A(0), 16, NEXT, 1);
	t[1] = D(A(RAM_SIZE), 512, NEXT | WR, 2);
	t[2] = D(A(32), 1, WR, 0);
	expect_walk_fault(t, 4, 0, VQ_NOT_RAM);
	/* The last byte of RAM is still RAM. */
	t[1] = D(A(RAM_SIZE - 512), 512, NEXT | WR, 2);
	{
		struct virtq_chain c;

		expect_walk_ok(t, 4, 0, &c);
	}
}

static void test_walk_read_after_write(void **state)
{
	struct virtq_desc t[4] = {0};

	(void)state;
	t[0] = D(A(0), 16, NEXT | WR, 1);
	t[1] = D(A(16), 16, 0, 0);
	expect_walk_fault(t, 4, 0, VQ_READ_AFTER_WRITE);
}

static void test_avail_pending(void **state)
{
	struct virtq_error err;
	unsigned n = 99;

	(void)state;
	assert_int_equal(virtq_avail_pending(3, 0, 8, &n, &err), MV_OK);
	assert_int_equal(n, 3);
	assert_int_equal(virtq_avail_pending(5, 5, 8, &n, &err), MV_OK);
	assert_int_equal(n, 0);
	/* The index wraps at 2^16. */
	assert_int_equal(virtq_avail_pending(2, 65534, 8, &n, &err), MV_OK);
	assert_int_equal(n, 4);
	assert_int_equal(virtq_avail_pending(8, 0, 8, &n, &err), MV_OK);
	assert_int_equal(n, 8);
	assert_int_equal(virtq_avail_pending(9, 0, 8, &n, &err), MV_ERR_INVALID);
	assert_int_equal(err.fault, VQ_AVAIL_OVERRUN);
	assert_int_equal(n, 0);
	/* Going backwards looks like a huge step forwards. */
	assert_int_equal(virtq_avail_pending(4, 5, 8, &n, &err), MV_ERR_INVALID);
	assert_int_equal(err.fault, VQ_AVAIL_OVERRUN);
}

/* --- virtio-blk requests ------------------------------------------------------------------ */

#define HDR_AT 0x10000ULL

static void put_hdr(uint32_t type, uint64_t sector)
{
	struct vblk_hdr h = {type, 0, sector};

	memcpy(ram + HDR_AT, &h, sizeof(h));
}

/* A chain as the walk would produce it: header, data segments, status. */
struct chain_builder {
	struct virtq_chain c;
};

static void chain_init(struct chain_builder *b, uint32_t hdr_len, bool hdr_write)
{
	memset(b, 0, sizeof(*b));
	b->c.seg[0] = (struct virtq_seg){A(HDR_AT), hdr_len, hdr_write};
	b->c.count = 1;
	b->c.bytes = hdr_len;
}

static void chain_add(struct chain_builder *b, uint64_t addr, uint32_t len, bool write)
{
	b->c.seg[b->c.count++] = (struct virtq_seg){addr, len, write};
	b->c.bytes += len;
}

static void expect_parse_fault(const struct chain_builder *b, enum virtq_fault fault)
{
	struct vblk_req req;
	struct virtq_error err = {VQ_OK, ""};

	assert_int_equal(vblk_req_parse(&b->c, CAPACITY, &mem, &req, &err), MV_ERR_INVALID);
	if (err.fault != fault)
		fail_msg("expected %s, got %s (%s)", virtq_fault_name(fault),
			 virtq_fault_name(err.fault), err.why);
}

static void expect_parse_ok(const struct chain_builder *b, struct vblk_req *req)
{
	struct virtq_error err = {VQ_BAD_FLAGS, ""};

	if (vblk_req_parse(&b->c, CAPACITY, &mem, req, &err) != MV_OK)
		fail_msg("request refused: %s", err.why);
	assert_int_equal(err.fault, VQ_OK);
}

/* The usual three-descriptor request: header, `len` data bytes, status. */
static void simple(struct chain_builder *b, uint32_t type, uint64_t sector, uint32_t len,
		   bool data_write)
{
	put_hdr(type, sector);
	chain_init(b, VBLK_HDR_SIZE, false);
	if (len)
		chain_add(b, A(0x20000), len, data_write);
	chain_add(b, A(0x100), 1, true);
}

static void test_blk_valid_requests(void **state)
{
	struct chain_builder b;
	struct vblk_req r;

	(void)state;
	simple(&b, VBLK_T_IN, 7, 1024, true);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.type, VBLK_T_IN);
	assert_int_equal(r.sector, 7);
	assert_int_equal(r.status, VBLK_S_OK);
	assert_int_equal(r.first_data, 1);
	assert_int_equal(r.data_count, 1);
	assert_int_equal(r.data_bytes, 1024);
	assert_int_equal(r.status_addr, A(0x100));

	simple(&b, VBLK_T_OUT, 0, 512, false);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.type, VBLK_T_OUT);
	assert_int_equal(r.status, VBLK_S_OK);

	simple(&b, VBLK_T_FLUSH, 0, 0, false);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.data_count, 0);
	assert_int_equal(r.status, VBLK_S_OK);

	simple(&b, VBLK_T_GET_ID, 0, VBLK_ID_BYTES, true);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_OK);
	assert_int_equal(r.data_bytes, VBLK_ID_BYTES);
}

static void test_blk_scattered_data(void **state)
{
	struct chain_builder b;
	struct vblk_req r;

	(void)state;
	put_hdr(VBLK_T_IN, 10);
	chain_init(&b, VBLK_HDR_SIZE, false);
	/* Sector-sized data split at odd places is fine as long as the total is whole sectors. */
	chain_add(&b, A(0x20000), 100, true);
	chain_add(&b, A(0x30000), 412, true);
	chain_add(&b, A(0x40000), 512, true);
	chain_add(&b, A(0x200), 1, true);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.data_count, 3);
	assert_int_equal(r.data_bytes, 1024);
	assert_int_equal(r.status_addr, A(0x200));
}

static void test_blk_short_chain(void **state)
{
	struct chain_builder b;

	(void)state;
	put_hdr(VBLK_T_FLUSH, 0);
	chain_init(&b, VBLK_HDR_SIZE, false);
	expect_parse_fault(&b, VQ_BLK_SHORT);
}

static void test_blk_bad_header(void **state)
{
	struct chain_builder b;

	(void)state;
	put_hdr(VBLK_T_IN, 0);
	chain_init(&b, VBLK_HDR_SIZE, true);
	chain_add(&b, A(0x20000), 512, true);
	chain_add(&b, A(0x100), 1, true);
	expect_parse_fault(&b, VQ_BLK_HDR_DIR);

	chain_init(&b, 8, false);
	chain_add(&b, A(0x20000), 512, true);
	chain_add(&b, A(0x100), 1, true);
	expect_parse_fault(&b, VQ_BLK_HDR_SIZE);

	/* Header and data merged into one buffer: not accepted (see docs/virtio.md). */
	chain_init(&b, VBLK_HDR_SIZE + 512, false);
	chain_add(&b, A(0x100), 1, true);
	expect_parse_fault(&b, VQ_BLK_HDR_SIZE);
}

static void test_blk_bad_status(void **state)
{
	struct chain_builder b;

	(void)state;
	put_hdr(VBLK_T_OUT, 0);
	chain_init(&b, VBLK_HDR_SIZE, false);
	chain_add(&b, A(0x20000), 512, false);
	chain_add(&b, A(0x100), 1, false);
	expect_parse_fault(&b, VQ_BLK_STATUS_DIR);

	chain_init(&b, VBLK_HDR_SIZE, false);
	chain_add(&b, A(0x20000), 512, false);
	chain_add(&b, A(0x100), 2, true);
	expect_parse_fault(&b, VQ_BLK_STATUS_SIZE);

	/* Status merged into the data of a read. */
	chain_init(&b, VBLK_HDR_SIZE, false);
	put_hdr(VBLK_T_IN, 0);
	chain_add(&b, A(0x20000), 513, true);
	expect_parse_fault(&b, VQ_BLK_STATUS_SIZE);
}

static void test_blk_data_direction(void **state)
{
	struct chain_builder b;

	(void)state;
	simple(&b, VBLK_T_IN, 0, 512, false);
	expect_parse_fault(&b, VQ_BLK_DATA_DIR);
	simple(&b, VBLK_T_OUT, 0, 512, true);
	expect_parse_fault(&b, VQ_BLK_DATA_DIR);
	simple(&b, VBLK_T_GET_ID, 0, VBLK_ID_BYTES, false);
	expect_parse_fault(&b, VQ_BLK_DATA_DIR);
	/* One wrong segment among right ones. */
	put_hdr(VBLK_T_IN, 0);
	chain_init(&b, VBLK_HDR_SIZE, false);
	chain_add(&b, A(0x20000), 512, true);
	chain_add(&b, A(0x30000), 512, false);
	chain_add(&b, A(0x100), 1, true);
	expect_parse_fault(&b, VQ_BLK_DATA_DIR);
}

static void test_blk_data_sizes(void **state)
{
	struct chain_builder b;
	struct vblk_req r;

	(void)state;
	simple(&b, VBLK_T_IN, 0, 0, true);
	expect_parse_fault(&b, VQ_BLK_NO_DATA);
	simple(&b, VBLK_T_OUT, 0, 0, false);
	expect_parse_fault(&b, VQ_BLK_NO_DATA);
	simple(&b, VBLK_T_GET_ID, 0, 0, true);
	expect_parse_fault(&b, VQ_BLK_NO_DATA);
	simple(&b, VBLK_T_IN, 0, 1000, true);
	expect_parse_fault(&b, VQ_BLK_DATA_SIZE);
	simple(&b, VBLK_T_OUT, 0, 511, false);
	expect_parse_fault(&b, VQ_BLK_DATA_SIZE);
	simple(&b, VBLK_T_IN, 0, VBLK_MAX_DATA, true);
	expect_parse_ok(&b, &r);
	simple(&b, VBLK_T_IN, 0, VBLK_MAX_DATA + VBLK_SECTOR_SIZE, true);
	expect_parse_fault(&b, VQ_BLK_DATA_TOO_BIG);
	simple(&b, VBLK_T_OUT, 0, VBLK_MAX_DATA + VBLK_SECTOR_SIZE, false);
	expect_parse_fault(&b, VQ_BLK_DATA_TOO_BIG);
	simple(&b, VBLK_T_FLUSH, 0, 512, false);
	expect_parse_fault(&b, VQ_BLK_FLUSH_DATA);
}

static void test_blk_sector_range(void **state)
{
	struct chain_builder b;
	struct vblk_req r;

	(void)state;
	/* The last sector of the disk is readable ... */
	simple(&b, VBLK_T_IN, CAPACITY - 1, 512, true);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_OK);
	/* ... one more is not, nor is starting at the end, nor a sector that would wrap. */
	simple(&b, VBLK_T_IN, CAPACITY - 1, 1024, true);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_IOERR);
	simple(&b, VBLK_T_OUT, CAPACITY, 512, false);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_IOERR);
	simple(&b, VBLK_T_OUT, UINT64_MAX, 512, false);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_IOERR);
	simple(&b, VBLK_T_IN, UINT64_MAX - 1, 1024, true);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_IOERR);
	/* FLUSH and GET_ID ignore the sector field. */
	simple(&b, VBLK_T_FLUSH, UINT64_MAX, 0, false);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_OK);
}

static void test_blk_unknown_type(void **state)
{
	struct chain_builder b;
	struct vblk_req r;

	(void)state;
	simple(&b, 11 /* DISCARD, never offered */, 0, 16, false);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_UNSUPP);
	simple(&b, 0xdeadbeef, 0, 0, false);
	expect_parse_ok(&b, &r);
	assert_int_equal(r.status, VBLK_S_UNSUPP);
}

static void test_blk_header_unreadable(void **state)
{
	struct chain_builder b;

	(void)state;
	chain_init(&b, VBLK_HDR_SIZE, false);
	b.c.seg[0].addr = RAM_BASE + RAM_SIZE - 8; /* only half of it is RAM */
	chain_add(&b, A(0x100), 1, true);
	expect_parse_fault(&b, VQ_NOT_RAM);
}

/* Walk and parse together, the way the device uses them, on a table in fake RAM. */
static void test_walk_then_parse(void **state)
{
	struct virtq_desc t[8] = {0};
	struct virtq_chain c;
	struct virtq_error err;
	struct vblk_req r;

	(void)state;
	put_hdr(VBLK_T_OUT, 3);
	t[4] = D(A(HDR_AT), VBLK_HDR_SIZE, NEXT, 6);
	t[6] = D(A(0x20000), 2048, NEXT, 2);
	t[2] = D(A(0x300), 1, WR, 0);
	expect_walk_ok(t, 8, 4, &c);
	assert_int_equal(vblk_req_parse(&c, CAPACITY, &mem, &r, &err), MV_OK);
	assert_int_equal(r.type, VBLK_T_OUT);
	assert_int_equal(r.sector, 3);
	assert_int_equal(r.data_bytes, 2048);
	assert_int_equal(r.status_addr, A(0x300));
	/* A status byte before the data of a write is caught by the walk already. */
	t[4].next = 2;
	t[2] = D(A(0x300), 1, WR | NEXT, 6);
	t[6] = D(A(0x20000), 2048, 0, 0);
	expect_walk_fault(t, 8, 4, VQ_READ_AFTER_WRITE);
}

static void test_fault_names(void **state)
{
	(void)state;
	for (unsigned f = 0; f < VQ_FAULT_COUNT; f++)
		assert_string_not_equal(virtq_fault_name(f), "unknown fault");
	assert_string_equal(virtq_fault_name(VQ_FAULT_COUNT), "unknown fault");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rings_valid),
	    cmocka_unit_test(test_rings_bad_size),
	    cmocka_unit_test(test_rings_misaligned),
	    cmocka_unit_test(test_rings_outside_ram),
	    cmocka_unit_test(test_walk_single),
	    cmocka_unit_test(test_walk_multi),
	    cmocka_unit_test(test_walk_max_segments),
	    cmocka_unit_test(test_walk_too_many_segments),
	    cmocka_unit_test(test_walk_too_many_bytes),
	    cmocka_unit_test(test_walk_bad_qsize),
	    cmocka_unit_test(test_walk_head_out_of_range),
	    cmocka_unit_test(test_walk_next_out_of_range),
	    cmocka_unit_test(test_walk_self_loop),
	    cmocka_unit_test(test_walk_two_cycle),
	    cmocka_unit_test(test_walk_long_cycle),
	    cmocka_unit_test(test_walk_indirect),
	    cmocka_unit_test(test_walk_reserved_flags),
	    cmocka_unit_test(test_walk_zero_length),
	    cmocka_unit_test(test_walk_wrapping_address),
	    cmocka_unit_test(test_walk_outside_ram),
	    cmocka_unit_test(test_walk_read_after_write),
	    cmocka_unit_test(test_avail_pending),
	    cmocka_unit_test(test_blk_valid_requests),
	    cmocka_unit_test(test_blk_scattered_data),
	    cmocka_unit_test(test_blk_short_chain),
	    cmocka_unit_test(test_blk_bad_header),
	    cmocka_unit_test(test_blk_bad_status),
	    cmocka_unit_test(test_blk_data_direction),
	    cmocka_unit_test(test_blk_data_sizes),
	    cmocka_unit_test(test_blk_sector_range),
	    cmocka_unit_test(test_blk_unknown_type),
	    cmocka_unit_test(test_blk_header_unreadable),
	    cmocka_unit_test(test_walk_then_parse),
	    cmocka_unit_test(test_fault_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
