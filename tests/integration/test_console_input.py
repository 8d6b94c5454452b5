"""Console input typed or pasted faster than the guest reads it: a 1000-character command line
and several commands in one write reach busybox sh (starry) and the LiteOS shell whole and in
order, while the guest is still booting or busy."""
import os
import shutil

from conftest import (BUILD, CTRL_A, make_bundle, one_guest_dts, run_qemu_interactive, scenario,
                      two_guests_dts, vm_node)

MODULE_DISK = '''
			disk = "starry";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''

# 1000 characters, each 4-digit group its own index: a cut or a lost byte shows where.
WORD = ''.join(f'{i:04d}' for i in range(250))
LONG = b'echo ' + WORD.encode() + b'\r'
THREE = b'echo one-1\recho two-2\recho three-3\r'


CF_LINE_MAX = 160  # hyp/console_filter.h: the console splits longer guest lines


def guest_lines(output, vm):
    """The guest's lines as it wrote them: the pieces of a split long line joined again."""
    prefix = f'[{vm}] '
    lines, joined = [], ''
    for l in output.splitlines():
        if l.startswith(prefix):
            joined += l[len(prefix):].rstrip('\r')
            if len(l) - len(prefix) != CF_LINE_MAX:
                lines.append(joined)
                joined = ''
    return lines


def check_answers(run, vm):
    """Each command's output, whole and in the order typed; each command line echoed whole."""
    lines = guest_lines(run.output, vm)
    answers = [l for l in lines if l in (WORD, 'one-1', 'two-2', 'three-3')]
    assert answers == [WORD, 'one-1', 'two-2', 'three-3'], run.output
    assert any(l.endswith('# echo ' + WORD) for l in lines), run.output
    run.assert_lacks('console input for')  # no notice of dropped input


def test_busybox_sh_gets_a_long_line_and_lines_typed_ahead(tmp_path):
    # Typed while the kernel still boots and loads its modules from the disk, all of it in one
    # write: the hypervisor holds what the guest has not read, the guest queues whole lines.
    disks = {'starry': str(tmp_path / 'starry.img')}
    shutil.copyfile(os.path.join(BUILD, 'disks', 'starry.img'), disks['starry'])
    dts = scenario(vm_node('starry', 0, 'init=/bin/sh', 'lazy', '0x02000000', extra=MODULE_DISK))
    run = run_qemu_interactive(make_bundle(tmp_path, dts), [
        ('[starry] starry:', CTRL_A + b'1' + LONG + THREE + b'exit\r'),
    ], timeout=120, disks=disks)
    assert run.returncode == 0, run.output
    check_answers(run, 'starry')
    run.assert_has('hyp: vm starry exited (system off)')  # the last command too


def test_liteos_shell_gets_a_long_line_and_lines_typed_ahead(tmp_path):
    # The shell's line holds 1024 characters; typed at once, before its prompt.
    dts = scenario(vm_node('liteos', 0, 'shell no-modules'))
    run = run_qemu_interactive(make_bundle(tmp_path, dts), [
        ('[liteos] liteos:', CTRL_A + b'1' + LONG + THREE + b'exit\r'),
    ], timeout=120)
    assert run.returncode == 0, run.output
    check_answers(run, 'liteos')
    run.assert_has('hyp: vm liteos exited')


def test_input_for_a_stopped_vm_is_dropped_with_one_notice(tmp_path):
    bundle = make_bundle(tmp_path, two_guests_dts('input', 'input'))
    run = run_qemu_interactive(bundle, [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', b'hi starry\r'),
        ('hyp: vm starry exited', b'late\r'),
        ('hyp: console input for starry dropped', b'later\r' + CTRL_A + b'2' + b'to liteos\r'),
    ], timeout=60)
    assert run.returncode == 0, run.output
    assert run.output.count('hyp: console input for starry dropped: the VM is stopped') == 1, \
        run.output
    run.assert_has("[starry] starry: input line 'hi starry'",
                   "[liteos] liteos: input line 'to liteos'", 'hyp: all vms down')


def test_a_guest_that_does_not_read_gets_4_kib_then_a_notice(tmp_path):
    # starry spins for 4 s without reading its UART: 4 KiB wait for it, the rest is dropped.
    bundle = make_bundle(tmp_path, one_guest_dts('console-spin'))
    run = run_qemu_interactive(bundle, [('[starry] starry:', b'x' * 5000)], timeout=60)
    assert run.returncode == 0, run.output
    assert run.output.count('hyp: console input for starry dropped: its 4096-byte buffer is '
                            'full (it is not reading)') == 1, run.output
