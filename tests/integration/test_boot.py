"""Booting the hypervisor with one guest and with two, through QEMU's -kernel and U-Boot."""
import os
import re

from conftest import (BUILD, CTRL_A, fresh_disks, make_bundle, one_guest_dts, run_qemu,
                      run_qemu_interactive)

# The default scenario ends at two shells: starry's busybox after its init's tests, and the
# liteos shell. Focus each and type exit.
# (The console passes a guest's line on when it ends, so the prompt itself is not waited for.)
EXIT_BOTH_SHELLS = [("[starry] Enter 'help' for a list of built-in commands.",
                     CTRL_A + b'1' + b'exit\r'),
                    ('[liteos] liteos: shell ready', CTRL_A + b'2' + b'exit\r')]


def check_common(run):
    assert run.returncode == 0, run.output
    run.assert_has('modvisor 0.1.0: EL2 hypervisor', 'hyp: all vms down',
                   'hyp: frame accounting consistent')
    run.assert_lacks('PANIC', 'refused')
    banner = re.search(r'hyp: (\d+) MiB RAM at 0x40000000, (\d+) CPUs', run.output)
    assert banner and banner.groups() == ('1024', '2'), run.output
    # Every VM's frames went back to the pool when it stopped.
    assert 'vm-ram 0, vm-s2 0' in run.output, run.output


def check_two_guests(run):
    check_common(run)
    run.assert_has('hyp: vm starry: 32 MiB RAM at IPA 0x40000000 (lazy), 1 vCPU on CPU 0',
                   'hyp: vm liteos: 16 MiB RAM at IPA 0x40000000 (eager), 1 vCPU on CPU 1',
                   "[starry] starry: Linux-compatible kernel on vm 'starry'",
                   '[liteos] liteos: LOS kernel starting in vm \'liteos\'',
                   '[starry] init: summary: 18 passed, 0 failed',
                   '[starry] init: the shell exited',
                   '[starry] starry: init exited with status 0',
                   '[liteos] liteos: 10 timer ticks at 100 Hz',
                   'hyp: vm starry exited (system off)',
                   'hyp: vm liteos exited (system off)')
    # Each guest's own lines carry its own prefix only.
    for line in run.output.splitlines():
        if 'starry:' in line and line.startswith('['):
            assert line.startswith('[starry] '), line
        if 'liteos:' in line and line.startswith('['):
            assert line.startswith('[liteos] '), line


def test_default_scenario_runs_both_guests(tmp_path):
    run = run_qemu_interactive(os.path.join(BUILD, 'bundle.itb'), EXIT_BOTH_SHELLS, timeout=180,
                               disks=fresh_disks(str(tmp_path)))
    check_two_guests(run)
    # liteos goes on into its LOS kernel: the demo, then the shell.
    run.assert_order('[liteos] liteos: LOS kernel up', '[liteos] liteos: demo: done in',
                     '[liteos] liteos: shell ready', '[liteos] liteos# exit',
                     'hyp: vm liteos exited (system off)')


def test_default_scenario_through_uboot(tmp_path):
    run = run_qemu_interactive(os.path.join(BUILD, 'bundle.itb'), EXIT_BOTH_SHELLS, timeout=180,
                               disks=fresh_disks(str(tmp_path)), uboot=True)
    run.assert_has('U-Boot')
    check_two_guests(run)


def test_one_guest_boots(tmp_path):
    run = run_qemu(make_bundle(tmp_path, one_guest_dts()))
    check_common(run)
    run.assert_order('hyp: vm starry: 16 MiB RAM', '[starry] starry: hello',
                     '[starry] starry: 5 timer ticks', 'hyp: vm starry exited (system off)',
                     'hyp: all vms down')
    run.assert_lacks('[liteos]', 'vm liteos')


def test_one_guest_through_uboot(tmp_path):
    run = run_qemu(make_bundle(tmp_path, one_guest_dts()), uboot=True, timeout=30)
    run.assert_has('U-Boot', '[starry] starry: hello', 'hyp: all vms down')
    assert run.returncode == 0
