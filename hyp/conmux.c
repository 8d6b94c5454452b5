/* Ctrl-A prefixed commands on the shared console; every other byte goes to the focused VM. */
#include "conmux.h"
#include "account.h"
#include "conmux_focus.h"
#include "console.h"
#include "pl011.h"
#include "vm.h"
#include <fmt.h>

#define CTRL_A 0x01

static unsigned focus;
static bool escape;
/* Input was dropped since the focus last changed or a byte last got through: said once. */
static bool drop_noted;

static const char *const state_names[] = {"free", "running", "stopped"};

static void print_help(void)
{
	hyp_printf("hyp: console: Ctrl-A then: 1..%u focus that VM, n/p the next/previous running "
		   "VM, l list VMs, m module cache, f memory footprint, h this help, Ctrl-A send "
		   "Ctrl-A\n",
		   vm_count() < 9 ? vm_count() : 9);
}

/* Physical CPUs of a VM's vCPUs: "0" or "0,1". */
static void cpu_list(const struct vm *vm, char *buf, size_t size)
{
	unsigned pos = 0;

	buf[0] = '\0';
	for (unsigned v = 0; v < vm->vcpu_count && pos < size; v++)
		pos += (unsigned)fmt_snprintf(buf + pos, size - pos, "%s%u", v ? "," : "",
					      vm->vcpus[v].pcpu);
}

/* One line per VM, columns aligned so that 16 VMs read as a table. */
static void list_vms(void)
{
	for (unsigned i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_by_index(i);
		struct mv_mem_stats mem;
		char cpus[3 * SCENARIO_MAX_VCPUS];
		char key[4];

		/* The frame pool's owner counts say how much RAM backs the VM. */
		account_vm(vm, &mem);
		cpu_list(vm, cpus, sizeof(cpus));
		if (i < 9)
			fmt_snprintf(key, sizeof(key), "%u", i + 1);
		else
			fmt_snprintf(key, sizeof(key), "n/p");
		hyp_printf("hyp: %u: %s, %s, %u vCPU on CPU %s, %lu KiB RAM mapped, key %s%s\n",
			   i + 1, vm->name, state_names[vm->state], vm->vcpu_count, cpus,
			   (unsigned long)(mem.ram >> 10), key, i == focus ? " (focus)" : "");
	}
}

static uint32_t running_vms(void)
{
	uint32_t running = 0;

	for (unsigned i = 0; i < vm_count(); i++)
		if (vm_by_index(i)->state == VM_RUNNING)
			running |= UINT32_C(1) << i;
	return running;
}

static void command(char c)
{
	int n = conmux_focus_key(c, focus, vm_count(), running_vms());

	if (n >= 0) {
		focus = (unsigned)n;
		drop_noted = false;
		console_set_focus(&vm_by_index(focus)->uart.con);
		hyp_printf("hyp: console input goes to %s (VM %u)\n", vm_by_index(focus)->name,
			   focus + 1);
		return;
	}
	if (n == CONMUX_NO_VM) {
		hyp_printf("hyp: no VM %c\n", c);
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

/* Says once why typed input goes nowhere, rather than swallowing it in silence. */
static void note_drop(const struct vm *vm, bool running)
{
	if (drop_noted)
		return;
	drop_noted = true;
	console_uncharged_begin();
	if (running)
		hyp_printf(
		    "hyp: console input for %s dropped: its %u-byte buffer is full (it is not "
		    "reading)\n",
		    vm->name, VUART_RX_BUF);
	else
		hyp_printf("hyp: console input for %s dropped: the VM is %s (Ctrl-A h for help)\n",
			   vm->name, state_names[vm->state]);
	console_uncharged_end();
}

void conmux_input_to_focus(char c)
{
	struct vm *vm = vm_by_index(focus);

	if (!vm)
		return;
	if (vm->state != VM_RUNNING) {
		note_drop(vm, false);
		return;
	}
	console_input_for(&vm->uart.con);
	if (vuart_rx_push(&vm->uart, (uint8_t)c))
		drop_noted = false;
	else
		note_drop(vm, true);
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
