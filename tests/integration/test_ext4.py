"""Starry on an ext4 root (configs/two-guests-ext4.dts): its root mount finds an ext4 superblock
on the disk and loads the ext4 module; init's programs and busybox pass, and the disk is clean
for e2fsck afterwards. LiteOS keeps its FAT disk and fatfs."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, ROOT, guest_image, make_bundle, run_qemu
from test_starry_linux import FILEIO_OUT, PROGRAMS, SCRIPT_OUTPUT, SCRIPTS, Guest

SCENARIO = os.path.join(ROOT, 'configs', 'two-guests-ext4.dts')


def images():
    imgs = {g: guest_image(g) for g in ('starry', 'liteos')}
    for mod in ('fatfs', 'ext4', 'signal'):
        imgs[f'mod-{mod}'] = os.path.join(BUILD, 'modules', f'{mod}.strip.so')
    return imgs


def scenario_text():
    """The shipped scenario, with init's tests only (no interactive shells), so it powers off."""
    text = open(SCENARIO).read()
    assert 'bootargs = "-- shell";' in text and 'bootargs = "shell";' in text
    return text.replace('bootargs = "-- shell";', 'bootargs = "";').replace(
        'bootargs = "shell";', 'bootargs = "";')


def e2fsck(img):
    return subprocess.run(['e2fsck', '-fn', img], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def debugfs(img, cmd):
    return subprocess.run(['debugfs', '-R', cmd, img], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True).stdout


@pytest.fixture(scope='module')
def booted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('starry-ext4')
    disks = {}
    for name in ('starry-ext4', 'liteos'):
        disks[name] = str(tmp / f'{name}.img')
        shutil.copyfile(os.path.join(BUILD, 'disks', f'{name}.img'), disks[name])
    assert e2fsck(disks['starry-ext4']).returncode == 0
    run = run_qemu(make_bundle(tmp, scenario_text(), images=images()), disks=disks, timeout=240)
    return run, Guest(run.output), disks


def test_init_programs_and_busybox_pass_on_ext4(booted):
    run, guest, _ = booted
    assert run.returncode == 0, run.output
    assert guest.user.count('init: summary: 18 passed, 0 failed') == 1, '\n'.join(guest.starry)
    runs = [l[len('init: run '):] for l in guest.user if l.startswith('init: run ')]
    assert runs == list(PROGRAMS) + list(SCRIPTS), '\n'.join(guest.user)
    for name in SCRIPT_OUTPUT:
        lines, verdict = guest.segment(name)
        assert lines == SCRIPT_OUTPUT[name], '\n'.join(lines)
        assert verdict == f'init: {name} exited 0'
    run.assert_has('hyp: vm starry exited (system off)', 'hyp: vm liteos exited (system off)')


def test_root_is_ext4_chosen_by_the_disk(booted):
    run, guest, _ = booted
    assert 'starry: root filesystem mounted (ext4)' in guest.starry, '\n'.join(guest.starry)
    assert any(l.startswith('starry:') and 'ext4' in l and 'miss' in l for l in guest.starry)
    assert not any('module fatfs' in l for l in guest.starry), '\n'.join(guest.starry)
    assert re.search(r'hyp: vm starry: module ext4 1\.0 at 0x', run.output), run.output
    # LiteOS, on its FAT disk, still uses fatfs.
    assert re.search(r'hyp: vm liteos: module fatfs 1\.0 at 0x', run.output), run.output


def test_disk_is_clean_and_holds_what_init_wrote(booted):
    run, _, disks = booted
    assert run.returncode == 0, run.output
    img = disks['starry-ext4']
    fsck = e2fsck(img)
    assert fsck.returncode == 0, fsck.stdout
    assert debugfs(img, 'cat /data/fileio.out') == FILEIO_OUT
    names = debugfs(img, 'ls -p /data').split('\n')
    names = sorted(l.split('/')[5] for l in names if l.count('/') >= 6)
    assert names == ['.', '..', 'fileio.out'], names

