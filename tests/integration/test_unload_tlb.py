"""After a module unload no stale TLB entry lets the guest read, write or execute the slot."""
import re

import pytest

from conftest import make_bundle, run_qemu, scenario, vm_node

MODULES = '\n\t\t\tmodules = "fatfs";\n\t\t\tmodule-window = <0x1 0x00000000 0x0 0x10000000>;'


@pytest.mark.parametrize('access,kind', [('read', 'data abort'), ('write', 'data abort'),
                                         ('exec', 'instruction abort')])
def test_unloaded_slot_faults(tmp_path, access, kind):
    # log-level "debug": the hypervisor prints each unload too (not by default).
    dts = scenario(vm_node('starry', 0, f'unload-{access}', extra=MODULES)).replace(
        'compatible = "modvisor,scenario";', 'compatible = "modvisor,scenario";\n\tlog-level = "debug";')
    run = run_qemu(make_bundle(tmp_path, dts))
    assert run.returncode == 0, run.output
    m = re.search(r'\[starry\] starry: unload probe: unloaded: 0 \(text (0x[0-9a-f]+), '
                  r'data (0x[0-9a-f]+)', run.output)
    assert m, run.output
    addr = int(m.group(2 if access == 'write' else 1), 16)
    # Every access was made once before the unload, so its translation was in the TLB.
    fault = re.search(rf'hyp: vm starry exited \(stage-2 {kind} at IPA (0x[0-9a-f]+)', run.output)
    assert fault and int(fault.group(1), 16) in (addr, addr & ~0xfff), run.output
    run.assert_lacks('still usable after unload', 'PANIC')
    run.assert_has('hyp: vm starry: module fatfs unloaded', 'hyp: all vms down')
