#!/usr/bin/python3
"""Reads modvisor serial logs, prints the memory footprint table and draws a bar chart.

Each log is one boot; its FOOTPRINT lines (printed when all VMs are down) give every VM's
figures as they were when the first VM stopped (all still running) and the module cache's. The scenario name is the log's file name
without its extension, or LABEL=PATH. With --sweep it also reads the sharing curve that
tests/bench/run.py --footprint writes (N guests, sharing on and off), prints its table and
draws it. With --init it reads the runs of each guest's programs with free page reporting on and
off and prints what each keeps backed after them.
"""
import argparse
import json
import os
import sys


def parse(path):
    vms, cache = [], None
    with open(path, errors='replace') as f:
        for line in f:
            at = line.find('FOOTPRINT ')
            if at < 0:
                continue
            record = json.loads(line[at + len('FOOTPRINT '):].strip())
            if record.get('cache'):
                cache = record
            else:
                vms.append(record)
    if not vms or cache is None:
        sys.exit(f'footprint: {path}: no FOOTPRINT lines (did every VM stop?)')
    return vms, cache


def kib(n):
    return n // 1024


def print_table(runs):
    cols = ('rss', 'pss', 'uss', 'shared', 'module_private', 'ram', 'ram_size', 's2_tables')
    head = f"{'scenario':<20} {'vm':<8}" + ''.join(f'{c[:10]:>11}' for c in cols)
    print('memory per VM while all ran (when the first stopped), KiB')
    print(head)
    print('-' * len(head))
    for label, (vms, cache) in runs:
        for vm in vms:
            print(f"{label:<20} {vm['vm']:<8}" + ''.join(f'{kib(vm[c]):>11}' for c in cols))
        total_pss = sum(vm['pss'] for vm in vms)
        print(f"{label:<20} {'(cache)':<8} text resident {kib(cache['text_resident'])} KiB, "
              f"peak mappings {kib(cache['peak_text_mappings'])} KiB, saved by sharing "
              f"{kib(cache['peak_saved'])} KiB, PSS sum {kib(total_pss)} KiB, frames in use "
              f"{cache['frames_at_boot']} at boot -> {cache['frames_at_end']} at end")


def draw(runs, png):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    labels, ram, mod_private, mod_pss_shared, mod_saved = [], [], [], [], []
    for label, (vms, _) in runs:
        for vm in vms:
            labels.append(f"{label}\n{vm['vm']}")
            ram.append(kib(vm['ram']))
            mod_private.append(kib(vm['module_private']))
            share = vm['pss'] - vm['uss']  # this VM's share of the shared text
            mod_pss_shared.append(share / 1024)
            mod_saved.append((vm['shared'] - share) / 1024)
    xs = list(range(len(labels)))
    fig, (left, right) = plt.subplots(1, 2, figsize=(max(9, 2.2 * len(labels)), 4.8))
    left.bar(xs, ram, color='#4878a8')
    left.set_yscale('log')
    left.set_ylabel('KiB (log scale)')
    left.set_title('guest RAM backed by frames (lazy: only what was touched)', fontsize=9)
    right.bar(xs, mod_private, label='private: module data (+ text when not shared)',
              color='#4878a8')
    right.bar(xs, mod_pss_shared, bottom=mod_private, label='shared text, this VM\'s PSS share',
              color='#e8a33d')
    bottoms = [a + b for a, b in zip(mod_private, mod_pss_shared)]
    right.bar(xs, mod_saved, bottom=bottoms, label='shared text counted for the other VM',
              color='white', edgecolor='#e8a33d', hatch='//')
    right.set_ylabel('KiB')
    right.set_ylim(0, 1.45 * max(a + b for a, b in zip(bottoms, mod_saved)))
    right.set_title('module memory per VM', fontsize=9)
    right.legend(fontsize=7)
    for ax in (left, right):
        ax.set_xticks(xs)
        ax.set_xticklabels(labels, fontsize=7)
    fig.suptitle('modvisor memory footprint per VM and scenario')
    fig.tight_layout()
    fig.savefig(png, dpi=110)


# --- the sharing curve: N guests with sharing on and off (tests/bench/run.py --footprint) ----

def read_sweep(directory):
    """sweep.json and its logs: {(n, sharing): figures or the reason it was skipped}."""
    with open(os.path.join(directory, 'sweep.json')) as f:
        runs = json.load(f)
    points = {}
    for run in runs.values():
        key = (run['n'], run['sharing'])
        if 'skipped' in run:
            points[key] = {'skipped': run['skipped']}
            continue
        vms, cache = parse(os.path.join(directory, run['log']))
        points[key] = {
            'vms': len(vms), 'pss': sum(v['pss'] for v in vms),
            'pss_modules': sum(v['pss'] - v['ram'] for v in vms),
            'text': cache['text_resident'], 'saved': cache['peak_saved'],
            # With sharing off module_private holds each guest's text copy too.
            'data': sum(v['module_private'] for v in vms) -
            (0 if vms[0]['shared'] else cache['text_resident']),
            'modules': [v['modules'] for v in vms]}
    return points


def sweep_goal(points, n):
    """Every guest after the first adds only its private module data: with sharing on, N guests
    holding their modules at once keep one copy of the text (as many pages as one guest) and
    map it N times, so sharing saves N - 1 copies."""
    one, p = points.get((1, True)), points.get((n, True))
    if not one or not p or 'skipped' in one or 'skipped' in p:
        return None
    return (p['vms'] == n and p['text'] == one['text'] and p['saved'] == (n - 1) * one['text']
            and all(m == p['modules'][0] for m in p['modules']))


def sweep_table(points):
    """The curve as a Markdown table, then whether the goal holds for each N."""
    lines = ['| N | sharing | sum of PSS KiB | of it module pages KiB | module text resident KiB '
             '| text saved by sharing KiB | module data KiB (all guests) |',
             '|---:|---|---:|---:|---:|---:|---:|']
    goals = []
    for (n, sharing) in sorted(points, key=lambda k: (k[0], not k[1])):
        p = points[(n, sharing)]
        on = 'on' if sharing else 'off'
        if 'skipped' in p:
            why = p['skipped'][p['skipped'].find('error:'):] if 'error:' in p['skipped'] \
                else p['skipped']
            lines.append(f'| {n} | {on} | skipped: {why} | | | | |')
            continue
        lines.append(f"| {n} | {on} | {p['pss'] // 1024} | {p['pss_modules'] // 1024} | "
                     f"{p['text'] // 1024} | "
                     f"{p['saved'] // 1024} | {p['data'] // 1024} |")
        if sharing:
            ok = sweep_goal(points, n)
            goals.append(f"- {'met' if ok else 'MISSED'}: {n} guest{'s' if n > 1 else ''}: "
                         f"text {p['text'] // 1024} KiB resident once, mapped by {n}, "
                         f"{p['saved'] // 1024} KiB saved; each guest adds "
                         f"{p['data'] // 1024 // n} KiB of module data")
    return '\n'.join(lines + [''] + goals)


def draw_sweep(points, png):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for sharing, style in ((True, '-o'), (False, '--s')):
        ran = sorted((n, p) for (n, sh), p in points.items() if sh == sharing and 'vms' in p)
        if not ran:
            continue
        ns = [n for n, _ in ran]
        on = 'on' if sharing else 'off'
        left.plot(ns, [p['pss_modules'] / 1024 for _, p in ran], style,
                  label=f'sharing {on}')
        right.plot(ns, [p['text'] / 1024 for _, p in ran], style, color='#e8a33d',
                   label=f'module text resident, sharing {on}')
        right.plot(ns, [p['data'] / 1024 for _, p in ran], style, color='#4878a8',
                   label=f'module data (all guests), sharing {on}')
        if sharing:
            right.plot(ns, [p['saved'] / 1024 for _, p in ran], ':^', color='#6a9955',
                       label='text saved by sharing')
    ns = sorted({n for n, _ in points})
    for ax in (left, right):
        ax.set_xscale('log', base=2)
        ax.set_xticks(ns)
        ax.set_xticklabels([str(n) for n in ns])
        ax.set_xlabel('guests (N)')
        ax.legend(fontsize=7)
    left.set_ylabel('KiB')
    # Guest RAM grows the same with or without sharing and would hide the difference.
    left.set_title('sum of PSS over the guests, less their RAM (module pages)', fontsize=9)
    right.set_ylabel('KiB')
    right.set_title('module memory as guests are added', fontsize=9)
    fig.suptitle('modvisor: the sharing curve (every guest after the first adds only its '
                 'module data)', fontsize=10)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


# --- lazy RAM after the guests' programs, free page reporting on and off (run.py INIT_RUNS) ---

INIT_PAIRS = (('starry', 'starry-init', 'starry-init-noreport'),
              ('liteos', 'liteos-lazy', 'liteos-lazy-noreport'))


def read_init(directory):
    """{guest: {'on': figures, 'off': figures}} for the pairs whose logs exist."""
    pairs = {}
    for guest, on, off in INIT_PAIRS:
        paths = [os.path.join(directory, f'{name}.log') for name in (on, off)]
        if all(os.path.exists(p) for p in paths):
            pairs[guest] = {key: parse(p)[0][0] for key, p in zip(('on', 'off'), paths)}
    return pairs


def init_table(pairs):
    """Markdown: RSS after the programs with reporting on and off, and the 25% goal."""
    lines = ['| guest (lazy, alone) | free page reporting | RSS KiB | of its RAM | RAM backed KiB '
             '| given back KiB (all calls) |', '|---|---|---:|---:|---:|---:|']
    goals = []
    for guest, runs in pairs.items():
        for key in ('on', 'off'):
            vm = runs[key]
            lines.append(f"| {guest} | {key} | {kib(vm['rss'])} | "
                         f"{100 * vm['rss'] / vm['ram_size']:.1f}% | {kib(vm['ram'])} | "
                         f"{kib(vm.get('released', 0))} |")
        on, off = runs['on'], runs['off']
        goals.append(f"- {'met' if on['rss'] * 4 <= on['ram_size'] else 'MISSED'}: {guest} "
                     f"after its programs: RSS <= 25% of RAM with reporting "
                     f"({100 * on['rss'] / on['ram_size']:.1f}%, "
                     f"{100 * off['rss'] / off['ram_size']:.1f}% without)")
    return '\n'.join(lines + [''] + goals)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('logs', nargs='*', help='serial logs, as PATH or LABEL=PATH')
    ap.add_argument('--png', help='write the bar chart here')
    ap.add_argument('--json', help='write the parsed figures here')
    ap.add_argument('--sweep', metavar='DIR',
                    help='also read the sharing curve (sweep.json and its logs) from DIR')
    ap.add_argument('--sweep-png', help='write the curve chart here')
    ap.add_argument('--init', metavar='DIR',
                    help='also read the runs of the guests\' programs with free page reporting '
                    'on and off (tests/bench/run.py INIT_RUNS) from DIR')
    args = ap.parse_args()

    if args.init:
        pairs = read_init(args.init)
        print('lazy RAM after the guests\' programs, free page reporting on and off')
        print(init_table(pairs))
        if args.json:
            with open(os.path.splitext(args.json)[0] + '-init.json', 'w') as f:
                json.dump(pairs, f, indent=1)

    if args.sweep:
        points = read_sweep(args.sweep)
        print('the sharing curve: N guests holding fatfs and signal at once')
        print(sweep_table(points))
        if args.sweep_png:
            draw_sweep(points, args.sweep_png)
            print(f'chart: {args.sweep_png}')
        if args.json:
            with open(os.path.splitext(args.json)[0] + '-sweep.json', 'w') as f:
                json.dump({f'{n}-{"on" if sh else "off"}': p for (n, sh), p in points.items()},
                          f, indent=1)
    runs = []
    for spec in args.logs:
        label, sep, path = spec.partition('=')
        if not sep:
            path, label = spec, os.path.splitext(os.path.basename(spec))[0]
        runs.append((label, parse(path)))
    if not runs:
        return
    print_table(runs)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({label: {'vms': vms, 'cache': cache} for label, (vms, cache) in runs}, f,
                      indent=1)
    if args.png:
        draw(runs, args.png)
        print(f'chart: {args.png}')


if __name__ == '__main__':
    main()
