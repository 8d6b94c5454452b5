/* Guest device tree, written with libfdt's sequential-write API. */
#include "guest_dtb.h"
#include "vm.h"
#include "virtio/vblk_dev.h"
#include <fmt.h>
#include <libfdt.h>
#include <modvisor/hypercall.h>
#include <modvisor/status.h>

#define PHANDLE_CLK 1
#define PHANDLE_GIC 2
#define IRQ_TYPE_LEVEL_HIGH 4
#define PPI_FLAGS_LEVEL_LOW 0xf08

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int write_cpus(void *fdt, const struct vm *vm)
{
	int err = fdt_begin_node(fdt, "cpus");

	err |= fdt_property_u32(fdt, "#address-cells", 1);
	err |= fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned i = 0; i < vm->vcpu_count; i++) {
		char name[16];

		fmt_snprintf(name, sizeof(name), "cpu@%u", i);
		err |= fdt_begin_node(fdt, name);
		err |= fdt_property_string(fdt, "device_type", "cpu");
		err |= fdt_property_string(fdt, "compatible", "arm,armv8");
		err |= fdt_property_u32(fdt, "reg", i);
		err |= fdt_property_string(fdt, "enable-method", "psci");
		err |= fdt_end_node(fdt);
	}
	return err | fdt_end_node(fdt);
}

static int prop_irq(void *fdt, unsigned type, unsigned number, unsigned flags)
{
	fdt32_t cells[3] = {cpu_to_fdt32(type), cpu_to_fdt32(number), cpu_to_fdt32(flags)};

	return fdt_property(fdt, "interrupts", cells, sizeof(cells));
}

static int write_gic_and_timer(void *fdt, const struct vm *vm)
{
	fdt64_t reg[4] = {cpu_to_fdt64(VGIC_DIST_BASE), cpu_to_fdt64(VGIC_DIST_SIZE),
			  cpu_to_fdt64(VGIC_REDIST_BASE),
			  cpu_to_fdt64(VGIC_REDIST_STRIDE * vm->vcpu_count)};
	/* Secure and non-secure physical, virtual and hypervisor timer PPIs. */
	static const unsigned timer_ppis[4] = {13, 14, 11, 10};
	fdt32_t timer_irqs[12];
	int err;

	err = fdt_begin_node(fdt, "intc@8000000");
	err |= fdt_property_string(fdt, "compatible", "arm,gic-v3");
	err |= fdt_property_u32(fdt, "#interrupt-cells", 3);
	err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	err |= fdt_property_u32(fdt, "#redistributor-regions", 1);
	err |= fdt_property(fdt, "reg", reg, sizeof(reg));
	err |= fdt_property_u32(fdt, "phandle", PHANDLE_GIC);
	err |= fdt_end_node(fdt);

	for (unsigned i = 0; i < 4; i++) {
		timer_irqs[3 * i] = cpu_to_fdt32(1);
		timer_irqs[3 * i + 1] = cpu_to_fdt32(timer_ppis[i]);
		timer_irqs[3 * i + 2] = cpu_to_fdt32(PPI_FLAGS_LEVEL_LOW);
	}
	err |= fdt_begin_node(fdt, "timer");
	err |= fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	err |= fdt_property(fdt, "interrupts", timer_irqs, sizeof(timer_irqs));
	err |= fdt_property(fdt, "always-on", NULL, 0);
	return err | fdt_end_node(fdt);
}

static int write_devices(void *fdt)
{
	static const char pl011_compat[] = "arm,pl011\0arm,primecell";
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	static const char clock_names[] = "uartclk\0apb_pclk";
	fdt32_t clocks[2] = {cpu_to_fdt32(PHANDLE_CLK), cpu_to_fdt32(PHANDLE_CLK)};
	int err;

	err = fdt_begin_node(fdt, "psci");
	err |= fdt_property(fdt, "compatible", psci_compat, sizeof(psci_compat));
	err |= fdt_property_string(fdt, "method", "hvc");
	err |= fdt_end_node(fdt);

	err |= fdt_begin_node(fdt, "apb-pclk");
	err |= fdt_property_string(fdt, "compatible", "fixed-clock");
	err |= fdt_property_u32(fdt, "#clock-cells", 0);
	err |= fdt_property_u32(fdt, "clock-frequency", 24000000);
	err |= fdt_property_u32(fdt, "phandle", PHANDLE_CLK);
	err |= fdt_end_node(fdt);

	err |= fdt_begin_node(fdt, "pl011@9000000");
	err |= fdt_property(fdt, "compatible", pl011_compat, sizeof(pl011_compat));
	err |= prop_reg(fdt, VUART_BASE, VUART_SIZE);
	err |= fdt_property(fdt, "clocks", clocks, sizeof(clocks));
	err |= fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	err |= prop_irq(fdt, 0, VGIC_SPI_UART - 32, IRQ_TYPE_LEVEL_HIGH);
	return err | fdt_end_node(fdt);
}

/* The per-VM PL031 (hyp/vrtc.c), where QEMU virt has one. Its alarm interrupt is not wired. */
static int write_rtc(void *fdt)
{
	static const char pl031_compat[] = "arm,pl031\0arm,primecell";
	static const char clock_names[] = "apb_pclk";
	fdt32_t clock = cpu_to_fdt32(PHANDLE_CLK);
	int err = fdt_begin_node(fdt, "pl031@9010000");

	err |= fdt_property(fdt, "compatible", pl031_compat, sizeof(pl031_compat));
	err |= prop_reg(fdt, VRTC_BASE, VRTC_SIZE);
	err |= fdt_property(fdt, "clocks", &clock, sizeof(clock));
	err |= fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	return err | fdt_end_node(fdt);
}

/* The emulated virtio-mmio block device (hyp/virtio/vblk_dev.c). */
static int write_disk(void *fdt)
{
	int err = fdt_begin_node(fdt, "virtio_mmio@a000000");

	err |= fdt_property_string(fdt, "compatible", "virtio,mmio");
	err |= prop_reg(fdt, VBLK_DEV_BASE, VBLK_DEV_SIZE);
	err |= prop_irq(fdt, 0, VGIC_SPI_VIRTIO - 32, IRQ_TYPE_LEVEL_HIGH);
	err |= fdt_property(fdt, "dma-coherent", NULL, 0);
	return err | fdt_end_node(fdt);
}

int guest_dtb_build(const struct vm *vm, void *buf, size_t size)
{
	const struct vm_config *cfg = vm->cfg;
	int err;

	err = fdt_create(buf, (int)size);
	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_u32(buf, "#address-cells", 2);
	err |= fdt_property_u32(buf, "#size-cells", 2);
	err |= fdt_property_string(buf, "compatible", "modvisor,guest");
	err |= fdt_property_string(buf, "model", "modvisor virtual machine");
	err |= fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC);

	err |= fdt_begin_node(buf, "chosen");
	err |= fdt_property_string(buf, "bootargs", cfg->bootargs);
	err |= fdt_property_string(buf, "stdout-path", "/pl011@9000000");
	err |= fdt_end_node(buf);

	{
		char name[32];

		fmt_snprintf(name, sizeof(name), "memory@%lx", (unsigned long)cfg->ram_base);
		err |= fdt_begin_node(buf, name);
		err |= fdt_property_string(buf, "device_type", "memory");
		err |= prop_reg(buf, cfg->ram_base, cfg->ram_size);
		err |= fdt_end_node(buf);
	}
	err |= write_cpus(buf, vm);
	err |= write_gic_and_timer(buf, vm);
	err |= write_devices(buf);
	err |= write_rtc(buf);
	if (cfg->disk[0])
		err |= write_disk(buf);

	err |= fdt_begin_node(buf, "modvisor");
	err |= fdt_property_string(buf, "compatible", "modvisor,hypervisor");
	err |= fdt_property_u32(buf, "abi-version", MV_ABI_VERSION);
	err |= fdt_property_string(buf, "vm-name", vm->name);
	err |= fdt_property_u32(buf, "reset-count", vm->resets);
	if (cfg->module_window_size) {
		fdt64_t window[2] = {cpu_to_fdt64(cfg->module_window_base),
				     cpu_to_fdt64(cfg->module_window_size)};

		err |= fdt_property(buf, "module-window", window, sizeof(window));
	}
	err |= fdt_end_node(buf);

	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	if (err)
		return MV_ERR_NO_MEMORY;
	return (int)fdt_totalsize(buf);
}
