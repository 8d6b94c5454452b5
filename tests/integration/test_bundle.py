"""The boot bundle: images are checked against their SHA-256 before use; scenarios at build."""
import subprocess

from conftest import ROOT, make_bundle, run_qemu, two_guests_dts


def corrupt_image(bundle, needle):
    """Flips one byte inside an image's data, leaving its recorded hash as it was."""
    data = bytearray(bundle.read_bytes())
    at = data.find(needle)
    assert at > 0, 'marker not found in bundle'
    data[at] ^= 0xff
    bundle.write_bytes(bytes(data))


def test_corrupted_guest_image_is_refused_by_name(tmp_path):
    bundle = make_bundle(tmp_path, two_guests_dts())
    corrupt_image(bundle, b'LOS kernel starting')
    run = run_qemu(bundle)
    assert run.returncode == 0, run.output
    run.assert_has("hyp: bundle: image 'liteos' refused: sha256 mismatch",
                   "hyp: vm liteos not started: kernel image 'liteos' was refused",
                   'hyp: bundle: starry,', '[starry] starry: 5 timer ticks',
                   'hyp: vm starry exited (system off)', 'hyp: all vms down')
    run.assert_lacks('[liteos]')


def test_corrupted_scenario_is_refused(tmp_path):
    bundle = make_bundle(tmp_path, two_guests_dts())
    corrupt_image(bundle, b'modvisor,scenario')
    run = run_qemu(bundle)
    run.assert_has("hyp: bundle: image 'scenario' refused: sha256 mismatch",
                   'hyp: bundle has no usable scenario image', 'hyp: all vms down')
    run.assert_lacks('[starry]', '[liteos]')


def check_scenario(tmp_path, text):
    dts = tmp_path / 'bad.dts'
    dts.write_text(text)
    return subprocess.run(['make', '-s', '-C', ROOT, 'check-scenario', f'SCENARIO={dts}'],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_good_scenario_passes_the_checker(tmp_path):
    res = check_scenario(tmp_path, two_guests_dts())
    assert res.returncode == 0, res.stdout
    assert '2 VMs ok' in res.stdout


def test_vms_sharing_a_cpu_pass_the_checker(tmp_path):
    # Time-shared CPUs: two VMs, and two vCPUs of one VM, may name the same CPU.
    text = two_guests_dts().replace('cpu-affinity = <1>;', 'cpu-affinity = <0>;')
    res = check_scenario(tmp_path, text)
    assert res.returncode == 0, res.stdout
    assert '2 VMs ok' in res.stdout


def test_malformed_scenarios_fail_naming_line_node_and_property(tmp_path):
    good = two_guests_dts()
    cases = [
        (good.replace('memory = <0x0 0x40000000 0x0 0x01000000>;\n\t\t\tvcpus = <1>;\n\t\t\t'
                      'cpu-affinity = <1>;',
                      'memory = <0x0 0x40000000 0x0 0x01000800>;\n\t\t\tvcpus = <1>;\n\t\t\t'
                      'cpu-affinity = <1>;'),
         '/vms/liteos: memory: base and size must be non-zero and 4 KiB aligned'),
        (good.replace('"modvisor,scenario";', '"modvisor,scenario";\n\ttime-slice-ms = <0>;'),
         '/: time-slice-ms: must be between 1 and 1000'),
        (good.replace('cpu-affinity = <1>;', 'cpu-affinity = <7>;'),
         '/vms/liteos: cpu-affinity: names a CPU the machine does not have'),
        (good.replace('memory-policy = "eager";', 'memory-policy = "sometimes";', 1),
         '/vms/starry: memory-policy: must be "eager" or "lazy"'),
        (good.replace('kernel = "starry";', '', 1),
         '/vms/starry: kernel: required property missing'),
        (good.replace('memory = <0x0 0x40000000', 'memory = <0x0 0x08000000', 1),
         '/vms/starry: memory: RAM overlaps the guest device window'),
    ]
    for text, expected in cases:
        assert text != good
        res = check_scenario(tmp_path, text)
        assert res.returncode != 0, f'accepted:\n{text}'
        assert expected in res.stdout, res.stdout
        # The message names the file and the line of the offending property.
        line = [ln for ln in res.stdout.splitlines() if expected in ln][0]
        lineno = int(line.split(':')[1])
        prop = expected.split(': ')[1]
        src_line = text.splitlines()[lineno - 1]
        assert prop in src_line or expected.split(':')[0].split('/')[-1] in src_line, \
            (line, src_line)
