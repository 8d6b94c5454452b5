"""Booting the hypervisor with one guest, through QEMU's -kernel and through U-Boot."""
import os
import re

from conftest import BUILD, make_bundle, one_guest_dts, run_qemu


def check_clean_boot(run):
    assert run.returncode == 0, run.output
    run.assert_has('modvisor 0.1.0: EL2 hypervisor',
                   'hyp: bundle: starry,', 'sha256 ok',
                   "[starry] starry: hello from vm 'starry': 16 MiB RAM at 0x40000000, 1 vCPU, PSCI 1.0",
                   'hyp: vm starry exited (system off)',
                   'hyp: all vms down',
                   'hyp: frame accounting consistent')
    banner = re.search(r'hyp: (\d+) MiB RAM at 0x40000000, (\d+) CPUs', run.output)
    assert banner and banner.group(1) == '1024' and banner.group(2) == '2', run.output
    # The VM's frames all went back to the pool when it stopped.
    assert re.search(r'vm-ram 0, vm-s2 0', run.output), run.output
    # Lines appear in boot order: the guest runs after the hypervisor created it.
    out = run.output
    assert out.index('hyp: vm starry:') < out.index('[starry] starry: hello') \
        < out.index('hyp: vm starry exited') < out.index('hyp: all vms down')


def test_default_bundle_boots_with_kernel():
    run = run_qemu(os.path.join(BUILD, 'bundle.itb'))
    check_clean_boot(run)


def test_boots_through_uboot(tmp_path):
    bundle = make_bundle(tmp_path, one_guest_dts())
    run = run_qemu(bundle, uboot=True, timeout=30)
    run.assert_has('U-Boot')
    check_clean_boot(run)


def test_lazy_policy_boots(tmp_path):
    run = run_qemu(make_bundle(tmp_path, one_guest_dts(policy='lazy')))
    run.assert_has('(lazy)', '[starry] starry: hello', 'hyp: vm starry exited (system off)')
    assert run.returncode == 0
