"""Big FAT directories in starry: 500 long names created, found, listed, renamed and removed
through the fatfs module's directory index (docs/fatfs.md), and the disk left clean."""
import subprocess

from conftest import fresh_disks, make_bundle, run_qemu, scenario, vm_node

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
