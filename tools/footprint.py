#!/usr/bin/python3
"""Reads modvisor serial logs, prints the memory footprint table and draws a bar chart.

Each log is one boot; its FOOTPRINT lines (printed when all VMs are down) give every VM's
figures as they were when the first VM stopped (all still running) and the module cache's. The scenario name is the log's file name
without its extension, or LABEL=PATH.
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


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('logs', nargs='+', help='serial logs, as PATH or LABEL=PATH')
    ap.add_argument('--png', help='write the bar chart here')
    ap.add_argument('--json', help='write the parsed figures here')
    args = ap.parse_args()

    runs = []
    for spec in args.logs:
        label, sep, path = spec.partition('=')
        if not sep:
            path, label = spec, os.path.splitext(os.path.basename(spec))[0]
        runs.append((label, parse(path)))
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
