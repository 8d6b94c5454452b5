"""The shared console: focus switching with Ctrl-A, input reaching only the focused guest."""
import re

from conftest import make_bundle, one_guest_dts, run_qemu_interactive, two_guests_dts

CTRL_A = b'\x01'


def test_input_reaches_only_the_focused_guest(tmp_path):
    bundle = make_bundle(tmp_path, two_guests_dts('input', 'input'))
    run = run_qemu_interactive(bundle, [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', CTRL_A + b'2'),
        ('hyp: console input goes to liteos', b'hello liteos\r'),
        ('[liteos] liteos: input line', CTRL_A + b'1'),
        ('hyp: console input goes to starry', b'hi starry\r'),
    ])
    assert run.returncode == 0, run.output
    run.assert_has("[liteos] liteos: input line 'hello liteos'",
                   "[starry] starry: input line 'hi starry'", 'hyp: all vms down')
    run.assert_lacks("starry: input line 'hello", "liteos: input line 'hi", 'no input')


def test_console_commands_list_and_help(tmp_path):
    bundle = make_bundle(tmp_path, two_guests_dts('input', 'input'))
    run = run_qemu_interactive(bundle, [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', CTRL_A + b'h'),
        ('hyp: console: Ctrl-A then', CTRL_A + b'l'),
        ('hyp: 2: liteos', CTRL_A + b'9'),
        ('hyp: no VM 9', b'to starry\r'),
        ("starry: input line 'to starry'", CTRL_A + b'2' + b'to liteos\r'),
    ])
    assert run.returncode == 0, run.output
    run.assert_has('hyp: 1: starry, running, 1 vCPU on CPU 0',
                   'hyp: 2: liteos, running, 1 vCPU on CPU 1', "liteos: input line 'to liteos'")


def test_lazy_guest_maps_only_what_it_touches(tmp_path):
    bundle = make_bundle(tmp_path, one_guest_dts('input', policy='lazy'))
    run = run_qemu_interactive(bundle, [
        ('[starry] starry: waiting for a line of input', CTRL_A + b'l'),
        ('KiB RAM mapped', b'done\r'),
    ])
    assert run.returncode == 0, run.output
    mapped = int(re.search(r'hyp: 1: starry, running, .*?(\d+) KiB RAM mapped',
                           run.output).group(1))
    # 16 MiB of RAM, but the kernel, its DTB, stack and tables touch well under 1 MiB.
    assert 0 < mapped < 1024, run.output
    run.assert_has('(lazy)', "starry: input line 'done'")
