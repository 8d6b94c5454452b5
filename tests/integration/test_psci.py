"""Guest PSCI: a second vCPU started and stopped, SGIs between vCPUs, VM reset."""
from conftest import make_bundle, run_qemu, run_qemu_interactive, scenario, two_guests_dts

CTRL_A = b'\x01'


def smp_vm(bootargs):
    return scenario(f'''
		starry {{
			kernel = "starry";
			memory = <0x0 0x40000000 0x0 0x01000000>;
			vcpus = <2>;
			cpu-affinity = <0 1>;
			bootargs = "probe {bootargs}";
		}};''')


def test_cpu_on_sgi_cpu_off(tmp_path):
    run = run_qemu(make_bundle(tmp_path, smp_vm('smp')))
    assert run.returncode == 0, run.output
    run.assert_order('hyp: vm starry: 16 MiB RAM at IPA 0x40000000 (eager), 2 vCPU on CPU 0,1',
                     "[starry] starry: hello from vm 'starry': 16 MiB RAM at 0x40000000, 2 vCPU",
                     'starry: PSCI CPU_ON(cpu 1) returned 0',
                     'starry: CPU_ON again returned -4',  # ALREADY_ON
                     'starry: cpu 1 took SGI 1 from cpu 0, turning itself off',
                     'starry: cpu 1 is off again', 'hyp: vm starry exited (system off)',
                     'hyp: all vms down')


def test_system_reset_restarts_with_fresh_memory(tmp_path):
    run = run_qemu(make_bundle(tmp_path, smp_vm('reset-once smp')))
    assert run.returncode == 0, run.output
    run.assert_order('starry: boot 0 after reset', 'starry: asking for a reset',
                     'hyp: vm starry reset (1)', 'starry: boot 1 after reset',
                     'starry: cpu 1 is off again', 'hyp: vm starry exited (system off)')
    assert run.output.count('asking for a reset') == 1, run.output
    run.assert_has('hyp: frame accounting consistent', 'vm-ram 0, vm-s2 0')


def test_reset_stops_a_running_secondary_and_cpu_on_works_after(tmp_path):
    run = run_qemu(make_bundle(tmp_path, smp_vm('reset-with-cpu1 smp')))
    assert run.returncode == 0, run.output
    run.assert_order('starry: cpu 1 is running; asking for a reset', 'hyp: vm starry reset (1)',
                     'starry: PSCI CPU_ON(cpu 1) returned 0',
                     'starry: cpu 1 took SGI 1 from cpu 0', 'starry: cpu 1 is off again',
                     'hyp: all vms down')


def test_cpu_off_of_last_vcpu_stops_the_vm(tmp_path):
    # CPU_ON after CPU_OFF (vCPU 1), then the last vCPU turns itself off: the VM is over.
    run = run_qemu(make_bundle(tmp_path, smp_vm('smp cpu-off')))
    assert run.returncode == 0, run.output
    run.assert_order('starry: cpu 1 is off again', 'starry: turning my last vCPU off',
                     'hyp: vm starry exited (all vCPUs off)', 'hyp: all vms down',
                     'hyp: frame accounting consistent')
    run.assert_lacks('PANIC')


def test_cpu_off_on_cpu0_keeps_console_input_for_the_other_guest(tmp_path):
    # The guest on CPU 0 (where the console's receive interrupt goes) turns its only vCPU off;
    # the guest on CPU 1 must still get keyboard input, and the machine must power off.
    bundle = make_bundle(tmp_path, two_guests_dts('cpu-off', 'input'))
    run = run_qemu_interactive(bundle, [
        ('hyp: vm starry exited (all vCPUs off)', b''),
        ('[liteos] liteos: waiting for a line of input', CTRL_A + b'2'),
        ('hyp: console input goes to liteos', b'still here\r'),
    ], timeout=40)
    assert run.returncode == 0, run.output
    run.assert_has("[liteos] liteos: input line 'still here'", 'hyp: all vms down')


def test_system_reset_from_vcpu1_restarts_vcpu0(tmp_path):
    # vCPU 0 computes without trapping; vCPU 1 resets: vCPU 0's CPU must be woken.
    run = run_qemu(make_bundle(tmp_path, smp_vm('reset-from-cpu1 smp')), timeout=30)
    assert run.returncode == 0, run.output
    run.assert_order('starry: cpu 1 asks for a reset', 'hyp: vm starry reset (1)',
                     'starry: boot 1 after reset', 'starry: PSCI CPU_ON(cpu 1) returned 0',
                     'starry: cpu 1 is off again', 'hyp: vm starry exited (system off)')


def test_two_vcpus_reset_at_once(tmp_path):
    run = run_qemu(make_bundle(tmp_path, smp_vm('reset-race smp')), timeout=30)
    assert run.returncode == 0, run.output
    run.assert_order('starry: both vCPUs ask for a reset', 'hyp: vm starry reset (1)',
                     'starry: boot 1 after reset', 'starry: cpu 1 is off again',
                     'hyp: vm starry exited (system off)', 'hyp: frame accounting consistent')
    assert run.output.count('hyp: vm starry reset') == 1, run.output
    run.assert_lacks('PANIC')


def test_two_vcpus_turn_off_at_once(tmp_path):
    run = run_qemu(make_bundle(tmp_path, smp_vm('off-race')), timeout=30)
    assert run.returncode == 0, run.output
    run.assert_order('starry: both vCPUs turn themselves off',
                     'hyp: vm starry exited (all vCPUs off)', 'hyp: all vms down',
                     'hyp: frame accounting consistent')
    assert run.output.count('exited') == 1, run.output
    run.assert_lacks('PANIC')


def test_sgi_sent_to_itself_while_active_comes_after_eoi(tmp_path):
    # GICv3: active and pending; the guest takes the second SGI right after its EOI, before
    # any trap would let the hypervisor deliver it.
    run = run_qemu(make_bundle(tmp_path, smp_vm('sgi-self-active')))
    assert run.returncode == 0, run.output
    run.assert_has('starry: SGI re-sent to itself while active: taken 2 times before the next '
                   'trap', 'hyp: vm starry exited (system off)')
