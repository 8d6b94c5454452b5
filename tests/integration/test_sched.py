"""Time-shared vCPUs: several vCPUs on one physical CPU (hyp/sched_rq.c, hyp/vsched.c)."""
import json
import os
import subprocess

import pytest

from conftest import (CTRL_A, ROOT, fresh_disks, make_bundle, run_qemu, run_qemu_interactive,
                      scenario, vm_node)


def two_vcpu_node(name, affinity, bootargs):
    """A Starry VM with two vCPUs, both on the CPUs in `affinity`."""
    return f'''
		{name} {{
			kernel = "starry";
			memory = <0x0 0x40000000 0x0 0x01000000>;
			vcpus = <2>;
			cpu-affinity = <{affinity}>;
			bootargs = "probe {bootargs}";
		}};'''


def test_two_default_guests_share_cpu0(tmp_path):
    dts = scenario(vm_node('starry', 0), vm_node('liteos', 0))
    run = run_qemu(make_bundle(tmp_path, dts), timeout=60)
    assert run.returncode == 0, run.output
    run.assert_has('starry: 5 timer ticks at 100 Hz', 'liteos: 10 timer ticks at 100 Hz',
                   'hyp: all vms down')


def test_masked_spinner_cannot_starve_two_others(tmp_path):
    # Three VMs on the only CPU: the first spins with interrupts masked for 1.5 s and never
    # traps; the EL2 timer still ends its slices, so the others' ticks keep arriving.
    dts = scenario(vm_node('spinner', 0, 'probe spin-masked', kernel='starry'),
                   vm_node('liteos', 0), vm_node('starry', 0))
    run = run_qemu(make_bundle(tmp_path, dts), timeout=90, extra=('-smp', '1'))
    assert run.returncode == 0, run.output
    run.assert_order('[spinner] starry: spinning with interrupts masked',
                     'liteos: 10 timer ticks at 100 Hz')
    run.assert_order('[spinner] starry: spinning with interrupts masked',
                     '[starry] starry: 5 timer ticks at 100 Hz')
    run.assert_order('liteos: 10 timer ticks at 100 Hz',
                     '[spinner] starry: spun')
    run.assert_order('[starry] starry: 5 timer ticks at 100 Hz', '[spinner] starry: spun')
    run.assert_has('hyp: 1024 MiB RAM at 0x40000000, 1 CPUs', 'hyp: all vms down')


def test_registers_survive_vcpu_switches(tmp_path):
    # Both guests fill FP/SIMD and EL0/EL1 registers with values of their own and spin across
    # many slices on the same CPU: each finds its own values again.
    dts = scenario(vm_node('starry', 0, 'probe keep-registers'),
                   vm_node('liteos', 0, 'keep-registers'))
    run = run_qemu(make_bundle(tmp_path, dts), timeout=60)
    assert run.returncode == 0, run.output
    run.assert_has('[starry] starry: registers kept across 300 ms: yes',
                   '[liteos] liteos: registers kept across 300 ms: yes', 'hyp: all vms down')


def test_two_vcpus_of_one_vm_share_a_cpu_with_another_vm(tmp_path):
    # CPU_ON, an SGI that wakes the waiting vCPU 1, CPU_OFF: all on CPU 0, next to liteos.
    dts = scenario(two_vcpu_node('starry', '0 0', 'smp'), vm_node('liteos', 0))
    run = run_qemu(make_bundle(tmp_path, dts), timeout=60)
    assert run.returncode == 0, run.output
    run.assert_order('hyp: vm starry: 16 MiB RAM at IPA 0x40000000 (eager), 2 vCPU on CPU 0,0',
                     'starry: PSCI CPU_ON(cpu 1) returned 0',
                     'starry: cpu 1 took SGI 1 from cpu 0, turning itself off',
                     'starry: cpu 1 is off again', 'starry: 5 timer ticks at 100 Hz',
                     'hyp: all vms down')
    run.assert_has('liteos: 10 timer ticks at 100 Hz', 'hyp: frame accounting consistent')


@pytest.mark.parametrize('affinity', ['0 0', '0 1'])
def test_vm_stopped_while_descheduled(tmp_path, affinity):
    # vCPU 1 powers the VM off while vCPU 0 waits (WFI) off CPU 0, which it shares with
    # liteos: from the same CPU, or from CPU 1 (which must not wait for CPU 0 to let go of a
    # vCPU it no longer holds). liteos goes on and finishes.
    dts = scenario(two_vcpu_node('starry', affinity, 'stop-from-cpu1'), vm_node('liteos', 0))
    run = run_qemu(make_bundle(tmp_path, dts), timeout=60)
    assert run.returncode == 0, run.output
    run.assert_order('starry: cpu 1 powers the VM off', 'hyp: vm starry exited (system off)')
    run.assert_has('liteos: 10 timer ticks at 100 Hz', 'hyp: vm liteos exited (system off)',
                   'hyp: all vms down', 'hyp: frame accounting consistent')
    run.assert_lacks('PANIC', 'BUG')


def test_reset_while_descheduled(tmp_path):
    # vCPU 1 resets the VM while vCPU 0 computes but is off the CPU they share; the VM boots
    # again with fresh state and finishes normally, as does liteos on the same CPU.
    dts = scenario(two_vcpu_node('starry', '0 0', 'reset-from-cpu1'), vm_node('liteos', 0))
    run = run_qemu(make_bundle(tmp_path, dts), timeout=60)
    assert run.returncode == 0, run.output
    run.assert_order('starry: cpu 1 asks for a reset', 'hyp: vm starry reset (1)',
                     'starry: boot 1 after reset', '[starry] starry: 5 timer ticks at 100 Hz',
                     'hyp: vm starry exited (system off)')
    run.assert_has('liteos: 10 timer ticks at 100 Hz', 'hyp: all vms down',
                   'hyp: frame accounting consistent')
    run.assert_lacks('PANIC', 'BUG')


def test_two_cpu_bound_guests_get_half_each(tmp_path):
    # The bench's fairness run (exact under -icount): two guests spinning with interrupts
    # masked on CPU 0 for the same second of virtual time, and the switches between them.
    out = tmp_path / 'bench.json'
    res = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tests', 'bench', 'run.py'),
                          '--run', 'share', '--json', str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=300)
    assert res.returncode == 0, res.stdout
    cases = json.loads(out.read_text())['cases']
    assert 480 <= cases['fair_share']['value'] <= 520, res.stdout
    assert 0 < cases['vcpu_switch']['value'] < 5000, res.stdout
    assert cases['fair_share']['repeatable'] and cases['vcpu_switch']['repeatable'], res.stdout


def test_console_input_wakes_waiting_guests_on_a_shared_cpu(tmp_path):
    # Both guests wait in WFI (blocked, off the CPU they share) for a line: the console's
    # receive interrupt, injected by CPU 0, must wake each one.
    dts = scenario(vm_node('starry', 0, 'input'), vm_node('liteos', 0, 'input'))
    run = run_qemu_interactive(make_bundle(tmp_path, dts), [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', CTRL_A + b'2'),
        ('hyp: console input goes to liteos', b'hello liteos\r'),
        ('[liteos] liteos: input line', CTRL_A + b'1'),
        ('hyp: console input goes to starry', b'hi starry\r'),
    ], timeout=60)
    assert run.returncode == 0, run.output
    run.assert_has("[liteos] liteos: input line 'hello liteos'",
                   "[starry] starry: input line 'hi starry'", 'hyp: all vms down')


def test_default_guests_pass_their_tests_sharing_cpu0(tmp_path):
    # The default scenario with liteos moved to CPU 0: Starry's Linux init runs its tests
    # (processes, signals, pipes, preemption of a spinning child) and liteos its demo, both
    # time-sharing one CPU, then each shell exits.
    with open(os.path.join(ROOT, 'configs', 'two-guests.dts')) as f:
        dts = f.read()
    assert dts.count('cpu-affinity = <1>;') == 1
    dts = dts.replace('cpu-affinity = <1>;', 'cpu-affinity = <0>;')
    bundle = make_bundle(tmp_path, dts)
    run = run_qemu_interactive(bundle, [
        ("[starry] Enter 'help' for a list of built-in commands.", CTRL_A + b'1' + b'exit\r'),
        ('[liteos] liteos: shell ready', CTRL_A + b'2' + b'exit\r'),
    ], timeout=240, disks=fresh_disks(str(tmp_path / 'disks')))
    assert run.returncode == 0, run.output
    run.assert_has('hyp: vm starry: 32 MiB RAM at IPA 0x40000000 (lazy), 1 vCPU on CPU 0',
                   'hyp: vm liteos: 16 MiB RAM at IPA 0x40000000 (eager), 1 vCPU on CPU 0',
                   'init: summary: ', ' passed, 0 failed', '[starry] init: the shell exited',
                   '[liteos] liteos: demo: done in', 'hyp: vm liteos exited (system off)',
                   'hyp: vm starry exited (system off)', 'hyp: all vms down',
                   'hyp: frame accounting consistent')
    run.assert_lacks('PANIC', ' 1 failed', 'FAIL')
