#!/usr/bin/python3
"""modvisor benchmarks: exact instruction counts under QEMU -icount shift=0, and memory figures.

Every case runs in a guest that reads PMCCNTR_EL0 (EL2 counted too) around the operation.
With -icount shift=0 QEMU advances virtual time by 1 ns per instruction and the cycle counter
with it, so the figures are instruction counts and identical on every run; each scenario is
run twice to prove it. Memory figures come from the hypervisor's FOOTPRINT lines.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BUILD = os.path.join(ROOT, 'build')
QEMU = ['qemu-system-aarch64', '-M', 'virt,virtualization=on,gic-version=3', '-cpu',
        'cortex-a72', '-smp', '2', '-m', '1G', '-display', 'none', '-monitor', 'none',
        '-serial', 'stdio', '-nic', 'none']
WINDOW = 'module-window = <0x1 0x0 0x0 0x10000000>;'


def vm(name, cpu, bootargs, policy='lazy', modules='"fatfs", "signal"', extra=''):
    return f'''
		{name} {{
			kernel = "{name}";
			memory = <0x0 0x40000000 0x0 0x02000000>;
			cpu-affinity = <{cpu}>;
			memory-policy = "{policy}";
			bootargs = "{('probe ' + bootargs).strip() if name == 'starry' and 'init=' not in bootargs else bootargs}";
			disk = "{name}";
			modules = {modules};
			{WINDOW}{extra}
		}};'''


def scenario(*vms, root=''):
    return '/dts-v1/;\n/ {\n\tcompatible = "modvisor,scenario";' + root + '\n\tvms {' + \
        ''.join(vms) + '\n\t};\n};\n'


# name -> (scenario, icount, what it shows)
BENCH_RUNS = {
    'one-vm': (scenario(vm('starry', 0, 'bench bench-lazy')), True,
               'null hypercall, cold/warm/guest-local module load, unload, first file miss, '
               'lazy fault, boot'),
    'second-vm': (scenario(vm('starry', 0, 'bench-hold'), vm('liteos', 1, 'bench-second')),
                  True, 'the second VM mapping text the first VM holds'),
    'liteos-alone': (scenario(vm('liteos', 0, 'bench bench-quick')), True,
                     'boot of the liteos guest alone'),
    'starry-linux': (scenario(vm('starry', 0, 'init=/bin/bench bench')), True,
                     'Linux syscalls, faults, fork, exec, pipes, files and signals in the Starry '
                     'guest (its /bin/bench as init)'),
    'quick': (scenario(vm('starry', 0, 'bench bench-quick')), True, 'smoke: null hypercall'),
}
FOOTPRINT_RUNS = ['one-guest', 'two-guests', 'two-guests-noshare', 'two-guests-eager',
                  'two-guests-ext4']


def run_qemu(dts_text, name, workdir, icount):
    d = os.path.join(workdir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 's.dts'), 'w') as f:
        f.write(dts_text)
    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', os.path.join(d, 's.dtb'),
                    os.path.join(d, 's.dts')], check=True)
    images = [f'{g}={BUILD}/guests/{g}.bin' for g in ('starry', 'liteos')]
    images += [f'mod-{m}={BUILD}/modules/{m}.strip.so' for m in ('fatfs', 'signal', 'ext4')]
    bundle = os.path.join(d, 'bundle.itb')
    subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools', 'mkbundle.py'), '-o',
                    bundle, '--scenario', os.path.join(d, 's.dtb'), *images], check=True)
    cmd = list(QEMU) + (['-icount', 'shift=0'] if icount else [])
    cmd += ['-global', 'virtio-mmio.force-legacy=false']
    for disk in ('starry', 'liteos', 'starry-ext4'):
        img = os.path.join(d, f'{disk}.img')
        shutil.copyfile(os.path.join(BUILD, 'disks', f'{disk}.img'), img)
        cmd += ['-drive', f'file={img},format=raw,if=none,id=d{disk}',
                '-device', f'virtio-blk-device,drive=d{disk},serial={disk}']
    cmd += ['-kernel', os.path.join(BUILD, 'hyp.bin'), '-initrd', bundle]
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=300)
    out = res.stdout.decode(errors='replace')
    if res.returncode != 0 or 'hyp: all vms down' not in out:
        sys.exit(f'bench: run {name} failed:\n{out}')
    return out


def parse(out, prefix):
    records = []
    for line in out.splitlines():
        at = line.find(prefix + ' ')
        if at >= 0:
            records.append(json.loads(line[at + len(prefix) + 1:].strip()))
    return records


def bench_cases(names, workdir):
    results = {}
    for name in names:
        dts, icount, _ = BENCH_RUNS[name]
        first = parse(run_qemu(dts, name, workdir, icount), 'BENCH')
        second = parse(run_qemu(dts, name + '-again', workdir, icount), 'BENCH')
        if not first:
            sys.exit(f'bench: run {name} printed no BENCH line')
        for a, b in zip(first, second):
            key = f"{a['case']}" if a['vm'] == 'starry' else f"{a['case']} ({a['vm']})"
            if key in results:
                continue  # the first scenario that measures a case reports it
            results[key] = {'value': a['value'], 'unit': a['unit'], 'run': name,
                            'repeatable': a == b}
    return results


def scenario_text(config):
    """A config's scenario, without the interactive shell (the runs must end by themselves)."""
    with open(os.path.join(ROOT, 'configs', f'{config}.dts')) as f:
        text = f.read()
    if 'ext4' in config:  # the probe guest knows fatfs only: run init's tests on the ext4 root
        text = text.replace('bootargs = "-- shell";', 'bootargs = "init=/sbin/init";')
    return text.replace('bootargs = "";', 'bootargs = "probe";').replace(
            'bootargs = "-- shell";', 'bootargs = "probe";').replace(
            'bootargs = "shell";', 'bootargs = "";')


def footprints(workdir, logdir=None):
    figures = {}
    for config in FOOTPRINT_RUNS:
        out = run_qemu(scenario_text(config), 'fp-' + config, workdir, False)
        if logdir:
            with open(os.path.join(logdir, f'{config}.log'), 'w') as f:
                f.write(out)
        records = parse(out, 'FOOTPRINT')
        figures[config] = {'vms': [r for r in records if not r.get('cache')],
                           'cache': next(r for r in records if r.get('cache'))}
    return figures


def table(results, figures):
    lines = ['| case | instructions | repeatable |', '|---|---:|:---:|']
    for key, r in results.items():
        value = f"{r['value']/100:.2f}x" if r['unit'] == 'percent' else f"{r['value']:,}"
        name = key.replace('ratio_', 'ratio ').replace('_x100', '')
        lines.append(f"| {name} | {value} | {'yes' if r['repeatable'] else 'NO'} |")
    if figures:
        lines += ['', '| scenario | VM | RSS KiB | PSS KiB | USS KiB | shared text KiB | '
                  'module data KiB | RAM KiB | stage-2 KiB |',
                  '|---|---|---:|---:|---:|---:|---:|---:|---:|']
        for config, f in figures.items():
            for v in f['vms']:
                lines.append(f"| {config} | {v['vm']} | {v['rss']//1024} | {v['pss']//1024} | "
                             f"{v['uss']//1024} | {v['shared']//1024} | "
                             f"{v['module_private']//1024} | {v['ram']//1024} | "
                             f"{v['s2_tables']//1024} |")
        lines += ['', '| scenario | VMs | sum of PSS KiB | module text resident KiB | '
                  'text pages saved by sharing (KiB) |', '|---|---:|---:|---:|---:|']
        for config, f in figures.items():
            total = sum(v['pss'] for v in f['vms']) // 1024
            lines.append(f"| {config} | {len(f['vms'])} | {total} | "
                         f"{f['cache']['text_resident']//1024} | "
                         f"{f['cache']['peak_saved']//1024} |")
    return '\n'.join(lines)


def targets(results, figures):
    """The issue's targets, checked from the figures (never from wall time)."""
    checks = []
    el2 = results.get('null_hypercall_el2')
    if el2:
        checks.append(('null hypercall in the hypervisor < 150 instructions',
                       el2['value'] < 150, f"{el2['value']}"))
    warm, local = results.get('module_load_warm'), results.get('module_load_guest_local')
    if warm and local:
        checks.append(('warm load <= 1/10 of the guest-local baseline',
                       warm['value'] * 10 <= local['value'],
                       f"{local['value'] / warm['value']:.1f}x cheaper"))
    if 'two-guests' in figures:
        vms = {v['vm']: v for v in figures['two-guests']['vms']}
        cache = figures['two-guests']['cache']
        checks.append(('second guest adds only its private module data (text shared, 0 copied)',
                       cache['text_resident'] == vms['starry']['shared'] == vms['liteos']['shared']
                       and cache['peak_saved'] == cache['text_resident'],
                       f"text {cache['text_resident']//1024} KiB resident once"))
    return checks


def update_doc(text):
    path = os.path.join(ROOT, 'docs', 'benchmarks.md')
    with open(path) as f:
        doc = f.read()
    begin, end = '<!-- bench:begin -->', '<!-- bench:end -->'
    if begin not in doc or end not in doc:
        sys.exit('bench: docs/benchmarks.md lacks the bench markers')
    doc = doc[:doc.index(begin) + len(begin)] + '\n' + text + '\n' + doc[doc.index(end):]
    with open(path, 'w') as f:
        f.write(doc)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--quick', action='store_true', help='only the smoke case')
    ap.add_argument('--run', choices=sorted(BENCH_RUNS), action='append',
                    help='only these runs (no memory scenarios)')
    ap.add_argument('--json', default=os.path.join(BUILD, 'bench.json'))
    ap.add_argument('--update-doc', action='store_true', help='rewrite docs/benchmarks.md')
    ap.add_argument('--footprint', metavar='DIR',
                    help='only run the memory scenarios, writing their serial logs to DIR')
    args = ap.parse_args()

    if args.footprint:
        os.makedirs(args.footprint, exist_ok=True)
        with tempfile.TemporaryDirectory() as workdir:
            footprints(workdir, args.footprint)
        return

    with tempfile.TemporaryDirectory() as workdir:
        if args.quick or args.run:
            results, figures = bench_cases(args.run or ['quick'], workdir), {}
        else:
            results = bench_cases(['one-vm', 'second-vm', 'liteos-alone', 'starry-linux'],
                                  workdir)
            figures = footprints(workdir)
    text = table(results, figures)
    checks = targets(results, figures)
    summary = '\n'.join(f"- {'met' if ok else 'MISSED'}: {name} ({detail})"
                        for name, ok, detail in checks)
    print(text)
    print()
    print(summary)
    with open(args.json, 'w') as f:
        json.dump({'cases': results, 'memory': figures,
                   'targets': [{'target': n, 'met': ok, 'detail': d} for n, ok, d in checks]},
                  f, indent=1)
    print(f'\nwritten: {args.json}')
    if args.update_doc:
        stamp = datetime.date.today().isoformat()
        update_doc(f'Produced by `make bench` on {stamp}.\n\n{text}\n\n{summary}')
        print('updated: docs/benchmarks.md')
    if not all(r['repeatable'] for r in results.values()):
        sys.exit('bench: some figures differ between two runs')


if __name__ == '__main__':
    main()
