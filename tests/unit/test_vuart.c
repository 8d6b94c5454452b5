/* Unit tests for hyp/vuart.c: input typed faster than the guest reads it is held, in order, with
 * the PL011's flags and interrupt line consistent, and a VM reset drops it. */
#include <dev/pl011.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vm.h"
#include "vuart.h"
#include <modvisor/status.h>

/* --- fakes: the console and the vGIC --------------------------------------------------- */

static unsigned level_calls;
static bool level;
static int locks_held;
static char out[64];
static unsigned out_len;

void console_src_init(struct console_src *src, const char *name)
{
	src->name = name;
}

void console_vm_putc(struct console_src *src, char c)
{
	(void)src;
	if (out_len < sizeof(out))
		out[out_len++] = c;
}

void console_vm_flush(struct console_src *src)
{
	(void)src;
}

void vgic_set_level(struct vm *vm, unsigned intid, bool on)
{
	(void)vm;
	assert_int_equal(intid, VGIC_SPI_UART);
	assert_int_equal(locks_held, 0); /* the vGIC is told after the UART's lock is dropped */
	level_calls++;
	level = on;
}

void spin_lock(struct spinlock *lock)
{
	(void)lock;
	locks_held++;
}

void spin_unlock(struct spinlock *lock)
{
	(void)lock;
	locks_held--;
}

/* --- helpers ----------------------------------------------------------------------------- */

static struct vm vm;

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	memcpy(vm.name, "guest", 6);
	vuart_init(&vm.uart, &vm);
	level_calls = 0;
	level = false;
	out_len = 0;
	return 0;
}

static uint32_t reg_read(unsigned off)
{
	uint64_t v = 0;

	assert_int_equal(vuart_access(&vm.uart, NULL, off, 4, false, &v), MV_OK);
	return (uint32_t)v;
}

static void reg_write(unsigned off, uint32_t value)
{
	uint64_t v = value;

	assert_int_equal(vuart_access(&vm.uart, NULL, off, 4, true, &v), MV_OK);
}

static uint8_t pattern(unsigned i)
{
	return (uint8_t)('a' + i % 26);
}

/* --- tests ------------------------------------------------------------------------------- */

static void test_a_pasted_kilobyte_waits_for_a_busy_guest(void **state)
{
	(void)state;
	/* The guest is busy (interrupts masked): nothing reads while 1000 bytes arrive. */
	for (unsigned i = 0; i < 1000; i++)
		assert_true(vuart_rx_push(&vm.uart, pattern(i)));
	assert_int_equal(reg_read(PL011_FR) & (PL011_FR_RXFE | PL011_FR_RXFF), 0);
	for (unsigned i = 0; i < 1000; i++) {
		assert_int_equal(reg_read(PL011_FR) & PL011_FR_RXFE, 0);
		assert_int_equal(reg_read(PL011_DR), pattern(i));
	}
	assert_int_not_equal(reg_read(PL011_FR) & PL011_FR_RXFE, 0);
	assert_int_equal(reg_read(PL011_DR), 0); /* an empty FIFO reads 0 */
}

static void test_a_full_buffer_drops_and_says_so_in_its_flags(void **state)
{
	(void)state;
	for (unsigned i = 0; i < VUART_RX_BUF; i++) {
		assert_int_equal(reg_read(PL011_FR) & PL011_FR_RXFF, 0);
		assert_true(vuart_rx_push(&vm.uart, pattern(i)));
	}
	assert_int_not_equal(reg_read(PL011_FR) & PL011_FR_RXFF, 0);
	assert_false(vuart_rx_push(&vm.uart, '!'));
	/* One byte read makes room for one more, at the end: the ring wraps in order. */
	assert_int_equal(reg_read(PL011_DR), pattern(0));
	assert_int_equal(reg_read(PL011_FR) & PL011_FR_RXFF, 0);
	assert_true(vuart_rx_push(&vm.uart, '#'));
	assert_false(vuart_rx_push(&vm.uart, '!'));
	for (unsigned i = 1; i < VUART_RX_BUF; i++)
		assert_int_equal(reg_read(PL011_DR), pattern(i));
	assert_int_equal(reg_read(PL011_DR), '#');
	assert_int_not_equal(reg_read(PL011_FR) & PL011_FR_RXFE, 0);
}

static void test_the_interrupt_follows_the_buffer(void **state)
{
	(void)state;
	/* Masked: input raises no line. */
	assert_true(vuart_rx_push(&vm.uart, 'x'));
	assert_int_equal(level_calls, 0);
	/* Unmasking with input pending raises it, once however much more comes. */
	reg_write(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_int_equal(level_calls, 1);
	assert_true(level);
	for (unsigned i = 0; i < 600; i++)
		assert_true(vuart_rx_push(&vm.uart, pattern(i)));
	assert_int_equal(level_calls, 1);
	assert_int_not_equal(reg_read(PL011_MIS) & PL011_INT_RX, 0);
	/* Clearing the interrupt with input still waiting leaves it asserted (level-sensitive). */
	reg_write(PL011_ICR, PL011_INT_RX | PL011_INT_RT);
	assert_true(level);
	assert_int_not_equal(reg_read(PL011_MIS) & PL011_INT_RX, 0);
	/* It drops with the last byte read, not before. */
	for (unsigned i = 0; i < 600; i++) {
		(void)reg_read(PL011_DR);
		assert_true(level);
	}
	(void)reg_read(PL011_DR);
	assert_false(level);
	assert_int_equal(level_calls, 2);
	assert_int_equal(reg_read(PL011_MIS), 0);
}

static void test_reset_drops_the_old_boots_input(void **state)
{
	(void)state;
	reg_write(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	for (unsigned i = 0; i < 100; i++)
		assert_true(vuart_rx_push(&vm.uart, pattern(i)));
	assert_true(level);
	vuart_reset(&vm.uart);
	assert_false(level);
	assert_int_not_equal(reg_read(PL011_FR) & PL011_FR_RXFE, 0);
	assert_int_equal(reg_read(PL011_IMSC), 0);
	/* The new boot unmasks and gets the next input's interrupt edge. */
	reg_write(PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_false(level);
	assert_true(vuart_rx_push(&vm.uart, 'n'));
	assert_true(level);
	assert_int_equal(reg_read(PL011_DR), 'n');
	assert_false(level);
}

static void test_output_goes_to_the_console(void **state)
{
	(void)state;
	reg_write(PL011_DR, 'h');
	reg_write(PL011_DR, 'i');
	assert_int_equal(out_len, 2);
	assert_memory_equal(out, "hi", 2);
	assert_int_not_equal(reg_read(PL011_FR) & PL011_FR_TXFE, 0);
	uint64_t v = 0;

	assert_int_equal(vuart_access(&vm.uart, NULL, PL011_DR, 8, false, &v), MV_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_a_pasted_kilobyte_waits_for_a_busy_guest, setup),
	    cmocka_unit_test_setup(test_a_full_buffer_drops_and_says_so_in_its_flags, setup),
	    cmocka_unit_test_setup(test_the_interrupt_follows_the_buffer, setup),
	    cmocka_unit_test_setup(test_reset_drops_the_old_boots_input, setup),
	    cmocka_unit_test_setup(test_output_goes_to_the_console, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
