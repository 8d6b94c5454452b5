/* Ctrl-A prefixed commands on the shared console; every other byte goes to the focused VM. */
#include "conmux.h"
#include "account.h"
#include "console.h"
#include "pl011.h"
#include "vm.h"

#define CTRL_A 0x01

static unsigned focus;
static bool escape;

static const char *const state_names[] = {"free", "running", "stopped"};

static void print_help(void)
{
	hyp_printf("hyp: console: Ctrl-A then: 1..%u focus that VM, l list VMs, m module cache, "
		   "f memory footprint, h this help, Ctrl-A send Ctrl-A\n",
		   vm_count());
}

static void list_vms(void)
{
	for (unsigned i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_by_index(i);
		struct mv_mem_stats mem;

		/* The frame pool's owner counts say how much RAM backs the VM. */
		account_vm(vm, &mem);

		hyp_printf("hyp: %u: %s, %s, %u vCPU on CPU %u, %lu KiB RAM mapped%s\n", i + 1,
			   vm->name, state_names[vm->state], vm->vcpu_count, vm->vcpus[0].pcpu,
			   (unsigned long)(mem.ram >> 10), i == focus ? " (focus)" : "");
	}
}

static void command(char c)
{
	if (c >= '1' && c <= '9') {
		unsigned n = (unsigned)(c - '1');

		if (n < vm_count()) {
			focus = n;
			console_set_focus(&vm_by_index(n)->uart.con);
			hyp_printf("hyp: console input goes to %s\n", vm_by_index(n)->name);
		} else {
			hyp_printf("hyp: no VM %c\n", c);
		}
		return;
	}
	switch (c) {
	case 'h':
	case '?':
		print_help();
		break;
	case 'l':
		list_vms();
		break;
	case 'm':
		vmmod_print_cache();
		break;
	case 'f':
		account_print_live();
		break;
	case CTRL_A:
		conmux_input_to_focus(CTRL_A);
		break;
	default:
		hyp_printf("hyp: unknown console command (Ctrl-A h for help)\n");
		break;
	}
}

void conmux_input_to_focus(char c)
{
	struct vm *vm = vm_by_index(focus);

	if (vm && vm->state == VM_RUNNING) {
		console_input_for(&vm->uart.con);
		vuart_rx_push(&vm->uart, (uint8_t)c);
	}
}

void conmux_input(char c)
{
	if (escape) {
		escape = false;
		/* The interrupt may have come from any guest: its output is not that guest's. */
		console_uncharged_begin();
		command(c);
		console_uncharged_end();
	} else if (c == CTRL_A) {
		escape = true;
	} else {
		conmux_input_to_focus(c);
	}
}

void conmux_rx(void)
{
	int c;

	while ((c = pl011_getc()) >= 0)
		conmux_input((char)c);
}
