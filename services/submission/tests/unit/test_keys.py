from spplus.submission.domain.keys import Keys, digest


def test_keyed_hashes_depend_on_the_secret_and_never_show_the_input():
    keys, other = Keys("secret-a"), Keys("secret-b")
    assert keys.ip_hash("192.0.2.1") == Keys("secret-a").ip_hash("192.0.2.1") != other.ip_hash("192.0.2.1")
    assert "192.0.2.1" not in keys.ip_hash("192.0.2.1") and len(keys.ip_hash("192.0.2.1")) == 64
    assert Keys("secret-a", ip_hash_key="k").ip_hash("192.0.2.1") != keys.ip_hash("192.0.2.1")
    assert keys.fingerprint("A@x.fr", "texte") == keys.fingerprint("a@x.fr", "texte") != keys.fingerprint("a@x.fr", "autre")
    token = keys.tracking_token("id-1")
    assert len(token) == 43 and token != other.tracking_token("id-1") and digest(token) != token
