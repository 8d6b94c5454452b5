#!/usr/bin/python3
"""Adds deterministic corruptions of the seed images (fixed random seed) for the regression run."""
import os
import random
import sys


def main():
    directory, count = sys.argv[1], int(sys.argv[2])
    seeds = sorted(f for f in os.listdir(directory) if not f.startswith('.'))
    rng = random.Random(20261121)
    for n in range(count):
        name = seeds[n % len(seeds)]
        with open(os.path.join(directory, name), 'rb') as f:
            data = bytearray(f.read())
        # Most damage where the metadata is: the boot sector, the FATs, the root directory.
        hot = min(len(data), 64 * 1024)
        for _ in range(rng.randint(1, 24)):
            at = rng.randrange(hot if rng.random() < 0.8 else len(data))
            data[at] = rng.randrange(256)
        with open(os.path.join(directory, f'corrupt-{n:03d}-{name}'), 'wb') as f:
            f.write(bytes(data))


if __name__ == '__main__':
    main()
