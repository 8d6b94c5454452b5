"""The attacker guest (tests/attacker/) beside a canary: a short fuzz of every guest interface,
the load/unload race from two vCPUs, and lethal acts that must stop only the attacker."""
import os
import re
import sys

import pytest

from conftest import make_bundle, run_qemu_interactive

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'attacker'))
from attack import SMP, STOP_CANARY, attack_dts, images  # noqa: E402

# The canary stops when told (once the attacker is gone); this is only its upper bound.
CANARY_MS = 30000
PHASES = ('hvc', 'mmio', 'vgic', 'psci', 'race', 'virtio')
# The default counts (about 20,000 calls from two vCPUs), with random bytes written to the UART
# data register among the MMIO accesses: the console must keep them escaped and rate-limited.
SHORT = 'seed=0x1234 uart-dr'
TINY = 'seed=0x77 hvc=300 mmio=300 vgic=300 psci=100 race=0 virtio=30'


def boot(tmp_path, attacker_args, timeout=45, policy='eager'):
    bundle = make_bundle(tmp_path, attack_dts(attacker_args, canary_ms=CANARY_MS,
                                              attacker_policy=policy), images())
    return run_qemu_interactive(bundle, STOP_CANARY, timeout=timeout,
                                extra=['-smp', str(SMP)])


def assert_canary_intact(run):
    run.assert_lacks('PANIC', 'canary: FAIL')
    run.assert_order('hyp: vm attacker exited', 'canary: PASS', 'hyp: vm canary exited',
                     'hyp: all vms down', 'hyp: frame accounting consistent')
    assert run.returncode == 0, run.output


def test_attacker_fuzz_and_race_leave_canary_and_hypervisor_intact(tmp_path):
    """Fails on a hypervisor that lets two vCPUs race MOD_LOAD/MOD_UNLOAD (issue 11, item 1):
    the module slot is left stuck (loads fail with -6) and it panics at the attacker's exit
    (hyp/vm.c:217), so the canary never finishes."""
    run = boot(tmp_path, SHORT)
    run.assert_lacks('PANIC')
    for phase in PHASES:
        m = re.search(rf'attacker: {phase}: (\d+) calls:', run.output)
        assert m and int(m.group(1)) > 0, f'no {phase} counts in output:\n{run.output}'
    # Every vCPU ended the race with an unload: a load and an unload must work again.
    m = re.search(r'attacker: after the race: load (-?\d+) \(flags (\w+)\), unload (-?\d+)',
                  run.output)
    assert m, run.output
    assert (int(m.group(1)), int(m.group(3))) == (0, 0), m.group(0)
    assert not int(m.group(2), 16) & 0x4, f'still loaded after the race: {m.group(0)}'
    run.assert_has('attacker: done:', 'hyp: vm attacker exited (system off)',
                   'hyp: vm canary exited (system off)')
    run.assert_lacks('barrier', 'did not finish', 'survived')
    raw = [c for c in run.output if ord(c) < 0x20 and c not in '\t\r\n']
    assert not raw, f'raw control bytes reached the console: {raw[:16]!r}'
    assert_canary_intact(run)


# Acts the hypervisor stops a VM for by design, and the reason it must give.
FINALES = {
    'hole': 'stage-2 data abort at IPA 0x9001000',
    'uart64': 'bad MMIO access at IPA 0x9000000',
    'rtc64': 'bad MMIO access at IPA 0x9010008',
    'virtio-geometry': 'virtio-blk: ',
    'virtio-loop': 'virtio-blk: chain from head 0 loops',
    'virtio-oob': 'virtio-blk: ',
    'text-write': 'write to the shared text of module fatfs',
}


@pytest.mark.parametrize('finale', sorted(FINALES))
def test_lethal_act_stops_only_the_attacker(tmp_path, finale):
    run = boot(tmp_path, f'{TINY} finale={finale}')
    run.assert_has('attacker: done:', f'attacker: finale {finale}',
                   f'hyp: vm attacker exited ({FINALES[finale]}')
    run.assert_lacks(f'finale {finale} survived', 'unknown finale')
    assert_canary_intact(run)


def test_lazy_attacker_releasing_pages_leaves_canary_intact(tmp_path):
    """The hypercall fuzz with lazy RAM: MEM_RELEASE (free page reporting) called with hostile
    ranges from two vCPUs at once, page-aligned half the time, so that some really give pages
    back while the other vCPU fuzzes; the canary's memory and the frame accounting stay whole."""
    run = boot(tmp_path, 'seed=0x4242 hvc=4000 mmio=200 vgic=200 psci=50 race=20 virtio=20',
               policy='lazy', timeout=90)
    run.assert_has('attacker: done:', 'hyp: vm attacker exited (system off)')
    m = re.search(r'FOOTPRINT \{"vm":"attacker".*"released":(\d+)', run.output)
    assert m and int(m.group(1)) > 0, run.output
    assert_canary_intact(run)
