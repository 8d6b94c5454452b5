"""Memory accounting: FOOTPRINT figures, PSS sums, sharing on/off, lazy vs eager, baseline."""
import json
import os
import subprocess

from conftest import CTRL_A, ROOT, make_bundle, run_qemu_interactive


def footprint(tmp_path, config):
    """Boots a scenario with both guests holding their modules until we type a line, so that
    the report's snapshot (taken when the first VM stops) has both guests fully loaded."""
    with open(os.path.join(ROOT, 'configs', f'{config}.dts')) as f:
        # The starry kernel runs its probe (bootarg "probe") so that both guests wait for input.
        text = f.read().replace('bootargs = "";', 'bootargs = "probe input";').replace(
            'bootargs = "-- shell";', 'bootargs = "probe input";').replace(
            'bootargs = "shell";', 'bootargs = "input";')
    bundle = make_bundle(tmp_path, text, name=config)
    run = run_qemu_interactive(bundle, [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', CTRL_A + b'2' + b'done\r'),
        ("liteos: input line 'done'", CTRL_A + b'1' + b'done\r'),
    ], timeout=60)
    assert run.returncode == 0, run.output
    log = tmp_path / f'{config}.log'
    log.write_text(run.output)
    vms, cache = {}, None
    for line in run.output.splitlines():
        if line.startswith('FOOTPRINT '):
            record = json.loads(line[len('FOOTPRINT '):])
            if record.get('cache'):
                cache = record
            else:
                vms[record['vm']] = record
    assert set(vms) == {'starry', 'liteos'} and cache, run.output
    return vms, cache, log


def test_footprint_lines_parse_and_add_up(tmp_path):
    vms, cache, log = footprint(tmp_path, 'two-guests')
    for vm in vms.values():
        assert vm['rss'] == vm['uss'] + vm['shared']
        assert vm['uss'] <= vm['pss'] <= vm['rss']
        assert vm['uss'] == vm['ram'] + vm['module_private']
        assert vm['modules'] == 2 and vm['shared'] > 0 and vm['s2_tables'] > 0
    # PSS of the two guests is exactly the frames they use: their own, plus the text once.
    assert sum(v['pss'] for v in vms.values()) == \
        sum(v['uss'] for v in vms.values()) + cache['text_resident']
    assert cache['peak_text_mappings'] == 2 * cache['text_resident']
    assert cache['peak_saved'] == cache['text_resident']
    # Back to the boot baseline once everything is unloaded, but for the warm module text.
    assert cache['frames_at_end'] - cache['text_resident'] // 4096 == cache['frames_at_boot']
    # The host tool reads the same log and draws the chart.
    png = tmp_path / 'fp.png'
    out = subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'tools', 'footprint.py'),
                          '--png', str(png), str(log)], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    assert 'two-guests' in out and 'starry' in out and png.stat().st_size > 1000


def test_sharing_off_doubles_text_and_raises_uss(tmp_path):
    shared, shared_cache, _ = footprint(tmp_path, 'two-guests')
    private, private_cache, _ = footprint(tmp_path, 'two-guests-noshare')
    assert private_cache['text_resident'] == 2 * shared_cache['text_resident']
    assert private_cache['peak_saved'] == 0
    for name in ('starry', 'liteos'):
        text = shared[name]['shared']
        assert private[name]['shared'] == 0
        assert private[name]['uss'] == shared[name]['uss'] + text
        assert private[name]['pss'] > shared[name]['pss']


def test_lazy_ram_is_well_below_eager(tmp_path):
    lazy, _, _ = footprint(tmp_path, 'two-guests')
    eager, _, _ = footprint(tmp_path, 'two-guests-eager')
    # starry is lazy in two-guests and eager in two-guests-eager: same guest, same work.
    assert eager['starry']['ram'] == eager['starry']['ram_size']
    assert lazy['starry']['ram'] * 20 < eager['starry']['ram']
    assert lazy['starry']['rss'] * 20 < eager['starry']['rss']
    # liteos is eager in both.
    assert lazy['liteos']['ram'] == eager['liteos']['ram']
