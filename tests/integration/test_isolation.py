"""Containment: a faulting guest is stopped and its memory freed, while the other runs on."""
from conftest import fresh_disks, make_bundle, run_qemu, scenario, two_guests_dts


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


def disk_vm(name, cpu, bootargs):
    return f'''
		{name} {{
			kernel = "{name}";
			memory = <0x0 0x40000000 0x0 0x01000000>;
			cpu-affinity = <{cpu}>;
			bootargs = "{('probe ' + bootargs).strip() if name == 'starry' else bootargs}";
			disk = "{name}";
		}};'''


def test_sector_written_lands_in_own_disk_only(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    dts = scenario(disk_vm('starry', 0, 'disk-sector'), disk_vm('liteos', 1, ''))
    run = run_qemu(make_bundle(tmp_path, dts), disks=disks)
    assert run.returncode == 0, run.output
    run.assert_has('[starry] starry: wrote sector 18000 (', 'and read it back: same')
    with open(disks['starry'], 'rb') as f:
        f.seek(18000 * 512)
        assert f.read(512).rstrip(b'\0') == b'modvisor starry sector 18000'
    with open(disks['liteos'], 'rb') as f:
        f.seek(18000 * 512)
        assert f.read(512) == bytes(512)


def test_malformed_disk_request_stops_only_that_guest(tmp_path):
    dts = scenario(disk_vm('starry', 0, 'bad-disk-request'), disk_vm('liteos', 1, 'disk-sector'))
    run = run_qemu(make_bundle(tmp_path, dts))
    assert run.returncode == 0, run.output
    run.assert_has('[starry] starry: asking the disk to read into IPA 0x20000000',
                   'hyp: vm starry exited (virtio-blk: ',
                   '[liteos] liteos: wrote sector 18000', 'hyp: vm liteos exited (system off)',
                   'hyp: all vms down', 'hyp: frame accounting consistent')
    run.assert_lacks('the bad request came back')
