"""The attacker/canary scenario, and `make fuzz-hvc`: a long hypercall fuzz run beside a canary.

Used by tests/integration/test_attacker.py (short runs) and run directly by `make fuzz-hvc`.
"""
import argparse
import os
import pathlib
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'integration'))
import pytest  # noqa: E402
from conftest import BUILD, make_bundle, qemu_command, run_qemu_interactive  # noqa: E402

# Three physical CPUs: the attacker's two vCPUs and the canary's one (static partitioning).
SMP = 3

# The canary stops when told on the console, once the attacker has exited (Ctrl-A 2: focus it).
STOP_CANARY = [('hyp: vm attacker exited', b'\x012stop\r')]
WINDOW = 'module-window = <0x1 0x00000000 0x0 0x10000000>;'


def vm(name, cpus, bootargs, disk, modules, policy='eager'):
    return f'''
		{name} {{
			kernel = "attacker";
			memory = <0x0 0x40000000 0x0 0x01000000>;
			vcpus = <{len(cpus)}>;
			cpu-affinity = <{' '.join(str(c) for c in cpus)}>;
			memory-policy = "{policy}";
			bootargs = "{bootargs}";
			disk = "{disk}";
			modules = {', '.join(f'"{m}"' for m in modules)};
			{WINDOW}
		}};'''


def attack_dts(attacker_args='', canary_ms=3000, canary_args='', attacker_policy='eager'):
    """The attacker (2 vCPUs on CPUs 0-1, disk 'starry') beside the canary (CPU 2, 'liteos')."""
    return ('/dts-v1/;\n/ {\n\tcompatible = "modvisor,scenario";\n\tvms {' +
            vm('attacker', (0, 1), attacker_args, 'starry', ('fatfs', 'signal'),
               attacker_policy) +
            vm('canary', (2,), f'canary canary-ms={canary_ms} {canary_args}'.strip(), 'liteos',
               ('fatfs',)) +
            '\n\t};\n};\n')


def images():
    out = {'attacker': os.path.join(BUILD, 'guests', 'attacker.bin')}
    for mod in ('fatfs', 'signal'):
        out[f'mod-{mod}'] = os.path.join(BUILD, 'modules', f'{mod}.strip.so')
    return out


def command(bundle):
    """QEMU with one more CPU than the default machine. No -icount: the vCPUs must really run
    in parallel (MTTCG) for the races to happen."""
    return qemu_command(bundle, extra=['-smp', str(SMP)])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--calls', type=int, default=500000, help='hypercalls per attacker vCPU')
    ap.add_argument('--seed', default='0x5eed')
    ap.add_argument('--timeout', type=int, default=1800, help='seconds of wall time')
    ap.add_argument('--args', default='', help='more attacker bootargs, e.g. race=0')
    args = ap.parse_args()
    # The hypercall fuzz long, the other phases (and the race) as in the short test.
    bootargs = f'seed={args.seed} hvc={args.calls} {args.args}'.strip()
    with tempfile.TemporaryDirectory() as tmp:
        bundle = make_bundle(pathlib.Path(tmp), attack_dts(bootargs, args.timeout * 1000),
                             images())
        print('fuzz-hvc: scenario', bundle, 'attacker bootargs:', bootargs, flush=True)
        print('fuzz-hvc:', ' '.join(command(bundle)), flush=True)
        start = time.monotonic()
        try:
            run = run_qemu_interactive(bundle, STOP_CANARY, timeout=args.timeout,
                                       extra=['-smp', str(SMP)])
            out, rc = run.output, run.returncode
        except pytest.fail.Exception as e:  # the run did not finish in time
            out, rc = str(e), 'timeout'
        wall = time.monotonic() - start
    for line in out.splitlines():
        if re.search(r'attacker: |canary: (PASS|FAIL)|hyp: (PANIC|vm \w+ exited|all vms|frame acc)',
                     line):
            print(line)
    print(f'fuzz-hvc: QEMU exit status {rc} after {wall:.0f} s wall time')
    ok = (rc == 0 and 'canary: PASS' in out and 'PANIC' not in out and
          'hyp: frame accounting consistent' in out and 'attacker: done:' in out)
    print('fuzz-hvc: ' + ('OK' if ok else 'FAILED'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
