"""The LiteOS guest's LOS kernel: its in-guest tests, the boot demo, the shell, modules on a miss."""
import re
import subprocess

from conftest import CTRL_A, fresh_disks, make_bundle, modver, run_qemu, run_qemu_interactive, \
    scenario, vm_node

MODULES = '''
			disk = "{name}";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''


def vm(name, cpu, bootargs, policy='eager', size='0x01000000'):
    return vm_node(name, cpu, bootargs, policy, size, extra=MODULES.format(name=name))


def test_in_guest_suite_passes(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    run = run_qemu(make_bundle(tmp_path, scenario(vm('liteos', 1, 'los-tests'))), disks=disks,
                   timeout=180)
    assert run.returncode == 0, run.output
    results = re.findall(r'\[liteos\] los-test (\w+): (PASS|FAIL)', run.output)
    failed = [name for name, verdict in results if verdict != 'PASS']
    assert not failed, f'failed in the guest: {failed}\n{run.output}'
    names = {name for name, _ in results}
    # Every area the suite is meant to cover reported.
    for prefix in ('task_', 'sem_', 'mux_', 'queue_', 'event_', 'swtmr_', 'mem_', 'bad_',
                   'vfs_', 'signals_', 'api_'):
        assert any(n.startswith(prefix) for n in names), (prefix, names)
    assert {'task_priority_order', 'task_delay_ticks', 'mux_priority_inheritance',
            'sem_timeout', 'queue_timeout', 'sem_wrong_context'} <= names
    run.assert_has(f'[liteos] los-tests: {len(results)} passed, 0 failed',
                   'hyp: vm liteos exited (system off)')
    # The boot checks loaded the modules with the boot heap; the LOS kernel loads its own.
    run.assert_order('[liteos] liteos: LOS kernel up',
                     '[liteos] liteos: mkdir missed: no fatfs module, loading it',
                     '[liteos] liteos: sigaction missed: no signal module, loading it')
    fsck = subprocess.run(['fsck.fat', '-n', disks['liteos']], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert fsck.returncode == 0, fsck.stdout


def shell_script():
    """(text to wait for, bytes to type): each text shows that the command before was done."""
    return [
        ('[liteos] liteos: shell ready', CTRL_A + b'2'),
        ('hyp: console input goes to liteos', b'help\r'),
        ('exit: power this VM off', b'task\r'),
        (' tasks, tick ', b'free\r'),
        ('integrity ok', b'memstat\r'),
        ('(modules)', b'ls /\r'),
        (' entries', b'cat /liteos-los.txt\r'),
        ('written by a LiteOS task', b'echo hi there > /shell.txt\r'),
        ('wrote 9 bytes to /shell.txt', b'cat /shell.txt\r'),
        ('[liteos] hi there', b'mkdir /newdir\r'),
        ('made directory /newdir', b'echo kept > /newdir/k.txt\r'),
        ('wrote 5 bytes to /newdir/k.txt', b'rm /shell.txt\r'),
        ('removed /shell.txt', b'cat /shell.txt\r'),
        ('cat: /shell.txt:', b'frob\r'),
        ('frob: command not found', b'kill FsSigDemo 10\r'),
        ('sent signal 10 to task', b'kill 30 10\r'),
        ('kill: task 30:', b'modules\r'),
        ('module signal 1.1 at', CTRL_A + b'm'),
        ('hyp: module signal', b'hypmem\r'),
        ('liteos# hypmem', b'exit\r'),
        ('hyp: vm liteos exited', CTRL_A + b'1' + b'bye\r'),
    ]


def test_demo_and_shell(tmp_path):
    disks = fresh_disks(str(tmp_path / 'disks'))
    dts = scenario(vm('starry', 0, 'input', 'lazy', '0x02000000'),
                   vm('liteos', 1, 'shell no-modules'))
    run = run_qemu_interactive(make_bundle(tmp_path, dts), shell_script(), disks=disks,
                               timeout=120)
    assert run.returncode == 0, run.output
    run.assert_has("[liteos] liteos: LOS kernel starting in vm 'liteos': 16 MiB RAM, 1 vCPU",
                   '[liteos] liteos: 10 timer ticks at 100 Hz', 'hyp: all vms down',
                   'hyp: frame accounting consistent')
    run.assert_lacks('CONTENTS DIFFER', 'OUT OF ORDER', 'STACK OVERFLOW', 'BROKEN',
                     'unexpected exception', 'gave up waiting')
    # The demo: the first file and signal operations of LOS tasks load the modules.
    run.assert_order('[liteos] liteos: LOS kernel up',
                     '[liteos] liteos: open missed: no fatfs module, loading it',
                     '[liteos] liteos: module fatfs 1.0 loaded at 0x100000000 on a miss',
                     '[liteos] liteos: sigaction missed: no signal module, loading it',
                     '[liteos] liteos: module signal 1.1 loaded at 0x100400000 on a miss',
                     '[liteos] liteos: shell ready')
    run.assert_has('liteos: demo: queue: consumer got 8 of 8 messages in order, sum 36',
                   'liteos: demo: software timer 0 fired 5 times, every 10 ticks',
                   'liteos: demo: files: wrote and read back /liteos-los.txt: 57 bytes, '
                   'contents match',
                   'liteos: demo: SIGUSR2 blocked: 0 handled while blocked',
                   'liteos: demo: signals: FsSigDemo handled SIGUSR1 1, SIGUSR2 1, SIGRTMIN 2')
    assert re.search(r'producer waited for room [1-9]', run.output), run.output
    check_shell_answers(run)
    check_disk(disks['liteos'])


def check_shell_answers(run):
    out = run.output
    for cmd in ('help', 'task', 'free', 'memstat', 'ls', 'cat', 'echo', 'mkdir', 'rm', 'kill',
                'modules', 'hypmem', 'exit'):
        assert re.search(rf'\[liteos\]   {cmd}\b', out), cmd
    for name in ('IdleCore000', 'Swt_Task', 'Shell', 'FsSigDemo'):
        assert re.search(rf'\[liteos\] +\d+ +\d+ +\w+ +\d+ +\d+ +\d+  {name}', out), name
    assert re.search(r'\[liteos\]   total \d+ used \d+ free \d+, largest free block \d+', out)
    modules = re.search(r'\[liteos\]     -  \(modules\) +(\d+) +(\d+)', out)
    assert modules and int(modules.group(1)) > 0, out
    run.assert_has('[liteos]   HELLO.TXT', '[liteos]   liteos-los.txt', '[liteos]   los-dir/',
                   '[liteos] written by a LiteOS task through the shared fatfs module',
                   '[liteos] hi there', '[liteos] removed /shell.txt',
                   '[liteos] cat: /shell.txt: no such file or directory',
                   '[liteos] kill: task 30: no such task',
                   '[liteos] liteos: powering off')
    # The handler ran in the signalled task, before the shell's next prompt.
    run.assert_order('[liteos] liteos# kill FsSigDemo 10',
                     '[liteos] liteos: sent signal 10 to task',
                     '[liteos] liteos: task 5 (FsSigDemo) handled signal 10 (value 0, from task 3)',
                     '[liteos] liteos# kill 30 10')
    for mod in ('fatfs', 'signal'):
        assert re.search(rf'\[liteos\] module {mod} {modver(mod, True)} at 0x\w+: loaded on a miss, text '
                         r'(shared with another VM, nothing copied|copied from the bundle)',
                         out), out
        # Whichever VM missed second mapped the first one's frames: which one is a race (a
        # first load verifies the module's signature, which takes a while).
        assert re.search(rf'\[(liteos|starry)\] .*module {mod}\b.*text shared with another VM, '
                         r'nothing copied', out), out
        line = re.search(rf'hyp: module {mod} [\d.]+: resident once, (\d+) text pages, refs 2, '
                         r'mapped by \[(\w+),(\w+)\]', out)
        assert line and int(line.group(1)) > 0 and \
            {line.group(2), line.group(3)} == {'starry', 'liteos'}, out
    run.assert_order('[liteos] liteos# hypmem',
                     '[liteos] liteos: hypervisor counts for me: RSS')


def check_disk(image):
    def mtype(path):
        return subprocess.run(['mtype', '-i', image, f'::{path}'], check=True,
                              stdout=subprocess.PIPE, text=True).stdout

    assert mtype('/liteos-los.txt') == \
        'written by a LiteOS task through the shared fatfs module\n'
    assert mtype('/los-dir/note.txt') == 'a file in a directory, from LiteOS\n'
    assert mtype('/newdir/k.txt') == 'kept\n'
    listing = subprocess.run(['mdir', '-b', '-i', image, '::/'], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
    assert 'shell.txt' not in listing, listing
    fsck = subprocess.run(['fsck.fat', '-n', image], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    assert fsck.returncode == 0, fsck.stdout
