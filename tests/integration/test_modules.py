"""Modules on demand: fatfs and signal loaded on first use, text shared, data private."""
import os
import re
import subprocess

from conftest import (BUILD, CTRL_A, fresh_disks, make_bundle, run_qemu, run_qemu_interactive,
                      scenario)

BOTH = '"fatfs", "signal"'


def vm(name, cpu, bootargs='', modules=BOTH, policy='eager'):
    mods = f'\n\t\t\tmodules = {modules};' if modules else ''
    return f'''
		{name} {{
			kernel = "{name}";
			memory = <0x0 0x40000000 0x0 0x02000000>;
			vcpus = <1>;
			cpu-affinity = <{cpu}>;
			memory-policy = "{policy}";
			bootargs = "{('probe ' + bootargs).strip() if name == 'starry' else bootargs}";
			disk = "{name}";{mods}
			module-window = <0x1 0x00000000 0x0 0x10000000>;
		}};'''


def two(starry='', liteos='', liteos_modules=BOTH):
    return scenario(vm('starry', 0, starry), vm('liteos', 1, liteos, liteos_modules))


def finish_both():
    return [('[liteos] liteos: waiting for a line of input', CTRL_A + b'2' + b'bye\r'),
            ("liteos: input line 'bye'", CTRL_A + b'1' + b'bye\r')]


def test_both_guests_load_both_modules_text_resident_once(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    run = run_qemu_interactive(make_bundle(tmp_path, two('input', 'input')), [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', CTRL_A + b'm'),
        ('hyp: module signal', b''),
    ] + finish_both(), disks=disks, timeout=40)
    assert run.returncode == 0, run.output
    for tag in ('starry', 'liteos'):
        run.assert_has(f'[{tag}] {tag}: open missed: no fatfs module, loading it',
                       f'[{tag}] {tag}: sigaction missed: no signal module, loading it',
                       f'[{tag}] {tag}: module fatfs: loaded on a miss',
                       f'[{tag}] {tag}: module signal: loaded on a miss',
                       f'[{tag}] {tag}: signals handled: SIGUSR1 1, SIGUSR2 1, SIGRTMIN 2',
                       f'{tag}: wrote and read back /{tag}-hello.txt')
    run.assert_lacks('CONTENTS DIFFER', 'refused', 'denied')
    for mod in ('fatfs', 'signal'):
        # One VM paid for the copy, the other mapped the same frames.
        assert len(re.findall(rf'hyp: vm \w+: module {mod} .*\(cold: text copied', run.output)) == 1
        assert len(re.findall(rf'\w+: module {mod} [\d.]+ loaded at 0x\w+ on a miss \(text shared '
                              r'with another VM, nothing copied\)', run.output)) == 1
        line = re.search(rf'hyp: module {mod} [\d.]+: resident once, (\d+) text pages, refs 2, '
                         r'mapped by \[(\w+),(\w+)\]', run.output)
        assert line and int(line.group(1)) > 0 and {line.group(2), line.group(3)} == \
            {'starry', 'liteos'}, run.output
    # The final report: each module's text is resident once and was mapped by both at once.
    assert re.search(r'hyp: module fatfs [\d.]+: resident once, \d+ text pages, refs 0, '
                     r'mapped by \[\], at most 2 VMs at once, 1 cold \+ 1 warm loads', run.output)
    run.assert_has('hyp: frame accounting consistent', 'vm-moddata 0')
    check_disks(disks)


def check_disks(disks):
    for tag, image in disks.items():
        out = subprocess.run(['mtype', '-i', image, f'::/{tag}-hello.txt'], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        assert out == f'hello from {tag}, written through the shared fatfs module\n'
        out = subprocess.run(['mtype', '-i', image, f'::/{tag}-dir/nested.txt'], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        assert out == 'a file in a directory\n'
        listing = subprocess.run(['mdir', '-b', '-i', image, '::/'], check=True,
                                 stdout=subprocess.PIPE, text=True).stdout
        other = 'liteos' if tag == 'starry' else 'starry'
        assert f'{tag}-hello.txt' in listing and f'{other}-hello.txt' not in listing, listing
        fsck = subprocess.run(['fsck.fat', '-n', image], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        assert fsck.returncode == 0, fsck.stdout


def test_default_run_writes_files_fsck_clean(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    run = run_qemu(make_bundle(tmp_path, two()), disks=disks, timeout=30)
    assert run.returncode == 0, run.output
    check_disks(disks)


def test_writing_shared_text_stops_only_that_guest(tmp_path):
    run = run_qemu(make_bundle(tmp_path, two('write-module-text', '')), timeout=30)
    assert run.returncode == 0, run.output
    run.assert_has('[starry] starry: writing into the text of module fatfs',
                   'hyp: vm starry exited (write to the shared text of module fatfs at IPA 0x1',
                   '[liteos] liteos: signals handled: SIGUSR1 1', 'hyp: vm liteos exited (system off)',
                   'hyp: all vms down', 'hyp: frame accounting consistent')
    run.assert_lacks('the write went through')
    # The other guest still read and wrote through the same text afterwards.
    run.assert_has('liteos: wrote and read back /liteos-hello.txt')


def test_module_denied_by_scenario_fails_cleanly(tmp_path):
    run = run_qemu(make_bundle(tmp_path, two('', '', liteos_modules='"signal"')), timeout=30)
    assert run.returncode == 0, run.output
    run.assert_has("hyp: vm liteos: module 'fatfs' denied: not allowed by the scenario",
                   '[liteos] liteos: loading module fatfs failed: denied (-3)',
                   '[liteos] liteos: writing /liteos-hello.txt failed (-19)',
                   '[liteos] liteos: signals handled: SIGUSR1 1',
                   'hyp: vm liteos exited (system off)',
                   'starry: wrote and read back /starry-hello.txt')


def test_altered_module_image_is_refused_by_name(tmp_path):
    bundle = make_bundle(tmp_path, two())
    data = bytearray(bundle.read_bytes())
    at = data.find(b'\x7fELF\x02\x01\x01')  # the first module image's ELF header
    assert at > 0
    data[at + 0x300] ^= 0x20
    bundle.write_bytes(bytes(data))
    run = run_qemu(bundle, timeout=30)
    assert run.returncode == 0, run.output
    refused = re.search(r"hyp: bundle: image 'mod-(\w+)' refused: sha256 mismatch", run.output)
    assert refused, run.output
    mod = refused.group(1)
    run.assert_has(f"hyp: vm starry: module '{mod}' refused: sha256 mismatch",
                   f'[starry] starry: loading module {mod} failed: denied (-3)',
                   'hyp: vm starry exited (system off)', 'hyp: vm liteos exited (system off)')


def test_unload_and_reload_while_other_keeps_it(tmp_path):
    run = run_qemu_interactive(make_bundle(tmp_path, two('reload-fatfs', 'input')), [
        ('[starry] starry: unloading fatfs: 0', CTRL_A + b'm'),
        (' unloads', b''),
    ] + finish_both()[:1], timeout=40)
    assert run.returncode == 0, run.output
    run.assert_order('[starry] starry: module fatfs: loaded on a miss',
                     '[starry] starry: unloading fatfs: 0',
                     '[starry] starry: open missed: no fatfs module, loading it')
    # At the default log level an unload is counted, not printed (docs/architecture.md).
    run.assert_lacks('hyp: vm starry: module fatfs unloaded')
    counted = re.search(r'hyp: module fatfs [\d.]+: .*, (\d+) unloads', run.output)
    assert counted and int(counted.group(1)) >= 1, run.output
    # liteos kept the text mapped, so the reload maps the same frames again.
    reload = run.output[run.output.index('[starry] starry: unloading fatfs: 0'):]
    assert re.search(r'\[starry\] starry: module fatfs [\d.]+ loaded at 0x100000000 on a miss '
                     r'\(text (shared with another VM|already cached), nothing copied\)', reload), \
        run.output
    assert not re.search(r'hyp: vm starry: module fatfs .*\(cold', reload), run.output
    assert reload.count('wrote and read back /starry-hello.txt: ') == 1
    run.assert_has("liteos: input line 'bye'", 'hyp: all vms down')


def test_build_checker_refuses_a_broken_module(tmp_path):
    """tools/modcheck (run by the build on every module) names the module and the rule."""
    import struct
    good = (tmp_path / '..').resolve()  # noqa: F841 (keeps pytest's tmp dir alive)
    src = os.path.join(BUILD, 'modules', 'signal.strip.so')
    data = bytearray(open(src, 'rb').read())
    phoff, = struct.unpack_from('<Q', data, 32)
    phnum, = struct.unpack_from('<H', data, 56)
    dyn_off = dyn_size = None
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from('<IIQQQQ', data, phoff + 56 * i)
        if p_type == 2:
            dyn_off, dyn_size = p_offset, p_filesz
    rela = None
    for off in range(dyn_off, dyn_off + dyn_size, 16):
        tag, val = struct.unpack_from('<qQ', data, off)
        if tag == 7:  # DT_RELA: a link address, equal to the file offset in the text segment
            rela = val
    assert rela is not None
    struct.pack_into('<Q', data, rela + 8, 257)  # first relocation becomes R_AARCH64_ABS64
    bad = tmp_path / 'signal.so'
    bad.write_bytes(bytes(data))
    res = subprocess.run([os.path.join(BUILD, 'tools', 'modcheck'), 'signal', str(bad)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert res.returncode == 1, res.stdout
    assert 'module signal' in res.stdout and 'R_AARCH64_RELATIVE' in res.stdout, res.stdout
    ok = subprocess.run([os.path.join(BUILD, 'tools', 'modcheck'), 'signal', src],
                        stdout=subprocess.PIPE, text=True)
    assert ok.returncode == 0 and 'module signal' in ok.stdout
