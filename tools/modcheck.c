/* Host checker for module images: the hypervisor's own load-time rules, run at build time. */
#include "modelf.h"
#include <modvisor/module.h>
#include <modvisor/status.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)len;
	}
	fclose(f);
	return buf;
}

/*
 * What the hypervisor does next at load, on a scratch copy: relocate the data for a slot at
 * an arbitrary address and check where the descriptor's entry points went.
 */
static int trial_load(const void *image, const struct modelf *m, const char **reason)
{
	const uint64_t base = 0x100000000ULL;
	size_t text_len = (size_t)(modelf_text_pages(m) * MODELF_PAGE);
	size_t data_len = (size_t)(modelf_data_pages(m) * MODELF_PAGE);
	uint8_t *text = aligned_alloc(MODELF_PAGE, text_len ? text_len : MODELF_PAGE);
	uint8_t *data = aligned_alloc(MODELF_PAGE, data_len);
	struct mv_module_desc desc;
	int ret = MV_ERR_NO_MEMORY;

	*reason = "out of memory";
	if (text && data) {
		memset(text, 0, text_len);
		memcpy(text, (const uint8_t *)image + m->text_offset, (size_t)m->text_filesz);
		memset(data, 0, data_len);
		*reason = "a relocation is out of bounds";
		ret = modelf_relocate(image, text, m, data, base);
	}
	if (ret == MV_OK) {
		memcpy(&desc, data + (m->desc_vaddr - m->data_vaddr), sizeof(desc));
		ret = modelf_check_entry_points(m, &desc, base, reason);
	}
	free(text);
	free(data);
	return ret;
}

int main(int argc, char **argv)
{
	struct modelf m;
	struct mv_module_desc desc;
	const char *reason;
	size_t size;
	void *image;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NAME MODULE.so\n", argv[0]);
		return 2;
	}
	image = read_file(argv[2], &size);
	if (!image) {
		fprintf(stderr, "modcheck: %s: cannot read\n", argv[2]);
		return 2;
	}
	if (modelf_check_module(image, size, argv[1], &m, &desc, &reason) != MV_OK ||
	    trial_load(image, &m, &reason) != MV_OK) {
		fprintf(stderr, "modcheck: module %s (%s): %s\n", argv[1], argv[2], reason);
		free(image);
		return 1;
	}
	printf("  CHECK   module %s %u.%u: %llu text pages, %llu data pages, %llu relocations\n",
	       argv[1], desc.version >> 16, desc.version & 0xffff,
	       (unsigned long long)modelf_text_pages(&m), (unsigned long long)modelf_data_pages(&m),
	       (unsigned long long)m.rela_count);
	free(image);
	return 0;
}
