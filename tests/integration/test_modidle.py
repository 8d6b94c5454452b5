"""Unload when idle, reload on the next miss (bootarg modidle=): a guest kernel unloads a module
nothing pins once it has been unused for the idle time, unmounting its filesystem cleanly; the
next use misses and loads it again, warm (its text still cached by the hypervisor), and the
files are still there."""
import json
import os
import re
import shutil
import subprocess

from conftest import (BUILD, CTRL_A, guest_image, make_bundle, run_qemu, run_qemu_interactive,
                      scenario, vm_node)

MODULE_DISK = '''
			disk = "{disk}";
			modules = "{fs}", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''


def starry_vm(disk, fs, bootargs):
    return vm_node('starry', 0, bootargs, 'lazy', '0x02000000',
                   extra=MODULE_DISK.format(disk=disk, fs=fs))


def images():
    imgs = {g: guest_image(g) for g in ('starry', 'liteos')}
    for mod in ('fatfs', 'ext4', 'signal'):
        imgs[f'mod-{mod}'] = os.path.join(BUILD, 'modules', f'{mod}.strip.so')
    return imgs


def starry_lines(output):
    return [l[len('[starry] '):].rstrip('\r') for l in output.splitlines()
            if l.startswith('[starry] ')]


def typed(marker, text, first=b''):
    """The step that types text once marker is out, in one write: the hypervisor holds what
    the busy guest has not read yet (test_console_input.py)."""
    return [(marker, first + text)]


SHOW = b'while read l; do echo "mod: $l"; done < /proc/modules\r'


def run_starry_idle(tmp_path, disk, fs, bootargs='modidle=2 init=/bin/sh'):
    """Busybox sh as init: once its start has gone idle, writes a file, waits past the idle
    time, reads the file back. Typing waits for each unload: input that comes while the kernel
    unmounts waits behind it, and the test types only when the guest is listening."""
    disks = {disk: str(tmp_path / f'{disk}.img')}
    shutil.copyfile(os.path.join(BUILD, 'disks', f'{disk}.img'), disks[disk])
    dts = scenario(starry_vm(disk, fs, bootargs))
    # Only shell builtins besides the file's write and read: nothing else touches the disk.
    run = run_qemu_interactive(make_bundle(tmp_path, dts, images=images()), [
        *typed('unloaded (idle unload 1)', b'echo kept-across-unload > /idle.txt\r',
               CTRL_A + b'1'),
        *typed('reload 1, warm', SHOW),
        (f'mod: {fs} 1.0 loaded', b''),
        # Nothing open and nothing used: the module goes after the idle time.
        *typed('unloaded (idle unload 2)', SHOW),
        *typed(f'mod: {fs} - idle-unloaded', b'read x < /idle.txt; echo "got: $x"\r'),
        *typed('[starry] got: ', SHOW),
        ('reloads=2', b'exit\r'),
    ], timeout=180, disks=disks)
    return run, disks[disk]


def footprint(output, vm):
    """The hypervisor's FOOTPRINT record of `vm` (its counts of module loads and unloads)."""
    for line in output.splitlines():
        at = line.find('FOOTPRINT {')
        if at >= 0:
            rec = json.loads(line[at + len('FOOTPRINT '):])
            if rec.get('vm') == vm:
                return rec
    raise AssertionError(f'no FOOTPRINT line for {vm}:\n{output}')


def check_cycle(run, fs):
    out = run.output
    lines = starry_lines(out)
    assert run.returncode == 0, out
    run.assert_order(f'starry: module {fs} 1.0 loaded at',
                     f'starry: root filesystem mounted ({fs})',
                     f'starry: root filesystem unmounted ({fs} idle)',
                     f'starry: module {fs} unused for ',
                     f'missed: no {fs} module, loading it',
                     'reloaded after an idle unload (reload 1, warm)',
                     f'starry: root filesystem mounted again ({fs})',
                     'unloaded (idle unload 2)',
                     f'missed: no {fs} module, loading it',  # the file, or the prompt's lookups
                     'reloaded after an idle unload (reload 2, warm)',
                     '[starry] got: kept-across-unload',
                     'hyp: vm starry exited (system off)')
    # The first load copied the text; the reloads found it cached in the hypervisor.
    loads = [l for l in lines
             if re.match(rf'starry: module {fs} 1\.0 loaded at 0x\w+ on a miss', l)]
    assert len(loads) == 3, '\n'.join(lines)
    assert 'text copied from the bundle' in loads[0], loads
    assert all('text already cached, nothing copied' in l for l in loads[1:]), loads
    # The hypervisor logged one cold load only, and counted both unloads and warm reloads.
    assert len(re.findall(rf'hyp: vm starry: module {fs} 1\.0 at 0x\w+, .*\(cold', out)) == 1, out
    rec = footprint(out, 'starry')
    assert rec['module_unloads'] == 2, rec
    assert rec['module_warm_loads'] >= 2 and rec['module_loads'] >= 3, rec
    # /proc/modules shows the state and the counts at each step.
    mods = [l[len('mod: '):] for l in lines if l.startswith(f'mod: {fs} ')]
    assert len(mods) == 3, mods
    assert re.match(rf'{fs} 1\.0 loaded on-miss 0x\w+ users=0 last_use_ms_ago=\d+ loads=2 '
                    r'idle_unloads=1 reloads=1$', mods[0]), mods
    assert re.match(rf'{fs} - idle-unloaded - 0x0 users=0 last_use_ms_ago=\d+ loads=2 '
                    r'idle_unloads=2 reloads=1$', mods[1]), mods
    assert re.match(rf'{fs} 1\.0 loaded on-miss 0x\w+ users=0 last_use_ms_ago=\d+ loads=3 '
                    r'idle_unloads=2 reloads=2$', mods[2]), mods
    # Each idle unload waited for the idle time (2 s), not less.
    for secs, ms in re.findall(rf'starry: module {fs} unused for (\d+)\.(\d+) s', out):
        assert int(secs) * 1000 + int(ms) >= 2000, (secs, ms)


def test_starry_fat_root_idle_unload_and_warm_reload(tmp_path):
    run, img = run_starry_idle(tmp_path, 'starry', 'fatfs')
    check_cycle(run, 'fatfs')
    # The file is on the disk, and the volume is clean for fsck.
    res = subprocess.run(['mtype', '-i', img, '::/idle.txt'], stdout=subprocess.PIPE,
                         text=True, check=True)
    assert res.stdout == 'kept-across-unload\n'
    assert subprocess.run(['fsck.vfat', '-n', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT).returncode == 0


def test_starry_ext4_root_idle_unload_and_warm_reload(tmp_path):
    run, img = run_starry_idle(tmp_path, 'starry-ext4', 'ext4')
    check_cycle(run, 'ext4')
    res = subprocess.run(['debugfs', '-R', 'cat /idle.txt', img], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    assert res.stdout == 'kept-across-unload\n'
    fsck = subprocess.run(['e2fsck', '-fn', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert fsck.returncode == 0, fsck.stdout


def test_starry_modidle_0_keeps_the_module(tmp_path):
    """modidle=0 disables unloading: the same wait leaves the module loaded."""
    disks = {'starry': str(tmp_path / 'starry.img')}
    shutil.copyfile(os.path.join(BUILD, 'disks', 'starry.img'), disks['starry'])
    dts = scenario(starry_vm('starry', 'fatfs', 'modidle=0 init=/bin/sh'))
    run = run_qemu_interactive(make_bundle(tmp_path, dts, images=images()), [
        # The prompt has no line end, so the console holds it back: the banner is the cue.
        *typed('built-in commands', b'echo x > /idle.txt; echo written\r', CTRL_A + b'1'),
        *typed('[starry] written', b'read -t 5 x; echo waited\r'),
        *typed('[starry] waited', SHOW),
        ('mod: signal', b'exit\r'),
    ], timeout=120, disks=disks)
    assert run.returncode == 0, run.output
    run.assert_lacks('unloaded (idle unload')
    assert footprint(run.output, 'starry')['module_unloads'] == 0, run.output
    assert re.search(r'mod: fatfs 1\.0 loaded on-miss .* idle_unloads=0', run.output), run.output


def test_starry_signal_module_idle_unload_and_reload(tmp_path):
    """The signal module stays while anything depends on it (a handler, a blocked or a pending
    signal, a timer that signals: each checked past the idle time, /bin/sigidle reading
    /proc/modules), goes once every task's signal state is a new task's, and the next use loads
    it again, warm, with the tasks made meanwhile (a forked child) known to it."""
    disks = {'starry': str(tmp_path / 'starry.img')}
    shutil.copyfile(os.path.join(BUILD, 'disks', 'starry.img'), disks['starry'])
    dts = scenario(starry_vm('starry', 'fatfs', 'modidle=1 init=/bin/sigidle -- 1000'))
    run = run_qemu(make_bundle(tmp_path, dts, images=images()), timeout=120, disks=disks)
    out = run.output
    assert run.returncode == 0, out
    run.assert_lacks('FAIL', 'PANIC')
    run.assert_order('starry: rt_sigaction missed: no signal module, loading it',
                     'starry: module signal 1.1 loaded at',
                     '[starry] sigidle: a handler pins it: ok',
                     '[starry] ok the handler runs after the wait',
                     '[starry] sigidle: a blocked signal pins it: ok',
                     '[starry] sigidle: a pending signal pins it: ok',
                     '[starry] ok the pending SIGUSR2 is still there',
                     '[starry] sigidle: a signalling timer pins it: ok',
                     'starry: module signal unused for',
                     '[starry] sigidle: unused and unpinned: unloaded: ok',
                     'starry: rt_sigaction missed: no signal module, loading it',
                     'starry: module signal reloaded after an idle unload (reload 1, warm)',
                     '[starry] ok the handler runs after the reload',
                     '[starry] ok the child dies of SIGUSR1',
                     '[starry] sigidle: reloaded, pinned by the handler: ok',
                     '[starry] sigidle: all passed',
                     'hyp: vm starry exited (system off)')
    # Unloaded once only: the wait for it was after the last pin went (a timer), and the
    # handler installed after the reload keeps it.
    assert len(re.findall(r'starry: module signal unused for', out)) == 1, out
    idle = re.search(r'starry: module signal unused for (\d+)\.(\d+) s', out)
    assert int(idle.group(1)) * 1000 + int(idle.group(2)) >= 1000, idle.group(0)
    assert re.search(r'sigidle: signal - idle-unloaded - 0x0 users=0 last_use_ms_ago=\d+ '
                     r'loads=1 idle_unloads=1 reloads=0', out), out
    assert re.search(r'sigidle: signal 1\.1 loaded on-miss 0x\w+ users=1 last_use_ms_ago=\d+ '
                     r'loads=2 idle_unloads=1 reloads=1', out), out


def run_liteos_idle(tmp_path, image, fs, script):
    """The LiteOS shell (modidle=2) on a copy of the build's disk image, which may load fs."""
    img = str(tmp_path / 'liteos.img')
    shutil.copyfile(os.path.join(BUILD, 'disks', f'{image}.img'), img)
    dts = scenario(vm_node('liteos', 0, 'shell modidle=2',
                           extra=MODULE_DISK.format(disk='liteos', fs=fs)))
    run = run_qemu_interactive(make_bundle(tmp_path, dts, images=images()), script,
                               timeout=180, disks={'liteos': img})
    return run, img


def test_liteos_idle_unload_and_warm_reload(tmp_path):
    """The LiteOS demo writes a file through fatfs; once its tasks leave the disk alone for the
    idle time the kernel unmounts it and unloads fatfs; the shell's cat loads it again, warm,
    and reads the file; `modules` shows each state with its counts."""
    run, img = run_liteos_idle(tmp_path, 'liteos', 'fatfs', [
        ('liteos: module fatfs unused for', b'modules\r'),
        ('idle-unloaded (loads again', b'cat /liteos-los.txt\r'),
        ('written by a LiteOS task', b'modules\r'),
        ('reloads 1', b'exit\r'),
    ])
    out = run.output
    assert run.returncode == 0, out
    run.assert_order('[liteos] liteos: module fatfs 1.0 loaded at 0x100000000 on a miss '
                     '(text copied from the bundle)',
                     '[liteos] liteos: disk mounted through fatfs',
                     'liteos: disk unmounted (fatfs idle)',
                     '[liteos] liteos: module fatfs unused for',
                     '[liteos] module fatfs: idle-unloaded (loads again on the next use)',
                     '[liteos]   users 0, last use ',
                     '[liteos] idle unload after 2000 ms unused',
                     '[liteos] liteos: open missed: no fatfs module, loading it',
                     '[liteos] liteos: module fatfs 1.0 loaded at 0x100000000 on a miss '
                     '(text already cached, nothing copied)',
                     '[liteos] liteos: module fatfs reloaded after an idle unload (reload 1, warm)',
                     '[liteos] liteos: disk mounted again through fatfs',
                     '[liteos] written by a LiteOS task through the shared fatfs module',
                     '[liteos] module fatfs 1.0 at 0x100000000: loaded on a miss, text already '
                     'cached',
                     # loads: the boot checks', the LOS tasks', the reload
                     'loads 3, idle unloads 1, reloads 1',
                     'hyp: vm liteos exited')
    # The boot checks load and unload fatfs too: at least the idle unload and its reload.
    rec = footprint(out, 'liteos')
    assert rec['module_unloads'] >= 1 and rec['module_warm_loads'] >= 1, rec
    idle = re.search(r'liteos: module fatfs unused for (\d+)\.(\d+) s', out)
    assert int(idle.group(1)) * 1000 + int(idle.group(2)) >= 2000, idle.group(0)
    assert subprocess.run(['fsck.vfat', '-n', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT).returncode == 0


def test_liteos_signal_module_pinned_by_handlers_then_idle_unloaded(tmp_path):
    """LiteOS keeps the signal module while a task has handlers (the demo's FsSigDemo), past
    twice the idle time, and its handler still runs; once that task is gone the module goes
    after the idle time, and the shell's next kill loads it again, warm."""
    run, _ = run_liteos_idle(tmp_path, 'liteos', 'fatfs', [
        # fatfs's second idle unload is the clock: by then signal was unused for over 4 s.
        ('liteos: module fatfs unused for', b'cat /liteos-los.txt\r'),
        ('unloaded (idle unload 2)', b'modules\r'),
        ('idle unload after', b'kill FsSigDemo 10\r'),
        ('(value 0, from task 3)', b'kill FsSigDemo 9\r'),
        ('liteos: module signal unused for', b'modules\r'),
        ('module signal: idle-unloaded', b'kill Shell 18\r'),
        ('sent signal 18', b'modules\r'),
        ('loads 3, idle unloads 1, reloads 1', b'exit\r'),
    ])
    out = run.output
    assert run.returncode == 0, out
    run.assert_order('[liteos] liteos: sigaction missed: no signal module, loading it',
                     '[liteos] liteos: demo: signals: FsSigDemo handled SIGUSR1 1',
                     'liteos: module fatfs unused for',
                     '(idle unload 2)',
                     '[liteos] module signal 1.1 at 0x100400000: loaded on a miss',
                     'handled signal 10 (value 0, from task 3)',
                     '[liteos] liteos: task 5 (FsSigDemo) killed by signal 9',
                     'liteos: module signal unused for',  # may follow the shell's prompt
                     '[liteos] module signal: idle-unloaded (loads again on the next use)',
                     '[liteos] liteos: kill missed: no signal module, loading it',
                     '[liteos] liteos: module signal 1.1 loaded at 0x100400000 on a miss '
                     '(text already cached, nothing copied)',
                     '[liteos] liteos: module signal reloaded after an idle unload (reload 1, warm)',
                     '[liteos] liteos: sent signal 18 to task 3 (Shell)',
                     'hyp: vm liteos exited')
    # While FsSigDemo had handlers the module stayed: one user, unused past the idle time.
    pinned = re.search(r'module signal 1\.1 at 0x100400000: [^\n]*\n\[liteos\]   users (\d+), '
                       r'last use (\d+) ms ago, loads 2, idle unloads 0, reloads 0', out)
    assert pinned and pinned.group(1) == '1' and int(pinned.group(2)) > 2500, out
    assert out.count('liteos: module signal unused for') == 1, out
    assert out.index('liteos: module signal unused for') > out.index('killed by signal 9'), out


def test_liteos_on_ext4_probes_the_disk_and_reloads_ext4(tmp_path):
    """LiteOS given an ext4 disk: its mount probes the superblock and loads ext4 (not fatfs),
    the demo's files land on the ext4 volume, the idle unload and the warm reload work the same,
    and the volume is clean for e2fsck afterwards."""
    run, img = run_liteos_idle(tmp_path, 'starry-ext4', 'ext4', [
        ('liteos: module ext4 unused for', b'cat /HELLO.TXT\r'),
        ('hello from the host, disk starry', b'modules\r'),
        ('reloads 1', b'exit\r'),
    ])
    out = run.output
    assert run.returncode == 0, out
    run.assert_order('[liteos] liteos: open missed: no ext4 module, loading it',
                     '[liteos] liteos: disk mounted through ext4',
                     'liteos: demo: files: wrote and read back /liteos-los.txt: 57 bytes, '
                     'contents match',
                     'liteos: disk unmounted (ext4 idle)',
                     '[liteos] liteos: module ext4 reloaded after an idle unload (reload 1, warm)',
                     '[liteos] liteos: disk mounted again through ext4',
                     '[liteos] hello from the host, disk starry',
                     'hyp: vm liteos exited')
    # The LOS tasks never asked for fatfs: the disk chose ext4.
    run.assert_lacks('liteos: module fatfs 1.0 loaded', 'mounting the disk failed')
    res = subprocess.run(['debugfs', '-R', 'cat /liteos-los.txt', img],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert 'written by a LiteOS task' in res.stdout, res.stdout
    fsck = subprocess.run(['e2fsck', '-fn', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert fsck.returncode == 0, fsck.stdout
