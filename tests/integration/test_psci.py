"""Guest PSCI: a second vCPU started and stopped, SGIs between vCPUs, VM reset."""
from conftest import make_bundle, run_qemu, scenario


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
