"""Near-duplicates among recent stories, with MinHash signatures and an LSH index (datasketch)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from .findings import Finding, policy_finding
from .lexicon import fold

NUM_PERM = 128
THRESHOLD = 0.5       # estimated Jaccard similarity of word 3-grams above which two stories are near-duplicates
SHINGLE = 3
_SEED = 7
_TOKEN = re.compile(r"\w+")
_SCHEME = "affine32"
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations  # computed once, shared by every signature
# Bands and rows for the threshold, computed once (datasketch integrates them numerically on each index).
_LSH_PARAMS = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)


def shingles(text: str) -> set[bytes]:
    words = _TOKEN.findall(fold(text))
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_PERMUTATIONS, scheme=_SCHEME)
    grams = shingles(text)
    if grams:
        minhash.update_batch(list(grams))
    return minhash


class _SignatureCache:
    """Signatures of known stories, kept across calls (the same recent stories come back for every case)."""

    def __init__(self, size: int = 20_000) -> None:
        self._items: OrderedDict[tuple[str, int], MinHash] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: str, text: str) -> MinHash:
        cache_key = (key, hash(text))
        with self._lock:
            found = self._items.get(cache_key)
            if found is not None:
                self._items.move_to_end(cache_key)
                return found
        computed = signature(text)
        with self._lock:
            self._items[cache_key] = computed
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return computed


_cache = _SignatureCache()


class DuplicateIndex:
    """An LSH index of stories; ``query`` returns (id, estimated similarity), best first."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        params = _LSH_PARAMS if threshold == THRESHOLD else None
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=params)
        self._signatures: dict[str, MinHash] = {}
        self.threshold = threshold

    def add(self, key: str, text: str) -> None:
        if key in self._signatures or not text.strip():
            return
        minhash = _cache.get(key, text)
        self._signatures[key] = minhash
        self._lsh.insert(key, minhash)

    def __len__(self) -> int:
        return len(self._signatures)

    def query(self, text: str) -> list[tuple[str, float]]:
        if not self._signatures:
            return []
        minhash = signature(text)
        scored = []
        for key in self._lsh.query(minhash):
            similarity = float(np.mean(minhash.hashvalues == self._signatures[key].hashvalues))
            if similarity >= self.threshold:
                scored.append((key, similarity))
        return sorted(scored, key=lambda item: -item[1])


class _SharedIndex:
    """One LSH index per process, grown with the stories each call passes; a query only answers with the
    stories of the current call (so the caller's 12-month window holds), and the index is rebuilt when
    it holds far more than what callers pass."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index = DuplicateIndex()
        self._texts: dict[str, int] = {}

    def query(self, text: str, known_texts: list[tuple[str, str]]) -> list[tuple[str, float]]:
        current = {str(key): hash(known) for key, known in known_texts}
        if not current:
            return []
        with self._lock:
            fresh = [(str(key), known) for key, known in known_texts if self._texts.get(str(key)) != current[str(key)]]
            changed = any(key in self._texts for key, _ in fresh)  # a story's text changed since indexed
            if changed or len(self._texts) > 2 * len(current) + 1000:
                self._index, self._texts = DuplicateIndex(), {}
                fresh = [(str(key), known) for key, known in known_texts]
            for key, known in fresh:
                self._index.add(key, known)
                self._texts[key] = current[key]
            found = self._index.query(text)
        return [(key, similarity) for key, similarity in found if key in current]


_shared = _SharedIndex()


def near_duplicates(text: str, known_texts: Iterable[tuple[str, str]]) -> list[Finding]:
    known_texts = list(known_texts)
    findings = []
    for key, similarity in _shared.query(text, known_texts)[:3]:
        detail = f"expérience {key} (similarité {round(similarity * 100)} %)"
        findings.append(policy_finding("policy.duplicate", text, 0, len(text), similarity, detail))
    return findings
