"""The boot bundle: images are checked against their SHA-256 before use; scenarios at build."""
import os
import re
import subprocess

from conftest import BUILD, ROOT, guest_image, make_bundle, run_qemu, scenario, two_guests_dts
from test_modules import two, vm


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
        (good.replace('cpu-affinity = <1>;', 'cpu-affinity = <8>;'),
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


def modules_scenario(starry_modules, liteos_modules='"signal"'):
    return scenario(vm('starry', 0, '', starry_modules), vm('liteos', 1, '', liteos_modules))


def test_scenario_naming_a_module_the_bundle_lacks_is_refused_at_boot(tmp_path):
    """The hypervisor knows modules from the bundle only: a scenario naming one the bundle does
    not hold stops the boot, naming the VM and the module (and what the bundle holds)."""
    images = {g: guest_image(g) for g in ('starry', 'liteos')}
    images['mod-signal'] = os.path.join(BUILD, 'modules', 'signal.strip.so')
    bundle = make_bundle(tmp_path, modules_scenario('"signal", "fatfs"'), images=images)
    run = run_qemu(bundle)
    run.assert_has('hyp: bundle: module signal ',
                   "hyp: scenario: /vms/starry: modules: vm starry: module 'fatfs' is not in "
                   'the bundle (it holds: signal)')
    run.assert_lacks('[starry]', '[liteos]', 'hyp: vm starry:')


def test_bundle_modules_are_listed_with_descriptor_fields(tmp_path):
    run = run_qemu(make_bundle(tmp_path, modules_scenario('"fatfs", "signal"')), timeout=30)
    assert run.returncode == 0, run.output
    run.assert_has('hyp: bundle: module fatfs 1.0 (fs), needs nothing',
                   'hyp: bundle: module signal 1.1 (signal), needs nothing')


def test_checker_refuses_a_module_the_build_lacks_naming_vm_module_and_line(tmp_path):
    text = modules_scenario('"fatfs", "nosuchmod"')
    res = check_scenario(tmp_path, text)
    assert res.returncode != 0, res.stdout
    expected = ("error: /vms/starry: modules: vm starry: module 'nosuchmod' is not in the bundle "
                '(it holds: ')
    line = [ln for ln in res.stdout.splitlines() if expected in ln]
    assert line, res.stdout
    lineno = int(line[0].split(':')[1])
    assert 'modules = "fatfs", "nosuchmod";' in text.splitlines()[lineno - 1], line
    # The same scenario with modules the build has passes.
    assert check_scenario(tmp_path, modules_scenario('"fatfs", "signal"')).returncode == 0


def module_needing(tmp_path, mod, need):
    """Bundle images where the built module `mod` has `needs = {need}` written into its
    descriptor (a new image, signed like any other when the bundle is made)."""
    import struct
    data = bytearray(open(os.path.join(BUILD, 'modules', f'{mod}.strip.so'), 'rb').read())
    at = data.find(struct.pack('<II', 0x444d564d, 2) + mod.encode() + b'\0')
    assert at > 0 and data.count(b'MVMD') == 1
    needs = at + 48  # magic, ABI, name[16], version, kind, init, exit
    assert data[needs:needs + 48] == bytes(48)
    data[needs:needs + len(need)] = need.encode()
    path = tmp_path / f'{mod}-needs-{need}.so'
    path.write_bytes(bytes(data))
    images = {g: guest_image(g) for g in ('starry', 'liteos')}
    for m in ('fatfs', 'signal'):
        images[f'mod-{m}'] = os.path.join(BUILD, 'modules', f'{m}.strip.so')
    images[f'mod-{mod}'] = str(path)
    return images


def test_a_module_needing_another_the_vm_does_not_list_is_refused_at_boot(tmp_path):
    images = module_needing(tmp_path, 'signal', 'fatfs')
    # Listed after it is not enough either: an eager VM loads them in list order.
    run = run_qemu(make_bundle(tmp_path, modules_scenario('"signal", "fatfs"', '"fatfs"'),
                               images=images, name='after'))
    run.assert_has("hyp: scenario: /vms/starry: modules: vm starry: module 'signal' needs "
                   "module 'fatfs', which the VM does not list before it")
    run.assert_lacks('[starry]', '[liteos]')
    run = run_qemu(make_bundle(tmp_path, modules_scenario('"fatfs", "signal"', '"signal"'),
                               images=images))
    run.assert_has('hyp: bundle: module signal 1.1 (signal), needs fatfs',
                   "hyp: scenario: /vms/liteos: modules: vm liteos: module 'signal' needs "
                   "module 'fatfs', which the VM does not list before it")
    run.assert_lacks('[starry]', '[liteos]')


def test_a_needed_module_cannot_be_unloaded_while_needed(tmp_path):
    images = module_needing(tmp_path, 'signal', 'fatfs')
    run = run_qemu(make_bundle(tmp_path, two('reload-fatfs'), images=images), timeout=40)
    assert run.returncode == 0, run.output
    run.assert_order('hyp: bundle: module signal 1.1 (signal), needs fatfs',
                     '[starry] starry: module signal 1.1 loaded at',
                     'hyp: vm starry: module fatfs not unloaded: module signal needs it',
                     '[starry] starry: unloading fatfs: -6')


def test_mod_list_reports_what_a_module_needs(tmp_path):
    """MOD_LIST gives each module's needs as bits naming records of the same list: with signal
    needing fatfs, starry's list says so for signal and nothing for fatfs."""
    images = module_needing(tmp_path, 'signal', 'fatfs')
    run = run_qemu(make_bundle(tmp_path, two('mod-list'), images=images), timeout=40)
    assert run.returncode == 0, run.output
    run.assert_order('[starry] starry: module list before loading: status 0, 2 of 2 records',
                     '[starry] starry: module fatfs 1.0 kind 1, 0 text pages\r',
                     '[starry] starry: module signal 1.1 kind 2, 0 text pages, needs fatfs',
                     '[starry] starry: module list after loading: status 0, 2 of 2 records',
                     '[starry] starry: module signal 1.1 kind 2 loaded resident')
    after = run.output[run.output.index('module list after loading'):]
    assert re.search(r'module signal 1\.1 kind 2 loaded resident, \d+ text pages, needs fatfs',
                     after), run.output
    assert not re.search(r'module fatfs 1\.0 kind 1 [^\n]*needs', run.output), run.output


def test_loading_a_module_before_the_one_it_needs_is_refused(tmp_path):
    """starry loads fatfs first (a file miss), then signal; with fatfs needing signal the first
    load is refused by name."""
    images = module_needing(tmp_path, 'fatfs', 'signal')
    both = '"signal", "fatfs"'  # what a module needs comes first in the list
    run = run_qemu(make_bundle(tmp_path, modules_scenario(both, both), images=images),
                   timeout=40)
    assert run.returncode == 0, run.output
    run.assert_order('hyp: bundle: module fatfs 1.0 (fs), needs signal',
                     "hyp: vm starry: module 'fatfs' refused: it needs module 'signal', not "
                     'loaded',
                     '[starry] starry: loading module fatfs failed: denied (-3)',
                     '[starry] starry: module signal 1.1 loaded at')
