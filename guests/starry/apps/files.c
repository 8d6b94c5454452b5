/* Starry test: what a small Linux system offers programs around files: "#!" scripts, system()
 * and popen() through /bin/sh, /etc/passwd, /etc/group and /etc/hosts lookups, chmod, chown,
 * utimensat, statfs, fdatasync, FIONREAD on pipes, madvise(MADV_DONTNEED), prctl's names and
 * /proc/self's comm, exe and cwd. Argument: a writable directory on the root disk. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

static const char *dir;

static void scripts_and_shell(void)
{
	char path[512], line[128];
	FILE *f, *p;
	int fd, status;
	pid_t child;

	snprintf(path, sizeof(path), "%s/script.sh", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dprintf(fd, "#!/bin/sh -e\necho \"script got $1 and $2\"\nexit 3\n");
	close(fd);
	check(chmod(path, 0755) == 0, "chmod 0755 on the root disk");
	fflush(stdout);
	child = fork();
	if (child == 0) {
		execl(path, "script.sh", "one", "two", (char *)NULL);
		_exit(127);
	}
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 3, "a #! script ran, exit %d",
	      WEXITSTATUS(status));
	unlink(path);

	fflush(stdout);
	status = system("echo system says hi; exit 4");
	check(WIFEXITED(status) && WEXITSTATUS(status) == 4, "system() through /bin/sh");
	p = popen("echo popen line", "r");
	check(p && fgets(line, sizeof(line), p) && strcmp(line, "popen line\n") == 0,
	      "popen() reads the command's output");
	check(p && pclose(p) == 0, "pclose");
	f = popen("cat > /dev/null", "w");
	check(f && fputs("to cat\n", f) >= 0 && pclose(f) == 0, "popen() for writing");
}

static void name_lookups(void)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res = NULL;
	struct passwd *pw = getpwnam("root");
	struct group *gr = getgrgid(0);
	int r;

	check(pw && pw->pw_uid == 0 && strcmp(pw->pw_name, "root") == 0, "getpwnam(root)");
	check(getpwuid(0) != NULL, "getpwuid(0)");
	check(gr && gr->gr_gid == 0, "getgrgid(0)");
	r = getaddrinfo("localhost", "80", &hints, &res);
	check(r == 0 && res &&
		  ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == htonl(0x7f000001),
	      "getaddrinfo(localhost) is 127.0.0.1");
	if (res)
		freeaddrinfo(res);
}

static void attributes(void)
{
	struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
	char path[512];
	struct statfs sf;
	struct stat st;
	int fd;

	/* tmpfs keeps what it is given. */
	snprintf(path, sizeof(path), "/tmp/starry-files-%d", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && fchmod(fd, 0600) == 0 && stat(path, &st) == 0 &&
		  (st.st_mode & 07777) == 0600,
	      "fchmod on /tmp: mode 0600");
	check(chmod(path, 0640) == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0640,
	      "chmod: mode 0640");
	check(utimensat(AT_FDCWD, path, times, 0) == 0 && stat(path, &st) == 0 &&
		  st.st_mtime == 1234567890 && st.st_atime == 1000000000,
	      "utimensat sets the times");
	times[0].tv_nsec = UTIME_OMIT;
	times[1].tv_nsec = UTIME_NOW;
	/* "Now" is whatever the clock says (Starry has no wall clock yet): just not the old. */
	check(futimens(fd, times) == 0 && fstat(fd, &st) == 0 && st.st_mtime != 1234567890 &&
		  st.st_atime == 1000000000,
	      "futimens: UTIME_NOW and UTIME_OMIT");
	check(fchown(fd, 0, 0) == 0 || errno == EPERM, "fchown");
	check(fdatasync(fd) == 0, "fdatasync");
	check(fstatfs(fd, &sf) == 0 && sf.f_bsize > 0, "fstatfs");
	close(fd);
	unlink(path);
	errno = 0;
	check(chmod(path, 0600) == -1 && errno == ENOENT, "chmod of nothing: %s", ename(errno));

	/* The root disk (FAT in the guest) accepts what it cannot keep. */
	snprintf(path, sizeof(path), "%s/attr.txt", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && utimensat(AT_FDCWD, path, NULL, 0) == 0, "utimensat(NULL) on the disk");
	check(statfs(dir, &sf) == 0 && sf.f_namelen > 0, "statfs of the disk");
	close(fd);
	unlink(path);
}

static void pipes_and_memory(void)
{
	int fds[2], n = -1;
	size_t len = 4 * 4096;
	char *m;

	pipe(fds);
	write(fds[1], "hello", 5);
	check(ioctl(fds[0], FIONREAD, &n) == 0 && n == 5, "FIONREAD on a pipe: %d bytes", n);
	close(fds[0]);
	close(fds[1]);

	/* Linux fills reads of the random devices and getrandom up to 32 MiB at once. */
	{
		static char rnd[65536];
		const char *devs[] = {"/dev/urandom", "/dev/random", "/dev/zero"};

		for (size_t i = 0; i < 3; i++) {
			int fd = open(devs[i], O_RDONLY);
			ssize_t got = read(fd, rnd, sizeof(rnd));

			check(got == (ssize_t)sizeof(rnd), "a 64 KiB read of %s: %zd", devs[i],
			      got);
			close(fd);
		}
		check(getrandom(rnd, sizeof(rnd), 0) == (ssize_t)sizeof(rnd), "getrandom 64 KiB");
	}

	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 0x5a, len);
	check(madvise(m + 4096, 2 * 4096, MADV_DONTNEED) == 0, "madvise(MADV_DONTNEED)");
	check(m[0] == 0x5a && m[4096] == 0 && m[3 * 4096 - 1] == 0 && m[3 * 4096] == 0x5a,
	      "the advised pages read zeros, the others kept their data");
	munmap(m, len);

	/* mremap: grown (moved if it must be) with its data, then shrunk in place. */
	m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 0x33, 2 * 4096);
	/* Its last page made a neighbour of its own, so that growing in place is impossible. */
	mprotect(m + 2 * 4096, 4096, PROT_READ);
	errno = 0;
	check(mremap(m, 2 * 4096, 8 * 4096, 0) == MAP_FAILED && errno == ENOMEM,
	      "mremap cannot grow in place past a neighbour: %s", ename(errno));
	{
		char *g = mremap(m, 2 * 4096, 8 * 4096, MREMAP_MAYMOVE);

		check(g != MAP_FAILED && g[0] == 0x33 && g[2 * 4096 - 1] == 0x33 &&
			  g[2 * 4096] == 0 && g[8 * 4096 - 1] == 0,
		      "MREMAP_MAYMOVE moves it with its data; the new part is zeros");
		check(mremap(g, 8 * 4096, 4096, 0) == g && g[0] == 0x33, "and shrinks in place");
		munmap(g, 4096);
	}
	munmap(m + 2 * 4096, 4096);
	errno = 0;
	check(mremap((void *)0x1000, 4096, 8192, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT,
	      "mremap of nothing: %s", ename(errno));
}

static void eventfds(void)
{
	struct pollfd p = {.events = POLLIN | POLLOUT};
	uint64_t v = 0;
	int fd = eventfd(3, EFD_NONBLOCK), sem;
	pid_t child;

	check(fd >= 0 && read(fd, &v, 8) == 8 && v == 3, "eventfd: read takes the count, 3");
	errno = 0;
	check(read(fd, &v, 8) == -1 && errno == EAGAIN, "then EAGAIN: %s", ename(errno));
	p.fd = fd;
	check(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "poll: writable only");
	v = 5;
	check(write(fd, &v, 8) == 8 && poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT),
	      "after a write, readable too");
	errno = 0;
	check(read(fd, &v, 4) == -1 && errno == EINVAL, "a short read: %s", ename(errno));
	close(fd);

	sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	check(read(sem, &v, 8) == 8 && v == 1 && read(sem, &v, 8) == 8 && v == 1 &&
		  read(sem, &v, 8) == -1 && errno == EAGAIN,
	      "EFD_SEMAPHORE: one at a time");
	close(sem);

	/* A blocking read that a child's write ends: the counter is shared across fork. */
	fd = eventfd(0, 0);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		uint64_t one = 7;

		usleep(30000);
		write(fd, &one, 8);
		_exit(0);
	}
	check(read(fd, &v, 8) == 8 && v == 7, "a blocking read waits for the child's write");
	waitpid(child, NULL, 0);
	close(fd);
}

/* No filesystem here keeps links: as on vfat, making one gives EPERM (natively it may work). */
static void links(void)
{
	char from[512], to[512];
	int fd, r;

	snprintf(from, sizeof(from), "%s/link-src", dir);
	snprintf(to, sizeof(to), "%s/link-dst", dir);
	fd = open(from, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	close(fd);
	r = link(from, to);
	check(r == 0 || errno == EPERM, "link: made or EPERM");
	if (r == 0)
		unlink(to);
	r = symlink("link-src", to);
	check(r == 0 || errno == EPERM, "symlink: made or EPERM");
	if (r == 0)
		unlink(to);
	errno = 0;
	check(link(from, from) == -1 && errno == EEXIST, "link onto an existing name: %s",
	      ename(errno));
	unlink(from);
	errno = 0;
	check(link(from, to) == -1 && errno == ENOENT, "link of nothing: %s", ename(errno));
}

/* A regular file is always ready, and says so in both spellings of each event. */
static void poll_regular(void)
{
	struct pollfd p = {.events = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM};
	char path[512];

	snprintf(path, sizeof(path), "%s/poll.txt", dir);
	p.fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(poll(&p, 1, 1000) == 1 && p.revents == (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM),
	      "poll on a regular file: readable and writable");
	close(p.fd);
	unlink(path);
}

/* mmap takes a free hint as Linux does; an occupied one only moves the mapping. */
static void mmap_hints(void)
{
	size_t len = 4 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q, *r;

	/* 128 GiB: free in a small program, and not where mmap would put it unasked. */
	char *hint = (char *)0x2000000000UL;

	munmap(p, len);
	q = mmap(hint, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(q == hint && p != hint, "mmap uses a free hint");
	q[0] = 7;
	r = mmap(q + 4096, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(r != MAP_FAILED && (r + len <= q || r >= q + len) && q[0] == 7,
	      "an occupied hint goes elsewhere and leaves the mapping there");
	munmap(r, len);
	errno = 0;
	check(mmap(q + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		   0) == MAP_FAILED &&
		  errno == EEXIST,
	      "MAP_FIXED_NOREPLACE over a mapping: %s", ename(errno));
	munmap(q, len);
	r = mmap(q + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0);
	check(r == q + 4096, "MAP_FIXED_NOREPLACE on free memory");
	munmap(r, 4096);
}

/* /proc/cpuinfo has a block per CPU that glibc counts; /proc/version names the kernel. */
static void cpus(void)
{
	char line[256];
	long processors = 0, conf = sysconf(_SC_NPROCESSORS_CONF),
	     onln = sysconf(_SC_NPROCESSORS_ONLN);
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		processors += strncmp(line, "processor", 9) == 0;
	if (f)
		fclose(f);
	check(processors >= 1 && processors == conf, "/proc/cpuinfo: a processor block per CPU");
	check(onln >= 1 && onln <= conf, "sysconf: CPUs online, at most those configured");
	/* The lists glibc reads: "0" or "0-N", as many as sysconf counts. */
	for (int i = 0; i < 2; i++) {
		const char *name =
		    i ? "/sys/devices/system/cpu/possible" : "/sys/devices/system/cpu/online";
		int first = -1, last = -1, got = 0;

		f = fopen(name, "r");
		if (f) {
			got = fscanf(f, "%d-%d", &first, &last);
			fclose(f);
		}
		if (got == 1)
			last = first;
		check(got >= 1 && first == 0 && (i || last + 1 == onln), "%s", name);
	}
	f = fopen("/proc/version", "r");
	check(f && fgets(line, sizeof(line), f) && strncmp(line, "Linux version ", 14) == 0,
	      "/proc/version");
	if (f)
		fclose(f);
}

/* /proc/self/maps lists the regions: an mmap'd one and the stack at least. */
static void maps(void)
{
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char line[512], perms[8];
	int stack = 0, mine = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long s, e;

	/* Linux may merge it with a neighbour: its range need only hold the mapping. */
	while (f && fgets(line, sizeof(line), f)) {
		stack |= strstr(line, "[stack]") != NULL;
		if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) == 3 && s <= (unsigned long)m &&
		    e >= (unsigned long)(m + 3 * 4096) && strcmp(perms, "rw-p") == 0)
			mine = 1;
	}
	if (f)
		fclose(f);
	check(stack && mine, "/proc/self/maps shows the stack and a new mapping");
	munmap(m, 3 * 4096);
}

static void names(void)
{
	char name[32] = {0}, buf[512], cwd[512];
	ssize_t n;
	FILE *f;

	check(prctl(PR_SET_NAME, "renamed-by-prctl-long", 0, 0, 0) == 0, "PR_SET_NAME");
	check(prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && strcmp(name, "renamed-by-prct") == 0,
	      "PR_GET_NAME: %s (cut to 15 bytes)", name);
	f = fopen("/proc/self/comm", "r");
	check(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "renamed-by-prct\n") == 0,
	      "/proc/self/comm");
	if (f)
		fclose(f);
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(n > 0 && strcmp(strrchr(buf, '/'), "/files") == 0, "readlink /proc/self/exe");
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(n > 0 && getcwd(cwd, sizeof(cwd)) && strcmp(buf, cwd) == 0,
	      "readlink /proc/self/cwd");
}

int main(int argc, char **argv)
{
	line_buffered();
	dir = argc > 1 ? argv[1] : "/data";
	scripts_and_shell();
	name_lookups();
	attributes();
	pipes_and_memory();
	poll_regular();
	eventfds();
	links();
	maps();
	names();
	cpus();
	mmap_hints();
	return finish("files");
}
