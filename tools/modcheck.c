/* Host checker for module images: the hypervisor's own load-time rules, run at build time. */
#include "modelf.h"
#include <modvisor/module.h>
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
	if (modelf_check(image, size, &m, &reason) != 0) {
		fprintf(stderr, "modcheck: module %s (%s): %s\n", argv[1], argv[2], reason);
		return 1;
	}
	memcpy(&desc, (const char *)image + m.data_offset + (m.desc_vaddr - m.data_vaddr),
	       sizeof(desc));
	if (desc.magic != MV_MODULE_MAGIC || desc.abi_version != MV_MODULE_ABI_VERSION ||
	    strncmp(desc.name, argv[1], sizeof(desc.name)) != 0) {
		fprintf(stderr,
			"modcheck: module %s (%s): descriptor has the wrong magic, ABI "
			"version or name\n",
			argv[1], argv[2]);
		return 1;
	}
	printf("  CHECK   module %s %u.%u: %llu text pages, %llu data pages, %llu relocations\n",
	       argv[1], desc.version >> 16, desc.version & 0xffff,
	       (unsigned long long)modelf_text_pages(&m), (unsigned long long)modelf_data_pages(&m),
	       (unsigned long long)m.rela_count);
	return 0;
}
