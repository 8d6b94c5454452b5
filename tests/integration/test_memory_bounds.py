"""Guest memory is bounded: a scenario the host cannot back is refused at build and at boot, and
with memory-overcommit a VM that runs out is stopped as out of memory while the other runs on."""
import os
import re
import subprocess

from conftest import BUILD, compile_scenario, make_bundle, run_qemu, scenario, vm_node

SCENARIO_CHECK = os.path.join(BUILD, 'tools', 'scenario-check')
HOG_RAM = '0x80000000'  # 2 GiB of lazy RAM on a 1 GiB host


def hog_dts(overcommit, hog_args='', other_args='', other_policy='eager',
            other_size='0x01000000'):
    text = scenario(vm_node('liteos', 1, other_args, other_policy, other_size),
                    vm_node('starry', 0, hog_args, 'lazy', HOG_RAM))
    if overcommit:
        text = text.replace('compatible = "modvisor,scenario";',
                            'compatible = "modvisor,scenario";\n\tmemory-overcommit;')
    return text


def memory_line(dts_text, vm):
    """1-based line of `memory = ...` inside node `vm`."""
    lines = dts_text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(vm + ' {'))
    return next(i for i in range(start, len(lines)) if 'memory =' in lines[i]) + 1


def check(tmp_path, text):
    dts, dtb = compile_scenario(tmp_path, text)
    return subprocess.run([SCENARIO_CHECK, str(dtb), str(dts)], capture_output=True, text=True)


def test_checker_refuses_lazy_vm_bigger_than_host(tmp_path):
    text = hog_dts(False)
    res = check(tmp_path, text)
    assert res.returncode == 1, res.stdout + res.stderr
    line = memory_line(text, 'starry')
    assert re.search(rf'scenario\.dts:{line}: error: /vms/starry: memory: vm starry may need '
                     r'\d+ MiB \(RAM 524288, stage-2 tables \d+, module data 0 pages\) but only '
                     r'\d+ MiB are left for it: overcommitted by \d+ pages \(\d+ MiB\)',
                     res.stderr), res.stderr
    assert 'liteos' not in res.stderr


def test_checker_refuses_eager_vm_bigger_than_host(tmp_path):
    text = scenario(vm_node('liteos', 1, '', 'eager', '0x40000000'))
    res = check(tmp_path, text)
    assert res.returncode == 1
    assert f':{memory_line(text, "liteos")}: error: /vms/liteos: memory: vm liteos may need' \
        in res.stderr, res.stderr


def test_checker_accepts_overcommit_with_warning(tmp_path):
    text = hog_dts(True)
    res = check(tmp_path, text)
    assert res.returncode == 0, res.stderr
    assert f':{memory_line(text, "starry")}: warning: memory-overcommit: /vms/starry: memory: ' \
        'vm starry may need' in res.stderr, res.stderr
    assert 'liteos' not in res.stderr  # the small eager VM is covered in full


def test_checker_refuses_valued_overcommit(tmp_path):
    text = hog_dts(False).replace('compatible = "modvisor,scenario";',
                                  'compatible = "modvisor,scenario";\n\tmemory-overcommit = "yes";')
    res = check(tmp_path, text)
    assert res.returncode == 1
    assert 'memory-overcommit: takes no value' in res.stderr, res.stderr


def test_hypervisor_refuses_lazy_vm_bigger_than_host(tmp_path):
    # make_bundle does not run the checker: the hypervisor must refuse on its own.
    run = run_qemu(make_bundle(tmp_path, hog_dts(False)))
    assert run.returncode == 0, run.output
    assert re.search(r'hyp: scenario: /vms/starry: memory: vm starry may need \d+ MiB .* '
                     r'overcommitted by \d+ pages', run.output), run.output
    run.assert_has('hyp: all vms down')
    run.assert_lacks('[starry]', '[liteos]', 'PANIC')


def test_overcommitted_vm_stops_out_of_memory_other_runs_on(tmp_path):
    # The other VM is lazy too: it waits 15 s while the hog exhausts the host, then touches all
    # of its RAM, which comes from its reservation: the hog could not take it.
    run = run_qemu(make_bundle(tmp_path, hog_dts(True, 'touch-memory', 'touch-memory touch-late',
                                                 'lazy', '0x04000000')), timeout=240)
    assert run.returncode == 0, run.output
    run.assert_has('hyp: scenario: warning: memory-overcommit: vm starry may need',
                   '[liteos] liteos: touched all 56 MiB, contents intact',
                   '[liteos] liteos: 10 timer ticks at 100 Hz',
                   'hyp: frame accounting consistent', 'vm-ram 0, vm-s2 0')
    oom = re.search(r'hyp: vm starry exited \(out of memory at IPA 0x[0-9a-f]+: the host has no '
                    r'free page left for it: quota (\d+) pages used of (\d+), (\d+) reserved\)',
                    run.output)
    assert oom, run.output
    used, limit, reserved = (int(g) for g in oom.groups())
    assert used <= reserved < limit  # all it got was its own reservation
    run.assert_lacks('stage-2 data abort', 'touched all 2', 'PANIC', 'lost its contents')
    run.assert_order('[starry] starry: touched 128 MiB', 'hyp: vm starry exited (out of memory',
                     '[liteos] liteos: touched all 56 MiB', 'hyp: vm liteos exited (system off)',
                     'hyp: all vms down')


def module_pages(name):
    """Text and data pages of a built module: its two PT_LOAD segments, page-rounded."""
    out = subprocess.run(['aarch64-linux-gnu-readelf', '-lW',
                          os.path.join(BUILD, 'modules', f'{name}.strip.so')],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    sizes = [int(line.split()[5], 16) for line in out.splitlines()
             if line.strip().startswith('LOAD')]
    return [(size + 4095) // 4096 for size in sizes]


def test_reserves_hold_the_modules_real_sizes(tmp_path):
    """The module text reserve and each VM's module data quota are what the bundle's modules
    take, not a 4 MiB slot per module: at build time (the checker given the built modules) and
    at boot."""
    (fat_text, fat_data), (sig_text, sig_data) = module_pages('fatfs'), module_pages('signal')
    mods = ('\n\t\t\tmodules = "fatfs", "signal";'
            '\n\t\t\tmodule-window = <0x1 0x00000000 0x0 0x10000000>;')
    text = scenario(vm_node('starry', 0, '', 'lazy', HOG_RAM, extra=mods))
    dts, dtb = compile_scenario(tmp_path, text)
    res = subprocess.run([SCENARIO_CHECK, str(dtb), str(dts)] +
                         [f'{m}={os.path.join(BUILD, "modules", m + ".strip.so")}'
                          for m in ('fatfs', 'signal')], capture_output=True, text=True)
    assert res.returncode == 1, res.stdout + res.stderr
    assert f'module data {fat_data + sig_data} pages)' in res.stderr, res.stderr
    run = run_qemu(make_bundle(tmp_path, two_vm_modules_dts()))
    assert run.returncode == 0, run.output
    run.assert_has(f'MiB free for VMs, {(fat_text + sig_text) * 4} KiB kept for module text')


def two_vm_modules_dts():
    mods = ('\n\t\t\tmodules = "fatfs", "signal";'
            '\n\t\t\tmodule-window = <0x1 0x00000000 0x0 0x10000000>;')
    return scenario(vm_node('starry', 0, '', 'eager', extra=mods),
                    vm_node('liteos', 1, '', 'eager', extra=mods))
