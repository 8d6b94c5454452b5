"""Big FAT directories through the fatfs module's directory index (docs/fatfs.md), in both
kernels: starry creates, finds, lists, renames and removes 500 long names; the LiteOS shell
fills a directory with 60. Counts are checked, not times, and the disks stay clean."""
import re
import subprocess

from conftest import CTRL_A, fresh_disks, make_bundle, run_qemu, run_qemu_interactive, \
    scenario, vm_node

MODULES = '''
			disk = "{name}";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''

N = 500


def test_500_long_names_in_one_directory(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    # /bin/bench's "fatdir" mode (guests/starry/apps/bench.c): counts, not times.
    dts = scenario(vm_node('starry', 0, f'init=/bin/bench -- fatdir {N}', 'lazy', '0x04000000',
                           extra=MODULES.format(name='starry')))
    run = run_qemu(make_bundle(tmp_path, dts), disks=disks, timeout=180)
    assert run.returncode == 0, run.output
    want = (f'fatdir: created {N}, found {N}, listed {N}, renamed {N // 2}, unlinked {N}, '
            'rmdir ok')
    assert want in run.output, run.output
    img = disks['starry']
    fsck = subprocess.run(['fsck.fat', '-n', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert fsck.returncode == 0 and 'fatdir' not in fsck.stdout, fsck.stdout
    listing = subprocess.run(['mdir', '-b', '-i', img, '::/data'], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    assert 'fatdir' not in listing.stdout, listing.stdout


def test_liteos_shell_fills_a_directory(tmp_path):
    # 36 names of 3 slots each: past the 64 slots under which a directory is only scanned.
    # Each command stays under the 32-byte input FIFO of the console.
    names = [f'/m/long_name_{i:02d}.txt' for i in range(36)]
    removed = names[::6]
    script = [('[liteos] liteos: shell ready', CTRL_A + b'1'),
              ('hyp: console input goes to liteos', b'mkdir /m\r'),
              ('made directory /m', f'echo a > {names[0]}\r'.encode())]
    for done, name in zip(names, names[1:]):
        script.append((f'wrote 2 bytes to {done}', f'echo a > {name}\r'.encode()))
    script.append((f'wrote 2 bytes to {names[-1]}', b'ls /m\r'))
    script.append((f'{len(names)} entries', f'rm {removed[0]}\r'.encode()))
    for done, name in zip(removed, removed[1:]):
        script.append((f'removed {done}', f'rm {name}\r'.encode()))
    script.append((f'removed {removed[-1]}', b'ls /m\r'))
    script.append((f'{len(names) - len(removed)} entries', b'exit\r'))
    disks = fresh_disks(str(tmp_path / 'disks'))
    dts = scenario(vm_node('liteos', 1, 'shell', extra=MODULES.format(name='liteos')))
    run = run_qemu_interactive(make_bundle(tmp_path, dts), script, disks=disks, timeout=180)
    assert run.returncode == 0, run.output
    run.assert_has('hyp: vm liteos exited (system off)')
    img = disks['liteos']
    fsck = subprocess.run(['fsck.fat', '-n', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert fsck.returncode == 0, fsck.stdout
    listing = subprocess.run(['mdir', '-b', '-i', img, '::/m'], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    kept = sorted(re.sub(r'^::', '', line) for line in listing.stdout.split())
    assert kept == sorted(set(names) - set(removed)), listing.stdout
