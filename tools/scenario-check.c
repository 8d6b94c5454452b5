/* Host checker for scenario files: the hypervisor's own rules, reported with the .dts line. */
#include "arch/asm_offsets.h"
#include "modelf.h"
#include "scenario.h"
#include <modvisor/module.h>
#include <modvisor/status.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* QEMU is started with as many CPUs as the scenario names (--query smp), up to the hypervisor's
 * limit; the hypervisor checks again against the CPUs it really finds. */
#define HOST_CPUS HYP_MAX_CPUS

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	*size = (size_t)len;
	return buf;
}

/* Skips blanks; returns the identifier length at p (node or property name). */
static size_t ident_len(const char *p)
{
	size_t n = 0;

	while (p[n] && (p[n] == '-' || p[n] == '_' || p[n] == ',' || p[n] == '@' || p[n] == '#' ||
			(p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'z') ||
			(p[n] >= 'A' && p[n] <= 'Z')))
		n++;
	return n;
}

/*
 * Finds the source line of `prop` inside node `path` (or of the node itself) by tracking the
 * nesting of "name {" and "};" lines, which is how scenario files are written.
 */
static int locate(const char *src, const char *path, const char *prop)
{
	char cur[256] = "";
	int line = 1, node_line = 0;

	if (strcmp(path, "/") == 0)
		path = ""; /* root properties (time-slice-ms, module-sharing): `cur` is "" there */

	for (const char *p = src; *p;) {
		const char *eol = strchr(p, '\n');
		const char *s = p;

		while (*s == ' ' || *s == '\t')
			s++;
		size_t n = ident_len(s);
		const char *after = s + n;

		while (*after == ' ' || *after == '\t')
			after++;
		if (s[0] == '/' && s[1] == ' ' && strchr(s, '{')) { /* the root node */
			cur[0] = '\0';
		} else if (n && *after == '{' && strlen(cur) + n + 2 < sizeof(cur)) {
			strcat(cur, "/");
			strncat(cur, s, n);
			if (strcmp(cur, path) == 0)
				node_line = line;
		} else if (s[0] == '}') {
			char *slash = strrchr(cur, '/');

			if (slash)
				*slash = '\0';
		} else if (n && strcmp(cur, path) == 0 && strlen(prop) == n &&
			   strncmp(s, prop, n) == 0 && (*after == '=' || *after == ';')) {
			return line;
		}
		if (!eol)
			break;
		p = eol + 1;
		line++;
	}
	return node_line;
}

static void report(const char *level, const char *dts, const char *src,
		   const struct scenario_error *err)
{
	int line = src ? locate(src, err->node, err->prop) : 0;

	if (line)
		fprintf(stderr, "%s:%d: %s: %s: %s: %s\n", dts, line, level, err->node, err->prop,
			err->msg);
	else
		fprintf(stderr, "%s: %s: %s: %s: %s\n", dts, level, err->node, err->prop, err->msg);
}

/* The physical CPUs the scenario's vCPUs are pinned to: the highest cpu-affinity + 1. */
static unsigned cpus_used(const struct scenario *sc)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sc->count; i++)
		for (unsigned v = 0; v < sc->vms[i].vcpus; v++)
			if (sc->vms[i].affinity[v] + 1 > n)
				n = sc->vms[i].affinity[v] + 1;
	return n;
}

/* `--query smp|disks SCENARIO.dtb`: what QEMU must be given for a valid scenario (the -smp value;
 * the serials of the VMs' disks, one per line), for the Makefile and the test scripts. */
static int query(const char *what, const char *path)
{
	struct scenario sc;
	struct scenario_error err;
	size_t size;
	void *dtb = read_file(path, &size);

	if (!dtb) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 2;
	}
	if (scenario_parse(dtb, size, HOST_CPUS, &sc, &err) != 0) {
		fprintf(stderr, "%s: error: %s: %s: %s\n", path, err.node, err.prop, err.msg);
		free(dtb);
		return 1;
	}
	free(dtb);
	if (strcmp(what, "smp") == 0) {
		printf("%u\n", cpus_used(&sc));
		return 0;
	}
	if (strcmp(what, "disks") == 0) {
		for (unsigned i = 0; i < sc.count; i++)
			if (sc.vms[i].disk[0])
				printf("%s\n", sc.vms[i].disk);
		return 0;
	}
	fprintf(stderr, "scenario-check: --query smp or --query disks\n");
	return 2;
}

/* The module set from built images given as NAME=PATH (what the bundle will hold), read the
 * way the hypervisor reads the bundle: each image's descriptor. */
static int load_modules(int argc, char **argv, struct scenario_module_set *set)
{
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		struct mv_module_desc desc;
		struct modelf m;
		const char *reason;
		size_t size;
		void *image;
		int ret;

		if (!eq) {
			fprintf(stderr, "scenario-check: want NAME=MODULE.so, not %s\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		image = read_file(eq + 1, &size);
		if (!image) {
			fprintf(stderr, "scenario-check: %s: cannot read\n", eq + 1);
			return 2;
		}
		ret = modelf_check_module(image, size, argv[i], &m, &desc, &reason);
		free(image);
		if (ret != MV_OK) {
			fprintf(stderr, "scenario-check: module %s (%s): %s\n", argv[i], eq + 1,
				reason);
			return 1;
		}
		struct scenario_module_pages pages = {(uint32_t)modelf_text_pages(&m),
						      (uint32_t)modelf_data_pages(&m),
						      (uint32_t)(m.span / 4096)};

		if (scenario_module_add(set, argv[i], &desc, &pages) != MV_OK) {
			fprintf(stderr, "scenario-check: module %s: bad name, twice, or too many\n",
				argv[i]);
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct scenario_module_set modules = {0};
	struct scenario sc;
	struct scenario_error err;
	struct scenario_memory mem;
	size_t size, src_size;
	void *dtb;
	char *src;
	int ret;

	if (argc == 4 && strcmp(argv[1], "--query") == 0)
		return query(argv[2], argv[3]);
	if (argc < 3) {
		fprintf(stderr,
			"usage: %s SCENARIO.dtb SCENARIO.dts [NAME=MODULE.so ...]\n"
			"       %s --query smp|disks SCENARIO.dtb\n",
			argv[0], argv[0]);
		return 2;
	}
	ret = load_modules(argc - 3, argv + 3, &modules);
	if (ret != 0)
		return ret;
	dtb = read_file(argv[1], &size);
	if (!dtb) {
		fprintf(stderr, "%s: cannot read\n", argv[1]);
		return 2;
	}
	src = read_file(argv[2], &src_size);
	ret = scenario_parse(dtb, size, HOST_CPUS, &sc, &err);
	/* Without module images there is no bundle to check the names against. */
	if (ret == 0 && argc > 3)
		ret = scenario_check_modules(&sc, &modules, &err);
	if (ret == 0)
		ret = scenario_fit_memory(
		    &sc, (SCENARIO_CHECK_HOST_RAM - SCENARIO_CHECK_HYP_RESERVE) >> 12, &mem, &err);
	if (ret != 0) {
		report("error", argv[2], src, &err);
		return 1;
	}
	for (unsigned i = 0; i < sc.count; i++) {
		if (!mem.short_by[i])
			continue;
		snprintf(err.node, sizeof(err.node), "/vms/%s", sc.vms[i].name);
		snprintf(err.prop, sizeof(err.prop), "memory");
		scenario_memory_describe(&sc, &mem, i, err.msg, sizeof(err.msg));
		report("warning: memory-overcommit", argv[2], src, &err);
	}
	printf("%s: %u VM%s ok\n", argv[2], sc.count, sc.count == 1 ? "" : "s");
	return 0;
}
