/* Parses the host device tree with libfdt: RAM, CPUs, UART, GIC, initrd and reserved memory. */
#include "hostdtb.h"
#include "console.h"
#include <libfdt.h>
#include <modvisor/status.h>
#include <mv_compiler.h>

static int root_cells(const void *fdt, const char *name, int fallback)
{
	int len;
	const void *p = fdt_getprop(fdt, 0, name, &len);

	return (p && len == 4) ? (int)fdt_cells_read(p, 1) : fallback;
}

/* The i-th (address, size) pair of a node's reg property, in the root's cell sizes. */
static int reg_pair(const void *fdt, int node, int index, int ac, int sc, uint64_t *addr,
		    uint64_t *size)
{
	int len;
	const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int stride = (ac + sc) * 4;

	if (!reg || len < (index + 1) * stride)
		return MV_ERR_NOT_FOUND;
	reg += index * stride;
	*addr = fdt_cells_read(reg, ac);
	*size = sc ? fdt_cells_read(reg + ac * 4, sc) : 0;
	return MV_OK;
}

static uint64_t chosen_addr(const void *fdt, int chosen, const char *name)
{
	int len;
	const void *p = fdt_getprop(fdt, chosen, name, &len);

	if (!p || (len != 4 && len != 8))
		return 0;
	return fdt_cells_read(p, len / 4);
}

static void add_reserved(struct platform *p, uint64_t base, uint64_t size)
{
	if (size == 0 || p->reserved_count == PLATFORM_MAX_RESERVED)
		return;
	p->reserved[p->reserved_count].base = base;
	p->reserved[p->reserved_count].size = size;
	p->reserved_count++;
}

static void parse_memory(const void *fdt, struct platform *p, int ac, int sc)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) >= 0) {
		uint64_t base, size;

		for (int i = 0; reg_pair(fdt, node, i, ac, sc, &base, &size) == MV_OK; i++) {
			if (p->ram_count == PLATFORM_MAX_RAM || size == 0)
				continue;
			p->ram[p->ram_count].base = base;
			p->ram[p->ram_count].size = size;
			p->ram_count++;
		}
	}
}

static void parse_cpus(const void *fdt, struct platform *p)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	if (cpus < 0)
		return;
	int ac = 1;
	int len;
	const void *acp = fdt_getprop(fdt, cpus, "#address-cells", &len);

	if (acp && len == 4)
		ac = (int)fdt_cells_read(acp, 1);
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const void *reg = fdt_getprop(fdt, node, "reg", &len);

		if (!type || strcmp(type, "cpu") != 0 || !reg || len < ac * 4)
			continue;
		if (p->cpu_count < HYP_MAX_CPUS)
			p->cpu_mpidr[p->cpu_count++] = fdt_cells_read(reg, ac);
	}
}

static void parse_reserved(const void *fdt, struct platform *p, int ac, int sc)
{
	int n = fdt_num_mem_rsv(fdt);
	int rsv, node;

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			add_reserved(p, base, size);
	}
	rsv = fdt_path_offset(fdt, "/reserved-memory");
	if (rsv < 0)
		return;
	fdt_for_each_subnode(node, fdt, rsv)
	{
		uint64_t base, size;

		for (int i = 0; reg_pair(fdt, node, i, ac, sc, &base, &size) == MV_OK; i++)
			add_reserved(p, base, size);
	}
}

/* Transports in ascending address order; interrupts = <type number flags>, SPIs only. */
static void parse_virtio(const void *fdt, struct platform *p, int ac, int sc)
{
	int node = -1;

	while ((node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) >= 0) {
		struct virtio_mmio_slot slot;
		int len;
		const uint8_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

		if (p->virtio_count == PLATFORM_MAX_VIRTIO || !irq || len < 12 ||
		    reg_pair(fdt, node, 0, ac, sc, &slot.base, &slot.size) != MV_OK ||
		    fdt_cells_read(irq, 1) != 0)
			continue;
		slot.intid = 32 + (unsigned)fdt_cells_read(irq + 4, 1);
		unsigned i = p->virtio_count++;

		while (i > 0 && p->virtio[i - 1].base > slot.base) {
			p->virtio[i] = p->virtio[i - 1];
			i--;
		}
		p->virtio[i] = slot;
	}
}

int platform_parse(const void *fdt, struct platform *p)
{
	int ac, sc, node, chosen;

	if (fdt_check_header(fdt) != 0) {
		hyp_printf("hyp: no valid device tree at %p\n", fdt);
		return MV_ERR_INVALID;
	}
	p->dtb_pa = (uint64_t)fdt;
	p->dtb_size = fdt_totalsize(fdt);
	ac = root_cells(fdt, "#address-cells", 2);
	sc = root_cells(fdt, "#size-cells", 1);

	parse_memory(fdt, p, ac, sc);
	parse_cpus(fdt, p);
	parse_reserved(fdt, p, ac, sc);

	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node >= 0) {
		int len;
		const uint8_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

		reg_pair(fdt, node, 0, ac, sc, &p->uart_base, &p->uart_size);
		if (irq && len >= 12 && fdt_cells_read(irq, 1) == 0)
			p->uart_intid = 32 + (unsigned)fdt_cells_read(irq + 4, 1);
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
	if (node >= 0)
		reg_pair(fdt, node, 0, ac, sc, &p->rtc_base, &p->rtc_size);
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node >= 0) {
		reg_pair(fdt, node, 0, ac, sc, &p->gicd_base, &p->gicd_size);
		reg_pair(fdt, node, 1, ac, sc, &p->gicr_base, &p->gicr_size);
	}
	parse_virtio(fdt, p, ac, sc);
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		p->initrd_start = chosen_addr(fdt, chosen, "linux,initrd-start");
		p->initrd_end = chosen_addr(fdt, chosen, "linux,initrd-end");
	}

	if (p->ram_count == 0) {
		hyp_printf("hyp: device tree has no memory node\n");
		return MV_ERR_INVALID;
	}
	if (p->cpu_count == 0) {
		p->cpu_mpidr[0] = 0;
		p->cpu_count = 1;
	}
	return MV_OK;
}

uint64_t platform_ram_bytes(const struct platform *p)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < p->ram_count; i++)
		total += p->ram[i].size;
	return total;
}

static void add_device(struct mem_range *out, unsigned *n, unsigned max, uint64_t base,
		       uint64_t size)
{
	if (size == 0 || *n == max)
		return;
	out[*n].base = ALIGN_DOWN(base, PAGE_SIZE);
	out[*n].size = ALIGN_UP(base + size, PAGE_SIZE) - out[*n].base;
	(*n)++;
}

unsigned platform_device_ranges(const struct platform *p, struct mem_range *out, unsigned max)
{
	unsigned n = 0;

	add_device(out, &n, max, p->gicd_base, p->gicd_size);
	add_device(out, &n, max, p->gicr_base, p->gicr_size);
	add_device(out, &n, max, p->uart_base, p->uart_size);
	add_device(out, &n, max, p->rtc_base, p->rtc_size);
	for (unsigned i = 0; i < p->virtio_count; i++)
		add_device(out, &n, max, p->virtio[i].base, p->virtio[i].size);
	return n;
}
