"""Guest-caused traps: bad accesses stop the guest, unknown calls fail, the hypervisor survives."""
import os
import re
import subprocess

from conftest import BUILD, make_bundle, one_guest_dts, run_qemu


def symbol_range(elf, name):
    """[start, end) of a function in a guest image, from its symbol table."""
    out = subprocess.run(['aarch64-linux-gnu-nm', '-S', elf], check=True, text=True,
                         stdout=subprocess.PIPE).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[3] == name:
            start = int(fields[0], 16)
            return start, start + int(fields[1], 16)
    raise AssertionError(f'{name} not in {elf}')


def test_unmapped_ipa_stops_guest_and_hypervisor_powers_off(tmp_path):
    run = run_qemu(make_bundle(tmp_path, one_guest_dts('fault-unmapped')))
    assert run.returncode == 0, run.output
    run.assert_has('[starry] starry: touching unmapped IPA 0x20000000',
                   'hyp: vm starry exited (stage-2 data abort at IPA 0x20000000 (ESR 0x',
                   'hyp: all vms down',
                   'hyp: frame accounting consistent')
    run.assert_lacks('still running after the fault', 'PANIC')
    # The reported ELR is the guest's faulting load, in the self-test code that made it.
    elr = re.search(r'stage-2 data abort at IPA 0x20000000 \(ESR 0x[0-9a-f]+, ELR (0x[0-9a-f]+)',
                    run.output)
    start, end = symbol_range(os.path.join(BUILD, 'guests', 'starry.elf'), 'guest_selftest')
    assert elr and start <= int(elr.group(1), 16) < end, run.output


def test_unknown_hypercall_returns_not_supported(tmp_path):
    run = run_qemu(make_bundle(tmp_path, one_guest_dts('check-hvc')))
    assert run.returncode == 0, run.output
    run.assert_has('[starry] starry: modvisor version call: status 0, ABI 1.0',
                   '[starry] starry: unknown hypercall returned -1',
                   'hyp: vm starry exited (system off)')


def test_trapped_sysreg_injects_undefined(tmp_path):
    run = run_qemu(make_bundle(tmp_path, one_guest_dts('check-sysreg')))
    assert run.returncode == 0, run.output
    run.assert_has('hyp: vm starry: trapped read of sysreg',
                   '[starry] starry: physical timer read raised undefined instruction',
                   'hyp: vm starry exited (system off)')


def test_bad_hypercall_arguments_get_errors(tmp_path):
    dts = one_guest_dts('check-hvc').replace(
        'bootargs = "probe check-hvc";',
        'bootargs = "probe check-hvc";\n\t\t\tmodules = "fatfs";\n'
        '\t\t\tmodule-window = <0x1 0x0 0x0 0x10000000>;')
    run = run_qemu(make_bundle(tmp_path, dts))
    assert run.returncode == 0, run.output
    run.assert_has('starry: memory statistics into unmapped memory returned -2',
                   'starry: module load with a name outside RAM returned -2',
                   'starry: module load with a 64-byte name returned -2',
                   "starry: module load of '../x' returned -2",
                   'starry: module load of a module not allowed returned -3',
                   'starry: module load at a misaligned window returned -2',
                   'starry: unloading a module never loaded returned -5',
                   'starry: module list into unmapped memory returned -2',
                   'hyp: vm starry exited (system off)')


def test_aarch32_el0_coprocessor_trap_injects_undefined(tmp_path):
    # CNTP_CTL from AArch32 EL0 traps with EC 0x3: the guest gets an undefined instruction
    # from lower EL AArch32 (EC 0, ELR the MRC itself, SPSR its User mode) and runs on.
    run = run_qemu(make_bundle(tmp_path, one_guest_dts('check-aarch32')))
    assert run.returncode == 0, run.output
    run.assert_order('hyp: vm starry: trapped AArch32 MCR/MRC p15 (ISS 0x1e23805) at 0xc0000000: '
                     'undefined',
                     '[starry] starry: AArch32 EL0 CNTP_CTL read raised undefined instruction from '
                     'AArch32 (ESR 0x2000000, ELR 0xc0000000, SPSR 0x10)',
                     '[starry] starry: 5 timer ticks at 100 Hz',
                     'hyp: vm starry exited (system off)', 'hyp: all vms down')
    run.assert_lacks('unhandled trap', 'PANIC')
