"""Two real libraries on Starry: SQLite (libsqlite3.a) and Lua (liblua5.4.a), built as static
arm64 programs, run from the root disk, with their output compared with the same binaries run
under qemu-aarch64 (user mode, on the host's Linux). The SQLite database outlives a reboot of
the VM (PSCI SYSTEM_RESET through reboot(2)): the second boot reopens and checks it."""
import os
import shutil
import subprocess

import pytest

from conftest import BUILD, fresh_disks, make_bundle, run_qemu, scenario, vm_node

APPS = os.path.join(BUILD, 'starry-apps', 'aarch64')
LUA_SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', 'guests', 'starry', 'apps',
                          'libs', 'test.lua')
QEMU_USER = shutil.which('qemu-aarch64') or '/usr/bin/qemu-aarch64'
MODULES = '''
			disk = "starry";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''


def guest_lines(output):
    """What EL0 printed on starry's console: its lines without the kernel's own log."""
    lines = [l.rstrip('\r') for l in output.split('\n')]
    starry = [l[len('[starry] '):] for l in lines if l.startswith('[starry] ')]
    return [l for l in starry if not l.startswith('starry:')]


def between(lines, start, end):
    assert lines.count(start) == 1 and start in lines, f'{start!r} once in:\n' + '\n'.join(lines)
    i = lines.index(start) + 1
    j = next((k for k in range(i, len(lines)) if lines[k].startswith(end)), None)
    assert j is not None, f'no {end!r} after {start!r}:\n' + '\n'.join(lines)
    return lines[i:j], lines[j]


def assert_same(got, expected):
    assert got == expected, 'guest:\n' + '\n'.join(got) + '\n\nqemu-user:\n' + '\n'.join(expected)


def reference(args, cwd):
    """The same arm64 binary under qemu-user: what Linux makes of it."""
    res = subprocess.run([QEMU_USER, *args], cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=120,
                         env={'PATH': '/bin:/sbin', 'HOME': '/', 'TERM': 'dumb'})
    assert res.returncode == 0, f'{args} fails under qemu-aarch64:\n{res.stdout}'
    return res.stdout.splitlines()


@pytest.fixture(scope='module')
def booted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('starry-libs')
    disks = fresh_disks(str(tmp / 'disks'))
    dts = scenario(vm_node('starry', 0, 'init=/bin/sh -- /etc/libs-boot.sh', 'lazy', '0x04000000',
                           extra=MODULES))
    run = run_qemu(make_bundle(tmp, dts), disks=disks, timeout=300)
    return run, guest_lines(run.output), disks


@pytest.fixture(scope='module')
def native(tmp_path_factory):
    d = tmp_path_factory.mktemp('libs-native')
    db = str(d / 'libs.db')
    return {
        'lua': reference([os.path.join(APPS, 'lua'), os.path.abspath(LUA_SCRIPT), str(d)], d),
        'create': reference([os.path.join(APPS, 'sqlite'), 'create', db], d),
        'check': reference([os.path.join(APPS, 'sqlite'), 'check', db], d),
    }


def test_the_vm_rebooted_once_and_powered_off(booted):
    run, lines, _ = booted
    assert run.returncode == 0, run.output
    run.assert_order('[starry] libs: first boot', '[starry] libs: sqlite create exited 0',
                     'reboot: restarting the system', '[starry] libs: second boot',
                     '[starry] libs: sqlite check exited 0',
                     '[starry] starry: init exited with status 0',
                     'hyp: vm starry exited (system off)')
    assert 'libs: reboot failed' not in lines
    run.assert_lacks('PANIC', 'kernel synchronous exception', 'unknown syscall')


def test_lua_matches_qemu_user(booted, native):
    _, lines, _ = booted
    got, verdict = between(lines, 'libs: first boot', 'libs: lua exited')
    assert_same(got, native['lua'])
    assert verdict == 'libs: lua exited 0'
    assert got[-1] == 'lua: done' and not any(l.startswith('FAIL') for l in got)


def test_sqlite_create_matches_qemu_user(booted, native):
    _, lines, _ = booted
    got, verdict = between(lines, 'libs: lua exited 0', 'libs: sqlite create exited')
    assert_same(got, native['create'])
    assert verdict == 'libs: sqlite create exited 0'
    # The lock another process sees while SQLite writes, and that it is gone after the commit.
    assert 'child: F_GETLK F_WRLCK reserved: F_WRLCK held by the parent, F_SETLK: EAGAIN' in got
    assert 'child: F_GETLK F_WRLCK whole file: F_UNLCK, F_SETLK: ok' in got
    assert got[-1] == 'sqlite create: done'


def test_sqlite_database_survives_the_reboot(booted, native):
    _, lines, _ = booted
    got, verdict = between(lines, 'libs: second boot', 'libs: sqlite check exited')
    assert_same(got, native['check'])
    assert verdict == 'libs: sqlite check exited 0'
    assert ['PRAGMA integrity_check', '  ok'] == got[got.index('PRAGMA integrity_check'):][:2]


def test_database_file_is_sane_on_the_host(booted, tmp_path):
    """The disk after the run: fsck.fat finds no damage, and the host's copy of the database
    file is byte-for-byte a database with the 10,001 rows (checked with the reference build)."""
    _, _, disks = booted
    img = disks['starry']
    res = subprocess.run(['fsck.fat', '-n', img], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    assert res.returncode == 0, res.stdout
    db = tmp_path / 'libs.db'
    subprocess.run(['mcopy', '-i', img, '::/data/libs.db', str(db)], check=True)
    out = reference([os.path.join(APPS, 'sqlite'), 'check', str(db)], tmp_path)
    assert 'SELECT count(*), max(k) FROM t' in out and '  10002|20000' in out, '\n'.join(out)
