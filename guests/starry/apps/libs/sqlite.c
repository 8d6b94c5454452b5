/* A workload on Debian's libsqlite3.a: "create DB" builds a database (10,000 inserts in one
 * transaction, an index, queries, locks between processes, an integrity check); "check DB",
 * run after the VM rebooted, reopens it and checks that everything is still there. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROWS 10000

static int failures;

static void check(sqlite3 *db, int rc, int want, const char *what)
{
	if (rc != want) {
		printf("FAIL %s: %d (%s)\n", what, rc, sqlite3_errmsg(db));
		failures++;
	}
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		printf("FAIL %s: %s\n", sql, err ? err : "?");
		failures++;
	}
	sqlite3_free(err);
}

/* Prints every row of a query, columns separated by '|', as the sqlite3 shell would. */
static void query(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int rc, rows = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		printf("FAIL prepare %s: %s\n", sql, sqlite3_errmsg(db));
		failures++;
		return;
	}
	printf("%s\n", sql);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_count(st);

		printf("  ");
		for (int i = 0; i < n; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			printf("%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
		}
		printf("\n");
		rows++;
	}
	check(db, rc, SQLITE_DONE, sql);
	sqlite3_finalize(st);
	if (!rows)
		printf("  (no rows)\n");
}

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		printf("FAIL open %s: %s\n", path, sqlite3_errmsg(db));
		exit(1);
	}
	return db;
}

/* The queries both phases print: an indexed point lookup, an indexed range, aggregates. */
static void queries(sqlite3 *db)
{
	query(db, "SELECT count(*), sum(k), min(name), max(name) FROM t");
	query(db, "SELECT id, k, name, v FROM t WHERE k = 4242");
	query(db, "SELECT count(*), sum(id) FROM t WHERE k BETWEEN 1000 AND 1999");
	query(db, "SELECT id, name FROM t WHERE name >= 'n09995' ORDER BY name LIMIT 3");
	query(db, "SELECT k % 7, count(*), round(sum(v), 1) FROM t GROUP BY k % 7 ORDER BY 1");
	query(db, "EXPLAIN QUERY PLAN SELECT id FROM t WHERE k = 4242");
	query(db, "PRAGMA integrity_check");
}

static const char *lock_name(short type)
{
	return type == F_RDLCK ? "F_RDLCK" : type == F_WRLCK ? "F_WRLCK" : "F_UNLCK";
}

/* What another process sees of the locks SQLite holds on the database (byte 0x40000001 is
 * its RESERVED lock, the 510 bytes from 0x40000002 its SHARED range, in os_unix.c). */
static void probe(int fd, short type, off_t start, off_t len, const char *what)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	int rc;

	rc = fcntl(fd, F_GETLK, &fl);
	printf("child: F_GETLK %s %s: %s", lock_name(type), what,
	       rc ? "error" : lock_name(fl.l_type));
	if (fl.l_type != F_UNLCK)
		printf(" held by %s", fl.l_pid == getppid() ? "the parent" : "someone else");
	fl = (struct flock){.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	rc = fcntl(fd, F_SETLK, &fl);
	printf(", F_SETLK: %s\n",
	       rc ? (errno == EAGAIN || errno == EACCES ? "EAGAIN" : "E?") : "ok");
	if (rc == 0) { /* give it back, or the parent could not commit */
		fl.l_type = F_UNLCK;
		if (fcntl(fd, F_SETLK, &fl) != 0)
			printf("child: F_UNLCK failed\n");
	}
}

/* While this process holds a write lock, a child process must see it through fcntl's F_GETLK
 * and be refused by F_SETLK; once the parent commits, the locks are gone. (The child does not
 * use SQLite: its state must not cross a fork.) */
static void locks(sqlite3 *db, const char *path)
{
	int up[2], down[2], status = 0;
	char go;
	pid_t pid;

	exec(db, "BEGIN IMMEDIATE");
	exec(db, "INSERT INTO t(k, name, v) VALUES (-2, 'parent', 0)");
	if (pipe(up) != 0 || pipe(down) != 0 || (pid = fork()) < 0) {
		printf("FAIL pipe/fork\n");
		failures++;
		return;
	}
	if (pid == 0) {
		int fd = open(path, O_RDWR);

		probe(fd, F_WRLCK, 0x40000001, 1, "reserved");
		probe(fd, F_RDLCK, 0x40000002, 510, "shared");
		probe(fd, F_WRLCK, 0x40000002, 510, "shared");
		fflush(stdout);
		if (write(up[1], "x", 1) != 1 || read(down[0], &go, 1) != 1)
			_exit(2);
		probe(fd, F_WRLCK, 0x40000001, 1, "reserved");
		probe(fd, F_WRLCK, 0, 0, "whole file");
		fflush(stdout);
		_exit(close(fd) == 0 ? 0 : 1);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &go, 1) != 1)
		failures++;
	exec(db, "COMMIT");
	if (write(down[1], "x", 1) != 1 || waitpid(pid, &status, 0) != pid)
		failures++;
	printf("child exited %d\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		failures++;
	close(up[0]);
	close(down[1]);
	/* The child's locks went with its descriptor: SQLite can write again. */
	exec(db, "INSERT INTO t(k, name, v) VALUES (-1, 'parent again', 0)");
	query(db, "SELECT k, name FROM t WHERE k < 0 ORDER BY k");
	exec(db, "DELETE FROM t WHERE k < 0");
}

static void create(const char *path)
{
	char journal[512];
	sqlite3_stmt *ins;
	sqlite3 *db;

	snprintf(journal, sizeof(journal), "%s-journal", path);
	unlink(path);
	unlink(journal);
	db = open_db(path);
	exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, name TEXT, v REAL)");
	exec(db, "BEGIN");
	check(db,
	      sqlite3_prepare_v2(db, "INSERT INTO t(k, name, v) VALUES (?, ?, ?)", -1, &ins, NULL),
	      SQLITE_OK, "prepare insert");
	for (int i = 1; i <= ROWS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%05d", i);
		sqlite3_bind_int(ins, 1, (int)((i * 7919L) % 10007));
		sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(ins, 3, i * 0.25);
		check(db, sqlite3_step(ins), SQLITE_DONE, "insert");
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	exec(db, "COMMIT");
	exec(db, "CREATE INDEX t_k ON t(k)");
	exec(db, "CREATE INDEX t_name ON t(name)");
	printf("inserted %d rows in one transaction\n", ROWS);
	/* A transaction rolled back leaves nothing behind (the rollback journal at work). */
	exec(db, "BEGIN");
	exec(db, "DELETE FROM t WHERE id % 2 = 0");
	query(db, "SELECT count(*) FROM t");
	exec(db, "ROLLBACK");
	printf("journal after rollback: %s\n", access(journal, F_OK) == 0 ? "present" : "gone");
	queries(db);
	locks(db, path);
	exec(db, "UPDATE t SET v = v * 2 WHERE k BETWEEN 1000 AND 1999");
	query(db, "SELECT round(sum(v), 2) FROM t WHERE k BETWEEN 1000 AND 1999");
	check(db, sqlite3_close(db), SQLITE_OK, "close");
}

static void reopen(const char *path)
{
	sqlite3 *db = open_db(path);

	printf("reopened %s\n", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	queries(db);
	query(db, "SELECT round(sum(v), 2) FROM t WHERE k BETWEEN 1000 AND 1999");
	exec(db, "INSERT INTO t(k, name, v) VALUES (20000, 'after reboot', 1)");
	query(db, "SELECT count(*), max(k) FROM t");
	check(db, sqlite3_close(db), SQLITE_OK, "close");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: sqlite create|check DB\n");
		return 2;
	}
	printf("sqlite %s\n", sqlite3_libversion());
	if (!strcmp(argv[1], "create"))
		create(argv[2]);
	else
		reopen(argv[2]);
	printf("sqlite %s: %s\n", argv[1], failures ? "FAILED" : "done");
	return failures ? 1 : 0;
}
