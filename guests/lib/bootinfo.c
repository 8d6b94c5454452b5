/* Reads the guest device tree the hypervisor generated, with libfdt. */
#include "guest.h"
#include <fdt_cells.h>
#include <libfdt.h>
#include <modvisor/status.h>
#include <string.h>

int boot_info_parse(const void *dtb, struct boot_info *info)
{
	int node, len, cpus;
	const void *reg;

	memset(info, 0, sizeof(*info));
	if (fdt_check_header(dtb) != 0)
		return MV_ERR_INVALID;
	node = fdt_node_offset_by_prop_value(dtb, -1, "device_type", "memory", 7);
	if (node < 0)
		return MV_ERR_NOT_FOUND;
	reg = fdt_getprop(dtb, node, "reg", &len);
	if (!reg || len < 16)
		return MV_ERR_INVALID;
	info->ram_base = fdt_cells_read(reg, 2);
	info->ram_size = fdt_cells_read((const uint8_t *)reg + 8, 2);

	cpus = fdt_path_offset(dtb, "/cpus");
	if (cpus >= 0) {
		fdt_for_each_subnode(node, dtb, cpus) info->cpus++;
	}
	node = fdt_path_offset(dtb, "/chosen");
	info->bootargs = node >= 0 ? fdt_getprop(dtb, node, "bootargs", NULL) : NULL;
	if (!info->bootargs)
		info->bootargs = "";
	node = fdt_node_offset_by_compatible(dtb, -1, "modvisor,hypervisor");
	if (node >= 0) {
		const void *abi = fdt_getprop(dtb, node, "abi-version", &len);
		const void *resets = fdt_getprop(dtb, node, "reset-count", NULL);

		info->vm_name = fdt_getprop(dtb, node, "vm-name", NULL);
		if (abi && len == 4)
			info->abi_version = (uint32_t)fdt_cells_read(abi, 1);
		if (resets)
			info->reset_count = (uint32_t)fdt_cells_read(resets, 1);
		const void *window = fdt_getprop(dtb, node, "module-window", &len);

		if (window && len == 16) {
			info->module_window_base = fdt_cells_read(window, 2);
			info->module_window_size = fdt_cells_read((const uint8_t *)window + 8, 2);
		}
	}
	if (!info->vm_name)
		info->vm_name = "?";
	info->has_disk = fdt_node_offset_by_compatible(dtb, -1, "virtio,mmio") >= 0;
	node = fdt_node_offset_by_compatible(dtb, -1, "arm,pl031");
	reg = node >= 0 ? fdt_getprop(dtb, node, "reg", &len) : NULL;
	if (reg && len >= 16)
		info->rtc_base = fdt_cells_read(reg, 2);
	return MV_OK;
}

bool bootarg_has(const struct boot_info *info, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = info->bootargs; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p;

		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) == n && memcmp(p, word, n) == 0)
			return true;
		p = end;
	}
	return false;
}
