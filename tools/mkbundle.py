#!/usr/bin/python3
"""Packs a scenario DTB and guest/module images into a FIT boot bundle with mkimage.

The FIT is wrapped in a legacy U-Boot ramdisk header: U-Boot's booti would otherwise look
for a ramdisk sub-image inside the FIT, and QEMU's -initrd strips such a header itself, so
both boot paths hand the hypervisor the bare FIT.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def its_text(scenario, images):
    out = ['/dts-v1/;', '', '/ {', '\tdescription = "modvisor boot bundle";',
           '\t#address-cells = <1>;', '', '\timages {']

    def node(name, path, kind):
        out.extend([
            f'\t\t{name} {{',
            f'\t\t\tdescription = "{name}";',
            f'\t\t\tdata = /incbin/("{os.path.abspath(path)}");',
            f'\t\t\ttype = "{kind}";',
            '\t\t\tarch = "arm64";',
            '\t\t\tcompression = "none";',
            '\t\t\thash-1 {',
            '\t\t\t\talgo = "sha256";',
            '\t\t\t};',
            '\t\t};',
        ])

    node('scenario', scenario, 'flat_dt')
    for name, path in images:
        node(name, path, 'firmware')
    out.extend(['\t};', '', '\tconfigurations {', '\t\tdefault = "modvisor";',
                '\t\tmodvisor {', '\t\t\tdescription = "scenario and images";',
                '\t\t\tfdt = "scenario";', '\t\t};', '\t};', '};', ''])
    return '\n'.join(out)


def run(cmd):
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode != 0:
        sys.exit(f'mkbundle: {cmd[0]} failed:\n{res.stdout}')


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('-o', '--output', required=True, help='bundle (.itb) to write')
    ap.add_argument('--scenario', required=True, help='compiled scenario (.dtb)')
    ap.add_argument('--fit', help='also write the bare FIT here (for inspection and tests)')
    ap.add_argument('images', nargs='*', help='NAME=PATH of each image')
    args = ap.parse_args()

    images = []
    for spec in args.images:
        name, sep, path = spec.partition('=')
        if not sep or not name or not os.path.isfile(path):
            sys.exit(f'mkbundle: bad image "{spec}" (want NAME=PATH of an existing file)')
        images.append((name, path))

    with tempfile.TemporaryDirectory() as tmp:
        its = os.path.join(tmp, 'bundle.its')
        with open(its, 'w') as f:
            f.write(its_text(args.scenario, images))
        fit = os.path.join(tmp, 'bundle.fit')
        run(['mkimage', '-f', its, fit])
        run(['mkimage', '-A', 'arm64', '-O', 'linux', '-T', 'ramdisk', '-C', 'none',
             '-n', 'modvisor bundle', '-d', fit, args.output])
        if args.fit:
            subprocess.run(['cp', fit, args.fit], check=True)


if __name__ == '__main__':
    main()
