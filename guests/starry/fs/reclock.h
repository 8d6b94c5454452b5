/* POSIX record locks (fcntl F_GETLK/F_SETLK/F_SETLKW): the table of byte ranges locked per
 * file and process, with Linux's rules (pure C, host-tested; sys/sys_lock.c does the rest). */
#ifndef STARRY_FS_RECLOCK_H
#define STARRY_FS_RECLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* fcntl's lock types (Linux values). */
#define RECLOCK_RD 0 /* F_RDLCK */
#define RECLOCK_WR 1 /* F_WRLCK */
#define RECLOCK_UN 2 /* F_UNLCK */

/* A range's last byte when the lock runs to the end of the file, however it grows. */
#define RECLOCK_EOF UINT64_MAX

/* Results, as the negative Linux errno the syscall returns. */
#define RECLOCK_EAGAIN (-11)
#define RECLOCK_ENOLCK (-37)

/* A file is named by its filesystem and inode, so that every descriptor and every process
 * opening it meet in the same locks. */
struct reclock_key {
	uint64_t dev, ino;
};

struct reclock {
	struct reclock_key key;
	int owner;	     /* the process (tgid) */
	int type;	     /* RECLOCK_RD or RECLOCK_WR */
	uint64_t start, end; /* bytes start..end, both included */
	struct reclock *next;
};

struct reclock_table {
	struct reclock *head;
	/* Where records come from: the kernel heap, or the host's malloc in the tests. */
	void *(*alloc)(uint64_t size);
	void (*free)(void *p);
};

/* The first lock of another owner that a lock of this type over start..end would conflict
 * with (overlapping, and one of the two a write lock); NULL when there is none. */
const struct reclock *reclock_conflict(const struct reclock_table *t, struct reclock_key key,
				       int owner, int type, uint64_t start, uint64_t end);

/* Sets owner's lock over start..end to type (RECLOCK_UN removes it): what owner held there
 * before is replaced, ranges around it are split, adjacent or overlapping ranges of the same
 * type merge. 0; RECLOCK_EAGAIN when another owner's lock conflicts (nothing changes);
 * RECLOCK_ENOLCK when no memory is left for the records (nothing changes). */
int reclock_set(struct reclock_table *t, struct reclock_key key, int owner, int type,
		uint64_t start, uint64_t end);

/* Drops every lock owner holds on the file (a process closed one of its descriptors of it). */
void reclock_release(struct reclock_table *t, struct reclock_key key, int owner);

/* How many records the table holds (leak checks). */
unsigned reclock_count(const struct reclock_table *t);

#endif /* STARRY_FS_RECLOCK_H */
