"""Signed modules: the hypervisor verifies each module's signature at its first load and
refuses, by name and with the reason, an unsigned module, a wrong signature, a signature by
another key and a module signed by another build (docs/modules.md, "Signatures")."""
import hashlib
import os
import re
import subprocess

from conftest import BUILD, make_bundle, run_qemu
from test_modules import two

KEYS = os.path.join(BUILD, 'keys')


def boot(tmp_path, **kw):
    run = run_qemu(make_bundle(tmp_path, two(), **kw), timeout=40)
    assert run.returncode == 0, run.output
    return run


def assert_refused(run, mod, reason):
    run.assert_has(f"hyp: vm starry: module '{mod}' refused: {reason}",
                   f"hyp: vm liteos: module '{mod}' refused: {reason}",
                   f'[starry] starry: loading module {mod} failed: denied (-3)',
                   'hyp: vm starry exited (system off)', 'hyp: vm liteos exited (system off)')
    assert not re.search(rf'hyp: vm \w+: module {mod} [\d.]+ at', run.output), run.output


def key_dir(tmp_path, key=None, build_id=None):
    """A signing directory like build/keys: a key (ours, or a new one) and a build id."""
    d = tmp_path / 'keys'
    d.mkdir()
    if key is None:
        os.symlink(os.path.join(KEYS, 'module-key.pem'), d / 'module-key.pem')
    else:
        subprocess.run(['openssl', 'ecparam', '-name', 'prime256v1', '-genkey', '-noout',
                        '-out', str(d / 'module-key.pem')], check=True)
    (d / 'build-id').write_text(build_id or open(os.path.join(KEYS, 'build-id')).read())
    return str(d)


def test_signed_modules_load_and_the_bundle_says_so(tmp_path):
    run = boot(tmp_path)
    for mod in ('fatfs', 'signal'):
        assert re.search(rf'hyp: vm \w+: module {mod} [\d.]+ at 0x\w+, .*\(cold', run.output)
    run.assert_has('starry: wrote and read back /starry-hello.txt')
    run.assert_lacks('refused')


def test_unsigned_module_is_refused(tmp_path):
    run = boot(tmp_path, sign=None)
    assert_refused(run, 'fatfs', 'not signed')
    assert_refused(run, 'signal', 'not signed')


def test_signature_by_another_key_is_refused(tmp_path):
    run = boot(tmp_path, sign=key_dir(tmp_path, key='new'))
    assert_refused(run, 'fatfs', 'signed by another key')


def test_module_from_another_build_is_refused(tmp_path):
    # Our key, but another build's id: a module that build signed is not this build's.
    run = boot(tmp_path, sign=key_dir(tmp_path, build_id='00112233445566778899aabbccddeeff'))
    assert_refused(run, 'fatfs', 'signed for another build')
    assert_refused(run, 'signal', 'signed for another build')


def test_changed_image_with_its_hash_updated_is_refused(tmp_path):
    """A flipped byte in fatfs's image, its SHA-256 in the bundle updated to match: the hash
    check passes, the signature (over the original digest) does not."""
    bundle = make_bundle(tmp_path, two())
    image = open(os.path.join(BUILD, 'modules', 'fatfs.strip.so'), 'rb').read()
    data = bytearray(bundle.read_bytes())
    at = data.find(image)
    assert at > 0
    old_hash = hashlib.sha256(image).digest()
    data[at + 0x300] ^= 0x20
    new_hash = hashlib.sha256(bytes(data[at:at + len(image)])).digest()
    assert data.count(old_hash) == 1
    hat = data.find(old_hash)
    data[hat:hat + 32] = new_hash
    bundle.write_bytes(bytes(data))
    run = run_qemu(bundle, timeout=40)
    assert run.returncode == 0, run.output
    run.assert_has(f'hyp: bundle: mod-fatfs, {len(image)} bytes, sha256 ok')
    assert_refused(run, 'fatfs', 'bad signature')
    # signal is untouched and still loads.
    assert re.search(r'hyp: vm \w+: module signal [\d.]+ at', run.output), run.output


def test_mod_list_reports_the_bundle_descriptors_and_refusals(tmp_path):
    """MOD_LIST gives the version and kind from the bundle's descriptors before anything is
    loaded, the loaded state after, and flags an image whose signature was refused."""
    run = run_qemu(make_bundle(tmp_path, two('mod-list')), timeout=40)
    assert run.returncode == 0, run.output
    run.assert_order('[starry] starry: module list before loading: status 0, 2 of 2 records',
                     '[starry] starry: module fatfs 1.0 kind 1, 0 text pages',
                     '[starry] starry: module signal 1.1 kind 2, 0 text pages',
                     '[starry] starry: module list after loading: status 0, 2 of 2 records')
    after = run.output[run.output.index('module list after loading'):]
    assert re.search(r'starry: module fatfs 1\.0 kind 1 loaded resident, [1-9]\d* text pages',
                     after), run.output
    (tmp_path / 'unsigned').mkdir()
    unsigned = run_qemu(make_bundle(tmp_path / 'unsigned', two('mod-list'), sign=None),
                        timeout=40)
    unsigned.assert_order('[starry] starry: module list after loading',
                          '[starry] starry: module fatfs 1.0 kind 1 refused, 0 text pages',
                          '[starry] starry: module signal 1.1 kind 2 refused, 0 text pages')
