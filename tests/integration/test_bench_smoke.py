"""A smoke run of one benchmark case, so that `make bench` cannot rot (no timing asserted)."""
import json
import os
import subprocess

from conftest import ROOT


def test_quick_bench_runs_and_repeats(tmp_path):
    out = tmp_path / 'bench.json'
    res = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tests', 'bench', 'run.py'),
                          '--quick', '--json', str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=120)
    assert res.returncode == 0, res.stdout
    data = json.loads(out.read_text())
    cases = data['cases']
    for case in ('null_hypercall', 'null_hypercall_el2', 'boot_to_prompt'):
        assert cases[case]['repeatable'], res.stdout  # exact counts: equal on both runs
        assert cases[case]['value'] > 0
    assert 0 < cases['null_hypercall_el2']['value'] < cases['null_hypercall']['value']
    assert '| null_hypercall |' in res.stdout
