"""The wall clock: each VM's own PL031 (hyp/vrtc.c), seeded from the machine's RTC, and Starry's
CLOCK_REALTIME, settimeofday and FAT timestamps on top of it."""
import calendar
import re
import subprocess
import time

from conftest import (CTRL_A, fresh_disks, make_bundle, run_qemu, run_qemu_interactive, scenario,
                      two_guests_dts, vm_node)

SET_2001 = 978307200  # what the rtc-set probe loads: 2001-01-01 00:00:00 UTC
# QEMU's RTC starts at the host's UTC time; the guests read it a few seconds later at most,
# minutes on a very loaded machine.
SLACK = 600


def near_host_time(secs, started):
    return started - 5 <= secs <= time.time() + SLACK


def test_each_vm_has_its_own_rtc_seeded_from_the_host(tmp_path):
    """starry loads 2001 into its RTC and reads it running on from there, then resets and finds
    it still there, while liteos reads its own RTC for 5 s: it stays at the host's time. A
    shared clock, one not seeded from the machine's RTC (1970), or one a reset loses, fails."""
    started = time.time()
    run = run_qemu(make_bundle(tmp_path, two_guests_dts('rtc-set rtc-reset', 'rtc-watch')),
                   timeout=90)
    assert run.returncode == 0, run.output
    run.assert_lacks('PANIC', 'rtc: none')
    ids = re.findall(r'\[(\w+)\] \w+: rtc: id 31 b1, reads (\d+)', run.output)
    assert [g for g, _ in ids].count('liteos') == 1, run.output
    assert [g for g, _ in ids].count('starry') == 2, run.output
    first_starry = True
    for guest, secs in ids:
        if guest == 'starry' and not first_starry:
            # After the reset: the clock set before it, a few seconds on.
            assert SET_2001 + 2 <= int(secs) <= SET_2001 + 60, run.output
        else:
            assert near_host_time(int(secs), started), run.output
        first_starry = first_starry and guest != 'starry'
    run.assert_order('[starry] starry: rtc: asking for a reset', 'hyp: vm starry reset (1)',
                     '[starry] starry: rtc: id 31 b1, reads 9783')
    m = re.search(r'\[starry\] starry: rtc: set to (\d+), then read (\d+)\.\.(\d+)', run.output)
    assert m, run.output
    assert int(m.group(1)) == SET_2001
    # It counts on from the load: 3 s of reading see 2 or 3 increments.
    assert SET_2001 <= int(m.group(2)) and SET_2001 + 2 <= int(m.group(3)) <= SET_2001 + 4, \
        m.group(0)
    m = re.search(r'\[liteos\] liteos: rtc: watched (\d+)\.\.(\d+)', run.output)
    assert m, run.output
    lo, hi = int(m.group(1)), int(m.group(2))
    assert near_host_time(lo, started) and 4 <= hi - lo <= 6, m.group(0)
    run.assert_has('hyp: vm starry exited (system off)', 'hyp: vm liteos exited (system off)',
                   'hyp: frame accounting consistent')


STARRY_LINUX = '''
			disk = "starry";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''


def fat_years(image, directory):
    """{file name: year of its FAT modification date} from mdir, read on the host."""
    out = subprocess.run(['mdir', '-i', image, f'::{directory}'], check=True, text=True,
                         stdout=subprocess.PIPE).stdout
    years = {}
    for line in out.splitlines():
        # The 8.3 name in its columns, then the size (or <DIR>) and the date.
        m = re.match(r'(.{8}) (.{3}) +(?:<DIR>|\d+) +(\d{4})-\d\d-\d\d', line)
        if m:
            name = m.group(1).strip() + ('.' + m.group(2).strip() if m.group(2).strip() else '')
            years[name.lower()] = int(m.group(3))
    return years


def test_starry_wall_clock_settimeofday_and_fat_times(tmp_path):
    """/bin/clock as starry's init: time(), gettimeofday and CLOCK_REALTIME read the host's
    year, as does busybox date; clock_settime/settimeofday refuse what Linux refuses; absolute
    real-time waits end on time; settimeofday to 2001 moves starry's clock (and its RTC) only,
    as liteos keeps reading the host's time from its own RTC; the FAT files starry creates carry
    its clock's date, as mdir on the host shows after the run; busybox date -s sets it too."""
    started = time.time()
    year = time.gmtime(started).tm_year
    disks = fresh_disks(str(tmp_path / 'disks'))
    dts = scenario(vm_node('starry', 0, 'init=/bin/clock', 'lazy', '0x04000000',
                           extra=STARRY_LINUX),
                   vm_node('liteos', 1, 'rtc-watch'))
    run = run_qemu(make_bundle(tmp_path, dts), timeout=180, disks=disks)
    assert run.returncode == 0, run.output
    run.assert_lacks('PANIC', '[starry] FAIL')
    run.assert_order(f'[starry] clock: boot: time ', f', year {year}',
                     '[starry] clock: busybox date +%Y:', f'[starry] {year}',
                     f'[starry] clock: /data/clk-now.txt mtime year {year}',
                     '[starry] ok settimeofday(2001)',
                     f'[starry] clock: after settimeofday: time ', ', year 2001',
                     '[starry] clock: busybox date +%Y:', '[starry] 2001',
                     '[starry] clock: /data/clk-2001.txt mtime year 2001',
                     '[starry] clock: busybox date -s 2002-06-01 12:00:00:',
                     '[starry] Sat Jun  1 12:00:00 UTC 2002',
                     '[starry] ok busybox date -s set 2002-06-01 12:00:00',
                     '[starry] clock: done', 'hyp: vm starry exited (system off)')
    boot = int(re.search(r'\[starry\] clock: boot: time (\d+)', run.output).group(1))
    assert near_host_time(boot, started), run.output
    m = re.search(r'\[liteos\] liteos: rtc: watched (\d+)\.\.(\d+)', run.output)
    assert m and near_host_time(int(m.group(1)), started) and \
        near_host_time(int(m.group(2)), started), run.output
    years = fat_years(disks['starry'], '/data')
    assert years.get('clk-now.txt') == year and years.get('clk-2001.txt') == 2001, years


def test_liteos_date_and_fat_times(tmp_path):
    """liteos's shell: `date` prints its wall clock (the host's time from its RTC), and a file
    `echo` writes on its FAT disk carries today's date, as mdir shows after the run."""
    started = time.time()
    disks = fresh_disks(str(tmp_path / 'disks'))
    dts = scenario(vm_node('liteos', 0, 'shell', extra='''
			disk = "liteos";
			modules = "fatfs", "signal";
			module-window = <0x1 0x00000000 0x0 0x10000000>;'''))
    run = run_qemu_interactive(make_bundle(tmp_path, dts), [
        ('[liteos] liteos: shell ready', CTRL_A + b'1' + b'date\r'),
        (' UTC', b'echo tick > /clk.txt\r'),
        ('wrote 5 bytes to /clk.txt', b'exit\r'),
    ], disks=disks, timeout=120)
    assert run.returncode == 0, run.output
    m = re.search(r'\[liteos\] (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC', run.output)
    assert m, run.output
    shown = calendar.timegm(tuple(int(g) for g in m.groups()) + (0, 0, 0))
    assert near_host_time(shown, started), (m.group(0), started)
    assert fat_years(disks['liteos'], '/').get('clk.txt') == time.gmtime(shown).tm_year
