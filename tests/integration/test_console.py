"""The shared console: focus switching with Ctrl-A, input reaching only the focused guest."""
import re

from conftest import make_bundle, one_guest_dts, run_qemu, run_qemu_interactive, two_guests_dts

CTRL_A = b'\x01'


def test_input_reaches_only_the_focused_guest(tmp_path):
    bundle = make_bundle(tmp_path, two_guests_dts('input', 'input'))
    run = run_qemu_interactive(bundle, [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', CTRL_A + b'2'),
        ('hyp: console input goes to liteos', b'hello liteos\r'),
        ('[liteos] liteos: input line', CTRL_A + b'1'),
        ('hyp: console input goes to starry', b'hi starry\r'),
    ])
    assert run.returncode == 0, run.output
    run.assert_has("[liteos] liteos: input line 'hello liteos'",
                   "[starry] starry: input line 'hi starry'", 'hyp: all vms down')
    run.assert_lacks("starry: input line 'hello", "liteos: input line 'hi", 'no input')


def test_console_commands_list_and_help(tmp_path):
    bundle = make_bundle(tmp_path, two_guests_dts('input', 'input'))
    run = run_qemu_interactive(bundle, [
        ('[liteos] liteos: waiting for a line of input', b''),
        ('[starry] starry: waiting for a line of input', CTRL_A + b'h'),
        ('hyp: console: Ctrl-A then', CTRL_A + b'l'),
        ('hyp: 2: liteos', CTRL_A + b'9'),
        ('hyp: no VM 9', b'to starry\r'),
        ("starry: input line 'to starry'", CTRL_A + b'2' + b'to liteos\r'),
    ])
    assert run.returncode == 0, run.output
    run.assert_has('hyp: 1: starry, running, 1 vCPU on CPU 0',
                   'hyp: 2: liteos, running, 1 vCPU on CPU 1', "liteos: input line 'to liteos'")


def test_lazy_guest_maps_only_what_it_touches(tmp_path):
    bundle = make_bundle(tmp_path, one_guest_dts('input', policy='lazy'))
    run = run_qemu_interactive(bundle, [
        ('[starry] starry: waiting for a line of input', CTRL_A + b'l'),
        ('KiB RAM mapped', b'done\r'),
    ])
    assert run.returncode == 0, run.output
    mapped = int(re.search(r'hyp: 1: starry, running, .*?(\d+) KiB RAM mapped',
                           run.output).group(1))
    # 16 MiB of RAM, but the kernel, its DTB, stack and tables touch well under 1 MiB.
    assert 0 < mapped < 1024, run.output
    run.assert_has('(lazy)', "starry: input line 'done'")


def screen_lines(output):
    """What a terminal shows: each \\r returns to column 0 and overwrites, \\b and ESC[nD move
    left, ESC[K erases; any other escape sequence in the output is a failure by itself."""
    rows = []
    for raw in output.split('\n'):
        row, col, i = [], 0, 0
        while i < len(raw):
            c = raw[i]
            if c == '\r':
                col = 0
            elif c == '\b':
                col = max(col - 1, 0)
            elif c == '\x1b':
                m = re.match(r'\x1b\[(\d*)([CDK])', raw[i:])
                assert m, f'escape sequence reached the terminal: {raw[i:i + 12]!r}'
                n = int(m.group(1) or '1')
                if m.group(2) == 'D':
                    col = max(col - n, 0)
                elif m.group(2) == 'C':
                    col += n
                else:
                    assert m.group(1) in ('', '0'), raw
                    del row[col:]
                i += len(m.group(0))
                continue
            else:
                assert c == '\t' or c >= ' ', f'control byte {c!r} reached the terminal'
                row.extend(' ' * (col - len(row)))
                if col < len(row):
                    row[col] = c
                else:
                    row.append(c)
                col += 1
            i += 1
        rows.append(''.join(row))
    return rows


GENUINE_HYP = re.compile(r'hyp: (vm (starry|liteos) exited \(system off\)|all vms down)$')


def test_guest_cannot_forge_hypervisor_lines(tmp_path):
    # starry is given the keyboard first (its bytes then reach the terminal at once); liteos
    # stays line-buffered.
    bundle = make_bundle(tmp_path, two_guests_dts('console-prompt console-spoof',
                                                  'console-spoof'))
    run = run_qemu_interactive(bundle, [('[starry] starry: prompt next', CTRL_A + b'1'),
                                        ('[starry] starry> ', b'go\r')])
    assert run.returncode == 0, run.output
    run.assert_has('[starry] starry: spoofing done', '[liteos] liteos: spoofing done')
    rows = screen_lines(run.output)
    assert rows.count('hyp: all vms down') == 1, run.output
    assert not [r for r in rows if 'forged' in r and not r.startswith(('[starry] ', '[liteos] '))]
    for r in rows:
        if 'all vms down' in r or 'exited' in r:
            assert r.startswith(('[starry] ', '[liteos] ')) or GENUINE_HYP.match(r), r
    # The unfocused guest's control bytes are shown escaped, its \r dropped as before.
    run.assert_has('[liteos] \\x1b]0;owned\\x07\\x1b[31mred\\x1b[0m\\x1bc\\x1b[2J\\x1b[H')


def test_focused_prompt_shows_before_enter(tmp_path):
    # Unattended, output stays line-buffered; given the keyboard, the guest's prompt shows.
    bundle = make_bundle(tmp_path, one_guest_dts('console-prompt'))
    run = run_qemu_interactive(bundle, [('[starry] starry: prompt next', CTRL_A + b'1'),
                                        ('[starry] starry> ', b'typed\r')])
    assert run.returncode == 0, run.output
    run.assert_has("starry: prompt answered 'typed'")


def work_rates(output):
    rates = [int(n) for n in re.findall(r'\[liteos\] liteos: work window \d: (\d+) iterations',
                                        output)]
    assert len(rates) == 3, output
    return sorted(rates)[1]


def test_flooding_guest_is_rate_limited(tmp_path):
    # The baseline: starry as busy for as long, but silent (both QEMU threads busy alike).
    alone = run_qemu(make_bundle(tmp_path, two_guests_dts('console-spin', 'console-work'),
                                 name='alone'), timeout=60)
    assert alone.returncode == 0, alone.output
    bundle = make_bundle(tmp_path, two_guests_dts('console-flood', 'console-work'))
    run = run_qemu(bundle, timeout=60)
    assert run.returncode == 0, run.output
    run.assert_has('[liteos] liteos: work done', '[starry] starry: flood done',
                   'hyp: vm starry: ', ' lines dropped',
                   ' hypervisor messages dropped', 'hyp: all vms down')
    # The guest's own lines and the hypervisor's messages about it stay within their budgets
    # (burst plus rate over a few seconds of flood), and the other guest keeps its pace.
    shown = len(re.findall(r'\[starry\] starry: flood line', run.output))
    traps = len(re.findall(r'hyp: vm starry: trapped read', run.output))
    assert 0 < shown < 1000 + 100 * 20, shown
    assert 0 < traps < 200 + 20 * 20, traps
    print('work per second beside a silent guest and beside the flood:', work_rates(alone.output),
          work_rates(run.output), 'lines shown', shown, 'messages shown', traps)
    # A loose check only: the machine running the tests is shared, so paces (and timer ticks
    # under TCG) vary a lot; the budgets above are what fails without the rate limits.
    assert work_rates(run.output) > work_rates(alone.output) * 0.2, \
        (work_rates(run.output), work_rates(alone.output))
    print(re.findall(r'liteos: work done: .*', alone.output + run.output))
