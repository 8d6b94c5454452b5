"""Free page reporting (MV_HVC_MEM_RELEASE): released RAM leaves the VM's RSS, reads back as
zeroes, bad ranges are refused, a racing vCPU never sees a foreign frame; and the guests report
free pages themselves so that lazy RAM stays lazy after their programs exit."""
import os
import re

from conftest import (BUILD, CTRL_A, fresh_disks, make_bundle, run_qemu, run_qemu_interactive,
                      scenario, vm_node)

INVALID, NOT_SUPPORTED = -2, -1
PAGES = 256


WINDOW = '\n\t\t\tmodules = "signal";\n\t\t\tmodule-window = <0x1 0x0 0x0 0x10000000>;'


def probe(tmp_path, policy, args='release-memory', smp=False):
    text = scenario(vm_node('starry', 0, args, policy, extra=WINDOW))
    if smp:
        text = text.replace('vcpus = <1>;', 'vcpus = <2>;').replace(
            'cpu-affinity = <0>;', 'cpu-affinity = <0 1>;')
    run = run_qemu(make_bundle(tmp_path, text), timeout=60)
    assert run.returncode == 0, run.output
    run.assert_has('hyp: frame accounting consistent')
    run.assert_lacks('PANIC')
    return run


def status(run, what):
    m = re.search(rf'\[starry\] starry: {re.escape(what)} returned (-?\d+)', run.output)
    assert m, f'{what}: not found in\n{run.output}'
    return int(m.group(1))


def test_released_pages_leave_rss_and_read_back_zero(tmp_path):
    run = probe(tmp_path, 'lazy')
    m = re.search(rf'release of {PAGES} written pages returned 0, (\d+) given back; RAM backed '
                  r'(\d+) KiB -> (\d+) KiB written -> (\d+) KiB released', run.output)
    assert m, run.output
    given, before, touched, after = map(int, m.groups())
    # Every page was written, so every page was backed and is given back, and the VM's RAM
    # figure (the hypervisor's frame accounting) drops by exactly that.
    assert given == PAGES
    assert touched - before >= PAGES * 4
    assert touched - after == PAGES * 4
    run.assert_has('released pages read back with 0 non-zero words',
                   # Reading them faulted zeroed frames in: those go back too, then none are left.
                   f'releasing them again (read, not written) returned 0, {PAGES} given back',
                   'releasing them a third time returned 0, 0 given back',
                   'written again: contents intact',
                   'after the refused calls: contents intact')


def test_bad_ranges_are_refused(tmp_path):
    run = probe(tmp_path, 'lazy')
    for what in ('release unaligned', 'release of 0 pages', 'release of 513 pages',
                 'release past the end of RAM', 'release below RAM', 'release of the UART',
                 'release of a wrapping range', 'release of the module window'):
        assert status(run, what) == INVALID, what


def test_eager_ram_is_not_released(tmp_path):
    run = probe(tmp_path, 'eager')
    # Eager RAM stays backed: the call is refused and the pages keep their contents.
    run.assert_has(f'release of {PAGES} written pages returned {NOT_SUPPORTED}, 0 given back',
                   'released pages read back with 512 non-zero words')
    assert status(run, 'release unaligned') == INVALID


def test_racing_vcpu_sees_its_data_or_zero(tmp_path):
    run = probe(tmp_path, 'lazy', 'release-memory release-race', smp=True)
    m = re.search(r'race: 300 releases gave back (\d+) pages \(0 refused, last 0\) while cpu 1 '
                  r'wrote (\d+) times; read zero (\d+) times, a foreign value (\d+) times',
                  run.output)
    assert m, run.output
    given, writes, zero, foreign = map(int, m.groups())
    assert foreign == 0, run.output
    # The race happened: the page was taken away under the writer while it wrote.
    assert given >= 1 and writes > given, run.output
