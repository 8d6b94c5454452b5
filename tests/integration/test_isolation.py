"""Containment: a faulting guest is stopped and its memory freed, while the other runs on."""
from conftest import make_bundle, run_qemu, two_guests_dts


def test_faulting_guest_stops_while_other_finishes(tmp_path):
    run = run_qemu(make_bundle(tmp_path, two_guests_dts('fault-unmapped', '')))
    assert run.returncode == 0, run.output
    run.assert_order('[starry] starry: touching unmapped IPA 0x20000000',
                     'hyp: vm starry exited (stage-2 data abort at IPA 0x20000000 (ESR 0x',
                     '[liteos] liteos: 10 timer ticks at 100 Hz',
                     'hyp: vm liteos exited (system off)', 'hyp: all vms down')
    run.assert_lacks('still running after the fault', 'PANIC')
    run.assert_has('hyp: frame accounting consistent', 'vm-ram 0, vm-s2 0')


def test_guest_faults_alone_and_hypervisor_powers_off(tmp_path):
    run = run_qemu(make_bundle(tmp_path, two_guests_dts('fault-unmapped', 'fault-unmapped')))
    assert run.returncode == 0, run.output
    run.assert_has('hyp: vm starry exited (stage-2 data abort',
                   'hyp: vm liteos exited (stage-2 data abort', 'hyp: all vms down')
