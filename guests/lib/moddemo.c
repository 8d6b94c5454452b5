/* What both minimal guests do with modules at boot: files on their disk, signals to themselves. */
#include "guest.h"
#include <modvisor/hypercall.h>
#include <string.h>

static const char *tag;
static volatile unsigned handled[MV_NSIG + 1];

static void on_signal(int signo, const struct mv_siginfo *info)
{
	handled[signo]++;
	kprintf("%s: handler ran for signal %d (value %ld)\n", tag, signo, (long)info->value);
}

static int write_file(const char *path, const char *text)
{
	struct mv_file *f;
	int ret = vfs_open(path, MV_O_CREAT | MV_O_TRUNC | MV_O_WRONLY, &f);
	int64_t n;

	if (ret < 0)
		return ret;
	n = vfs_write(f, text, strlen(text));
	vfs_close(f);
	return n == (int64_t)strlen(text) ? 0 : (n < 0 ? (int)n : -MV_EIO);
}

static int read_file(const char *path, char *buf, unsigned size)
{
	struct mv_file *f;
	int ret = vfs_open(path, MV_O_RDONLY, &f);
	int64_t n;

	if (ret < 0)
		return ret;
	n = vfs_read(f, buf, size - 1);
	vfs_close(f);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return (int)n;
}

static void list_dir(const char *path)
{
	char line[160];
	unsigned pos = 0;
	struct mv_file *dir;
	struct mv_dirent ent;

	if (vfs_open(path, MV_O_RDONLY | MV_O_DIRECTORY, &dir) < 0) {
		kprintf("%s: cannot list %s\n", tag, path);
		return;
	}
	while (vfs_readdir(dir, &ent) == 1 && pos + strlen(ent.name) + 2 < sizeof(line)) {
		memcpy(line + pos, ent.name, strlen(ent.name));
		pos += (unsigned)strlen(ent.name);
		if (ent.type == MV_S_IFDIR)
			line[pos++] = '/';
		line[pos++] = ' ';
	}
	line[pos] = '\0';
	vfs_close(dir);
	kprintf("%s: %s holds: %s\n", tag, path, line);
}

static void file_demo(void)
{
	char path[48], text[96], back[128];
	int ret;

	fmt_snprintf(path, sizeof(path), "/%s-hello.txt", tag);
	fmt_snprintf(text, sizeof(text), "hello from %s, written through the shared fatfs module\n",
		     tag);
	ret = write_file(path, text);
	if (ret < 0) {
		kprintf("%s: writing %s failed (%d)\n", tag, path, ret);
		return;
	}
	ret = read_file(path, back, sizeof(back));
	kprintf("%s: wrote and read back %s: %d bytes, %s\n", tag, path, ret,
		ret >= 0 && strcmp(back, text) == 0 ? "contents match" : "CONTENTS DIFFER");
	fmt_snprintf(path, sizeof(path), "/%s-dir", tag);
	ret = vfs_mkdir(path);
	if (ret < 0 && ret != -MV_EEXIST)
		kprintf("%s: mkdir %s failed (%d)\n", tag, path, ret);
	fmt_snprintf(path, sizeof(path), "/%s-dir/nested.txt", tag);
	write_file(path, "a file in a directory\n");
	list_dir("/");
	vfs_sync();
}

static void signal_demo(void)
{
	struct mv_sigaction act = {.handler = (uint64_t)(uintptr_t)on_signal,
				   .flags = MV_SA_SIGINFO | MV_SA_RESTART};
	mv_sigset_t usr2 = 1ULL << (MV_SIGUSR2 - 1);
	int ret;

	ret = sig_action(MV_SIGUSR1, &act, NULL);
	if (ret < 0) {
		kprintf("%s: sigaction failed (%d)\n", tag, ret);
		return;
	}
	sig_action(MV_SIGUSR2, &act, NULL);
	sig_action(MV_SIGRTMIN, &act, NULL);
	sig_kill(MV_SIGUSR1, 0);
	sig_deliver();
	sig_procmask(MV_SIG_BLOCK, &usr2, NULL);
	sig_kill(MV_SIGUSR2, 0);
	kprintf("%s: SIGUSR2 blocked: %d delivered while blocked\n", tag, sig_deliver());
	sig_procmask(MV_SIG_UNBLOCK, &usr2, NULL);
	sig_deliver();
	sig_kill(MV_SIGRTMIN, 7);
	sig_kill(MV_SIGRTMIN, 8);
	sig_deliver();
	kprintf("%s: signals handled: SIGUSR1 %u, SIGUSR2 %u, SIGRTMIN %u\n", tag,
		handled[MV_SIGUSR1], handled[MV_SIGUSR2], handled[MV_SIGRTMIN]);
}

static void print_modules(void)
{
	for (unsigned i = 0; ondemand_module(i); i++) {
		const struct gmod *m = ondemand_module(i);

		if (m->desc)
			kprintf("%s: module %s: %s, %s\n", tag, m->name,
				m->from_miss ? "loaded on a miss" : "already present", gmod_how(m));
	}
}

/* What the hypervisor counts for this VM (MV_HVC_MEM_STATS: its own figures only). */
void print_hyp_memory(const char *kernel_tag)
{
	struct mv_mem_stats s;
	struct smccc_res r =
	    smccc_hvc(MV_HVC_MEM_STATS, (uint64_t)(uintptr_t)&s, sizeof(s), 0, 0, 0, 0);

	if (r.a0 != 0) {
		kprintf("%s: memory statistics call failed (%ld)\n", kernel_tag, (long)r.a0);
		return;
	}
	kprintf("%s: hypervisor counts for me: RSS %lu KiB, PSS %lu KiB, USS %lu KiB, shared %lu "
		"KiB, module data %lu KiB, RAM %lu of %lu KiB\n",
		kernel_tag, (unsigned long)(s.rss >> 10), (unsigned long)(s.pss >> 10),
		(unsigned long)(s.uss >> 10), (unsigned long)(s.shared >> 10),
		(unsigned long)(s.module_private >> 10), (unsigned long)(s.ram >> 10),
		(unsigned long)(s.ram_size >> 10));
}

void module_demo(const char *kernel_tag, const struct boot_info *info)
{
	tag = kernel_tag;
	ondemand_init(tag, info);
	file_demo();
	signal_demo();
	print_modules();
	print_hyp_memory(tag);
	if (bootarg_has(info, "write-module-text")) {
		const struct gmod *m = ondemand_module(0);

		kprintf("%s: writing into the text of module %s\n", tag, m->name);
		*(volatile uint32_t *)(uintptr_t)(m->base + 0x100) = 0xd503201f;
		kprintf("%s: the write went through (wrong)\n", tag);
	}
	if (bootarg_has(info, "reload-fatfs")) {
		struct gmod *m = ondemand_module_mut("fatfs");

		vfs_unmount();
		kprintf("%s: unloading fatfs: %d\n", tag, gmod_unload(m));
		m->from_miss = false;
		file_demo();
	}
	vfs_unmount();
}
