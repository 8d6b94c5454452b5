/* The miss path: a file or signal operation with no module present loads it, then retries once. */
#include "guest.h"
#include "virtio_blk.h"
#include <modvisor/hypercall.h>
#include <modvisor/le.h>
#include <string.h>

/* An ext2/3/4 superblock starts at byte 1024 (sector 2); its magic is at offset 0x38. */
#define EXT_SB_SECTOR 2
#define EXT_MAGIC_OFF 0x38
#define EXT_LOG_BLOCK_OFF 0x18
#define EXT_REV_OFF 0x4c

static struct gmod fatfs = {.name = "fatfs", .kind = MV_MODULE_FS};
static struct gmod signal = {.name = "signal", .kind = MV_MODULE_SIGNAL};
static struct gmod ext4 = {.name = "ext4", .kind = MV_MODULE_FS};
static struct gmod *fsmod = &fatfs; /* the one the disk asked for */
static struct mv_fs *rootfs;
static const char *tag = "kernel";
static bool window_mapped;
static bool have_disk;

void ondemand_init(const char *kernel_tag, const struct boot_info *info)
{
	tag = kernel_tag;
	have_disk = info->has_disk;
	if (info->module_window_size && !window_mapped) {
		mmu_map_normal(info->module_window_base, info->module_window_size);
		window_mapped = true;
	}
}

/* Loads a module because `what` found it missing; logs either way. */
static int load_on_miss(struct gmod *m, const char *what)
{
	if (!window_mapped) {
		kprintf("%s: %s needs module %s, but this VM has no module window\n", tag, what,
			m->name);
		return MV_ERR_NOT_SUPPORTED;
	}
	return gmod_load_on_miss(m, tag, what);
}

bool guest_disk_is_ext(void)
{
	static uint8_t sec[512] __aligned(64);

	/* The magic, a block size of at most 64 KiB and a known revision: FAT data in that sector
	 * would have to match all three. */
	if (!guest_disk() || gvblk_read(guest_disk(), EXT_SB_SECTOR, sec, 1) != 0)
		return false;
	return sec[EXT_MAGIC_OFF] == 0x53 && sec[EXT_MAGIC_OFF + 1] == 0xEF &&
	       get32(sec + EXT_LOG_BLOCK_OFF) <= 6 && get32(sec + EXT_REV_OFF) <= 1;
}

const char *guest_disk_fs_module(void)
{
	return guest_disk_is_ext() ? "ext4" : "fatfs";
}

/* The filesystem on the disk, loading and mounting it on the first use. */
static const struct mv_fs_ops *fs(const char *what)
{
	int ret;

	if (rootfs)
		return fsmod->ops;
	/* Only a disk the device tree describes may be probed. */
	if (!have_disk || guest_disk_init() != 0) {
		kprintf("%s: %s: no disk\n", tag, what);
		return NULL;
	}
	/* What the disk holds picks the module, not a flag. */
	fsmod = guest_disk_is_ext() ? &ext4 : &fatfs;
	if (!fsmod->desc && load_on_miss(fsmod, what) != 0)
		return NULL;
	ret = ((const struct mv_fs_ops *)fsmod->ops)->mount(&rootfs);
	if (ret < 0) {
		kprintf("%s: mounting the disk failed (%d)\n", tag, ret);
		return NULL;
	}
	kprintf("%s: disk mounted through %s\n", tag, fsmod->name);
	return fsmod->ops;
}

int vfs_open(const char *path, int flags, struct mv_file **file)
{
	const struct mv_fs_ops *ops = fs("open");

	return ops ? ops->open(rootfs, path, flags, file) : -MV_ENODEV;
}

int vfs_close(struct mv_file *file)
{
	return rootfs ? ((const struct mv_fs_ops *)fsmod->ops)->close(rootfs, file) : -MV_EBADF;
}

int64_t vfs_read(struct mv_file *file, void *buf, uint64_t len)
{
	return rootfs ? ((const struct mv_fs_ops *)fsmod->ops)->read(rootfs, file, buf, len)
		      : -MV_EBADF;
}

int64_t vfs_write(struct mv_file *file, const void *buf, uint64_t len)
{
	return rootfs ? ((const struct mv_fs_ops *)fsmod->ops)->write(rootfs, file, buf, len)
		      : -MV_EBADF;
}

int vfs_readdir(struct mv_file *dir, struct mv_dirent *ent)
{
	return rootfs ? ((const struct mv_fs_ops *)fsmod->ops)->readdir(rootfs, dir, ent)
		      : -MV_EBADF;
}

int vfs_mkdir(const char *path)
{
	const struct mv_fs_ops *ops = fs("mkdir");

	return ops ? ops->mkdir(rootfs, path) : -MV_ENODEV;
}

int vfs_stat(const char *path, struct mv_stat *st)
{
	const struct mv_fs_ops *ops = fs("stat");

	return ops ? ops->stat(rootfs, path, st) : -MV_ENODEV;
}

int vfs_sync(void)
{
	return rootfs ? ((const struct mv_fs_ops *)fsmod->ops)->sync(rootfs) : 0;
}

int vfs_unmount(void)
{
	int ret;

	if (!rootfs)
		return 0;
	ret = ((const struct mv_fs_ops *)fsmod->ops)->unmount(rootfs);
	rootfs = NULL;
	return ret;
}

/* The signal core for this kernel, loaded on the first signal operation. */
static const struct mv_sig_ops *sig(const char *what)
{
	if (!signal.desc) {
		if (load_on_miss(&signal, what) != 0)
			return NULL;
		((const struct mv_sig_ops *)signal.ops)->task_create(1);
	}
	return signal.ops;
}

int sig_action(int signo, const struct mv_sigaction *act, struct mv_sigaction *old)
{
	const struct mv_sig_ops *ops = sig("sigaction");

	return ops ? ops->sigaction(1, signo, act, old) : -MV_ENOSYS;
}

int sig_procmask(int how, const mv_sigset_t *set, mv_sigset_t *old)
{
	const struct mv_sig_ops *ops = sig("sigprocmask");

	return ops ? ops->sigprocmask(1, how, set, old) : -MV_ENOSYS;
}

int sig_kill(int signo, int64_t value)
{
	const struct mv_sig_ops *ops = sig("kill");
	struct mv_siginfo info = {.signo = signo, .code = value ? -1 : 0, .pid = 1, .value = value};

	return ops ? ops->kill(1, signo, &info) : -MV_ENOSYS;
}

/* Runs the handlers of deliverable signals (kernel-mode tasks: handlers are plain functions). */
int sig_deliver(void)
{
	const struct mv_sig_ops *ops = signal.ops;
	struct mv_sigdelivery d;
	int delivered = 0;

	if (!ops)
		return 0;
	while (ops->dequeue(1, &d) == 1) {
		if (d.disposition == MV_SIG_RUN_HANDLER) {
			((void (*)(int, const struct mv_siginfo *))(uintptr_t)d.action.handler)(
			    d.signo, &d.info);
			ops->sigprocmask(1, MV_SIG_SETMASK, &d.mask_before, NULL);
		} else {
			kprintf("%s: signal %d: default action %u\n", tag, d.signo, d.disposition);
		}
		delivered++;
	}
	return delivered;
}

/* In this order: callers know signal as module 1. */
static struct gmod *const modules[] = {&fatfs, &signal, &ext4};

const struct gmod *ondemand_module(unsigned i)
{
	return i < ARRAY_SIZE(modules) ? modules[i] : NULL;
}

struct gmod *ondemand_module_mut(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(modules); i++)
		if (strcmp(name, modules[i]->name) == 0)
			return modules[i];
	return NULL;
}
