"""starry as Linux: /sbin/init runs static glibc programs and busybox from its FAT disk."""
import os
import re
import resource
import subprocess

import pytest

from conftest import (BUILD, CTRL_A, fresh_disks, make_bundle, run_qemu, run_qemu_interactive,
                      modver, scenario, vm_node)

HOST_APPS = os.path.join(BUILD, 'starry-apps', 'host')
MODULES = '''
			disk = "{name}";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''

# What guests/starry/apps/init.c runs, in its order, with its arguments ('@' is the root:
# "" in the guest, a directory laid out like the disk when run natively).
PROGRAMS = {
    'hello': ['a', 'b c'],
    'fileio': ['@/data'],
    'forkexec': ['@/bin/hello', '@/bin/hello-pie'],
    'signals': [],
    'memgrow': [],
    'pipes': ['@/bin/hello'],
    'segv': [],
    'efault': [],
    'futex': [],
    'threads': ['@/bin/hello'],
    'timers': [],
    'procsig': [],
    'files': ['@/data'],
    'events': ['/tmp'],
}
SCRIPTS = ('bb-files', 'bb-pipe', 'bb-trap', 'bb-ps')
ENV = {'HOME': '/', 'PATH': '/bin:/sbin', 'TERM': 'dumb'}  # what the kernel gives init

# Expected output of guests/starry/apps/scripts/*.sh (bb-ps is checked on its own: pids).
SCRIPT_OUTPUT = {
    'bb-files': ['first line', 'second line', 'sub', 'top.txt', 'deeper', 'g.txt', '2 sub/g.txt',
                 '23', '3', '.', '..', 'files done'],
    'bb-pipe': ['3', '19', 'APPLE', 'FIG', 'PEAR', 'substituted 6', 'ls failed with 1', '0', '16',
                "pipeline status is the last command's", 'pipe done'],
    'bb-trap': ['got USR1', 'after kill', 'job status 143', 'child shell status 137',
                'trap done'],
}
FILEIO_OUT = 'fileio: written by the starry fileio test\nsecond line\n'


class Guest:
    """starry's console lines, split into the kernel's own log and what EL0 programs printed."""

    def __init__(self, output):
        lines = [l.rstrip('\r') for l in output.split('\n')]
        self.starry = [l[len('[starry] '):] for l in lines if l.startswith('[starry] ')]
        # The kernel's log lines all start with "starry:"; no test program prints that.
        self.user = [l for l in self.starry if not l.startswith('starry:')]

    def index(self, line):
        assert self.starry.count(line) == 1, f'{line!r} expected once in:\n' + \
            '\n'.join(self.starry)
        return self.starry.index(line)

    def segment(self, name):
        """Lines a program printed between init's markers, and init's verdict line."""
        assert self.user.count(f'init: run {name}') == 1, '\n'.join(self.user)
        start = self.user.index(f'init: run {name}') + 1
        end = start
        while end < len(self.user) and not self.user[end].startswith(f'init: {name} '):
            end += 1
        assert end < len(self.user), f'init never reported {name}:\n' + '\n'.join(self.user)
        return self.user[start:end], self.user[end]


@pytest.fixture(scope='module')
def booted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('starry-linux')
    disks = fresh_disks(str(tmp / 'disks'))
    dts = scenario(
        vm_node('starry', 0, 'init=/sbin/init', 'lazy', '0x04000000',
                extra=MODULES.format(name='starry')),
        vm_node('liteos', 1, '', extra=MODULES.format(name='liteos')))
    run = run_qemu(make_bundle(tmp, dts), disks=disks, timeout=120)
    return run, Guest(run.output), disks


@pytest.fixture(scope='module')
def native_root(tmp_path_factory):
    """A directory laid out like starry's disk, holding the host builds of the programs."""
    root = tmp_path_factory.mktemp('native-root')
    (root / 'bin').mkdir()
    (root / 'data').mkdir()
    for name in (*PROGRAMS, 'hello-pie'):
        os.symlink(os.path.join(HOST_APPS, name), root / 'bin' / name)
    return root


def linux_init_limits():
    """RLIMIT_NOFILE as Linux gives init (1024 soft, 4096 hard), as Starry gives every process:
    the host's own limits are whatever its session was given."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 4096))


def native(root, name):
    args = [a.replace('@', str(root), 1) if a.startswith('@') else a for a in PROGRAMS[name]]
    res = subprocess.run([name, *args], executable=os.path.join(HOST_APPS, name), cwd=root,
                         env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=60, preexec_fn=linux_init_limits)
    assert res.returncode == 0, f'{name} fails natively:\n{res.stdout}'
    out = res.stdout.splitlines()
    if name == 'forkexec':
        # A host may hand orphans to a subreaper; in the guest init (pid 1) must get them.
        out = [l.replace('re-parented to a subreaper', 're-parented to init') for l in out]
    return out


def test_vm_powers_off_after_init(booted):
    run, guest, _ = booted
    assert run.returncode == 0, run.output
    run.assert_order('[starry] init: summary: ', '[starry] starry: init exited with status 0',
                     'hyp: vm starry exited (system off)')
    run.assert_has('hyp: vm liteos exited (system off)', 'hyp: all vms down')
    assert guest.user.count('init: summary: 18 passed, 0 failed') == 1, '\n'.join(guest.starry)


def test_init_ran_everything_in_order(booted):
    _, guest, _ = booted
    names = list(PROGRAMS) + list(SCRIPTS)
    runs = [l[len('init: run '):] for l in guest.user if l.startswith('init: run ')]
    assert runs == names, '\n'.join(guest.user)
    for name in names:
        _, verdict = guest.segment(name)
        assert verdict == f'init: {name} exited 0', '\n'.join(guest.user)


@pytest.mark.parametrize('name', list(PROGRAMS))
def test_program_output_matches_native_run(booted, native_root, name):
    _, guest, _ = booted
    lines, verdict = guest.segment(name)
    expected = native(native_root, name)
    assert lines == expected, f'{name} in the guest:\n' + '\n'.join(lines) + \
        '\n\nnatively:\n' + '\n'.join(expected)
    assert verdict == f'init: {name} exited 0'


def test_program_specifics(booted):
    """What the native comparison cannot show: results that must hold in the guest."""
    _, guest, _ = booted
    assert guest.segment('hello')[0][:2] == ['hello, world', 'argc 3']
    assert 'ok orphan re-parented to init' in guest.segment('forkexec')[0]
    # segv's child died of SIGSEGV, and init went on to run the rest.
    assert 'child killed by signal 11' in guest.segment('segv')[0]
    assert guest.index('init: segv exited 0') < guest.index('init: run efault')
    efault = guest.segment('efault')[0]
    assert sum(l.endswith(': EFAULT') for l in efault) == 8 and efault[-1] == 'efault: done'


@pytest.mark.parametrize('name', list(SCRIPT_OUTPUT))
def test_busybox_script(booted, name):
    _, guest, _ = booted
    lines, verdict = guest.segment(name)
    assert lines == SCRIPT_OUTPUT[name], '\n'.join(lines)
    assert verdict == f'init: {name} exited 0'


def test_busybox_ps_reads_proc(booted):
    _, guest, _ = booted
    lines, verdict = guest.segment('bb-ps')
    assert verdict == 'init: bb-ps exited 0'
    assert lines[0] == 'PID   COMMAND' and lines[1] == '    1 init', '\n'.join(lines)
    end = lines.index('ps done') + 1
    lines, sysinfo = lines[:end], lines[end:]
    rows = lines[1:-3]
    # init, the shell running the script, and ps itself at least; every row a pid and a name.
    assert len(rows) >= 3 and all(re.fullmatch(r' *\d+ \S+', r) for r in rows), '\n'.join(lines)
    pids = [int(r.split()[0]) for r in rows]
    assert pids == sorted(set(pids)), '\n'.join(lines)
    assert lines[-3:] == ['self stat readable', 'MemTotal', 'ps done']
    # /proc/version as Linux words it; /proc/cpuinfo as Linux prints it for QEMU's Cortex-A72
    # (MIDR 0x410fd083, the ID registers' features; no evtstrm: Starry does not use it).
    assert re.fullmatch(r'Linux version 6\.1\.0-starry \(.*\) #1 .*', sysinfo[0]), sysinfo
    assert sysinfo[1:] == ['processor\t: 0', 'BogoMIPS\t: 125.00',
                           'Features\t: fp asimd aes pmull sha1 sha2 crc32 cpuid',
                           'CPU implementer\t: 0x41', 'CPU architecture: 8', 'CPU variant\t: 0x0',
                           'CPU part\t: 0xd08', 'CPU revision\t: 3', ''], sysinfo


def test_fatfs_loaded_on_the_first_exec(booted):
    _, guest, _ = booted
    misses = [i for i, l in enumerate(guest.starry)
              if l.startswith('starry:') and 'fatfs' in l and 'miss' in l]
    assert misses, '\n'.join(guest.starry)
    # Exec of /sbin/init is the first file access: the module is in before init prints.
    assert misses[0] < guest.index('init: starting 18 programs'), '\n'.join(guest.starry)
    # The hypervisor's side of the same load.
    run, _, _ = booted
    assert 'hyp: vm starry: module fatfs 1.0 at 0x100000000' in run.output, run.output


def test_signal_module_loaded_by_the_first_signal_syscall(booted):
    _, guest, _ = booted
    misses = [i for i, l in enumerate(guest.starry)
              if l.startswith('starry:') and 'signal' in l and 'miss' in l]
    assert misses, '\n'.join(guest.starry)
    # No program before `signals` makes a signal system call; its first act is sigaction.
    run = guest.index('init: run signals')
    first = next(i for i in range(run + 1, len(guest.starry))
                 if not guest.starry[i].startswith('starry:'))
    assert run < misses[0] < first, '\n'.join(guest.starry)
    # The hypervisor served it: copied cold for whichever guest asked first, shared after.
    out, _, _ = booted
    assert re.search(r'hyp: vm \w+: module signal 1\.1 at 0x', out.output), out.output
    assert any(l.startswith('starry: module signal 1.1 loaded at 0x') for l in guest.starry)


def test_proc_modules_shows_on_miss_loads(booted):
    _, guest, _ = booted
    mods = [l[len('init: modules: '):] for l in guest.user if l.startswith('init: modules: ')]
    for name in ('fatfs', 'signal'):
        assert [m for m in mods if m.split()[:1] == [name] and 'on-miss' in m], mods
    # The hypervisor's module list at the end: each module's text was resident once, shared by
    # both guests rather than copied per guest.
    run, _, _ = booted
    for name in ('fatfs', 'signal'):
        assert re.search(rf'hyp: module {name} {modver(name, True)}: resident once, \d+ text pages, ',
                         run.output), run.output


def test_disk_holds_the_written_files_and_is_clean(booted):
    run, _, disks = booted
    assert run.returncode == 0, run.output
    img = disks['starry']
    out = subprocess.run(['mtype', '-i', img, '::/data/fileio.out'], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    assert out.returncode == 0 and out.stdout == FILEIO_OUT, out.stdout
    # What fileio and bb-files made and removed is gone.
    listing = subprocess.run(['mdir', '-b', '-i', img, '::/data'], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    assert listing.returncode == 0 and listing.stdout.split() == ['::/data/fileio.out'], \
        listing.stdout
    fsck = subprocess.run(['fsck.fat', '-n', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert fsck.returncode == 0, fsck.stdout


def test_interactive_busybox_shell(tmp_path):
    """init's "shell" argument (bootargs after --): a busybox shell on the console, with
    echo of what is typed, /proc/self/cmdline, background jobs; exit powers the VM off."""
    dts = scenario(vm_node('starry', 0, 'init=/sbin/init -- shell', 'lazy', '0x04000000',
                           extra=MODULES.format(name='starry')))
    prompt = "[starry] Enter 'help' for a list of built-in commands."
    run = run_qemu_interactive(make_bundle(tmp_path, dts), [
        (prompt, CTRL_A + b'1' + b'echo typed; cd /data && pwd\r'),
        ('[starry] /data\r', b"cat /proc/self/cmdline | tr '\\0' ' '; echo END\r"),
        # The command's output, not its echo.
        ('[starry] cat /proc/self/cmdline END', b'sleep 1 & jobs; wait; echo waited $?\r'),
        ('waited 0', b'exit\r'),
    ], timeout=120, disks=fresh_disks(str(tmp_path / 'disks')))
    assert run.returncode == 0, run.output
    run.assert_order('[starry] init: summary: 18 passed, 0 failed',
                     '[starry] init: starting /bin/busybox sh on the console',
                     '[starry] / # echo typed; cd /data && pwd',  # the console's echo
                     '[starry] typed',
                     '[starry] cat /proc/self/cmdline END',
                     '[starry] [1]+  Running                    sleep 1',
                     '[starry] waited 0',
                     '[starry] init: the shell exited',
                     'hyp: vm starry exited (system off)')
    run.assert_lacks('[6n')  # no cursor queries on a console that cannot answer them


def sysfuzz(tmp_path, children):
    dts = scenario(vm_node('starry', 0, f'init=/bin/sysfuzz -- {children}', 'lazy',
                           '0x02000000', extra=MODULES.format(name='starry')))
    d = tmp_path / str(children)
    d.mkdir()
    run = run_qemu(make_bundle(d, dts), timeout=120, disks=fresh_disks(str(d / 'disks')))
    assert run.returncode == 0, run.output
    m = re.search(rf'sysfuzz: {children} children, (\d+) exited, (\d+) killed by a signal; '
                  r'the kernel is alive', run.output)
    assert m and int(m.group(1)) + int(m.group(2)) == children, run.output
    run.assert_has('[starry] starry: init exited with status 0', 'hyp: vm starry exited (system off)',
                   'hyp: frame accounting consistent')
    run.assert_lacks('PANIC', 'kernel synchronous exception', 'stage-2')
    left = re.search(r'kernel heap (\d+) KiB in use .*, (\d+) of \d+ pages free', run.output)
    assert left, run.output
    return left.groups()


def test_random_syscalls_do_not_hurt_the_kernel(tmp_path):
    """/bin/sysfuzz as init: children each making 300 syscalls with hostile arguments (kernel,
    device and unmapped addresses, huge lengths, random fds); every one ends by exiting or by
    a signal, the kernel goes on to a clean power-off, and 40 children leave exactly the heap
    and pages 5 children leave: nothing leaks."""
    assert sysfuzz(tmp_path, 40) == sysfuzz(tmp_path, 5)


def oom(tmp_path, rounds):
    dts = scenario(vm_node('starry', 0, f'init=/bin/oom -- {rounds}', 'lazy', '0x01000000',
                           extra=MODULES.format(name='starry')))
    d = tmp_path / f'oom{rounds}'
    d.mkdir()
    run = run_qemu(make_bundle(d, dts), timeout=120, disks=fresh_disks(str(d / 'disks')))
    assert run.returncode == 0, run.output
    assert re.search(rf'oom: {rounds} of {rounds} memory eaters stopped, {rounds} of {rounds} '
                     r'fork chains ended \(the last \d+ deep\); the kernel is alive',
                     run.output), run.output
    # The greedy process is killed as Linux's OOM killer would, not sent a catchable SIGSEGV.
    assert re.search(r'starry: pid \d+ \(oom\): out of memory at 0x[0-9a-f]+, pc 0x[0-9a-f]+: '
                     r'signal 9', run.output), run.output
    run.assert_lacks('PANIC', 'kernel synchronous exception')
    left = re.search(r'kernel heap (\d+) KiB in use .*, (\d+) of \d+ pages free', run.output)
    assert left, run.output
    return left.groups()


def test_memory_and_process_exhaustion_are_survived(tmp_path):
    """/bin/oom in 16 MiB: children touch memory until none is left, fork chains grow until
    fork fails; each round the kernel stops them and gets everything back, so three rounds
    leave exactly what one leaves."""
    assert oom(tmp_path, 3) == oom(tmp_path, 1)
