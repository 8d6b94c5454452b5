/* execve: loads a static ELF executable into a new address space and starts it. */
#include <string.h>
#include "elf.h"
#include "exec.h"
#include "../sys/syscalls.h"
#include "exec_stack.h"
#include "process.h"
#include "shebang.h"
#include "signal.h"
#include "task.h"
#include "../fs/vfs.h"
#include "../mm/mm.h"
#include "../mm/pgtable.h"
#include "../mm/pmm.h"
#include "../mm/uaccess.h"

#define S_IFMT 0170000
#define S_IFREG 0100000
#define HWCAP_FP (1UL << 0)
#define HWCAP_ASIMD (1UL << 1)
#define EXEC_HEADER_BYTES 4096

static uint64_t sigreturn_page;
extern const char sigreturn_code[];
extern const uint64_t sigreturn_code_size;

void exec_init(void)
{
	sigreturn_page = pmm_alloc_page();
	BUG_ON(!sigreturn_page);
	memcpy((void *)(uintptr_t)sigreturn_page, sigreturn_code, sigreturn_code_size);
	mm_sync_icache(sigreturn_page, PAGE_SIZE);
}

void fpsimd_load(const struct fpsimd_state *st);

/* 16 bytes for AT_RANDOM: glibc seeds its stack and pointer guards from them. */
static void random_bytes(uint8_t out[16])
{
	uint64_t r[2] = {random_u64(), random_u64()};

	memcpy(out, r, sizeof(r));
}

/* Loads one PT_LOAD page by page: file bytes, then zeros (bss). A page the previous segment
 * already mapped is shared: it gets both segments' bytes and protections. */
static int load_segment(struct mm *mm, struct file *f, const struct elf_segment *s, uint64_t bias)
{
	uint64_t start = (s->vaddr + bias) & ~(PAGE_SIZE - 1);
	uint64_t end = ALIGN_UP(s->vaddr + bias + s->memsz, PAGE_SIZE);
	uint64_t file_lo = s->vaddr + bias, file_hi = s->vaddr + bias + s->filesz;
	uint64_t vma_start = start;
	int ret;

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t *ptep = pgtable_leaf(mm->pgd, va, true);
		struct pte_info old;
		uint64_t pa, lo, hi;
		uint32_t prot = s->prot;

		if (!ptep)
			return -ENOMEM;
		pte_decode(*ptep, &old);
		if (old.present) {
			pa = old.pa;
			prot |= old.prot;
			pmm_get_page(pa);
			if (va == start) {
				vma_start = start + PAGE_SIZE;
				ret = mm_protect(mm, va, PAGE_SIZE, prot);
				if (ret)
					return ret;
			}
		} else {
			pa = pmm_alloc_page();
			if (!pa)
				return -ENOMEM;
		}
		lo = va > file_lo ? va : file_lo;
		hi = va + PAGE_SIZE < file_hi ? va + PAGE_SIZE : file_hi;
		if (lo < hi) {
			int64_t n = vfs_pread_kernel(f, (void *)(uintptr_t)(pa + (lo - va)),
						     hi - lo, s->offset + (lo - file_lo));

			if (n != (int64_t)(hi - lo)) {
				pmm_put_page(pa);
				return n < 0 ? (int)n : -EIO;
			}
		}
		ret = mm_map_page(mm, va, pa, prot);
		if (ret) {
			pmm_put_page(pa);
			return ret;
		}
	}
	if (vma_start < end)
		return vma_insert(&mm->vmas, vma_start, end, s->prot, VMA_IMAGE);
	return 0;
}

/* Where the argument strings went: argv[0] is the word after argc, the rest follow it. */
static void arg_range(const uint8_t *buf, size_t len, uint64_t sp, const struct exec_request *req,
		      uint64_t *start, uint64_t *end)
{
	uint64_t last;

	*start = *end = 0;
	if (!req->argc)
		return;
	memcpy(start, buf + (sp - (USER_STACK_TOP - len)) + 8, sizeof(*start));
	memcpy(&last, buf + (sp - (USER_STACK_TOP - len)) + 8 * req->argc, sizeof(last));
	*end = last + strlen(req->argv[req->argc - 1]) + 1;
}

static int build_stack(struct mm *mm, const struct exec_request *req, const struct elf_image *img,
		       uint64_t bias, uint64_t *sp, uint64_t *arg_start, uint64_t *arg_end)
{
	uint64_t auxv[] = {
	    AT_PHDR,   img->phdr_vaddr + bias,
	    AT_PHENT,  img->phentsize,
	    AT_PHNUM,  img->phnum,
	    AT_PAGESZ, PAGE_SIZE,
	    AT_BASE,   0,
	    AT_FLAGS,  0,
	    AT_ENTRY,  img->entry + bias,
	    AT_UID,    0,
	    AT_EUID,   0,
	    AT_GID,    0,
	    AT_EGID,   0,
	    AT_HWCAP,  HWCAP_FP | HWCAP_ASIMD,
	    AT_HWCAP2, 0,
	    AT_CLKTCK, 100,
	    AT_SECURE, 0,
	};
	uint8_t random[16];
	struct exec_stack_args args = {
	    .argv = (const char *const *)req->argv,
	    .argc = req->argc,
	    .envp = (const char *const *)req->envp,
	    .envc = req->envc,
	    .auxv = auxv,
	    .nauxv = ARRAY_SIZE(auxv) / 2,
	    .random16 = random,
	    .execfn = req->path,
	    .platform = "aarch64",
	};
	size_t len = ALIGN_UP(req->strings_len + (req->argc + req->envc) * 8 + sizeof(auxv) +
				  strlen(req->path) + 512,
			      PAGE_SIZE);
	void *buf;
	int ret;

	ret = mm_map_anon(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
			  PROT_READ | PROT_WRITE, VMA_STACK | VMA_ANON);
	if (ret)
		return ret;
	if (len > USER_STACK_SIZE / 4)
		return -E2BIG;
	buf = kmalloc_aligned(len, 16);
	if (!buf)
		return -ENOMEM;
	memset(buf, 0, len); /* all of it goes to the user stack: no stale kernel heap */
	random_bytes(random);
	ret = exec_build_stack(buf, len, USER_STACK_TOP, &args, sp);
	if (ret == 0) {
		arg_range(buf, len, *sp, req, arg_start, arg_end);
		ret = mm_copy_out(mm, USER_STACK_TOP - len, buf, len) ? -ENOMEM : 0;
	}
	kfree(buf);
	return ret;
}

static int load_image(struct mm *mm, struct file *f, const struct elf_image *img, uint64_t bias)
{
	int ret;

	if (!mm_user_range_ok(img->lo + bias, img->hi + bias))
		return -ENOEXEC;
	for (unsigned i = 0; i < img->nseg; i++) {
		ret = load_segment(mm, f, &img->seg[i], bias);
		if (ret)
			return ret;
	}
	mm->brk_start = mm->brk = ALIGN_UP(img->hi + bias, PAGE_SIZE);
	ret = vma_insert(&mm->vmas, USER_SIGTRAMP, USER_SIGTRAMP + PAGE_SIZE, PROT_READ | PROT_EXEC,
			 VMA_IMAGE);
	if (ret)
		return ret;
	pmm_get_page(sigreturn_page);
	return mm_map_page(mm, USER_SIGTRAMP, sigreturn_page, PROT_READ | PROT_EXEC);
}

static void set_identity(struct task *t, const char *path)
{
	const char *base = strrchr(path, '/');

	strlcpy(t->comm, base ? base + 1 : path, sizeof(t->comm));
	if (path[0] == '/') {
		strlcpy(t->exe, path, sizeof(t->exe));
	} else {
		strlcpy(t->exe, t->cwd, sizeof(t->exe));
		if (strcmp(t->cwd, "/") != 0)
			strlcpy(t->exe + strlen(t->exe), "/", sizeof(t->exe) - strlen(t->exe));
		strlcpy(t->exe + strlen(t->exe), path, sizeof(t->exe) - strlen(t->exe));
	}
}

static int exec_depth(const struct exec_request *req, int depth);

/* Linux's limit of interpreters running scripts (BINPRM_MAX_RECURSION). */
#define SCRIPT_DEPTH_MAX 4

/* A "#!" script runs as its interpreter with [interp, arg, the script's path, argv[1]...]. */
static int exec_script(const struct exec_request *req, const char *path, const char *interp,
		       const char *arg, int depth)
{
	struct exec_request r = *req;
	char **argv;
	unsigned n = 0;
	int ret;

	if (depth >= SCRIPT_DEPTH_MAX)
		return -ELOOP;
	argv = kmalloc((req->argc + 4) * sizeof(char *));
	if (!argv)
		return -ENOMEM;
	argv[n++] = (char *)interp;
	if (arg[0])
		argv[n++] = (char *)arg;
	argv[n++] = (char *)path;
	for (unsigned i = 1; i < req->argc; i++)
		argv[n++] = req->argv[i];
	argv[n] = NULL;
	r.path = interp;
	r.argv = argv;
	r.argc = n;
	r.strings_len = req->strings_len - (req->argc ? strlen(req->argv[0]) + 1 : 0) +
			strlen(interp) + 1 + (arg[0] ? strlen(arg) + 1 : 0) + strlen(path) + 1;
	ret = exec_depth(&r, depth + 1);
	kfree(argv);
	return ret;
}

int do_execve(const struct exec_request *req)
{
	return exec_depth(req, 0);
}

static int exec_depth(const struct exec_request *req, int depth)
{
	struct task *t = current;
	const char *path = req->path;
	struct elf_image img;
	struct kstat st;
	struct file *f;
	struct mm *mm, *old;
	const char *why = NULL;
	uint8_t *hdr;
	uint64_t bias, sp = 0, arg_start = 0, arg_end = 0;
	int64_t n;
	int ret;

	/* Busybox re-runs itself through /proc/self/exe; there are no symlinks to follow. */
	if (strcmp(path, "/proc/self/exe") == 0 && t->exe[0])
		path = t->exe;
	ret = vfs_open_kernel(t->cwd, path, &f);
	if (ret)
		return ret;
	ret = vfs_fstat_kernel(f, &st);
	if (ret == 0 && (st.mode & S_IFMT) != S_IFREG)
		ret = -EACCES;
	hdr = ret ? NULL : kmalloc(EXEC_HEADER_BYTES);
	if (!ret && !hdr)
		ret = -ENOMEM;
	if (ret)
		goto out_file;
	n = vfs_pread_kernel(f, hdr, st.size < EXEC_HEADER_BYTES ? st.size : EXEC_HEADER_BYTES, 0);
	if (n < 0) {
		ret = (int)n;
		goto out_hdr;
	}
	if (n >= 2 && hdr[0] == '#' && hdr[1] == '!') {
		char *line = kmalloc(2 * SHEBANG_MAX);

		ret = !line ? -ENOMEM
		      : shebang_parse(hdr, (size_t)n, line, SHEBANG_MAX, line + SHEBANG_MAX,
				      SHEBANG_MAX) < 0
			  ? -ENOEXEC
			  : exec_script(req, path, line, line + SHEBANG_MAX, depth);
		kfree(line);
		goto out_hdr;
	}
	ret = elf_check(hdr, (size_t)n, st.size, USER_TOP, &img, &why);
	if (ret) {
		kprintf(KTAG ": exec %s: %s\n", path, why ? why : "not an executable");
		goto out_hdr;
	}
	bias = img.pie ? USER_PIE_BASE : 0;
	mm = mm_create();
	if (!mm) {
		ret = -ENOMEM;
		goto out_hdr;
	}
	ret = load_image(mm, f, &img, bias);
	if (!ret)
		ret = build_stack(mm, req, &img, bias, &sp, &arg_start, &arg_end);
	if (ret) {
		mm_destroy(mm);
		goto out_hdr;
	}

	/* The point of no return: the other threads and the old image go. */
	process_exec_single();
	old = t->mm;
	t->mm = mm;
	mm_activate(mm);
	if (old && old->peak_rss_pages > t->leader->maxrss_pages)
		t->leader->maxrss_pages = old->peak_rss_pages; /* maxrss outlives the image */
	mm_put(old);
	memset(t->tf, 0, sizeof(*t->tf));
	t->tf->pc = img.entry + bias;
	t->tf->sp = sp;
	t->tf->pstate = 0; /* EL0t, interrupts unmasked */
	t->tf->syscallno = (uint64_t)-1;
	/* Nothing of the old program's vector registers or FP modes reaches the new one. */
	memset(&t->fp, 0, sizeof(t->fp));
	fpsimd_load(&t->fp);
	t->tpidr_el0 = 0;
	t->clear_child_tid = 0;
	t->robust_list = 0;
	__asm__ volatile("msr tpidr_el0, xzr");
	t->altstack_sp = t->altstack_size = 0;
	t->altstack_flags = 0;
	set_identity(t, path);
	t->arg_start = arg_start;
	t->arg_end = arg_end;
	fdtable_close_on_exec(t->files);
	posix_timers_exit(t->tgid); /* exec deletes timer_create's timers, as on Linux */
	signal_task_exec(t);
	if (t->vfork_parent) {
		t->vfork_done = true;
		task_wake(t->vfork_parent);
		t->vfork_parent = NULL;
	}
out_hdr:
	kfree(hdr);
out_file:
	file_put(f);
	return ret;
}
