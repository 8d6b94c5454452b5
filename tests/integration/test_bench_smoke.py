"""A smoke run of one benchmark case, so that `make bench` cannot rot (no timing asserted)."""
import json
import os
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, 'tests', 'bench'))
import run as bench  # noqa: E402


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


def test_starry_linux_bench_runs_and_repeats(tmp_path):
    """The Starry guest's Linux figures: its /bin/bench as init, exact counts from EL0."""
    out = tmp_path / 'bench.json'
    res = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tests', 'bench', 'run.py'),
                          '--run', 'starry-linux', '--json', str(out)], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=120)
    assert res.returncode == 0, res.stdout
    cases = json.loads(out.read_text())['cases']
    # No disk I/O in these (exec runs a copy on tmpfs): the same count on both runs.
    for case in ('linux_null_syscall', 'linux_anon_page_fault', 'linux_fork_exit_wait',
                 'linux_fork_exec_wait', 'linux_pipe_round_trip', 'linux_write_4k_tmpfs',
                 'linux_read_4k_tmpfs', 'linux_signal_to_self'):
        assert cases[case]['repeatable'] and cases[case]['value'] > 0, res.stdout
    # A syscall is the cheapest thing; a process costs more than a pipe message, and an exec
    # (reading a 600 KB program) more than a fork.
    v = {k: c['value'] for k, c in cases.items()}
    assert v['linux_null_syscall'] < v['linux_pipe_round_trip'] < v['linux_fork_exit_wait'] \
        < v['linux_fork_exec_wait'], res.stdout


def test_bench_fails_on_a_regression_against_the_committed_table():
    """make bench refuses a figure more than 2% above docs/benchmarks.md (not a ratio or a
    percentage), and the committed table is what it compares with."""
    committed = bench.committed_figures()
    base = committed['null_hypercall_el2']
    assert committed['module_load_warm'] > 0 and 'ratio local_over_warm' not in committed

    def case(value, unit='instructions'):
        return {'value': value, 'unit': unit, 'repeatable': True}
    ok = {'null_hypercall_el2': case(base * 102 // 100), 'fair_share': case(1, 'permille')}
    assert bench.regressions(ok, committed) == []
    slow = {'null_hypercall_el2': case(base * 103 // 100 + 1)}
    assert bench.regressions(slow, committed) == [('null_hypercall_el2', base,
                                                   base * 103 // 100 + 1)]


def test_hot_path_budgets_pinned_and_shared(tmp_path):
    """Issue 16: the null hypercall costs <= 100 instructions at EL2 and PSCI_VERSION <= 120,
    exact under -icount, and a trap on a time-shared CPU costs the same as on a pinned one."""
    figures = {}
    for run in ('quick', 'shared-cpu'):
        out = tmp_path / f'{run}.json'
        res = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tests', 'bench', 'run.py'),
                              '--run', run, '--json', str(out)], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=120)
        assert res.returncode == 0, res.stdout
        figures.update({k: c['value'] for k, c in json.loads(out.read_text())['cases'].items()})
    assert 0 < figures['null_hypercall_el2'] <= 100, figures
    assert 0 < figures['psci_version_el2'] <= 120, figures
    assert figures['null_hypercall_el2 (shared CPU)'] == figures['null_hypercall_el2'], figures
