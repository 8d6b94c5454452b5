"""Shared helpers for the integration tests: build scenario bundles and boot QEMU."""
import os
import re
import select
import shutil
import subprocess
import time
from dataclasses import dataclass

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BUILD = os.path.join(ROOT, 'build')
HYP_BIN = os.path.join(BUILD, 'hyp.bin')
UBOOT_BIN = '/usr/lib/u-boot/qemu_arm64/u-boot.bin'
QEMU_MACHINE = ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a72',
                '-smp', '2', '-m', '1G', '-display', 'none', '-monitor', 'none',
                '-serial', 'stdio', '-nic', 'none']
# Each module's version as its descriptor gives it (major.minor), for the log lines that name it.
MODULE_VERSIONS = {'fatfs': '1.0', 'ext4': '1.0', 'signal': '1.1'}


def modver(name, regex=False):
    """Module name's version, "1.1", or as a regular expression, "1\\.1"."""
    v = MODULE_VERSIONS[name]
    return re.escape(v) if regex else v


def guest_image(name):
    return os.path.join(BUILD, 'guests', f'{name}.bin')


@dataclass
class Run:
    returncode: int
    output: str

    def assert_has(self, *needles):
        for n in needles:
            assert n in self.output, f'missing {n!r} in output:\n{self.output}'

    def assert_lacks(self, *needles):
        for n in needles:
            assert n not in self.output, f'unexpected {n!r} in output:\n{self.output}'

    def assert_order(self, *needles):
        pos = -1
        for n in needles:
            nxt = self.output.find(n, pos + 1)
            assert nxt > pos, f'{n!r} missing or out of order in output:\n{self.output}'
            pos = nxt


DISKS = ('starry', 'liteos')
MODULES = ('fatfs', 'signal')
CTRL_A = b'\x01'


def fresh_disks(directory):
    """Copies of the build's FAT disk images, so that a test sees exactly what it wrote."""
    return scenario_disks(directory, DISKS)


def disk_args(paths):
    args = ['-global', 'virtio-mmio.force-legacy=false']
    for name, path in paths.items():
        args += ['-drive', f'file={path},format=raw,if=none,id=d{name}',
                 '-device', f'virtio-blk-device,drive=d{name},serial={name}']
    return args


SCENARIO_CHECK = os.path.join(BUILD, 'tools', 'scenario-check')


def scenario_query(dtb, what):
    """scenario-check --query smp|disks on a compiled scenario: its lines, or None if refused."""
    res = subprocess.run([SCENARIO_CHECK, '--query', what, str(dtb)], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    return res.stdout.split() if res.returncode == 0 else None


def bundle_smp(bundle):
    """QEMU's -smp for a bundle from make_bundle (its scenario .dtb lies next to it): the
    highest cpu-affinity + 1, as `make run` does, but at least the 2 the tests always had; 2 for
    a scenario the checker refuses (tests of what the hypervisor refuses at boot)."""
    dtb = os.path.splitext(str(bundle))[0] + '.dtb'
    smp = scenario_query(dtb, 'smp') if os.path.exists(dtb) else None
    return max(2, int(smp[0])) if smp else 2


def scenario_disks(directory, names):
    """Fresh copies of the build's disk images `names` (starry2 and the like: make them first)."""
    os.makedirs(directory, exist_ok=True)
    paths = {}
    for name in names:
        paths[name] = os.path.join(directory, f'{name}.img')
        shutil.copyfile(os.path.join(BUILD, 'disks', f'{name}.img'), paths[name])
    return paths


def qemu_command(bundle, uboot=False, extra=(), disks=None):
    """disks: {serial: image path}; by default fresh copies next to the bundle."""
    if disks is None:
        disks = fresh_disks(os.path.join(os.path.dirname(str(bundle)), 'disks'))
    machine = list(QEMU_MACHINE)
    machine[machine.index('-smp') + 1] = str(bundle_smp(bundle))
    cmd = ['qemu-system-aarch64', *machine, *disk_args(disks), *extra, '-kernel', HYP_BIN,
           '-initrd', str(bundle)]
    if uboot:
        cmd[1:1] = ['-bios', UBOOT_BIN]
    return cmd


def run_qemu(bundle, uboot=False, timeout=15, extra=(), disks=None):
    """Boots the hypervisor with a bundle; returns QEMU's exit status and serial output."""
    try:
        res = subprocess.run(qemu_command(bundle, uboot, extra, disks), input=b'',
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace')
        pytest.fail(f'QEMU did not finish within {timeout}s; output so far:\n{out}')
    return Run(res.returncode, res.stdout.decode(errors='replace'))


def run_qemu_interactive(bundle, script, timeout=20, extra=(), disks=None, uboot=False):
    """Boots QEMU and plays `script`: (text to wait for, bytes to type) pairs, in order."""
    proc = subprocess.Popen(qemu_command(bundle, uboot, extra, disks), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = b''
    deadline = time.monotonic() + timeout
    steps = list(script)
    try:
        while True:
            while steps and steps[0][0].encode() in out:
                proc.stdin.write(steps.pop(0)[1])
                proc.stdin.flush()
                time.sleep(0.2)  # let the console deliver before the next step
            left = deadline - time.monotonic()
            if left <= 0:
                proc.kill()
                pytest.fail(f'QEMU did not finish within {timeout}s; output:\n'
                            f'{out.decode(errors="replace")}')
            ready, _, _ = select.select([proc.stdout], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                out += chunk
        proc.wait(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    return Run(proc.returncode, out.decode(errors='replace'))


def compile_scenario(tmp_path, dts_text, name='scenario'):
    dts = tmp_path / f'{name}.dts'
    dtb = tmp_path / f'{name}.dtb'
    dts.write_text(dts_text)
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', str(dtb), str(dts)], check=True)
    return dts, dtb


def make_bundle(tmp_path, dts_text, images=None, name='bundle', sign=os.path.join(BUILD, 'keys')):
    """Compiles a scenario and packs it with guest images (default: every built guest); module
    images are signed with the build's key unless sign is None (or another key directory)."""
    _, dtb = compile_scenario(tmp_path, dts_text, name)
    if images is None:
        images = {g: guest_image(g) for g in ('starry', 'liteos')}
        for mod in MODULES:
            path = os.path.join(BUILD, 'modules', f'{mod}.strip.so')
            if os.path.exists(path):
                images[f'mod-{mod}'] = path
    out = tmp_path / f'{name}.itb'
    subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools', 'mkbundle.py'),
                    '-o', str(out), '--scenario', str(dtb), *(['--sign', sign] if sign else []),
                    *[f'{k}={v}' for k, v in images.items()]], check=True)
    return out


def vm_node(name, cpu, bootargs='', policy='eager', size='0x01000000', kernel=None, extra=''):
    # The starry kernel runs its hypervisor probe unless a test asks for its Linux personality
    # (an init= bootarg): most hypervisor tests use it as a small, scriptable guest.
    if (kernel or name) == 'starry' and 'init=' not in bootargs and 'probe' not in bootargs:
        bootargs = ('probe ' + bootargs).strip()
    return f'''
		{name} {{
			kernel = "{kernel or name}";
			memory = <0x0 0x40000000 0x0 {size}>;
			vcpus = <1>;
			cpu-affinity = <{cpu}>;
			memory-policy = "{policy}";
			bootargs = "{bootargs}";{extra}
		}};'''


def scenario(*vm_nodes):
    return '/dts-v1/;\n/ {\n\tcompatible = "modvisor,scenario";\n\tvms {' + \
        ''.join(vm_nodes) + '\n\t};\n};\n'


def one_guest_dts(bootargs='', policy='eager'):
    return scenario(vm_node('starry', 0, bootargs, policy))


def two_guests_dts(starry_args='', liteos_args='', **kw):
    return scenario(vm_node('starry', 0, starry_args, **kw), vm_node('liteos', 1, liteos_args))
