"""Many guests: four pinned on -smp 4 with their own disks, the focus keys, the console views,
and configs/many-guests.dts (six VMs time-sharing two CPUs)."""
import os
import re
import subprocess

from conftest import (CTRL_A, ROOT, bundle_smp, compile_scenario, make_bundle, modver, run_qemu,
                      run_qemu_interactive, scenario, scenario_disks, scenario_query, vm_node)

WINDOW = '\n\t\t\tmodules = "fatfs", "signal";' \
    '\n\t\t\tmodule-window = <0x1 0x0 0x0 0x10000000>;'


def make_disks(names):
    """The Makefile's disk images (starry2 and the like are copies with their own HELLO.TXT)."""
    subprocess.run(['make', '-s', '-C', ROOT, *[f'build/disks/{n}.img' for n in names]],
                   check=True, stdout=subprocess.DEVNULL)


def config_text(config, starry='probe', liteos=''):
    """A config's scenario, its shells replaced by self-tests that end by themselves."""
    with open(os.path.join(ROOT, 'configs', f'{config}.dts')) as f:
        return f.read().replace('bootargs = "-- shell";', f'bootargs = "{starry}";').replace(
            'bootargs = "shell";', f'bootargs = "{liteos}";')


def boot_config(tmp_path, config, starry='probe', liteos='', script=None, timeout=120):
    text = config_text(config, starry, liteos)
    _, dtb = compile_scenario(tmp_path, text, 'check')
    disks = scenario_query(dtb, 'disks')
    assert disks, f'{config} is refused by the scenario checker'
    make_disks(disks)
    bundle = make_bundle(tmp_path, text, name=config)
    files = scenario_disks(tmp_path / 'disks', disks)
    if script is None:
        return run_qemu(bundle, timeout=timeout, disks=files), files
    return run_qemu_interactive(bundle, script, timeout=timeout, disks=files), files


def assert_wrote_its_own_disk(files, name, kind):
    """The guest's file went to its disk, and to no other (the hypervisor binds one disk each)."""
    for disk, img in files.items():
        listing = subprocess.run(['mdir', '-b', '-i', img, '::/'], stdout=subprocess.PIPE,
                                 text=True, check=True).stdout
        hello = subprocess.run(['mtype', '-i', img, '::/HELLO.TXT'], stdout=subprocess.PIPE,
                               text=True, check=True).stdout
        assert hello == f'hello from the host, disk {disk}\n'
        if disk == name:
            assert f'::/{kind.upper()}-HELLO.TXT' in listing.upper(), listing
            text = subprocess.run(['mtype', '-i', img, f'::/{kind}-hello.txt'],
                                  stdout=subprocess.PIPE, text=True, check=True).stdout
            assert text.startswith(f'hello from {kind}, written through the shared fatfs')
        elif not disk.startswith(kind):
            assert f'{kind.upper()}-HELLO.TXT' not in listing.upper(), listing


FOUR = (('starry', 'starry'), ('liteos', 'liteos'), ('starry2', 'starry'), ('liteos2', 'liteos'))


def test_smp_comes_from_the_scenario(tmp_path):
    """-smp is the highest cpu-affinity + 1 (at least 2 in the tests); 2 when refused."""
    cases = [(scenario(vm_node('starry', 0)), 2),
             (scenario(vm_node('starry', 0), vm_node('liteos', 3)), 4),
             (scenario(vm_node('a', 5, kernel='liteos'), vm_node('b', 2, kernel='liteos')), 6),
             (scenario(vm_node('a', 1, kernel='liteos'), vm_node('b', 1, kernel='liteos')), 2)]
    for i, (text, smp) in enumerate(cases):
        bundle = make_bundle(tmp_path, text, name=f's{i}')
        assert bundle_smp(bundle) == smp, text
    # The Makefile asks the same question of the scenario it runs, once it is compiled (`make
    # -n` alone would not compile it, and a real `make run` compiles it before QEMU starts).
    subprocess.run(['make', '-s', '-C', ROOT, 'CONFIG=four-guests',
                    'build/configs/four-guests.dtb'], check=True, stdout=subprocess.DEVNULL)
    res = subprocess.run(['make', '-s', '-n', '-C', ROOT, 'CONFIG=four-guests', 'run'],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert re.search(r'qemu-system-aarch64 .*-smp 4 .*serial=liteos2 ', res.stdout), res.stdout


def test_four_guests_pinned_each_with_its_own_disk(tmp_path):
    run, files = boot_config(tmp_path, 'four-guests')
    assert run.returncode == 0, run.output
    run.assert_has('4 CPUs', 'hyp: all vms down', 'hyp: frame accounting consistent')
    run.assert_lacks('PANIC', 'refused', 'not found')
    for cpu, (name, kind) in enumerate(FOUR):
        run.assert_has(f'hyp: vm {name}: ', f'1 vCPU on CPU {cpu}, kernel \'{kind}\'',
                       f"hyp: disk '{name}': virtio-blk",
                       f'[{name}] {kind}: / holds: HELLO.TXT ', f'{kind}-hello.txt {kind}-dir/',
                       f'[{name}] {kind}: module fatfs 1.0 loaded at 0x100000000 on a miss',
                       f'[{name}] {kind}: module signal 1.1 loaded at 0x100400000 on a miss',
                       f'hyp: vm {name} exited')
        assert_wrote_its_own_disk(files, name, kind)
    # One copy of each module's text for the four guests: the first load is cold, the other
    # three map the same frames.
    for mod in ('fatfs', 'signal'):
        assert len(re.findall(rf'module {mod} {modver(mod, True)} at .*\(cold', run.output)) == 1, run.output
        run.assert_has(f'hyp: module {mod} {modver(mod)}: resident once', '1 cold + 3 warm loads')


def test_focus_keys_reach_every_vm_and_views_list_them(tmp_path):
    """Ctrl-A n/p walk the VMs (the way to the 10th and later), 2..4 pick one; l and m show all."""
    wait = [(f'[{n}] {k}: waiting for a line of input', b'') for n, k in FOUR]
    script = wait + [
        ('waiting', CTRL_A + b'n'),
        ('hyp: console input goes to liteos (VM 2)', CTRL_A + b'p'),
        ('hyp: console input goes to starry (VM 1)', CTRL_A + b'p'),
        ('hyp: console input goes to liteos2 (VM 4)', CTRL_A + b'l'),
        ('hyp: 4: liteos2, running, 1 vCPU on CPU 3', CTRL_A + b'm'),
        ('hyp: module signal', CTRL_A + b'f'),
        ('hyp: memory now:', b'to liteos2\r'),
        ("[liteos2] liteos: input line 'to liteos2'", CTRL_A + b'n'),
        # liteos2 has stopped: from it, next and previous skip to the running ones.
        ('hyp: console input goes to starry (VM 1)', CTRL_A + b'p'),
        ('hyp: console input goes to starry2 (VM 3)', b'to starry2\r'),
        ("[starry2] starry: input line 'to starry2'", CTRL_A + b'3'),
        ('hyp: console input goes to starry2 (VM 3)', CTRL_A + b'5'),
        ('hyp: no VM 5', CTRL_A + b'2' + b'to liteos\r'),
        ("[liteos] liteos: input line 'to liteos'", CTRL_A + b'1' + b'to starry\r'),
    ]
    run, _ = boot_config(tmp_path, 'four-guests', 'probe input', 'input', script, timeout=150)
    assert run.returncode == 0, run.output
    run.assert_has("[starry] starry: input line 'to starry'",
                   'hyp: 1: starry, running, 1 vCPU on CPU 0, ',
                   'hyp: 3: starry2, running, 1 vCPU on CPU 2, ')
    # Every VM maps both modules when m is typed: the cache lists all four as mappers.
    for mod in ('fatfs', 'signal'):
        run.assert_has(f'hyp: module {mod} {modver(mod)}: resident once')
        line = re.search(rf'hyp: module {mod} {modver(mod, True)}: .*mapped by \[([^\]]*)\]', run.output)
        assert line and line.group(1) == 'starry,liteos,starry2,liteos2', run.output
    # The live footprint table has a row per running VM.
    table = run.output[run.output.index('hyp: memory now:'):]
    for name, _ in FOUR:
        assert re.search(rf'hyp: {name} +\d+', table), table


def test_module_view_names_every_mapper_with_long_names(tmp_path):
    """Ctrl-A m lists all mappers however long the names (a fixed 64-byte list overflowed)."""
    names = [f'liteos-guest-0{i}' for i in range(1, 6)]
    nodes = [vm_node(n, i, 'input', kernel='liteos', extra=WINDOW) for i, n in enumerate(names)]
    bundle = make_bundle(tmp_path, scenario(*nodes))
    script = [(f'[{n}] liteos: waiting for a line of input', b'') for n in names]
    script += [('waiting', CTRL_A + b'm'), ('hyp: module signal', CTRL_A + b'1' + b'x\r')]
    run = run_qemu_interactive(bundle, script, timeout=150, disks={})
    assert run.returncode == 0, run.output
    run.assert_has('5 CPUs')
    # Without a disk the guests load only the signal module.
    line = re.search(r'hyp: module signal 1\.1: .*mapped by \[([^\]]*)\]', run.output)
    assert line and line.group(1) == ','.join(names), run.output
    # The memory table keeps its columns with 15-character names.
    lines = run.output.splitlines()
    head = next(ln for ln in lines if 'RSS KiB' in ln)
    row = next(ln for ln in lines if ln.startswith('hyp: liteos-guest-05 '))
    assert head.index('RSS KiB') + len('RSS KiB') == re.search(r' \d+', row[20:]).end() + 20, \
        f'{head}\n{row}'



def test_many_guests_on_two_cpus(tmp_path):
    """configs/many-guests.dts: six VMs time-sharing two CPUs, each loading both modules."""
    res = subprocess.run(['make', '-s', '-C', ROOT, 'check-scenario',
                          'SCENARIO=configs/many-guests.dts'],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert res.returncode == 0, res.stdout
    run, files = boot_config(tmp_path, 'many-guests', timeout=300)
    assert run.returncode == 0, run.output
    run.assert_has('2 CPUs', 'hyp: all vms down', 'hyp: frame accounting consistent')
    run.assert_lacks('PANIC')
    for i in range(6):
        kind = ('starry', 'liteos')[i % 2]
        name = kind + ('' if i < 2 else str(i // 2 + 1))
        run.assert_has(f'[{name}] {kind}: module fatfs 1.0 loaded at 0x100000000 on a miss',
                       f'[{name}] {kind}: module signal 1.1 loaded at 0x100400000 on a miss',
                       f'hyp: vm {name} exited')
        assert_wrote_its_own_disk(files, name, kind)


def test_sharing_curve_every_guest_adds_only_its_module_data(tmp_path):
    """make footprint's sweep: N = 1, 2, 4, 8 and 16 guests (8 and 16 time-sharing 4 CPUs) with
    sharing on and off; with sharing the text stays one copy whatever N."""
    logs = tmp_path / 'fp'
    subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tests', 'bench', 'run.py'),
                    '--footprint', str(logs), '--sweep-only'], check=True, timeout=900,
                   stdout=subprocess.PIPE)
    png = tmp_path / 'sweep.png'
    out = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools', 'footprint.py'),
                          '--sweep', str(logs), '--sweep-png', str(png)], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    assert png.stat().st_size > 1000
    one = re.search(r'^- met: 1 guest: text (\d+) KiB resident once, mapped by 1, 0 KiB saved; '
                    r'each guest adds (\d+) KiB of module data$', out, re.M)
    assert one, out
    text, data = int(one.group(1)), int(one.group(2))
    assert text > 0 and data > 0
    for n in (2, 4, 8, 16):
        assert re.search(rf'^- met: {n} guests: text {text} KiB resident once, mapped by {n}, '
                         rf'{(n - 1) * text} KiB saved; each guest adds {data} KiB of module '
                         rf'data$', out, re.M), out
    for n in (1, 2, 4, 8, 16):
        # Without sharing every guest has its own copy of the text.
        assert re.search(rf'^\| {n} \| off \| \d+ \| \d+ \| {n * text} \| 0 \| {n * data} \|$',
                         out, re.M), out
    assert 'MISSED' not in out
    for n in (8, 16):
        assert re.search(rf'^\| {n} \| on \| (skipped: error: .*cpu-affinity|\d+ )', out,
                         re.M), out


def test_sixteen_disks_one_per_vm(tmp_path):
    """The hypervisor drives 16 disks (one per VM at most): none is ignored, any can be given."""
    names = ['liteos'] + [f'liteos{i}' for i in range(2, 17)]
    make_disks(names)
    files = scenario_disks(tmp_path / 'disks', names)
    node = vm_node('liteos', 0, extra='\n\t\t\tdisk = "liteos16";' + WINDOW)
    run = run_qemu(make_bundle(tmp_path, scenario(node)), timeout=60, disks=files)
    assert run.returncode == 0, run.output
    run.assert_lacks('ignored', 'not started')
    for name in names:
        run.assert_has(f"hyp: disk '{name}': virtio-blk")
    assert_wrote_its_own_disk({'liteos16': files['liteos16'], 'liteos': files['liteos']},
                              'liteos16', 'liteos')


def shells_session(tmp_path, config, names, cpus, timeout):
    """Boots a config as `make run CONFIG=...` does and plays its shells in VM order: each
    prints its own disk's HELLO.TXT, then each exits; checks all of it and Starry's init."""
    script = [(f"[{n}] Enter 'help' for a list of built-in commands." if n.startswith('starry')
               else f'[{n}] liteos: shell ready', b'') for n in names]
    for digit, name in enumerate(names, start=1):
        script.append(('shell ready' if digit == 1 else f'disk {names[digit - 2]}\r\n',
                       CTRL_A + str(digit).encode() + b'cat /HELLO.TXT\r'))
    script.append((f'disk {names[-1]}\r\n', b''))
    for digit in range(1, len(names) + 1):
        script.append(('hyp: console input goes to' if digit == 1 else f'VM {digit - 1})',
                       CTRL_A + str(digit).encode() + b'exit\r'))
    run, _ = boot_config(tmp_path, config, starry='-- shell', liteos='shell', script=script,
                         timeout=timeout)
    assert run.returncode == 0, run.output
    run.assert_has(f'{cpus} CPUs', 'hyp: all vms down', 'hyp: frame accounting consistent')
    run.assert_lacks('PANIC')
    for name in names:
        assert re.search(rf'^\[{name}\] hello from the host, disk {name}\r?$', run.output,
                         re.M), run.output
        run.assert_has(f'hyp: vm {name} exited (system off)')
        if name.startswith('starry'):
            run.assert_has(f'[{name}] init: summary: 18 passed, 0 failed')


def test_four_guests_end_at_their_shells(tmp_path):
    """configs/four-guests.dts: four pinned guests' shells, reached with Ctrl-A and a digit."""
    shells_session(tmp_path, 'four-guests', [name for name, _ in FOUR], 4, timeout=300)


def test_many_guests_end_at_their_shells(tmp_path):
    """configs/many-guests.dts: six guests time-sharing two CPUs, six shells."""
    shells_session(tmp_path, 'many-guests',
                   ('starry', 'liteos', 'starry2', 'liteos2', 'starry3', 'liteos3'), 2,
                   timeout=600)
