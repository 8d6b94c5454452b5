"""The module load benchmarks measure ext4 as well as fatfs (runs one-vm-ext4, second-vm-ext4):
every ext4 case is reported, exact (equal on both runs), and the warm and shared loads stay
far cheaper than the guest loading its own copy from its disk."""
import json
import os
import subprocess

from conftest import ROOT


def test_ext4_load_cases_run_and_repeat(tmp_path):
    out = tmp_path / 'bench.json'
    res = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tests', 'bench', 'run.py'),
                          '--run', 'one-vm-ext4', '--run', 'second-vm-ext4', '--json', str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    assert res.returncode == 0, res.stdout
    cases = json.loads(out.read_text())['cases']
    for case in ('module_load_cold_ext4', 'module_unload_ext4', 'module_load_warm_ext4',
                 'module_load_guest_local_ext4', 'module_load_shared_ext4 (liteos)'):
        assert case in cases, res.stdout
        assert cases[case]['repeatable'] and cases[case]['value'] > 0, cases[case]
    # The fatfs names stay fatfs's: the ext4 runs add cases, they do not rename any.
    assert 'module_load_cold' not in cases and 'module_load_warm' not in cases, cases
    warm = cases['module_load_warm_ext4']['value']
    assert warm * 10 <= cases['module_load_guest_local_ext4']['value'], cases
    assert cases['module_load_shared_ext4 (liteos)']['value'] * 10 <= \
        cases['module_load_guest_local_ext4']['value'], cases
    assert warm * 100 < cases['module_load_cold_ext4']['value'], cases
