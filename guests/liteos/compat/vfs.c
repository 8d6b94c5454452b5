/* LiteOS-A-style file calls on the disk's filesystem, served by the fatfs or ext4 module. */
#include "guest.h"
#include "los_compat_pri.h"
#include "los_memory.h"
#include "los_module.h"
#include "los_mux.h"
#include "los_printf.h"
#include "los_sys.h"
#include "los_task.h"
#include "los_vfs.h"
#include <stdarg.h>
#include <string.h>

#define OS_FD_BASE 3

typedef struct {
	struct mv_file *file;
	BOOL used;
} LosFile;

struct __dirstream {
	struct mv_file *file;
	struct dirent entry;
};

/* One filesystem and one descriptor table for the whole kernel, as in LiteOS. */
static struct mv_fs *g_rootfs;
static const struct mv_fs_ops *g_fsOps;
static LosFile g_files[CONFIG_NFILE_DESCRIPTORS];

static UINT32 g_vfsMux = OS_INVALID;
/* The module serving the mount; its idle record counts open files and calls running (users). */
static struct gmod *g_fsMod;
static UINT16 g_idleTimer;
static BOOL g_idleTimerOn;

int los_vfs_init(void)
{
	return LOS_MuxCreate(&g_vfsMux) == LOS_OK ? 0 : -1;
}

/* Called with g_vfsMux held. */
static VOID OsVfsIdleTimer(UINTPTR arg);

static VOID OsVfsMount(struct gmod *mod)
{
	const struct mv_fs_ops *ops = mod->ops;
	struct mv_fs *fs = NULL;
	INT32 ret;

	if (g_rootfs != NULL)
		return;
	ret = ops->mount(&fs);
	if (ret < 0) {
		dprintf("liteos: mounting the disk failed (%d)\n", (int)ret);
		return;
	}
	g_fsOps = ops;
	g_fsMod = mod;
	g_rootfs = fs;
	if (mod->idle.reloads)
		dprintf("liteos: disk mounted again through %s\n", mod->name);
	else
		dprintf("liteos: disk mounted through %s\n", mod->name);
	LOS_ModuleIdleCheckStart(OsVfsIdleTimer, &g_idleTimer, &g_idleTimerOn);
}

/* The mounted filesystem, loading the module and mounting on the first use. */
static const struct mv_fs_ops *OsVfsGet(const CHAR *what)
{
	const struct boot_info *info = LOS_BootInfo();
	const VOID *ops = NULL;

	if (g_rootfs)
		return g_fsOps;
	/* Only a disk the device tree describes may be probed. */
	if (info == NULL || !info->has_disk || guest_disk_init() != 0) {
		dprintf("liteos: %s: no disk\n", what);
		return NULL;
	}
	/* One mount for everyone: a task that comes second waits and uses the first's; an idle
	 * unmount in progress holds the lock too, and is over when this task gets it. */
	(void)LOS_MuxPend(g_vfsMux, LOS_WAIT_FOREVER);
	if (g_rootfs == NULL) {
		/* What the disk holds picks the module (ext4 or fatfs), not a flag. */
		const CHAR *name = guest_disk_fs_module();

		if (LOS_ModuleOps(name, what, &ops) == 0)
			OsVfsMount(ondemand_module_mut(name));
	}
	(void)LOS_MuxPost(g_vfsMux);
	return g_rootfs ? g_fsOps : NULL;
}

/*
 * Every call into the module is bracketed: OsFsEnter counts it as a user of the module (so the
 * idle check leaves it alone) once the disk is mounted, mounting it first when needed;
 * OsFsHold does the same for a call on an open file, which pins the mount already.
 */
static const struct mv_fs_ops *OsFsEnter(const CHAR *what)
{
	for (;;) {
		UINT32 intSave = LOS_IntLock();

		if (g_rootfs != NULL) {
			modidle_get(&g_fsMod->idle, guest_time_ns());
			LOS_IntRestore(intSave);
			return g_fsOps;
		}
		LOS_IntRestore(intSave);
		if (OsVfsGet(what) == NULL)
			return NULL;
	}
}

static VOID OsFsHold(VOID)
{
	UINT32 intSave = LOS_IntLock();

	modidle_get(&g_fsMod->idle, guest_time_ns());
	LOS_IntRestore(intSave);
}

static VOID OsFsLeave(VOID)
{
	UINT32 intSave = LOS_IntLock();

	(void)modidle_put(&g_fsMod->idle, guest_time_ns());
	LOS_IntRestore(intSave);
}

/*
 * The idle check (a software timer): unmounts the disk and unloads its module once nothing is
 * open and nothing has called it for the modidle= time. It never waits: a busy lock means the
 * disk is in use, and the next round looks again.
 */
static VOID OsVfsIdleTimer(UINTPTR arg)
{
	struct mv_fs *fs;
	struct gmod *mod = g_fsMod;
	UINT32 intSave;
	INT32 ret;

	(void)arg;
	/* The timer task is a system task: it may take a free mutex, never wait for one. */
	if (g_rootfs == NULL || LOS_MuxPend(g_vfsMux, LOS_NO_WAIT) != LOS_OK)
		return;
	intSave = LOS_IntLock();
	fs = g_rootfs;
	if (fs == NULL || !modidle_due(&mod->idle, TRUE, guest_time_ns(), gmod_idle_ns)) {
		LOS_IntRestore(intSave);
		(void)LOS_MuxPost(g_vfsMux);
		return;
	}
	/* From here every new call waits in OsVfsGet for the lock, then mounts again. */
	g_rootfs = NULL;
	LOS_IntRestore(intSave);
	ret = g_fsOps->sync(fs);
	if (ret == 0)
		ret = g_fsOps->unmount(fs);
	if (ret < 0) {
		dprintf("liteos: unmounting the idle disk failed (%d): %s stays loaded\n", (int)ret,
			mod->name);
		modidle_touch(&mod->idle, guest_time_ns());
		g_rootfs = fs;
	} else {
		dprintf("liteos: disk unmounted (%s idle)\n", mod->name);
		(void)LOS_ModuleUnloadIdle(mod->name);
	}
	(void)LOS_MuxPost(g_vfsMux);
}

/* fatfs wants "/dir/file": relative names are taken from the root. */
static const char *OsVfsPath(const char *path, char *buf, size_t size)
{
	if (path[0] == '/')
		return path;
	buf[0] = '/';
	strlcpy(buf + 1, path, size - 1);
	return buf;
}

static int OsFdAlloc(struct mv_file *file)
{
	UINT32 intSave = LOS_IntLock();

	for (int i = 0; i < CONFIG_NFILE_DESCRIPTORS; i++) {
		if (!g_files[i].used) {
			g_files[i].used = TRUE;
			g_files[i].file = file;
			LOS_IntRestore(intSave);
			return i + OS_FD_BASE;
		}
	}
	LOS_IntRestore(intSave);
	return -1;
}

static struct mv_file *OsFdGet(int fd)
{
	if (fd < OS_FD_BASE || fd >= OS_FD_BASE + CONFIG_NFILE_DESCRIPTORS ||
	    !g_files[fd - OS_FD_BASE].used)
		return NULL;
	return g_files[fd - OS_FD_BASE].file;
}

/* Frees a descriptor, handing back the module's file it stood for. */
static struct mv_file *OsFdRelease(int fd)
{
	struct mv_file *file = OsFdGet(fd);

	if (file != NULL)
		g_files[fd - OS_FD_BASE].used = FALSE;
	return file;
}

int open(const char *path, int oflags, ...)
{
	char buf[NAME_MAX + 2];
	const struct mv_fs_ops *ops;
	struct mv_file *file = NULL;
	int ret;
	int fd = -1;

	if (path == NULL)
		return OsSetErrno(EFAULT);
	if (strlen(path) > NAME_MAX)
		return OsSetErrno(ENAMETOOLONG);
	OsModuleEnter();
	ops = OsFsEnter("open");
	ret = ops ? ops->open(g_rootfs, OsVfsPath(path, buf, sizeof(buf)), oflags, &file) : -ENODEV;
	if (ret >= 0) {
		fd = OsFdAlloc(file);
		if (fd < 0) {
			(void)ops->close(g_rootfs, file);
			ret = -EMFILE;
		} else {
			OsFsHold(); /* the open file pins the module until its close */
		}
	}
	if (ops)
		OsFsLeave();
	OsModuleLeave();
	return ret < 0 ? OsSetErrno(ret) : fd;
}

int close(int fd)
{
	struct mv_file *file = OsFdRelease(fd);
	int ret;

	if (file == NULL)
		return OsSetErrno(EBADF);
	OsModuleEnter();
	ret = g_fsOps->close(g_rootfs, file);
	OsFsLeave(); /* the file's pin */
	OsModuleLeave();
	return ret < 0 ? OsSetErrno(ret) : 0;
}

ssize_t read(int fd, void *buf, size_t nbyte)
{
	struct mv_file *file = OsFdGet(fd);
	int64_t ret;

	if (file == NULL)
		return OsSetErrno(EBADF);
	OsModuleEnter();
	OsFsHold();
	ret = g_fsOps->read(g_rootfs, file, buf, nbyte);
	OsFsLeave();
	OsModuleLeave();
	return ret < 0 ? OsSetErrno((int)ret) : (ssize_t)ret;
}

ssize_t write(int fd, const void *buf, size_t nbyte)
{
	struct mv_file *file = OsFdGet(fd);
	int64_t ret;

	if (fd == 1 || fd == 2) {
		LOS_ConsoleWrite(buf, (UINT32)nbyte);
		return (ssize_t)nbyte;
	}
	if (file == NULL)
		return OsSetErrno(EBADF);
	OsModuleEnter();
	OsFsHold();
	ret = g_fsOps->write(g_rootfs, file, buf, nbyte);
	OsFsLeave();
	OsModuleLeave();
	return ret < 0 ? OsSetErrno((int)ret) : (ssize_t)ret;
}

off_t lseek(int fd, off_t offset, int whence)
{
	struct mv_file *file = OsFdGet(fd);
	int64_t ret;

	if (file == NULL)
		return OsSetErrno(EBADF);
	OsModuleEnter();
	OsFsHold();
	ret = g_fsOps->seek(g_rootfs, file, offset, whence);
	OsFsLeave();
	OsModuleLeave();
	return ret < 0 ? OsSetErrno((int)ret) : (off_t)ret;
}

static VOID OsStatFill(struct stat *buf, const struct mv_stat *st)
{
	memset(buf, 0, sizeof(*buf));
	buf->st_ino = st->ino;
	buf->st_mode = st->mode;
	buf->st_nlink = st->nlink;
	buf->st_size = (off_t)st->size;
	buf->st_blksize = st->blksize;
	buf->st_blocks = (long)st->blocks;
	buf->st_mtime = (time_t)st->mtime;
}

int stat(const char *path, struct stat *buf)
{
	char name[NAME_MAX + 2];
	const struct mv_fs_ops *ops;
	struct mv_stat st;
	int ret;

	if (path == NULL || buf == NULL)
		return OsSetErrno(EFAULT);
	if (strlen(path) > NAME_MAX)
		return OsSetErrno(ENAMETOOLONG);
	OsModuleEnter();
	ops = OsFsEnter("stat");
	ret = ops ? ops->stat(g_rootfs, OsVfsPath(path, name, sizeof(name)), &st) : -ENODEV;
	if (ops)
		OsFsLeave();
	OsModuleLeave();
	if (ret < 0)
		return OsSetErrno(ret);
	OsStatFill(buf, &st);
	return 0;
}

int fstat(int fd, struct stat *buf)
{
	struct mv_file *file = OsFdGet(fd);
	struct mv_stat st;
	int ret;

	if (file == NULL)
		return OsSetErrno(EBADF);
	if (buf == NULL)
		return OsSetErrno(EFAULT);
	OsModuleEnter();
	OsFsHold();
	ret = g_fsOps->fstat(g_rootfs, file, &st);
	OsFsLeave();
	OsModuleLeave();
	if (ret < 0)
		return OsSetErrno(ret);
	OsStatFill(buf, &st);
	return 0;
}

int fsync(int fd)
{
	int ret;

	if (OsFdGet(fd) == NULL)
		return OsSetErrno(EBADF);
	OsModuleEnter();
	OsFsHold();
	ret = g_fsOps->sync(g_rootfs);
	OsFsLeave();
	OsModuleLeave();
	return ret < 0 ? OsSetErrno(ret) : 0;
}

void sync(void)
{
	UINT32 intSave = LOS_IntLock();

	/* Nothing to write back when unmounted (an idle unmount wrote everything). */
	if (g_rootfs == NULL) {
		LOS_IntRestore(intSave);
		return;
	}
	modidle_get(&g_fsMod->idle, guest_time_ns());
	LOS_IntRestore(intSave);
	OsModuleEnter();
	(void)g_fsOps->sync(g_rootfs);
	OsFsLeave();
	OsModuleLeave();
}

/* The calls that take one path and nothing else. */
enum OsVfsPathCall { OS_VFS_MKDIR, OS_VFS_RMDIR, OS_VFS_UNLINK };

static int OsVfsPathOp(enum OsVfsPathCall call, const char *path)
{
	static const char *const names[] = {"mkdir", "rmdir", "unlink"};
	const struct mv_fs_ops *ops;
	int ret = -ENODEV;

	if (path == NULL)
		return OsSetErrno(EFAULT);
	if (strlen(path) > NAME_MAX)
		return OsSetErrno(ENAMETOOLONG);
	OsModuleEnter();
	ops = OsFsEnter(names[call]);
	if (ops) {
		char name[NAME_MAX + 2];
		const char *fsPath = OsVfsPath(path, name, sizeof(name));

		if (call == OS_VFS_MKDIR)
			ret = ops->mkdir(g_rootfs, fsPath);
		else if (call == OS_VFS_RMDIR)
			ret = ops->rmdir(g_rootfs, fsPath);
		else
			ret = ops->unlink(g_rootfs, fsPath);
		OsFsLeave();
	}
	OsModuleLeave();
	return ret < 0 ? OsSetErrno(ret) : 0;
}

int mkdir(const char *path, mode_t mode)
{
	(void)mode;
	return OsVfsPathOp(OS_VFS_MKDIR, path);
}

int rmdir(const char *path)
{
	return OsVfsPathOp(OS_VFS_RMDIR, path);
}

int unlink(const char *path)
{
	return OsVfsPathOp(OS_VFS_UNLINK, path);
}

int rename(const char *oldpath, const char *newpath)
{
	char from[NAME_MAX + 2];
	char to[NAME_MAX + 2];
	const struct mv_fs_ops *ops;
	int ret;

	if (oldpath == NULL || newpath == NULL)
		return OsSetErrno(EFAULT);
	if (strlen(oldpath) > NAME_MAX || strlen(newpath) > NAME_MAX)
		return OsSetErrno(ENAMETOOLONG);
	OsModuleEnter();
	ops = OsFsEnter("rename");
	ret = ops ? ops->rename(g_rootfs, OsVfsPath(oldpath, from, sizeof(from)),
				OsVfsPath(newpath, to, sizeof(to)))
		  : -ENODEV;
	if (ops)
		OsFsLeave();
	OsModuleLeave();
	return ret < 0 ? OsSetErrno(ret) : 0;
}

DIR *opendir(const char *path)
{
	DIR *dir = LOS_MemAlloc(m_aucSysMem0, sizeof(DIR));
	int fd;

	if (dir == NULL) {
		(void)OsSetErrno(ENOMEM);
		return NULL;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		(void)LOS_MemFree(m_aucSysMem0, dir);
		return NULL;
	}
	/* The directory keeps the module's handle, not the descriptor. */
	dir->file = OsFdRelease(fd);
	return dir;
}

struct dirent *readdir(DIR *dir)
{
	struct mv_dirent ent;
	int ret;

	if (dir == NULL) {
		(void)OsSetErrno(EBADF);
		return NULL;
	}
	OsModuleEnter();
	OsFsHold();
	ret = g_fsOps->readdir(g_rootfs, dir->file, &ent);
	OsFsLeave();
	OsModuleLeave();
	if (ret <= 0) {
		if (ret < 0)
			(void)OsSetErrno(ret);
		return NULL;
	}
	dir->entry.d_ino = ent.ino;
	dir->entry.d_type = ent.type == MV_S_IFDIR ? DT_DIR : DT_REG;
	strlcpy(dir->entry.d_name, ent.name, sizeof(dir->entry.d_name));
	return &dir->entry;
}

int closedir(DIR *dir)
{
	int ret;

	if (dir == NULL)
		return OsSetErrno(EBADF);
	OsModuleEnter();
	ret = g_fsOps->close(g_rootfs, dir->file);
	OsFsLeave(); /* the directory's pin, taken by its open */
	OsModuleLeave();
	(void)LOS_MemFree(m_aucSysMem0, dir);
	return ret < 0 ? OsSetErrno(ret) : 0;
}
