"""The LiteOS example applications (guests/liteos/apps): each prints what LiteOS would make it
print, whether run all at boot (bootargs "los-apps") or by name from the shell."""
import re

from conftest import CTRL_A, fresh_disks, make_bundle, run_qemu, run_qemu_interactive, \
    scenario, vm_node

MODULES = '''
			disk = "{name}";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''

# Each application's lines, in the order it must print them.
EXPECTED = {
    'task_demo': [
        'task: created high (prio 4) and low (prio 5)',
        'task: high runs first, then sleeps 2 ticks',
        'task: low runs while high sleeps',
        'task: high woke up and suspends itself',
        'task: low resumes high',
        'task: high resumed, ends',
        'task: joined both, results 7 and 3',
    ],
    # Waiters of rising priority are still served in arrival order (FIFO, as LiteOS does).
    'sem_demo': [
        'sem: three waiters blocked',
        'sem: waiter 1 got a unit',
        'sem: waiter 2 got a unit',
        'sem: waiter 3 got a unit',
        'sem: 2 units left',
        'sem: a third pend timed out',
    ],
    # The low owner runs at the waiting high task's priority until it lets go.
    'mux_demo': [
        'mux: low holds the mutex at prio 7',
        'mux: high waits for the mutex',
        'mux: low now runs at prio 3',
        'mux: high got it, counter 2',
        'mux: done, counter 2',
    ],
    'queue_demo': [
        'queue: wrote three messages and one urgent at the head',
        'queue: consumer read "urgent" (7 bytes)',
        'queue: consumer read "first" (6 bytes)',
        'queue: consumer read "second" (7 bytes)',
        'queue: consumer read "third" (6 bytes)',
    ],
    'event_demo': [
        'event: reader waits for sensor AND timer',
        'event: write sensor',
        'event: write timer',
        'event: reader got 0x3',
        'event: bits left 0x0',
    ],
    'swtmr_demo': [
        'swtmr: started a one-shot (5 ticks) and a periodic (2 ticks) timer',
        'swtmr: periodic fired 5 times, stopped',
        'swtmr: one-shot fired with 42',
        'swtmr: one-shot gone: yes',
    ],
    'memory_demo': [
        'memory: 100 bytes and 64 bytes aligned to 256: aligned',
        'memory: grew to 1000 bytes, contents kept: yes',
        'memory: 2 used blocks',
        'memory: freed, 0 bytes in use, double free refused: yes',
    ],
    'membox_demo': [
        'membox: 4 of 4 blocks taken',
        'membox: one more: none left',
        'membox: freed one, next alloc reuses it: yes',
        'membox: 0 blocks taken at the end',
    ],
    'list_demo': [
        'list: 0 10 20 30 40',
        'list: last is 40',
        'list: 2 left after removing multiples of 20, empty: no',
    ],
    'hwi_demo': [
        'hwi: handler on IRQ 50 created',
        'hwi: raised while disabled: 0 calls',
        'hwi: enabled, the pending one arrived: 1 calls',
        'hwi: three more: 4 calls',
    ],
    'cpup_demo': [
        'cpup: busy task above 80%: yes',
        'cpup: system above 80%: yes',
        'cpup: idle again, system below 50%: yes',
    ],
    'ringbuf_demo': [
        'ringbuf: wrote 16 of 19 bytes',
        'ringbuf: read "hello,", 10 left',
        'ringbuf: read " ring buffabc"',
    ],
}


def vm(name, cpu, bootargs):
    return vm_node(name, cpu, bootargs, 'eager', '0x01000000',
                   extra=MODULES.format(name=name))


def app_lines(output, name):
    """The lines between `app <name>: start` and its verdict, without the [liteos] prefix."""
    block = re.search(rf'\[liteos\] app {name}: start\r?\n(.*?)\[liteos\] app {name}: (\w+)',
                      output, re.S)
    assert block, f'{name} did not run:\n{output}'
    # The kernel's own refusal messages (LOS_MemFree: ...) are not the application's lines.
    lines = [line.split('] ', 1)[1].rstrip() for line in block.group(1).splitlines()
             if line.startswith('[liteos] ') and not line.startswith('[liteos] LOS_')]
    return lines, block.group(2)


def check_app(output, name):
    lines, verdict = app_lines(output, name)
    assert verdict == 'ok', (name, lines)
    assert lines == EXPECTED[name], (name, lines)


def test_every_application_at_boot(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    run = run_qemu(make_bundle(tmp_path, scenario(vm('liteos', 1, 'los-apps'))), disks=disks,
                   timeout=180)
    assert run.returncode == 0, run.output
    for name in EXPECTED:
        check_app(run.output, name)
    run.assert_has(f'[liteos] los-apps: {len(EXPECTED)} ok, 0 failed',
                   'LOS_MemFree: pool')  # the memory demo's double free, reported
    run.assert_lacks('unexpected exception', 'STACK OVERFLOW')


def test_applications_by_name_from_the_shell(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    script = [
        ('[liteos] liteos: shell ready', CTRL_A + b'1'),
        ('hyp: console input goes to liteos', b'apps\r'),
        ('ringbuf_demo', b'queue_demo\r'),
        ('app queue_demo: ok', b'list_demo\r'),
        ('app list_demo: ok', b'cpup\r'),
        ('SysCpuUsage in mode 0', b'exit\r'),
        ('hyp: vm liteos exited', b''),
    ]
    run = run_qemu_interactive(make_bundle(tmp_path, scenario(vm('liteos', 1, 'shell'))),
                               script, disks=disks, timeout=120)
    assert run.returncode == 0, run.output
    for name in EXPECTED:
        assert re.search(rf'\[liteos\]   {name}\r?\n', run.output), name
    check_app(run.output, 'queue_demo')
    check_app(run.output, 'list_demo')
    # The cpup command: the system line, then a line per task with its share.
    assert re.search(r'\[liteos\] +\d+ +\d+\.\d   IdleCore000', run.output), run.output
    assert re.search(r'\[liteos\] +\d+ +\d+\.\d   Shell', run.output), run.output



def test_reboot_from_the_shell(tmp_path):
    """LOS_Reboot resets the VM: its kernel boots again, and its shell answers after that."""
    disks = fresh_disks(str(tmp_path / 'disks'))
    script = [
        ('[liteos] liteos: shell ready', CTRL_A + b'1'),
        ('hyp: console input goes to liteos', b'reboot\r'),
        # Typed during the second boot: the shell reads it once it is up.
        ('hyp: vm liteos reset (1)', b'exit\r'),
    ]
    run = run_qemu_interactive(make_bundle(tmp_path, scenario(vm('liteos', 1, 'shell'))),
                               script, disks=disks, timeout=120)
    assert run.returncode == 0, run.output
    run.assert_order('[liteos] liteos: reboot', 'hyp: vm liteos reset (1)',
                     "[liteos] liteos: LOS kernel starting in vm 'liteos'",
                     '[liteos] liteos: shell ready', '[liteos] liteos: powering off')
    assert run.output.count('liteos: shell ready') == 2, run.output


def test_panic_from_the_shell(tmp_path):
    """LOS_Panic prints its message and the calling task's frames, then stops the VM."""
    disks = fresh_disks(str(tmp_path / 'disks'))
    script = [
        ('[liteos] liteos: shell ready', CTRL_A + b'1'),
        ('hyp: console input goes to liteos', b'panic oops\r'),
    ]
    run = run_qemu_interactive(make_bundle(tmp_path, scenario(vm('liteos', 1, 'shell'))),
                               script, disks=disks, timeout=120)
    assert run.returncode == 0, run.output
    run.assert_order('[liteos] LOS_Panic: oops', '[liteos] backtrace of task',
                     '[liteos] liteos: panic, stopping the VM', 'hyp: vm liteos exited')
    assert re.search(r'\[liteos\]   #1 lr 0x[0-9a-f]+ fp 0x[0-9a-f]+', run.output), run.output
