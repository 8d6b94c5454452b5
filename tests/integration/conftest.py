"""Shared helpers for the integration tests: build scenario bundles and boot QEMU."""
import os
import subprocess
from dataclasses import dataclass

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BUILD = os.path.join(ROOT, 'build')
HYP_BIN = os.path.join(BUILD, 'hyp.bin')
UBOOT_BIN = '/usr/lib/u-boot/qemu_arm64/u-boot.bin'
QEMU_MACHINE = ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a72',
                '-smp', '2', '-m', '1G', '-display', 'none', '-monitor', 'none',
                '-serial', 'stdio', '-nic', 'none']


def guest_image(name):
    return os.path.join(BUILD, 'guests', f'{name}.bin')


@dataclass
class Run:
    returncode: int
    output: str

    def lines(self):
        return self.output.replace('\r', '').split('\n')

    def assert_has(self, *needles):
        for n in needles:
            assert n in self.output, f'missing {n!r} in output:\n{self.output}'

    def assert_lacks(self, *needles):
        for n in needles:
            assert n not in self.output, f'unexpected {n!r} in output:\n{self.output}'


def run_qemu(bundle, uboot=False, timeout=15, stdin_data=None, extra=()):
    """Boots the hypervisor with a bundle; returns QEMU's exit status and serial output."""
    cmd = ['qemu-system-aarch64', *QEMU_MACHINE, *extra, '-kernel', HYP_BIN, '-initrd', bundle]
    if uboot:
        cmd[1:1] = ['-bios', UBOOT_BIN]
    try:
        res = subprocess.run(cmd, input=stdin_data if stdin_data is not None else b'',
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace')
        pytest.fail(f'QEMU did not finish within {timeout}s; output so far:\n{out}')
    return Run(res.returncode, res.stdout.decode(errors='replace'))


def compile_scenario(tmp_path, dts_text, name='scenario'):
    dts = tmp_path / f'{name}.dts'
    dtb = tmp_path / f'{name}.dtb'
    dts.write_text(dts_text)
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', str(dtb), str(dts)], check=True)
    return dts, dtb


def make_bundle(tmp_path, dts_text, images=None, name='bundle'):
    """Compiles a scenario and packs it with guest images (default: every built guest)."""
    _, dtb = compile_scenario(tmp_path, dts_text, name)
    if images is None:
        images = {g[:-4]: os.path.join(BUILD, 'guests', g)
                  for g in os.listdir(os.path.join(BUILD, 'guests')) if g.endswith('.bin')}
    out = tmp_path / f'{name}.itb'
    fit = tmp_path / f'{name}.fit'
    subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools', 'mkbundle.py'),
                    '-o', str(out), '--fit', str(fit), '--scenario', str(dtb),
                    *[f'{k}={v}' for k, v in images.items()]], check=True)
    return out


def one_guest_dts(bootargs='', policy='eager', memory='0x0 0x40000000 0x0 0x01000000'):
    return f'''/dts-v1/;
/ {{
	compatible = "modvisor,scenario";
	vms {{
		starry {{
			kernel = "starry";
			memory = <{memory}>;
			vcpus = <1>;
			cpu-affinity = <0>;
			memory-policy = "{policy}";
			bootargs = "{bootargs}";
		}};
	}};
}};
'''
