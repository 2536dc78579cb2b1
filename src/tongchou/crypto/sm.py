"""SM3 digests and SM4-GCM field encryption through `cryptography`'s bundled OpenSSL (GB/T 39786)."""

from __future__ import annotations

import os
from collections.abc import Iterable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def sm3_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def sm3_hex_chunks(chunks: Iterable[bytes]) -> tuple[str, int]:
    """SM3 (hex) and length of a stream fed piece by piece, e.g. `UploadedFile.chunks()`: an upload
    spooled to disk is digested without being held in memory whole."""
    digest = hashes.Hash(hashes.SM3())
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.finalize().hex(), size


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    """Returns nonce (12 bytes) + ciphertext + tag (16 bytes)."""
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if associated:
        encryptor.authenticate_additional_data(associated)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def sm4_gcm_decrypt(key: bytes, blob: bytes, associated: bytes = b"") -> bytes:
    nonce, body, tag = blob[:12], blob[12:-16], blob[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if associated:
        decryptor.authenticate_additional_data(associated)
    return decryptor.update(body) + decryptor.finalize()


class CryptoSelfTestError(RuntimeError):
    pass


def self_test() -> None:
    """Known-answer tests run at start-up; Tongchou refuses to start when they fail."""
    if sm3_hex(b"abc") != SM3_ABC:
        raise CryptoSelfTestError("SM3 自检失败：SM3(\"abc\") 与标准值不符，系统拒绝启动")
    key = bytes(range(16))
    if sm4_gcm_decrypt(key, sm4_gcm_encrypt(key, b"tongchou", b"kat"), b"kat") != b"tongchou":
        raise CryptoSelfTestError("SM4-GCM 自检失败：加解密结果不一致，系统拒绝启动")
